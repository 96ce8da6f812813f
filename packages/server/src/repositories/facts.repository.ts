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

/** Rows written by an upsert; the rest of the batch was unchanged (same content hash). */
export type UpsertCounts = { inserted: number; updated: number }

type Db = Kysely<DB> | Transaction<DB>

/**
 * Upserts `rows` and answers counts, not rows: returning 5,000 rows to JavaScript cost ~25% of
 * the statement on PGlite. With `replacesLines` (orders) the old lines of every updated order are
 * deleted by the same statement; `insertOrderLines` then writes the batch's lines.
 */
export async function upsertRows(
  db: Db,
  spec: UpsertTable,
  rows: Record<string, unknown>[],
  options: { replacesLines?: boolean } = {},
): Promise<UpsertCounts> {
  if (rows.length === 0) return { inserted: 0, updated: 0 }
  const names = spec.columns.map((c) => c.name)
  const arrays = spec.columns.map((c) => sql`${rows.map((r) => r[c.name] ?? null)}::${sql.raw(c.type)}[]`)
  const selectList = spec.columns.map((c) => sql.raw(c.expr ?? `u.${c.name}`))
  const updates = names.filter((n) => n !== 'external_id').map((n) => sql.raw(`${n} = excluded.${n}`))
  const deleteLines = options.replacesLines
    ? sql`, del as (delete from order_lines where order_id in (select id from up where not inserted))`
    : sql``
  const result = await sql<{ inserted: number; touched: number }>`
    with up as (
      insert into ${sql.table(spec.table)} (${sql.join(names.map((n) => sql.ref(n)))})
      select ${sql.join(selectList)}
      from unnest(${sql.join(arrays)}) as u(${sql.join(names.map((n) => sql.ref(n)))})
      on conflict (workspace_id, external_id) do update set ${sql.join(updates)}
      where ${sql.table(spec.table)}.content_hash is distinct from excluded.content_hash
      returning id, (xmax = 0) as inserted
    )${deleteLines}
    select (count(*) filter (where inserted))::int4 as inserted, count(*)::int4 as touched from up`.execute(db)
  const row = result.rows[0] ?? { inserted: 0, touched: 0 }
  return { inserted: row.inserted, updated: row.touched - row.inserted }
}

/** external id → internal id for the given ids of one table (customers, subscriptions). */
export async function resolveIds(
  db: Db,
  table: 'customers' | 'subscriptions',
  externalIds: string[],
): Promise<Map<string, number>> {
  const map = new Map<string, number>()
  if (externalIds.length === 0) return map
  const res = await sql<{ id: number; external_id: string }>`
    select id, external_id from ${sql.table(table)}
    where workspace_id = 1 and external_id = any(${externalIds}::text[])`.execute(db)
  for (const r of res.rows) map.set(r.external_id, r.id)
  return map
}

/**
 * external id → internal id of customers, creating bare ones (external id only) for the ids that
 * do not exist yet, in one statement: the lookup, the insert of the missing and the ids of both
 * (three round trips before). `hashOf` gives a bare customer's content hash; the statement needs
 * it up front, so it is computed for every id (5,000 SHA-256 of a few bytes ≈ 5 ms).
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
  const res = await sql<{ id: number; external_id: string; created: boolean }>`
    with wanted as (
      select * from unnest(${externalIds}::text[], ${externalIds.map(hashOf)}::text[]) as w(external_id, content_hash)
    ), found as (
      select c.id, c.external_id from customers c join wanted w on w.external_id = c.external_id
      where c.workspace_id = 1
    ), ins as (
      insert into customers (external_id, content_hash)
      select w.external_id, w.content_hash from wanted w
      where not exists (select 1 from found f where f.external_id = w.external_id)
      on conflict (workspace_id, external_id) do nothing
      returning id, external_id
    )
    select id, external_id, false as created from found
    union all select id, external_id, true as created from ins`.execute(db)
  let created = 0
  for (const r of res.rows) {
    ids.set(r.external_id, r.id)
    if (r.created) created++
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
 * Inserts order lines, finding each order by external id in the statement (no ids round-trip
 * through JavaScript). Lines of an updated order were deleted by its upsert; lines of an
 * unchanged order are still there and identical (the order's content hash covers its lines), so
 * they conflict and are skipped, keeping their change sequence.
 */
export async function insertOrderLines(db: Db, lines: LineRow[]) {
  if (lines.length === 0) return
  const col = <K extends keyof LineRow>(k: K) => lines.map((l) => l[k])
  await sql`
    insert into order_lines (order_id, line_no, sku, product_name, category, quantity, unit_price, line_total)
    select o.id, l.line_no, l.sku, l.product_name, l.category, l.quantity, l.unit_price, l.line_total
    from unnest(${col('order_external_id')}::text[], ${col('line_no')}::int4[], ${col('sku')}::text[],
      ${col('product_name')}::text[], ${col('category')}::text[], ${col('quantity')}::int4[],
      ${col('unit_price')}::int8[], ${col('line_total')}::int8[])
      as l(order_external_id, line_no, sku, product_name, category, quantity, unit_price, line_total)
    join orders o on o.workspace_id = 1 and o.external_id = l.order_external_id
    on conflict (order_id, line_no) do nothing`.execute(db)
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
    .values({ key, request_hash: requestHash, status_code: statusCode, response: JSON.stringify(response) })
    .execute()
}

export type { RawBuilder }
