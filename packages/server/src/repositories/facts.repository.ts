import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'

/**
 * Bulk upserts of fact rows. Each batch is sent as one array per column and expanded with
 * `unnest`, so a 5,000-row batch is one statement with a handful of parameters (and never hits
 * PostgreSQL's 65,535-parameter limit). A row whose content hash did not change is not touched,
 * so its change sequence stays put and the analytics replica has nothing to copy.
 */
export type Column = { name: string; type: string; expr?: string }

export type UpsertTable = {
  table: string
  columns: Column[]
}

/**
 * Rows written by an upsert (the rest of the batch was unchanged: same content hash); with
 * order lines, the orders that were updated, whose lines the caller must replace.
 */
export type UpsertCounts = {
  inserted: number
  updated: number
  updatedOrders: { id: number; external_id: string }[]
}

type Db = Kysely<DB> | Transaction<DB>

/**
 * Upserts `rows` in one statement and answers counts, not rows: returning 5,000 rows to
 * JavaScript cost ~25% of the statement on PGlite. With `lines` (orders), the same statement
 * inserts the lines of the orders it inserted (their ids never leave the engine: looking them up
 * again by external id cost as much as the insert), and answers the updated orders, whose old
 * lines `replaceOrderLines` swaps (updates are rare in bulk loads: a re-sent batch is unchanged).
 */
export async function upsertRows(
  db: Db,
  spec: UpsertTable,
  rows: Record<string, unknown>[],
  lines?: LineRow[],
): Promise<UpsertCounts> {
  if (rows.length === 0) return { inserted: 0, updated: 0, updatedOrders: [] }
  const names = spec.columns.map((c) => c.name)
  const column = (c: Column) => rows.map((r) => r[c.name])
  const arrays = spec.columns.map((c) => arrayParam(column(c), c.type))
  const selectList = spec.columns.map((c) => sql.raw(c.expr ?? `u.${c.name}`))
  const updates = names
    .filter((n) => n !== 'external_id')
    .map((n) => sql.raw(`${n} = excluded.${n}`))
  const lineColumn = (k: keyof LineRow) => (lines ?? []).map((l) => l[k])
  const col = (k: keyof LineRow, type: string) => arrayParam(lineColumn(k), type)
  const insertLines =
    lines && lines.length > 0
      ? sql`, new_lines as (
          insert into order_lines (order_id, line_no, sku, product_name, category, quantity, unit_price, line_total)
          select up.id, l.line_no, l.sku, l.product_name, l.category, l.quantity, l.unit_price, l.line_total
          from unnest(${col('order_external_id', 'text')}, ${col('line_no', 'int4')}, ${col('sku', 'text')},
            ${col('product_name', 'text')}, ${col('category', 'text')}, ${col('quantity', 'int4')},
            ${col('unit_price', 'int8')}, ${col('line_total', 'int8')})
            as l(order_external_id, line_no, sku, product_name, category, quantity, unit_price, line_total)
          join up on up.external_id = l.order_external_id and up.inserted
        )`
      : sql``
  const updatedOrders = lines
    ? sql`coalesce(json_agg(json_build_array(id, external_id)) filter (where not inserted), '[]')`
    : sql`'[]'::json`
  const result = await sql<{
    inserted: number
    touched: number
    updated_orders: [number, string][]
  }>`
    with up as (
      insert into ${sql.table(spec.table)} (${sql.join(names.map((n) => sql.ref(n)))})
      select ${sql.join(selectList)}
      from unnest(${sql.join(arrays)}) as u(${sql.join(names.map((n) => sql.ref(n)))})
      on conflict (workspace_id, external_id) do update set ${sql.join(updates)}
      where ${sql.table(spec.table)}.content_hash is distinct from excluded.content_hash
      returning id, external_id, (xmax = 0) as inserted
    )${insertLines}
    select (count(*) filter (where inserted))::int4 as inserted, count(*)::int4 as touched,
      ${updatedOrders} as updated_orders
    from up`.execute(db)
  const row = result.rows[0] ?? { inserted: 0, touched: 0, updated_orders: [] }
  return {
    inserted: row.inserted,
    updated: row.touched - row.inserted,
    updatedOrders: row.updated_orders.map(([id, external_id]) => ({ id: Number(id), external_id })),
  }
}

