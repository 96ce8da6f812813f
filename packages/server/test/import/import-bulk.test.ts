import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importFile, type ImportReport } from '../../src/services/import.service.ts'
import { DIALECTS, freshDatabase, type TestDatabase } from '../databases.ts'
import { TEST_TMP } from '../paths.ts'
import { nextOrderId, orderChangeSeqs, ordersSnapshot } from '../stored-orders.ts'

// The COPY path of PGlite (import-bulk.ts) against the upsert path: same rows, same hashes, same
// report; a re-run changes nothing; a rejected row still rolls everything back (indexes too).
const ORDERS = 6_001 // two lines each: batches of 5,000 orders, so three batches
const dir = join(TEST_TMP, `import-bulk-${process.pid}`)

/** Product names that a CSV writer must quote or escape, and one left empty. */
const NAMES = ['Tazza, edizione "limitata"', 'Caffè\\moka', 'a\nb', '', '\\.', 'Città di Castello']

function writeLines(path: string, from: number, to: number, opts: { badLast?: boolean } = {}) {
  const rows = ['order_id,date,customer_id,sku,product_name,quantity,unit_price,currency']
  const order = (i: number) => {
    const date =
      opts.badLast && i === to - 1
        ? '2024-02-31'
        : `2024-03-${String(1 + (i % 28)).padStart(2, '0')}`
    const customer = i % 5 === 0 ? '' : `bc${i % 900}`
    const name = NAMES[i % NAMES.length]!
    rows.push(
      `bo${i},${date},${customer},S${i},"${name.replace(/"/g, '""')}",${1 + (i % 3)},${i % 50}.25,EUR`,
    )
    rows.push(`bo${i},${date},${customer},T${i},,1,1.00,EUR`)
  }
  for (let i = from; i < to; i++) order(i)
  writeFileSync(path, `${rows.join('\n')}\n`)
}

async function indexNames(db: TestDatabase): Promise<string[]> {
  const r = await sql<{ n: string }>`
    select indexname as n from pg_indexes where tablename in ('orders', 'order_lines') order by 1`.execute(
    db.db,
  )
  return r.rows.map((x) => x.n)
}

const counts = (r: ImportReport) => ({
  committed: r.committed,
  records: r.records,
  inserted: r.inserted,
  updated: r.updated,
  unchanged: r.unchanged,
  rejected_rows: r.rejected_rows,
  customers_created: r.customers_created,
  repeated_in_file: r.repeated_in_file,
})

// PGlite only (PostgreSQL imports go through the upsert); a run narrowed to PostgreSQL
// (DIALECTS=postgres) still finds a suite here, skipped, rather than an empty file.
const COPY_DIALECTS = DIALECTS.filter((d) => d === 'pglite')
if (COPY_DIALECTS.length === 0)
  describe.skip('the COPY path of an orders import (PGlite only)', () => {
    it.skip('needs PGlite in DIALECTS', () => {})
  })

describe.each(COPY_DIALECTS)(
  'the COPY path of an orders import on %s',
  (kind) => {
    let bulk: TestDatabase
    let plain: TestDatabase
    const file = join(dir, 'lines.csv')
    beforeAll(async () => {
      mkdirSync(dir, { recursive: true })
      bulk = await freshDatabase(kind)
      plain = await freshDatabase(kind)
    })
    afterAll(async () => {
      await bulk.close()
      await plain.close()
      rmSync(dir, { recursive: true, force: true })
    })
    const viaCopy = (path: string, extra: { skipInvalid?: boolean } = {}) =>
      importFile(bulk.db, { path, entity: 'orders', options: {}, pglite: bulk.pglite, ...extra })
    const viaUpsert = (path: string, extra: { skipInvalid?: boolean } = {}) =>
      importFile(plain.db, { path, entity: 'orders', options: {}, ...extra })

    it('rolls back a file whose last row is rejected, deferred indexes included', async () => {
      const before = await indexNames(bulk)
      writeLines(file, 0, ORDERS, { badLast: true })
      const r = await viaCopy(file)
      expect(r).toMatchObject({ committed: false })
      expect(r.rejected_rows).toBeGreaterThan(0)
      const n = await sql<{ n: number }>`select count(*)::int as n from orders`.execute(bulk.db)
      expect(n.rows[0]!.n).toBe(0)
      expect(await indexNames(bulk)).toEqual(before)
    })

    it('stores what the upsert stores, and rebuilds the indexes it deferred', async () => {
      const before = await indexNames(bulk)
      expect(before).toContain('orders_customer_placed')
      writeLines(file, 0, ORDERS)
      const a = await viaCopy(file)
      const b = await viaUpsert(file)
      expect(counts(a)).toEqual(counts(b))
      expect(a).toMatchObject({ committed: true, inserted: ORDERS })
      expect(a.write_path).toEqual({ copy_batches: 2, upsert_batches: 0, indexes_rebuilt: 3 })
      expect(await ordersSnapshot(bulk)).toEqual(await ordersSnapshot(plain))
      expect(await indexNames(bulk)).toEqual(before)
    })

    it('finds everything unchanged on a re-run, without touching a row, drawing no more ids than the upsert', async () => {
      const seqs = await orderChangeSeqs(bulk)
      const [bulkFrom, plainFrom] = [await nextOrderId(bulk), await nextOrderId(plain)]
      const r = await viaCopy(file)
      expect(r).toMatchObject({
        committed: true,
        inserted: 0,
        updated: 0,
        unchanged: ORDERS,
        customers_created: 0,
      })
      expect(await orderChangeSeqs(bulk)).toBe(seqs)
      const again = await viaUpsert(file)
      expect(counts(again)).toEqual(counts(r))
      // A refused COPY hands its reserved ids back; the upsert's conflicting rows draw theirs.
      expect((await nextOrderId(bulk)) - bulkFrom).toBe((await nextOrderId(plain)) - plainFrom)
    })

    it('copies the new orders of an overlapping file and upserts the rest, as the upsert would', async () => {
      const more = join(dir, 'more.csv')
      writeLines(more, ORDERS - 10, ORDERS + 15_000)
      const a = await viaCopy(more)
      const b = await viaUpsert(more)
      expect(counts(a)).toEqual(counts(b))
      expect(a).toMatchObject({ inserted: 15_000, unchanged: 10 })
      // The first batch overlaps what is stored: upserted, and the next ones with it (the pause).
      expect(a.write_path.upsert_batches).toBeGreaterThanOrEqual(1)
      expect(a.write_path.indexes_rebuilt).toBe(0)
      expect(await ordersSnapshot(bulk)).toEqual(await ordersSnapshot(plain))
    })
  },
)
