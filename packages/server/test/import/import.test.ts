import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ImportFailed, importFile } from '../../src/services/import.service.ts'
import { DIALECTS, freshDatabase, type TestDatabase } from '../databases.ts'
import { SHARED_DATA, TEST_TMP } from '../paths.ts'

const FIXTURES = fileURLToPath(new URL('../../../core/src/import/fixtures/', import.meta.url))
const fx = (name: string) => `${FIXTURES}${name}`
const CDNOW = `${SHARED_DATA}cdnow/CDNOW_master.txt`

async function count(db: TestDatabase, table: string, where = sql`true`): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where ${where}`.execute(db.db)
  return r.rows[0]!.n
}

describe.each(DIALECTS)('importing files on %s', (kind) => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await freshDatabase(kind)
  })
  afterAll(() => db.close())

  it('imports an Italian Excel export (; separator, 1.234,56, dd/mm/yyyy, Windows-1252), idempotently', async () => {
    const first = await importFile(db.db, { path: fx('italian-excel-customers.csv'), entity: 'customers', options: {} })
    expect(first.format).toMatchObject({ encoding: 'windows-1252', delimiter: ';' })
    expect(first.committed).toBe(true)
    expect(first.inserted).toBeGreaterThan(0)
    // 31/04/2024 does not exist: that row is rejected, naming line and column.
    const strict = await importFile(db.db, { path: fx('italian-excel-orders.csv'), entity: 'orders', options: {} })
    expect(strict.committed).toBe(false)
    expect(strict.rejects).toEqual([expect.objectContaining({ line: 6, column: 'data_ordine', value: '31/04/2024' })])
    const orders = await importFile(db.db, { path: fx('italian-excel-orders.csv'), entity: 'orders', options: {}, skipInvalid: true })
    expect(orders).toMatchObject({ committed: true, rejected_rows: 1, anonymous_sales: 1 })
    const big = await sql<{ total: number }>`select total from orders where external_id = '1001'`.execute(db.db)
    expect(big.rows[0]!.total).toBe(123_456)
    const names = await sql<{ name: string | null; city: string | null }>`select name, city from customers`.execute(db.db)
    expect(names.rows.map((r) => `${r.name} ${r.city}`).join(' ')).toMatch(/[àèéìòù]/)
    const again = await importFile(db.db, { path: fx('italian-excel-orders.csv'), entity: 'orders', options: {}, skipInvalid: true })
    expect(again, JSON.stringify(again.issues)).toMatchObject({ inserted: 0, updated: 0, unchanged: orders.records - orders.repeated_in_file })
  })

  it('turns cancelled invoices into cancellations/refunds, not negative revenue, and keeps anonymous sales', async () => {
    const anonymousBefore = await count(db, 'orders', sql`customer_id is null`)
    const r = await importFile(db.db, { path: fx('online-retail.csv'), entity: 'orders', options: {} })
    expect(r.preset).toBe('online-retail')
    expect(r.refunds.found).toBeGreaterThan(0)
    expect(r.refunds.applied + r.refunds.unmatched).toBe(r.refunds.found)
    expect(r.anonymous_sales).toBeGreaterThan(0)
    expect(await count(db, 'orders', sql`total < 0`)).toBe(0)
    expect(await count(db, 'orders', sql`customer_id is null`)).toBe(anonymousBefore + r.anonymous_sales)
    expect(await count(db, 'orders', sql`status <> 'completed' or refunded_amount > 0`)).toBeGreaterThan(0)
  })

  it('handles duplicate headers, trailing empty columns, CRLF with BOM and a header on a later line', async () => {
    for (const [file, entity] of [
      ['duplicate-headers.csv', 'customers'],
      ['trailing-empty-columns.csv', 'customers'],
      ['bom-crlf-customers.csv', 'customers'],
      ['preamble-header.csv', 'customers'],
    ] as const) {
      const r = await importFile(db.db, { path: fx(file), entity, options: {} })
      expect(r.rejected_rows, file).toBe(0)
      expect(r.records, file).toBeGreaterThan(0)
      expect(r.committed, file).toBe(true)
    }
  })

  it('reports an ambiguous day/month order and accepts --date-format', async () => {
    await expect(importFile(db.db, { path: fx('ambiguous-dates.csv'), entity: 'orders', options: {} })).rejects.toThrow(ImportFailed)
    const r = await importFile(db.db, { path: fx('ambiguous-dates.csv'), entity: 'orders', options: { dateOrder: 'dmy' } })
    expect(r.committed).toBe(true)
  })

  it('is all or nothing by default; --skip-invalid keeps the valid rows; --dry-run writes nothing; rejects go to CSV', async () => {
    const path = `${TEST_TMP}bad-${kind}-${process.pid}.csv`
    const rejects = `${path}.rejects.csv`
    writeFileSync(
      path,
      'external_id,customer_external_id,placed_at,total,currency\nok-1,c1,2024-01-02,10.00,EUR\nbad-1,c1,2024-01-03,abc,EUR\nbad-2,c2,not-a-date,5.00,EUR\nok-2,c2,2024-01-05,7.50,EUR\n',
    )
    try {
      const strict = await importFile(db.db, { path, entity: 'orders', options: {}, rejectsPath: rejects, locale: 'it' })
      expect(strict.committed).toBe(false)
      expect(strict.rejected_rows).toBe(2)
      expect(strict.rejects.map((r) => [r.line, r.column])).toEqual([
        [3, 'total'],
        [4, 'placed_at'],
      ])
      expect(await count(db, 'orders', sql`external_id like 'ok-%'`)).toBe(0)
      const csv = readFileSync(rejects, 'utf8').trim().split('\n')
      expect(csv[0]).toBe('line,column,value,reason,message')
      expect(csv[1]).toMatch(/^3,total,abc,/)
      const dry = await importFile(db.db, { path, entity: 'orders', options: {}, dryRun: true, skipInvalid: true })
      expect(dry.committed).toBe(false)
      expect(await count(db, 'orders', sql`external_id like 'ok-%'`)).toBe(0)
      const lenient = await importFile(db.db, { path, entity: 'orders', options: {}, skipInvalid: true })
      expect(lenient).toMatchObject({ committed: true, inserted: 2, rejected_rows: 2 })
      expect(await count(db, 'orders', sql`external_id like 'ok-%'`)).toBe(2)
    } finally {
      rmSync(path, { force: true })
      rmSync(rejects, { force: true })
    }
  })

  it('imports the whole CDNOW file: 23,570 customers and every one of its 69,659 purchase rows', async () => {
    expect(() => readFileSync(CDNOW), `CDNOW data missing at ${CDNOW}`).not.toThrow()
    const r = await importFile(db.db, { path: CDNOW, entity: 'orders', options: { preset: 'cdnow', currency: 'USD' } })
    expect(r.rows).toBe(69_659)
    expect(r.records).toBe(69_659)
    expect(r.rejected_rows).toBe(0)
    expect(await count(db, 'orders', sql`currency = 'USD'`)).toBe(69_659)
    const customers = await sql<{ n: number }>`select count(distinct customer_id)::int as n from orders where currency = 'USD'`.execute(db.db)
    expect(customers.rows[0]!.n).toBe(23_570)
  }, 240_000)
})
