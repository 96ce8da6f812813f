import { sql, type Kysely, type Transaction } from 'kysely'
import { CHANGE_LOCK_KEY } from '../db/change-lock.ts'
import type { CopyClient } from '../db/copy-client.ts'
import type { DB } from '../db/schema.ts'
import { arrayLiteral, type Column, type LineRow } from './facts.repository.ts'

/**
 * Bulk loading of NEW orders with COPY (PGlite: `FROM '/dev/blob'`, a Blob handed to the query;
 * PostgreSQL: `FROM STDIN`), through the raw client of the caller's transaction (CopyClient). A
 * COPY cannot upsert, so it is tried under a savepoint: when one external id of the batch
 * already exists the unique index stops it, the savepoint is rolled back and the caller upserts
 * the batch as before. Measured on PGlite with 1M orders in batches of 5,000 (docs/import.md):
 * the unnest upsert costs 26–27 µs of CPU a row, COPY into the same table and indexes 18–20 µs.
 *
 * The order ids are reserved from the identity's sequence in one statement, so the lines can be
 * copied with their order's id without asking the engine for it (the upsert gets them from its
 * own RETURNING). The reservation is made under the change lock (db/change-lock.ts), which every
 * insert into `orders` takes first (its statement trigger): no other session draws from the
 * sequence between the reservation and the COPY, nor before a refused COPY hands the ids back.
 */

/** A unique index refused a row: some order of the batch is already stored. */
const UNIQUE_VIOLATION = '23505'
const SAVEPOINT = 'fedele_bulk_copy'

const LINE_COLUMNS = [
  'order_id',
  'line_no',
  'sku',
  'product_name',
  'category',
  'quantity',
  'unit_price',
  'line_total',
] as const

export type CopiedOrders = { inserted: number }

/**
 * Inserts `rows` (order rows as `ENTITY_MAPPINGS.orders.toRow` builds them) and `lines` (keyed
 * by the orders' external ids) with two COPYs; answers null, having written nothing, when an
 * external id of the batch is already stored. Any other error is thrown (the caller's
 * transaction is then lost, as with the upsert).
 */
export async function copyNewOrders(
  client: CopyClient,
  columns: readonly Column[],
  rows: readonly Record<string, unknown>[],
  lines: readonly LineRow[],
): Promise<CopiedOrders | null> {
  if (rows.length === 0) return { inserted: 0 }
  for (const c of columns) {
    // A column computed in SQL (jsonb from text…) has no place in a COPY; orders have none.
    if (c.expr) throw new Error(`copyNewOrders: column ${c.name} needs an SQL expression`)
  }
  await client.exec(`select pg_advisory_xact_lock(${CHANGE_LOCK_KEY}); savepoint ${SAVEPOINT}`)
  let first: number | null = null
  try {
    const base = await reserveOrderIds(client, rows.length)
    first = base
    const names = ['id', ...columns.map((c) => c.name)]
    const idOf = new Map<string, number>()
    // One string, one Blob part: a Blob of one part per row encoded and read each part on its
    // own (~5 s of CPU for 1M orders, measured by profile).
    let orderCsv = ''
    const values: unknown[] = new Array<unknown>(columns.length + 1)
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!
      values[0] = base + i
      for (let k = 0; k < columns.length; k++) values[k + 1] = r[columns[k]!.name]
      idOf.set(String(r['external_id']), base + i)
      orderCsv += csvLine(values)
    }
    const copied = await client.copyCsv('orders', names, orderCsv)
    if (lines.length > 0) {
      let lineCsv = ''
      for (const l of lines) {
        const orderId = idOf.get(l.order_external_id)
        if (orderId === undefined) continue
        lineCsv += csvLine([
          orderId,
          l.line_no,
          l.sku,
          l.product_name,
          l.category,
          l.quantity,
          l.unit_price,
          l.line_total,
        ])
      }
      await client.copyCsv('order_lines', LINE_COLUMNS, lineCsv)
    }
    await client.exec(`release savepoint ${SAVEPOINT}`)
    return { inserted: copied }
  } catch (e) {
    await client.exec(`rollback to savepoint ${SAVEPOINT}; release savepoint ${SAVEPOINT}`)
    // A sequence ignores rollbacks: hand the reserved ids back, or every refused batch (each
    // one of a re-imported file) would leave a gap of its size.
    if (first !== null) await releaseOrderIds(client, first)
    if ((e as { code?: unknown }).code === UNIQUE_VIOLATION) return null
    throw e
  }
}

