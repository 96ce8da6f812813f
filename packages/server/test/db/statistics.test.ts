import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { analyzeIfChanged } from '../../src/db/statistics.ts'
import { loadDemo } from '../../src/services/demo.service.ts'
import { DIALECTS, freshDatabase, type TestDatabase } from '../databases.ts'

/**
 * Planner statistics after bulk writes: PGlite has no autovacuum, so without an ANALYZE the
 * planner never learns the tables' sizes (reltuples stays −1, "never analysed").
 */
describe.each(DIALECTS)('planner statistics on %s', (kind) => {
  let database: TestDatabase
  beforeAll(async () => {
    database = await freshDatabase(kind)
  }, 120_000)
  afterAll(async () => {
    await database?.close()
  })

  const reltuples = async () =>
    Number(
      (
        await sql<{
          n: number
        }>`select reltuples::float8 as n from pg_class where relname = 'customers'`.execute(
          database.db,
        )
      ).rows[0]!.n,
    )

  it('the demo load analyses what it wrote; later writes analyse past the threshold only', async () => {
    expect(await reltuples()).toBeLessThanOrEqual(0) // never analysed
    await loadDemo(database.db, { seed: 5, customers: 300, now: '2026-01-31T12:00:00Z' })
    const count = Number(
      (await sql<{ n: number }>`select count(*)::int as n from customers`.execute(database.db))
        .rows[0]!.n,
    )
    expect(await reltuples()).toBe(count)
    expect(await analyzeIfChanged(database.db, 1)).toBe(false) // nothing changed since
    await sql`update customers set city = 'Roma' where id in (select id from customers limit 5)`.execute(
      database.db,
    )
    expect(await analyzeIfChanged(database.db, 1_000)).toBe(false) // 5 changes: below the threshold
    expect(await analyzeIfChanged(database.db, 5)).toBe(true)
  }, 120_000)
})
