import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeMetricsReplica, metricsReplica } from '../../src/analytics/metrics/index.ts'
import { loadDemo } from '../../src/services/demo.service.ts'
import { prewarmDashboard } from '../../src/services/prewarm.ts'
import { startTestApp, type TestApp } from '../harness.ts'

/** What `fedele serve` builds after its start-up sync, so the first screens find it ready. */
describe('dashboard prewarm', () => {
  let t: TestApp
  let reader: Record<string, string>

  beforeAll(async () => {
    t = await startTestApp('pglite', { FEDELE_ANALYTICS_PATH: ':memory:' })
    await loadDemo(t.db.db, { seed: 9, customers: 400, now: '2025-06-30T00:00:00Z' })
    reader = await t.apiKey(['read'])
  }, 300_000)
  afterAll(async () => {
    if (t) await closeMetricsReplica(t.ctx.database)
    await t?.close()
  })

  it('builds the derived tables the KPIs, the customer list and the RFM grid read', async () => {
    const replica = await metricsReplica(t.ctx)
    // A different text each time: the replica caches results by generation and text.
    let asked = 0
    const tables = async () =>
      (
        await replica.query<{ name: string }>(
          `SELECT table_name AS name FROM duckdb_tables() WHERE table_name LIKE 'derived_%' ORDER BY 1 /* ${asked++} */`,
        )
      ).map((r) => r.name)
    expect(await tables()).toEqual([])
    await prewarmDashboard(t.ctx)
    const built = await tables()
    expect(built.length).toBeGreaterThanOrEqual(3)

    // The screens' own requests find them: none is built again.
    for (const url of [
      '/api/metrics/kpis?from=2025-04-01T00:00:00Z&to=2025-06-30T00:00:00Z',
      '/api/search/customers?sort=last_order',
      '/api/segments/rfm',
    ]) {
      const res = await t.app.inject({ url, headers: reader })
      expect(res.statusCode, url).toBe(200)
    }
    expect(await tables()).toEqual(built)
  })
})
