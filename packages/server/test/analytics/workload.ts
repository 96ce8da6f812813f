import { sql, type Kysely, type RawBuilder } from 'kysely'
import { REPLICA_TABLES, type AnalyticsReplica } from '../../src/analytics/index.ts'
import type { ReplicaColumn } from '../../src/analytics/replica-schema.ts'
import type { DB } from '../../src/db/schema.ts'
import { eraseCustomer } from '../../src/repositories/entities.repository.ts'

/**
 * A seeded random workload on the system of record (plain SQL on the Kysely handle, as the
 * repositories would write) and a row-by-row comparison of the replica with the record.
 */

/** mulberry32: tiny, seeded, identical everywhere. */
export function rng(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1))
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T
  const maybe = <T>(value: T, p = 0.5): T | null => (next() < p ? value : null)
  return { next, int, pick, maybe }
}
export type Rng = ReturnType<typeof rng>

/** Strings that break naive CSV, JSON or array handling. */
const NASTY = [
  '',
  ' ',
  'plain',
  'comma, inside',
  'quote " inside',
  '""',
  "it's",
  'new\nline',
  'crlf\r\nline',
  'back\\slash',
  'tab\there',
  '{braces,in}',
  'NULL',
  '\\N',
  'Città àèìòù €',
  '日本語',
  '🙂 emoji',
  ',',
  '"',
]

/** Timestamps with microseconds and assorted offsets, as text for PostgreSQL to parse. */
function timestamp(r: Rng): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0')
  const offset = r.pick(['+00', '+02', '-05:30', '+01', 'Z'])
  return `${r.int(2019, 2026)}-${pad(r.int(1, 12))}-${pad(r.int(1, 28))} ${pad(r.int(0, 23))}:${pad(r.int(0, 59))}:${pad(r.int(0, 59))}.${pad(r.int(0, 999_999), 6)}${offset}`
}

const money = (r: Rng) => r.pick([0, 1, r.int(1, 99_999), 9_007_199_254_740_000])

export type Ids = Record<
  | 'customers'
  | 'orders'
  | 'order_lines'
  | 'subscriptions'
  | 'subscription_changes'
  | 'tickets'
  | 'events'
  | 'survey_answers',
  number[]
>

export class Workload {
  readonly ids: Ids = {
    customers: [],
    orders: [],
    order_lines: [],
    subscriptions: [],
    subscription_changes: [],
    tickets: [],
    events: [],
    survey_answers: [],
  }
  #n = 0

  constructor(
    private readonly db: Kysely<DB>,
    private readonly r: Rng,
  ) {}

