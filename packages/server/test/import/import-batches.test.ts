import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importFile } from '../../src/services/import.service.ts'
import { DIALECTS, freshDatabase, type TestDatabase } from '../databases.ts'
import { TEST_TMP } from '../paths.ts'

// Several batches (5,000 records each), one written while the next is parsed: the whole file is
// still all or nothing, and a re-import changes nothing.
const ROWS = 12_001
const dir = join(TEST_TMP, `import-batches-${process.pid}`)
const file = join(dir, 'orders.csv')

function writeOrders(badLast: boolean) {
  const lines = ['order_id,date,customer_id,total,currency']
  for (let i = 0; i < ROWS; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0')
    const date = badLast && i === ROWS - 1 ? '2024-02-31' : `2024-02-${day}`
    lines.push(`pb${i},${date},pbc${i % 700},${(i % 9_000) + 1}.${String(i % 100).padStart(2, '0')},EUR`)
  }
  writeFileSync(file, `${lines.join('\n')}\n`)
}

async function stored(db: TestDatabase): Promise<{ n: number; total: number }> {
  const r = await sql<{ n: number; total: number }>`
    select count(*)::int as n, coalesce(sum(total), 0)::bigint as total from orders where external_id like 'pb%'`.execute(db.db)
  return r.rows[0]!
}

describe.each(DIALECTS)('an import of several batches on %s', (kind) => {
  let db: TestDatabase
  beforeAll(async () => {
    mkdirSync(dir, { recursive: true })
    db = await freshDatabase(kind)
  })
  afterAll(async () => {
    await db.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('writes nothing when its last row is rejected, everything else with --skip-invalid, and nothing again', async () => {
    writeOrders(true)
    const strict = await importFile(db.db, { path: file, entity: 'orders', options: {}, heapBudgetMb: 1 })
    expect(strict).toMatchObject({ committed: false, rows: ROWS, rejected_rows: 1 })
    expect(strict.rejects[0]).toMatchObject({ line: ROWS + 1, value: '2024-02-31' })
    expect(await stored(db)).toEqual({ n: 0, total: 0 })

    const skipping = await importFile(db.db, { path: file, entity: 'orders', options: {}, skipInvalid: true })
    expect(skipping).toMatchObject({ committed: true, inserted: ROWS - 1, rejected_rows: 1 })
    let cents = 0
    for (let i = 0; i < ROWS - 1; i++) cents += ((i % 9_000) + 1) * 100 + (i % 100)
    expect(await stored(db)).toEqual({ n: ROWS - 1, total: cents })

    writeOrders(false)
    const again = await importFile(db.db, { path: file, entity: 'orders', options: {}, heapBudgetMb: 1 })
    expect(again).toMatchObject({ committed: true, inserted: 1, updated: 0, unchanged: ROWS - 1, rejected_rows: 0 })
    expect((await stored(db)).n).toBe(ROWS)
  })
})
