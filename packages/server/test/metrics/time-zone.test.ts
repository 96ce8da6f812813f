import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeMetricsReplica } from '../../src/analytics/metrics/index.ts'
import { DIALECTS } from '../databases.ts'
import { startTestApp, type TestApp } from '../harness.ts'
import { getJson } from './api.ts'
import { loadRecords } from './load.ts'

/** Periods in the workspace zone (Europe/Rome), DST weeks, leap days, mixed currencies. */
function order(tag: string, at: string, currency = 'EUR') {
  return {
    customer: { external_id: `${tag}-${at}`, tags: [tag] },
    order: {
      external_id: `o-${tag}-${at}`,
      customer_external_id: `${tag}-${at}`,
      placed_at: at,
      currency,
      total: 1000,
    },
  }
}

const ROWS = [
  order('tz', '2025-03-31T23:30:00Z'), // 1 April 01:30 in Rome
  order('tz', '2025-03-31T21:30:00Z'), // 31 March 23:30 in Rome
  order('dst', '2025-03-30T21:30:00Z'), // Sunday 30 March 23:30 CEST: ISO week 13
  order('dst', '2025-03-30T22:30:00Z'), // Monday 31 March 00:30 CEST: week 14
  order('dst', '2025-10-26T22:30:00Z'), // Sunday 26 October 23:30 CET: week 43 (169 h)
  order('leap', '2024-02-29T12:00:00Z'),
  order('leap', '2024-02-29T23:30:00Z'), // 1 March 2024 00:30 in Rome
  order('leap', '2023-02-28T12:00:00Z'),
  order('fx', '2031-01-10T10:00:00Z', 'EUR'),
  order('fx', '2031-01-11T10:00:00Z', 'USD'),
  order('fx', '2031-01-12T10:00:00Z', 'GBP'),
]

describe.each(DIALECTS)('metrics in the workspace time zone (%s)', (kind) => {
  let t: TestApp
  let read: Record<string, string>
  const get = async (path: string) => {
    const { status, body } = await getJson(t, path, read)
    expect(status, JSON.stringify(body)).toBe(200)
    return body
  }
  beforeAll(async () => {
    t = await startTestApp(kind, { FEDELE_ANALYTICS_PATH: ':memory:' })
    read = await t.apiKey(['read'])
    await loadRecords(t.db.db, {
      customers: ROWS.map((r) => r.customer),
      orders: ROWS.map((r) => r.order),
    })
  }, 120_000)
  afterAll(async () => {
    await closeMetricsReplica(t.ctx.database)
    await t.close()
  })

  it('an order at 23:30 UTC on 31 March belongs to April in Europe/Rome', async () => {
    const body = await get(
      '/api/metrics/series?from=2025-03-01T00:00:00%2B01:00&to=2025-05-01T00:00:00%2B02:00&granularity=month&metric=orders,new_customers&segment=tag:tz',
    )
    expect(body.points.map((p: any) => [p.key, p.metrics.orders.value])).toEqual([
      ['2025-03', 1],
      ['2025-04', 1],
    ])
    expect(body.points[1].start).toBe('2025-03-31T22:00:00.000Z')
    const april = await get(
      '/api/metrics/kpis?from=2025-04-01T00:00:00%2B02:00&to=2025-05-01T00:00:00%2B02:00&segment=tag:tz',
    )
    expect(april.period.counts.N).toBe(1)
    expect(april.previous.start).toBe('2025-02-28T23:00:00.000Z')
    expect(april.year_before.start).toBe('2024-03-31T22:00:00.000Z')
  })

  it('DST weeks are 167 h and 169 h long and split orders by local time', async () => {
    const body = await get(
      '/api/metrics/series?from=2025-03-24T00:00:00%2B01:00&to=2025-04-07T00:00:00%2B02:00&granularity=week&metric=orders&segment=tag:dst',
    )
    expect(body.points.map((p: any) => [p.key, p.metrics.orders.value])).toEqual([
      ['2025-W13', 1],
      ['2025-W14', 1],
    ])
    const w13 = body.points[0]
    expect(Date.parse(w13.end) - Date.parse(w13.start)).toBe(167 * 3_600_000)
    const autumn = await get(
      '/api/metrics/series?from=2025-10-20T00:00:00%2B02:00&to=2025-10-27T00:00:00%2B01:00&granularity=week&metric=orders&segment=tag:dst',
    )
    expect(autumn.points).toHaveLength(1)
    expect(autumn.points[0].metrics.orders.value).toBe(1)
    expect(Date.parse(autumn.points[0].end) - Date.parse(autumn.points[0].start)).toBe(
      169 * 3_600_000,
    )
  })

  it('leap years: 29 February is a day of February, its year before is 28 February', async () => {
    const feb = await get(
      '/api/metrics/series?from=2024-02-01T00:00:00%2B01:00&to=2024-04-01T00:00:00%2B02:00&granularity=month&metric=orders&segment=tag:leap',
    )
    expect(feb.points.map((p: any) => [p.key, p.metrics.orders.value])).toEqual([
      ['2024-02', 1],
      ['2024-03', 1],
    ])
    const day = await get(
      '/api/metrics/kpis?from=2024-02-29T00:00:00%2B01:00&to=2024-03-01T00:00:00%2B01:00&segment=tag:leap',
    )
    expect(day.period.orders.orders).toBe(1)
    expect(day.year_before.start).toBe('2023-02-27T23:00:00.000Z')
    expect(day.year_before.orders.orders).toBe(1)
    expect(day.previous.start).toBe('2024-02-27T23:00:00.000Z')
  })

  it('amounts in other currencies are a mixed_currencies error naming them', async () => {
    const { status, body } = await getJson(
      t,
      '/api/metrics/kpis?from=2031-01-01T00:00:00%2B01:00&to=2031-02-01T00:00:00%2B01:00',
      read,
    )
    expect(status).toBe(400)
    expect(body.error.code).toBe('mixed_currencies')
    expect(body.error.details[0].value).toEqual(['EUR', 'GBP', 'USD'])
    expect(body.error.details[0].message).toContain('GBP, USD')
    // Without the foreign orders the same month adds up.
    const eur = await get(
      '/api/metrics/kpis?from=2030-12-01T00:00:00%2B01:00&to=2031-01-11T00:00:00%2B01:00&compare=false&segment=tag:fx',
    )
    expect(eur.period.orders.revenue).toBe(1000)
  })
})