  #ext(prefix: string) {
    return `${prefix}-${++this.#n}-${this.r.int(0, 1e9)}`
  }

  #drop(kind: keyof Ids, id: number) {
    this.ids[kind] = this.ids[kind].filter((x) => x !== id)
  }

  async #insert(text: RawBuilder<{ id: number }>): Promise<number> {
    const { rows } = await text.execute(this.db)
    return Number(rows[0]?.id)
  }

  async insertCustomer(): Promise<number> {
    const r = this.r
    const tags = Array.from({ length: r.int(0, 3) }, () => r.pick(NASTY))
    const attributes = JSON.stringify({
      tier: r.pick(NASTY),
      n: r.int(0, 9),
      nested: { ok: r.next() < 0.5, list: [1, 'a'] },
    })
    const id = await this.#insert(sql<{ id: number }>`
      insert into customers (external_id, content_hash, email, name, phone, locale, country, region,
        city, postcode, birthday, acquisition_channel, tags, attributes,
        consent_marketing_email, consent_marketing_email_at, consent_marketing_email_source,
        consent_profiling, consent_profiling_at, consent_surveys, consent_surveys_at, source_created_at)
      values (${this.#ext('c')}, 'h', ${r.maybe('x@example.it')}, ${r.maybe(r.pick(NASTY))}, ${r.maybe('+39 02 1234')},
        ${r.maybe(r.pick(['it', 'en', 'de-CH']))}, ${r.maybe(r.pick(['IT', 'DE', 'FR']))}, ${r.maybe(r.pick(NASTY))},
        ${r.maybe(r.pick(NASTY))}, ${r.maybe('20121')}, ${r.maybe(`19${r.int(40, 99)}-0${r.int(1, 9)}-1${r.int(0, 9)}`)}::date,
        ${r.maybe(r.pick(NASTY))}, ${tags}::text[], ${attributes}::jsonb,
        ${r.maybe(r.next() < 0.5)}, ${r.maybe(timestamp(r))}::timestamptz, ${r.maybe('checkout')},
        ${r.maybe(r.next() < 0.5)}, ${r.maybe(timestamp(r))}::timestamptz, ${r.maybe(true)}, ${r.maybe(timestamp(r))}::timestamptz,
        ${r.maybe(timestamp(r))}::timestamptz)
      returning id`)
    this.ids.customers.push(id)
    return id
  }

  async insertOrderWithLines(): Promise<number> {
    const r = this.r
    const customer = r.next() < 0.9 && this.ids.customers.length ? r.pick(this.ids.customers) : null
    const id = await this.#insert(sql<{ id: number }>`
      insert into orders (external_id, content_hash, customer_id, placed_at, status, refunded_amount,
        currency, total, discount, shipping, tax, channel, store)
      values (${this.#ext('o')}, 'h', ${customer}, ${timestamp(r)}::timestamptz,
        ${r.pick(['completed', 'cancelled', 'refunded'])}, ${r.pick([0, r.int(1, 500)])}, ${r.pick(['EUR', 'USD'])},
        ${money(r)}, ${r.int(0, 100)}, ${r.int(0, 990)}, ${r.int(0, 2200)}, ${r.maybe(r.pick(NASTY))}, ${r.maybe(r.pick(NASTY))})
      returning id`)
    this.ids.orders.push(id)
    for (let line = 1; line <= r.int(0, 3); line++) {
      const lineId = await this.#insert(sql<{ id: number }>`
        insert into order_lines (order_id, line_no, sku, product_name, category, quantity, unit_price, line_total)
        values (${id}, ${line}, ${r.maybe(r.pick(NASTY))}, ${r.maybe(r.pick(NASTY))}, ${r.maybe(r.pick(NASTY))},
          ${r.int(1, 5)}, ${money(r)}, ${money(r)})
        returning id`)
      this.ids.order_lines.push(lineId)
    }
    return id
  }

  async insertSubscription(): Promise<void> {
    const r = this.r
    if (!this.ids.customers.length) return
    const id = await this.#insert(sql<{ id: number }>`
      insert into subscriptions (external_id, content_hash, customer_id, plan, status, started_at, trial_end,
        canceled_at, ended_at, billing_interval, interval_count, quantity, amount, currency, cancellation_reason)
      values (${this.#ext('s')}, 'h', ${r.pick(this.ids.customers)}, ${r.pick(NASTY)},
        ${r.pick(['trialing', 'active', 'past_due', 'paused', 'canceled', 'ended'])}, ${timestamp(r)}::timestamptz,
        ${r.maybe(timestamp(r))}::timestamptz, ${r.maybe(timestamp(r))}::timestamptz, ${r.maybe(timestamp(r))}::timestamptz,
        ${r.pick(['day', 'week', 'month', 'year'])}, ${r.int(1, 3)}, ${r.int(1, 4)}, ${money(r)}, 'EUR', ${r.maybe(r.pick(NASTY))})
      returning id`)
    this.ids.subscriptions.push(id)
    for (let i = 0; i < r.int(0, 2); i++) {
      const change = await this.#insert(sql<{ id: number }>`
        insert into subscription_changes (external_id, content_hash, subscription_id, changed_at, plan, quantity, amount, currency)
        values (${this.#ext('sc')}, 'h', ${id}, ${timestamp(r)}::timestamptz, ${r.maybe(r.pick(NASTY))},
          ${r.maybe(r.int(1, 9))}, ${r.maybe(money(r))}, ${r.maybe('EUR')})
        returning id`)
      this.ids.subscription_changes.push(change)
    }
  }

  async insertTicket(): Promise<void> {
    const r = this.r
    const customer = r.next() < 0.8 && this.ids.customers.length ? r.pick(this.ids.customers) : null
    const messages = JSON.stringify([{ from: 'customer', body: r.pick(NASTY) }])
    const id = await this.#insert(sql<{ id: number }>`
      insert into tickets (external_id, content_hash, customer_id, channel, subject, opened_at, first_response_at,
        resolved_at, status, priority, assignee, satisfaction, messages)
      values (${this.#ext('t')}, 'h', ${customer}, ${r.pick(['email', 'chat', 'phone'])}, ${r.maybe(r.pick(NASTY))},
        ${timestamp(r)}::timestamptz, ${r.maybe(timestamp(r))}::timestamptz, ${r.maybe(timestamp(r))}::timestamptz,
        ${r.pick(['open', 'pending', 'resolved', 'closed'])}, ${r.pick(['low', 'normal', 'high', 'urgent'])},
        ${r.maybe(r.pick(NASTY))}, ${r.maybe(r.int(1, 5))}, ${messages}::jsonb)
      returning id`)
    this.ids.tickets.push(id)
  }

  async insertEvent(): Promise<void> {
    const r = this.r
    if (!this.ids.customers.length) return
    const properties = JSON.stringify({
      page: r.pick(NASTY),
      value: r.int(-5, 5),
      deep: { a: [null, true, 1.5] },
    })
    const id = await this.#insert(sql<{ id: number }>`
      insert into events (external_id, content_hash, customer_id, name, occurred_at, properties)
      values (${this.#ext('e')}, 'h', ${r.pick(this.ids.customers)}, ${r.pick(NASTY)}, ${timestamp(r)}::timestamptz, ${properties}::jsonb)
      returning id`)
    this.ids.events.push(id)
  }

  async insertSurveyAnswer(): Promise<void> {
    const r = this.r
    const customer = r.next() < 0.8 && this.ids.customers.length ? r.pick(this.ids.customers) : null
    const id = await this.#insert(sql<{ id: number }>`
      insert into survey_answers (external_id, content_hash, customer_id, survey, kind, score, comment, answered_at)
      values (${this.#ext('a')}, 'h', ${customer}, ${r.pick(NASTY)}, ${r.pick(['nps', 'csat', 'ces'])}, ${r.int(0, 10)},
        ${r.maybe(r.pick(NASTY))}, ${timestamp(r)}::timestamptz)
      returning id`)
    this.ids.survey_answers.push(id)
  }

  async updateSome(): Promise<void> {
    const r = this.r
    const kind = r.pick([
      'customers',
      'orders',
      'order_lines',
      'subscriptions',
      'tickets',
      'survey_answers',
      'events',
    ] as const)
    const id = this.ids[kind].length ? r.pick(this.ids[kind]) : undefined
    if (id === undefined) return
    switch (kind) {
      case 'customers':
        await sql`update customers set city = ${r.maybe(r.pick(NASTY))}, tags = ${[r.pick(NASTY)]}::text[],
          consent_profiling = ${r.maybe(r.next() < 0.5)}, source_created_at = ${timestamp(r)}::timestamptz where id = ${id}`.execute(
          this.db,
        )
        break
      case 'orders':
        await sql`update orders set status = 'refunded', refunded_amount = ${r.int(0, 99)}, total = ${money(r)},
          placed_at = ${timestamp(r)}::timestamptz where id = ${id}`.execute(this.db)
        break
      case 'order_lines':
        await sql`update order_lines set quantity = quantity + 1, category = ${r.maybe(r.pick(NASTY))} where id = ${id}`.execute(
          this.db,
        )
        break
      case 'subscriptions':
        await sql`update subscriptions set status = 'canceled', canceled_at = ${timestamp(r)}::timestamptz,
          cancellation_reason = ${r.pick(NASTY)} where id = ${id}`.execute(this.db)
        break
      case 'tickets':
        await sql`update tickets set status = 'resolved', resolved_at = ${timestamp(r)}::timestamptz, satisfaction = ${r.maybe(r.int(1, 5))} where id = ${id}`.execute(
          this.db,
        )
        break
      case 'survey_answers':
        await sql`update survey_answers set score = ${r.int(0, 10)}, comment = ${r.maybe(r.pick(NASTY))} where id = ${id}`.execute(
          this.db,
        )
        break
      case 'events':
        await sql`update events set properties = ${JSON.stringify({ updated: r.pick(NASTY) })}::jsonb where id = ${id}`.execute(
          this.db,
        )
        break
    }
  }

  /** Updates many rows in one statement: one transaction, many sequences. */
  async bulkUpdateOrders(): Promise<void> {
    await sql`update orders set tax = tax + 1 where id % 3 = ${this.r.int(0, 2)}`.execute(this.db)
  }

  async deleteSome(): Promise<void> {
    const r = this.r
    const kind = r.pick([
      'orders',
      'order_lines',
      'subscriptions',
      'subscription_changes',
      'tickets',
      'events',
      'survey_answers',
      'customers',
    ] as const)
    const id = this.ids[kind].length ? r.pick(this.ids[kind]) : undefined
    if (id === undefined) return
    if (kind === 'customers') return this.deleteCustomer(id)
    await sql`delete from ${sql.table(kind)} where id = ${id}`.execute(this.db)
    this.#drop(kind, id)
    // Cascades in the record: the ids below are gone too (and tombstoned by the trigger).
    if (kind === 'orders') await this.#refresh('order_lines')
    if (kind === 'subscriptions') await this.#refresh('subscription_changes')
  }

  /** A customer and everything hanging off them, in one transaction. */
  async deleteCustomer(id: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const table of [
        'events',
        'survey_answers',
        'tickets',
        'subscriptions',
        'orders',
      ] as const) {
        await sql`delete from ${sql.table(table)} where customer_id = ${id}`.execute(trx)
      }
      await sql`delete from customers where id = ${id}`.execute(trx)
    })
    await this.loadIds()
  }

  async erase(): Promise<number | undefined> {
    if (!this.ids.customers.length) return undefined
    const id = this.r.pick(this.ids.customers)
    const { rows } = await sql<{
      external_id: string
    }>`select external_id from customers where id = ${id}`.execute(this.db)
    const external = rows[0]?.external_id
    if (!external) return undefined
    return eraseCustomer(this.db, external, `erased-${id}`)
  }

  /** Picks up the ids already in the record (a workload continued by another process). */
  async loadIds(): Promise<void> {
    for (const kind of Object.keys(this.ids) as (keyof Ids)[]) await this.#refresh(kind)
  }

  async #refresh(kind: keyof Ids): Promise<void> {
    const { rows } = await sql<{ id: number }>`select id from ${sql.table(kind)}`.execute(this.db)
    this.ids[kind] = rows.map((row) => Number(row.id))
  }

  /** One random step; inserts dominate so the tables grow. */
  async step(): Promise<void> {
    const x = this.r.next()
    if (x < 0.15) await this.insertCustomer()
    else if (x < 0.35) await this.insertOrderWithLines()
    else if (x < 0.42) await this.insertSubscription()
    else if (x < 0.5) await this.insertTicket()
    else if (x < 0.58) await this.insertEvent()
    else if (x < 0.65) await this.insertSurveyAnswer()
    else if (x < 0.82) await this.updateSome()
    else if (x < 0.95) await this.deleteSome()
    else if (x < 0.97) await this.bulkUpdateOrders()
    else await this.erase()
  }
}

/**
 * Every replicated column of every row, from the record and from the replica, in one comparable
 * shape: timestamps as UTC text with microseconds (a JS Date would hide a lost microsecond), dates
 * as text, bigints as numbers, arrays as arrays, JSON parsed.
 */
export async function recordRows(db: Kysely<DB>, table: string, columns: readonly ReplicaColumn[]) {
  const list = columns
    .map((c) => {
      const name = `"${c.name}"`
      if (c.kind === 'timestamptz')
        return `to_char(${name} at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') as ${name}`
      if (c.kind === 'date') return `to_char(${name}, 'YYYY-MM-DD') as ${name}`
      return name
    })
    .join(', ')
  const { rows } = await sql<
    Record<string, unknown>
  >`${sql.raw(`select ${list} from ${table} order by id`)}`.execute(db)
  return rows.map((row) => normalise(row, columns))
}

export async function replicaRows(
  replica: AnalyticsReplica,
  table: string,
  columns: readonly ReplicaColumn[],
) {
  const list = columns
    .map((c) => {
      const name = `"${c.name}"`
      if (c.kind === 'timestamptz') return `strftime(${name}, '%Y-%m-%d %H:%M:%S.%f') as ${name}`
      return name
    })
    .join(', ')
  const rows = await replica.query<Record<string, unknown>>(
    `select ${list} from ${table} order by id`,
    undefined,
    { sync: false },
  )
  return rows.map((row) => normalise(row, columns))
}

function normalise(row: Record<string, unknown>, columns: readonly ReplicaColumn[]) {
  const out: Record<string, unknown> = {}
  for (const c of columns) {
    const v = row[c.name]
    out[c.name] =
      v === undefined
        ? 'MISSING'
        : typeof v === 'bigint'
          ? Number(v)
          : c.kind === 'bigint' && typeof v === 'string'
            ? Number(v)
            : v
  }
  return out
}

/** Compares every table; returns the row counts compared. */
export async function expectReplicaEqualsRecord(
  db: Kysely<DB>,
  replica: AnalyticsReplica,
  expect: (actual: unknown, expected: unknown, table: string) => void,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {}
  for (const table of REPLICA_TABLES) {
    const expected = await recordRows(db, table.name, table.columns)
    const actual = await replicaRows(replica, table.name, table.columns)
    expect(actual, expected, table.name)
    counts[table.name] = expected.length
  }
  return counts
}
