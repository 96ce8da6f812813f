import { createHash } from 'node:crypto'
import type { MetricsReplica } from './metrics/scope.ts'

/**
 * Derived tables of the analytics replica: relations that many metric queries start from and
 * that cost a pass over every order to compute (per-customer activity islands, second orders).
 *
 * The metric SQL marks such a relation with `derived(select)`; the select is self-contained (it
 * reads only replicated tables and bound parameters). Read through `DerivedTables`, the first
 * query that needs it materialises it once as `derived_<hash of text and parameter values>` and
 * every later query reads the table; read straight (no materialising replica), the marked select
 * simply runs inline, with the same result.
 *
 * Consistency: a sync that changes the replica drops every derived table in its own transaction
 * (`DERIVED_DROP`), so any derived table a query sees was built from the very rows that query
 * sees. A sync committing between "the table exists" and the query makes the query fail on the
 * missing table: it is built again and the query retried.
 */

export const DERIVED_PREFIX = 'derived_'

/**
 * Per-customer derived relations are also kept across syncs as `kept_<hash>` tables (with
 * `kept_<hash>_fp`, the fingerprint of each customer's fact rows, and a row of `kept_state`),
 * maintained incrementally: see `PER_CUSTOMER`.
 */
export const KEPT_PREFIX = 'kept_'

/**
 * Written into a derived select wherever its fact rows are read (`… WHERE … ${PER_CUSTOMER}`),
 * it declares the relation per customer: the rows of customer c depend only on the orders and
 * subscriptions whose customer_id is c. Such a relation is not rebuilt after a changing sync:
 * only the customers whose fact rows changed are recomputed (the token becomes a filter on
 * them) into its kept table, from which the derived table is copied. Inline, it is a comment.
 */
export const PER_CUSTOMER = '/*per-customer*/'

const OPEN = '/*derived(*/'
const CLOSE = '/*)derived*/'

/** Marks a self-contained SELECT as a relation the replica may materialise. */
export function derived(select: string): string {
  return `${OPEN}(${select})${CLOSE}`
}

/** Lists the derived tables (run inside a sync's transaction, then drop each). */
export const DERIVED_LIST = `select table_name from duckdb_tables()
  where database_name = current_database() and schema_name = 'main' and not temporary
    and starts_with(table_name, '${DERIVED_PREFIX}')`

/** What materialising needs of the replica (AnalyticsReplica has it). */
export type MaterializingReplica = MetricsReplica & {
  /** Bumped by every sync that changes the replica. */
  readonly generation: number
  /** Runs statements on the writing connection between syncs. */
  exclusive<T>(
    work: (run: (text: string, params?: Record<string, unknown>) => Promise<void>) => Promise<T>,
  ): Promise<T>
}

export function isMaterializing(replica: unknown): replica is MaterializingReplica {
  const r = replica as Partial<MaterializingReplica> | undefined
  return typeof r?.exclusive === 'function' && typeof r.generation === 'number'
}

const MARKED = /\/\*derived\(\*\/([\s\S]*?)\/\*\)derived\*\//g

/** The `$names` a text uses. */
export function parameterNames(text: string): Set<string> {
  return new Set([...text.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] ?? ''))
}

/** Keeps the named parameters the text uses: DuckDB rejects the others. */
export function usedParams(
  text: string,
  params: Record<string, unknown> | undefined,
): Record<string, unknown> {
  if (!params) return {}
  const used = parameterNames(text)
  return Object.fromEntries(Object.entries(params).filter(([k]) => used.has(k)))
}

/** Materialises the derived relations of queries, once per replica generation. */
export class DerivedTables {
  /** Table name → the generation it was last known to exist in. */
  readonly #known = new Map<string, number>()
  /** The generation the writer's temp table `kept_fp_now` describes, or −1. */
  #fingerprintsAt = -1

  constructor(private readonly replica: MaterializingReplica) {}

  /** Runs `text`, its derived relations replaced by their tables (built when missing). */
  async query<T>(
    text: string,
    params: Record<string, unknown> | undefined,
    options: { sync?: boolean } | undefined,
  ): Promise<T[]> {
    if (!text.includes(OPEN)) return this.replica.query<T>(text, params, options)
    for (let attempt = 0; ; attempt++) {
      const resolved = await this.#resolve(text, params)
      try {
        return await this.replica.query<T>(resolved, usedParams(resolved, params), options)
      } catch (e) {
        // A sync committed in between and dropped a table: build it again, once or twice.
        if (attempt >= 2 || !/derived_[0-9a-f]+ does not exist/i.test(String(e))) throw e
        this.#known.clear()
      }
    }
  }