const NEEDS_ESCAPE = /[\\"]/
const ESCAPED = /[\\"]/g

/**
 * `values` as one text parameter cast to `type[]` in SQL (`$1::text::int8[]`), for `unnest`
 * in FROM. Typed `text` first, so PGlite's driver may send it as bytes (db/pglite-dialect.ts);
 * the cast from text is array_in, the same parse as a parameter typed `int8[]`.
 *
 * Not for `= any(...)`: there the cast is an expression the planner cannot read as a constant
 * array (array_in is not immutable), and on PostgreSQL 15 `external_id = any($1::text::text[])`
 * over 100k customers not yet analysed got a plan that ran for over 40 s per 5,000-id lookup
 * (the ingest bench stalled at 30k orders; test/write-path/upsert.test.ts); with the parameter
 * typed as the array, 1M orders took 44 s. `anyParam` keeps it typed.
 */
export function arrayParam(values: readonly unknown[], type: string): RawBuilder<unknown> {
  return sql`${arrayLiteral(values)}::text::${sql.raw(type)}[]`
}

/** `values` as one parameter typed `type[]` (`$1::int8[]`), for `= any(...)`: see arrayParam. */
export function anyParam(values: readonly unknown[], type: string): RawBuilder<unknown> {
  return sql`${arrayLiteral(values)}::${sql.raw(type)}[]`
}

/**
 * A PostgreSQL array literal (array_in's text form) of primitive values, sent as one text
 * parameter and cast in SQL (`arrayParam`). Both drivers serialise a JS array element by element
 * with two regex replaces each (pg and PGlite alike, ~15 ms of a 5,000-order batch's 13 + 8
 * arrays); numbers and booleans need no quoting and most strings no escaping.
 */
export function arrayLiteral(values: readonly unknown[]): string {
  let out = '{'
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ','
    const v = values[i]
    if (v === null || v === undefined) out += 'NULL'
    else if (typeof v === 'number' || typeof v === 'bigint') out += String(v)
    else if (typeof v === 'boolean') out += v ? 't' : 'f'
    else {
      // As pg's prepareValue: dates as ISO instants, objects as JSON.
      const text =
        typeof v === 'string' ? v : v instanceof Date ? v.toISOString() : (JSON.stringify(v) ?? '')
      out += NEEDS_ESCAPE.test(text) ? `"${text.replace(ESCAPED, '\\$&')}"` : `"${text}"`
    }
  }
  return `${out}}`
}

/** external id → internal id for the given ids of one table (customers, subscriptions). */
export async function resolveIds(
  db: Db,
  table: 'customers' | 'subscriptions',
  externalIds: string[],
): Promise<Map<string, number>> {
  const map = new Map<string, number>()
  if (externalIds.length === 0) return map
  // One JSON value instead of one row per id: parsing 5,000 rows cost PGlite's driver more than
  // the lookup itself; JSON.parse of one text is native.
  const res = await sql<{ pairs: [number, string][] }>`
    select coalesce(json_agg(json_build_array(id, external_id)), '[]') as pairs from ${sql.table(table)}
    where workspace_id = 1 and external_id = any(${anyParam(externalIds, 'text')})`.execute(db)
  for (const [id, externalId] of res.rows[0]?.pairs ?? []) map.set(externalId, Number(id))
  return map
}

/**
 * external id → internal id of customers, creating bare ones (external id only) for the ids that
 * do not exist yet, in one statement: the lookup, the insert of the missing and the ids of both
 * (three round trips before). `hashOf` gives a bare customer's content hash; the statement needs
 * it up front, so it is computed for every id (5,000 SHA-256 of a few bytes ≈ 5 ms). The answer
 * is one JSON value, as in `resolveIds`.
 */
export async function resolveOrCreateCustomers(
  db: Db,
  externalIds: string[],
  hashOf: (externalId: string) => string,
): Promise<{ ids: Map<string, number>; created: number }> {
  const ids = new Map<string, number>()
  if (externalIds.length === 0) return { ids, created: 0 }
  // A data-modifying CTE does not see the rows it inserts from the outer select (one snapshot),
  // hence the union of the found and the inserted.
  const res = await sql<{ rows: [number, string, boolean][] }>`
    with wanted as (
      select * from unnest(${arrayParam(externalIds, 'text')}, ${arrayParam(externalIds.map(hashOf), 'text')}) as w(external_id, content_hash)
    ), found as (
      -- = any() probes the unique index; a join with the unnest was planned as a scan of every
      -- customer (measured: the cost grew with the table).
      select id, external_id from customers
      where workspace_id = 1 and external_id = any(${anyParam(externalIds, 'text')})
    ), ins as (
      insert into customers (external_id, content_hash)
      select w.external_id, w.content_hash from wanted w
      where not exists (select 1 from found f where f.external_id = w.external_id)
      on conflict (workspace_id, external_id) do nothing
      returning id, external_id
    ), answer as (
      select id, external_id, false as created from found
      union all select id, external_id, true as created from ins
    )
    select coalesce(json_agg(json_build_array(id, external_id, created)), '[]') as rows from answer`.execute(
    db,
  )
  let created = 0
  for (const [id, externalId, isNew] of res.rows[0]?.rows ?? []) {
    ids.set(externalId, Number(id))
    if (isNew) created++
  }
  // A concurrent writer (PostgreSQL) may have inserted some of them after this statement's
  // snapshot: ON CONFLICT skipped them, and a fresh statement sees them.
  const late = externalIds.filter((id) => !ids.has(id))
  if (late.length > 0) for (const [id, n] of await resolveIds(db, 'customers', late)) ids.set(id, n)
  return { ids, created }
}

/** An order line keyed by its order's external id (the id is looked up by the statement). */
export type LineRow = {
  order_external_id: string
  line_no: number
  sku: string | null
  product_name: string | null
  category: string | null
  quantity: number
  unit_price: number
  line_total: number
}

/**
 * Replaces the lines of updated orders: their old lines are deleted and `lines` (those of the
 * given orders, matched by external id) inserted with the orders' ids.
 */
export async function replaceOrderLines(
  db: Db,
  orders: { id: number; external_id: string }[],
  lines: LineRow[],
) {
  if (orders.length === 0) return
  const orderIds = anyParam(
    orders.map((o) => o.id),
    'int8',
  )
  await sql`delete from order_lines where order_id = any(${orderIds})`.execute(db)
  const idOf = new Map(orders.map((o) => [o.external_id, o.id]))
  const mine = lines.filter((l) => idOf.has(l.order_external_id))
  if (mine.length === 0) return
  const lineColumn = (k: keyof LineRow) => mine.map((l) => l[k])
  const col = (k: keyof LineRow, type: string) => arrayParam(lineColumn(k), type)
  const lineOrderIds = arrayParam(
    mine.map((l) => idOf.get(l.order_external_id)),
    'int8',
  )
  await sql`
    insert into order_lines (order_id, line_no, sku, product_name, category, quantity, unit_price, line_total)
    select * from unnest(${lineOrderIds}, ${col('line_no', 'int4')},
      ${col('sku', 'text')}, ${col('product_name', 'text')}, ${col('category', 'text')},
      ${col('quantity', 'int4')}, ${col('unit_price', 'int8')}, ${col('line_total', 'int8')})`.execute(
    db,
  )
}

export async function getIdempotentResponse(db: Db, key: string) {
  return db
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'status_code', 'response'])
    .where('workspace_id', '=', 1)
    .where('key', '=', key)
    .executeTakeFirst()
}

export async function saveIdempotentResponse(
  db: Db,
  key: string,
  requestHash: string,
  statusCode: number,
  response: unknown,
) {
  await db
    .insertInto('idempotency_keys')
    .values({
      key,
      request_hash: requestHash,
      status_code: statusCode,
      response: JSON.stringify(response),
    })
    .execute()
}

export type { RawBuilder }