/**
 * Takes `n` consecutive ids from the sequence of `orders.id` in one statement and answers the
 * first. The caller holds the change lock, so nobody draws from the sequence in between; a
 * rolled-back reservation leaves a gap, as any rollback does.
 */
async function reserveOrderIds(client: CopyClient, n: number): Promise<number> {
  const last = await client.value(
    `select setval(s, nextval(s) + $1 - 1) from pg_get_serial_sequence('orders', 'id') as s`,
    [n],
  )
  return Number(last) - n + 1
}

/** The next id drawn will be `first` again (nothing drew from the sequence since, see above). */
async function releaseOrderIds(client: CopyClient, first: number): Promise<void> {
  await client.value(`select setval(pg_get_serial_sequence('orders', 'id'), $1, false)`, [first])
}

const NEEDS_QUOTES_ESCAPE = /"/g

/**
 * One CSV record in COPY's format: NULL as an unquoted empty field; every string quoted, so an
 * empty string stays a string and no value can read as the end-of-data marker `\.`.
 */
function csvLine(values: readonly unknown[]): string {
  let out = ''
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ','
    const v = values[i]
    if (v === null || v === undefined) continue
    if (typeof v === 'number' || typeof v === 'bigint') out += String(v)
    else if (typeof v === 'boolean') out += v ? 't' : 'f'
    else {
      const text =
        typeof v === 'string' ? v : v instanceof Date ? v.toISOString() : JSON.stringify(v)
      out += `"${text.includes('"') ? text.replace(NEEDS_QUOTES_ESCAPE, '""') : text}"`
    }
  }
  return `${out}\n`
}

/**
 * The secondary indexes of `tables` (neither unique nor primary: nothing a write checks), as
 * their `create index` statements, when every one of the tables is empty; otherwise none.
 */
export async function secondaryIndexesIfEmpty(
  db: Kysely<DB> | Transaction<DB>,
  tables: readonly string[],
): Promise<string[]> {
  for (const t of tables) {
    const any = await sql<{ x: number }>`select 1 as x from ${sql.table(t)} limit 1`.execute(db)
    if (any.rows.length > 0) return []
  }
  const res = await sql<{ name: string; def: string }>`
    select c.relname as name, pg_get_indexdef(i.indexrelid) as def
    from pg_index i join pg_class c on c.oid = i.indexrelid join pg_class t on t.oid = i.indrelid
    join pg_namespace n on n.oid = t.relnamespace
    where n.nspname = current_schema() and t.relname = any(${arrayLiteral(tables)}::text[])
      and not i.indisunique and not i.indisprimary
    order by c.relname`.execute(db)
  return res.rows.map((r) => r.def)
}

/**
 * Drops the indexes `defs` describes, for a first load into empty tables: building an index once
 * over the loaded rows costs less than keeping it up to date row by row (1M orders on PGlite,
 * COPY: 20.4 µs a row with the indexes, 12.3 µs with them rebuilt at the end, the rebuild
 * included). Inside the caller's transaction: a rollback brings them back.
 */
export async function dropIndexes(db: Kysely<DB> | Transaction<DB>, defs: readonly string[]) {
  for (const def of defs) await sql`drop index ${sql.id(indexName(def))}`.execute(db)
}

/** Builds again the indexes `dropIndexes` dropped, from their own definitions. */
export async function createIndexes(db: Kysely<DB> | Transaction<DB>, defs: readonly string[]) {
  if (defs.length === 0) return
  // The sort's memory grows PGlite's: a 2.26 GB file of 2.25M orders peaked at its index build
  // (+13 MB over the import pass with 16 MB, +5 MB with 8 MB; 64 MB had raised 1M rows' peak by 36 MB).
  await sql`set local maintenance_work_mem = '8MB'`.execute(db)
  for (const def of defs) await sql.raw(def).execute(db)
  await sql`reset maintenance_work_mem`.execute(db)
}

function indexName(def: string): string {
  const m = /^CREATE (?:UNIQUE )?INDEX (\S+) ON /.exec(def)
  if (!m?.[1]) throw new Error(`unexpected index definition: ${def}`)
  return m[1].replace(/^"|"$/g, '')
}
