import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeMetricsReplica } from '../../src/analytics/metrics/index.ts'
import { loadDemo } from '../../src/services/demo.service.ts'
import { DIALECTS } from '../databases.ts'
import { startTestApp, type TestApp } from '../harness.ts'

/** GET /api/data/summary (the Data screen's tiles and newest orders) against plain SQL. */
describe.each(DIALECTS)('data summary on %s', (kind) => {
  let t: TestApp
  let reader: Record<string, string>

  beforeAll(async () => {
    t = await startTestApp(kind, { FEDELE_ANALYTICS_PATH: ':memory:' })
    await loadDemo(t.db.db, { seed: 5, customers: 300, now: '2025-06-30T00:00:00Z' })
    reader = await t.apiKey(['read'])
  }, 300_000)
  afterAll(async () => {
    if (t) await closeMetricsReplica(t.ctx.database)
    await t?.close()
  })

  it('needs credentials', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/data/summary' })).statusCode).toBe(401)
  })

  it('counts every kind, gives the latest instant and the newest orders as the record has them', async () => {
    type Summary = Record<string, { count: number; latest: string | null }> & {
      newest_orders: {
        external_id: string
        customer_external_id: string | null
        placed_at: string
      }[]
    }
    const get = async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/data/summary', headers: reader })
      expect(res.statusCode).toBe(200)
      return res.json<Summary>()
    }
    const first = await get()
    for (const [table, at] of [
      ['customers', 'created_at'],
      ['orders', 'placed_at'],
      ['subscriptions', 'started_at'],
      ['tickets', 'opened_at'],
      ['survey_answers', 'answered_at'],
      ['events', 'occurred_at'],
    ] as const) {
      const { rows } = await sql<{ n: number; latest: Date | null }>`
        select count(*)::int as n, max(${sql.ref(at)}) as latest from ${sql.table(table)}`.execute(
        t.db.db,
      )
      expect(first[table]?.count, table).toBe(rows[0]?.n)
      expect(first[table]?.latest ? Date.parse(first[table].latest) : null, table).toBe(
        rows[0]?.latest ? new Date(rows[0].latest).getTime() : null,
      )
    }
    expect(first.orders?.count).toBeGreaterThan(8)
    const { rows: newest } = await sql<{
      external_id: string
      customer_external_id: string | null
    }>`
      select o.external_id, c.external_id as customer_external_id from orders o
      left join customers c on c.id = o.customer_id
      order by o.placed_at desc, o.id desc limit 8`.execute(t.db.db)
    expect(first.newest_orders.map((o) => [o.external_id, o.customer_external_id])).toEqual(
      newest.map((o) => [o.external_id, o.customer_external_id]),
    )

    // A new order shows at once: the replica is brought up to date by the request.
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/orders/batch?create_customers=true',
      headers: await t.apiKey(['ingest']),
      payload: {
        records: [
          {
            external_id: 'summary-newest',
            customer_external_id: 'summary-buyer',
            placed_at: '2030-01-01T10:00:00Z',
            currency: 'EUR',
            total: 1234,
          },
        ],
      },
    })
    expect(res.statusCode).toBeLessThan(300)
    const second = await get()
    expect(second.orders?.count).toBe((first.orders?.count ?? 0) + 1)
    expect(second.newest_orders[0]).toMatchObject({
      external_id: 'summary-newest',
      customer_external_id: 'summary-buyer',
      placed_at: '2030-01-01T10:00:00.000Z',
    })
  })
})