  async #resolve(text: string, params: Record<string, unknown> | undefined): Promise<string> {
    const parts = [...text.matchAll(MARKED)].map((m) => ({ marked: m[0], select: m[1] ?? '' }))
    let out = text
    for (const { marked, select } of parts) {
      const bound = usedParams(select, params)
      const name = `${DERIVED_PREFIX}${createHash('sha256')
        .update(select)
        .update(JSON.stringify(bound))
        .digest('hex')
        .slice(0, 24)}`
      if (this.#known.get(name) !== this.replica.generation) {
        await this.replica.exclusive(async (run) => {
          if (select.includes(PER_CUSTOMER)) await this.#maintain(name, select, bound, run)
          else await run(`create table if not exists ${name} as ${select}`, bound)
        })
        // Read after the build: a sync before it bumped the generation and the table is fresh.
        this.#known.set(name, this.replica.generation)
      }
      out = out.replace(marked, name)
    }
    return out
  }

  /**
   * Brings the kept table of a per-customer relation up to the replica, then copies it as the
   * derived table `name` (runs inside `exclusive`: no sync commits meanwhile). The copy, not the
   * kept table, is what queries read: a sync drops it, so a query never mixes the facts of one
   * sync with a relation of another (the race is handled as for every derived table).
   *
   * Which customers changed: per customer, the number of fact rows and the sum of their
   * change_seq. A sync gives every inserted or updated row a change_seq above every earlier one,
   * so a customer whose rows changed either has fewer rows or a larger sum: exact, with no
   * record of the rows themselves. When the row count and the largest change_seq of orders and
   * subscriptions are as recorded, nothing they hold changed and even that pass is skipped; when
   * the count grew by exactly the rows above the recorded largest change_seq, rows were only
   * inserted (the usual ingest batch) and their customers are the changed ones.
   */
  async #maintain(
    name: string,
    select: string,
    bound: Record<string, unknown>,
    run: (text: string, params?: Record<string, unknown>) => Promise<void>,
  ): Promise<void> {
    const kept = `${KEPT_PREFIX}${name.slice(DERIVED_PREFIX.length)}`
    const fp = `${kept}_fp`
    const { state, marks } = await this.#keptState(name, kept, fp)
    if (state === 'built') return
    const generation = this.replica.generation
    // The fingerprints of the facts now: one pass per replica generation, shared by every kept
    // table (a temp table of the writing connection, where syncs and this run).
    const fingerprints = async () => {
      if (this.#fingerprintsAt !== generation) {
        this.#fingerprintsAt = -1
        await run(`create or replace temp table kept_fp_now as ${FINGERPRINTS}`)
      }
    }
    await run('begin transaction')
    try {
      if (state === 'missing') {
        await fingerprints()
        await run(`create or replace table ${kept} as ${select}`, bound)
        await run(`create or replace table ${fp} as select * from kept_fp_now`)
      } else if (state === 'inserted') {
        // Only new rows since the kept table was made: their customers changed, nobody else.
        await run(
          `create or replace temp table kept_changed as select distinct customer_id from (
            select customer_id from orders where change_seq > $os
            union all select customer_id from subscriptions where change_seq > $ss
          ) where customer_id is not null`,
          { os: marks.ordersSeq, ss: marks.subsSeq },
        )
      } else if (state === 'changed') {
        await fingerprints()
        await run(`create or replace temp table kept_changed as
          select coalesce(n.customer_id, o.customer_id) AS customer_id
          from kept_fp_now n full join ${fp} o on n.customer_id = o.customer_id
          where n.fact_rows is distinct from o.fact_rows or n.seq_sum is distinct from o.seq_sum`)
      }
      if (state === 'inserted' || state === 'changed') {
        const changed = 'select customer_id from kept_changed'
        const only = `AND customer_id IN (${changed})`
        await run(`delete from ${kept} where customer_id in (${changed})`)
        await run(`insert into ${kept} ${select.replaceAll(PER_CUSTOMER, only)}`, bound)
        await run(`delete from ${fp} where customer_id in (${changed})`)
        await run(
          state === 'changed'
            ? `insert into ${fp} select * from kept_fp_now where customer_id in (${changed})`
            : `insert into ${fp} ${FINGERPRINTS.replace('where customer_id is not null', `where customer_id in (${changed})`)}`,
        )
        await run('drop table kept_changed')
      }
      if (state !== 'same') {
        await run(`create table if not exists ${KEPT_STATE} (
          name VARCHAR, orders BIGINT, orders_seq BIGINT, subs BIGINT, subs_seq BIGINT)`)
        await run(`delete from ${KEPT_STATE} where name = $kept`, { kept })
        await run(`insert into ${KEPT_STATE} select $kept, ${TABLE_MARKS}`, { kept })
      }
      await run(`create table if not exists ${name} as select * from ${kept}`)
      await run('commit')
      if (state !== 'same') this.#fingerprintsAt = generation
    } catch (e) {
      await run('rollback').catch(() => undefined)
      throw e
    }
  }

  /** Whether the derived table exists, or else the kept table is missing, current or behind. */
  async #keptState(
    name: string,
    kept: string,
    fp: string,
  ): Promise<{
    state: 'built' | 'missing' | 'same' | 'inserted' | 'changed'
    marks: { ordersSeq: number; subsSeq: number }
  }> {
    const marks = { ordersSeq: -1, subsSeq: -1 }
    const present = new Set(
      (
        await this.replica.query<{ table_name: string }>(
          `select table_name from duckdb_tables()
           where database_name = current_database() and schema_name = 'main' and not temporary
             and table_name in ($name, $kept, $fp, '${KEPT_STATE}')`,
          { name, kept, fp },
          { sync: false },
        )
      ).map((r) => r.table_name),
    )
    // A sync drops every derived table: one that exists was made from the facts as they are.
    if (present.has(name)) return { state: 'built', marks }
    if (!present.has(kept) || !present.has(fp) || !present.has(KEPT_STATE)) {
      return { state: 'missing', marks }
    }
    // Rows now = rows then + rows above the largest change_seq then: no row was updated (an
    // update keeps the count and adds a row above) or deleted since.
    const [row] = await this.replica.query<{
      same: boolean
      inserted: boolean
      orders_seq: number
      subs_seq: number
    }>(
      `select s.orders = (select count(*) from orders)
         and s.orders_seq = coalesce((select max(change_seq) from orders), -1)
         and s.subs = (select count(*) from subscriptions)
         and s.subs_seq = coalesce((select max(change_seq) from subscriptions), -1) AS same,
       (select count(*) from orders) = s.orders
           + (select count(*) from orders where change_seq > s.orders_seq)
         and (select count(*) from subscriptions) = s.subs
           + (select count(*) from subscriptions where change_seq > s.subs_seq) AS inserted,
       s.orders_seq, s.subs_seq
       from ${KEPT_STATE} s where s.name = $kept`,
      { kept },
      { sync: false },
    )
    if (!row || row.orders_seq === null || row.subs_seq === null) return { state: 'missing', marks }
    marks.ordersSeq = Number(row.orders_seq)
    marks.subsSeq = Number(row.subs_seq)
    return { state: row.same ? 'same' : row.inserted ? 'inserted' : 'changed', marks }
  }
}

const KEPT_STATE = `${KEPT_PREFIX}state`

/** Row count and largest change_seq of orders and subscriptions: equal = nothing changed. */
const TABLE_MARKS = `(select count(*) from orders),
  coalesce((select max(change_seq) from orders), -1),
  (select count(*) from subscriptions), coalesce((select max(change_seq) from subscriptions), -1)`

/** Per customer: how many fact rows, and the sum of their change_seq. */
const FINGERPRINTS = `select customer_id, count(*) AS fact_rows, sum(change_seq) AS seq_sum from (
    select customer_id, change_seq from orders
    union all select customer_id, change_seq from subscriptions
  ) where customer_id is not null group by customer_id`

/** The marked relations inlined, for a replica that cannot materialise them. */
export function inlineDerived(text: string): string {
  return text.replaceAll(OPEN, '').replaceAll(CLOSE, '')
}
