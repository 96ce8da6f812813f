import { bucketFromKey } from '@fedele/core/metrics'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeMetricsReplica } from '../../src/analytics/metrics/index.ts'
import { DIALECTS } from '../databases.ts'
import { startTestApp, type TestApp } from '../harness.ts'
import { getJson } from './api.ts'
import { loadRecords, type RecordSet } from './load.ts'

/**
 * The worked examples of metrics.md built as raw customers, orders and answers, loaded through
 * the ingest path and read through the HTTP API (DuckDB SQL). Each example's customers carry a
 * tag, and the example is read with the segment `tag:exN`, so the examples share one workspace.
 */
const ZONE = 'Europe/Rome'
const iso = (ms: number) => new Date(ms).toISOString()
const range = (key: string) => {
  const b = bucketFromKey(key, ZONE)
  return `from=${iso(b.start)}&to=${iso(b.end)}`
}

function build(): RecordSet {
  const customers: Record<string, unknown>[] = []
  const orders: Record<string, unknown>[] = []
  const answers: Record<string, unknown>[] = []
  let seq = 0
  const group = (tag: string, n: number, orderDates: string[], total = 1000) => {
    for (let i = 0; i < n; i++) {
      const id = `${tag}-${++seq}`
      customers.push({ external_id: id, tags: [tag] })
      orderDates.forEach((at, j) =>
        orders.push({
          external_id: `${id}-o${j}`,
          customer_external_id: id,
          placed_at: at,
          currency: 'EUR',
          total,
        }),
      )
    }
  }
  // 1: one quarter (2025-Q2), S = 1000 (700 retained + 300 lost), N = 200, E = 900.
  group('ex1', 700, ['2025-01-15T10:00:00Z'])
  group('ex1', 300, ['2024-05-15T10:00:00Z'])
  group('ex1', 200, ['2025-05-10T10:00:00Z'])
  // 2: June 2025, S = 70, 30 new, 10 lost, E = 90.
  group('ex2', 60, ['2025-01-15T10:00:00Z'])
  group('ex2', 10, ['2024-06-10T10:00:00Z'])
  group('ex2', 30, ['2025-06-10T10:00:00Z'])
  // 3 and 9: June 2025, 1000 at the start, 50 lost.
  group('ex3', 950, ['2025-01-15T10:00:00Z'])
  group('ex3', 50, ['2024-06-10T10:00:00Z'])
  // 4: year 2027: 50 per purchase, 4 purchases a year, annual churn 20 % (1 of 5 lost).
  group(
    'ex4',
    4,
    [
      '2026-06-01T10:00:00Z',
      '2027-02-01T10:00:00Z',
      '2027-05-01T10:00:00Z',
      '2027-08-01T10:00:00Z',
      '2027-11-01T10:00:00Z',
    ],
    5000,
  )
  group('ex4', 1, ['2026-03-01T10:00:00Z'], 5000)
  // 5: 1000 ordering customers in June 2025, 200 of them with a second order.
  group('ex5', 200, ['2025-06-03T10:00:00Z', '2025-06-20T10:00:00Z'])
  group('ex5', 800, ['2025-06-03T10:00:00Z'])
  // 6: 70 % promoters, 10 % detractors (January 2030); 7: 400 of 500 satisfied (February 2030).
  const answer = (kind: string, score: number, at: string) =>
    answers.push({
      external_id: `a${answers.length}`,
      customer_external_id: null,
      survey: `${kind}-survey`,
      kind,
      score,
      answered_at: at,
    })
  for (let i = 0; i < 70; i++) answer('nps', 9 + (i % 2), '2030-01-10T10:00:00Z')
  for (let i = 0; i < 20; i++) answer('nps', 7 + (i % 2), '2030-01-10T10:00:00Z')
  for (let i = 0; i < 10; i++) answer('nps', i % 7, '2030-01-10T10:00:00Z')
  for (let i = 0; i < 400; i++) answer('csat', 4 + (i % 2), '2030-02-10T10:00:00Z')
  for (let i = 0; i < 100; i++) answer('csat', 1 + (i % 3), '2030-02-10T10:00:00Z')
  // 8: 100 customers paying 50 a month in March 2032 (one of them as 600 a year).
  const subscriptions: Record<string, unknown>[] = []
  for (let i = 0; i < 100; i++) {
    const id = `ex8-${i}`
    customers.push({ external_id: id, tags: ['ex8'] })
    subscriptions.push({
      external_id: `${id}-s`,
      customer_external_id: id,
      plan: 'base',
      status: 'active',
      started_at: '2032-02-10T10:00:00Z',
      interval: i === 0 ? 'year' : 'month',
      amount: i === 0 ? 60_000 : 5000,
      currency: 'EUR',
    })
  }
  return { customers, orders, subscriptions, survey_answers: answers }
}

describe.each(DIALECTS)('worked examples of metrics.md through DuckDB (%s)', (kind) => {
  let t: TestApp
  let read: Record<string, string>
  const kpis = async (key: string, tag?: string) => {
    const seg = tag ? `&segment=tag:${tag}` : ''
    const { status, body } = await getJson(
      t,
      `/api/metrics/kpis?${range(key)}${seg}&compare=false`,
      read,
    )
    expect(status, JSON.stringify(body)).toBe(200)
    return body
  }
  beforeAll(async () => {
    t = await startTestApp(kind, { FEDELE_ANALYTICS_PATH: ':memory:' })
    read = await t.apiKey(['read'])
    await loadRecords(t.db.db, build())
  }, 120_000)
  afterAll(async () => {
    await closeMetricsReplica(t.ctx.database)
    await t.close()
  })

  it('1: S = 1000, E = 900, N = 200 → CRR 70 %, churn (inverse) 30 %', async () => {
    const body = await kpis('2025-Q2', 'ex1')
    expect(body.period.counts).toMatchObject({ S: 1000, E: 900, N: 200 })
    expect(body.period.metrics.crr.value).toBe(0.7)
    expect(body.period.metrics.churn_rate_inverse.value).toBe(0.3)
    expect(body.period.metrics.crr.inputs).toMatchObject({ S: 1000, E: 900, N: 200 })
  })

  it('2: S = 70, N = 30, 10 lost, E = 90 → CRR 85.71…%', async () => {
    const body = await kpis('2025-06', 'ex2')
    expect(body.period.counts).toMatchObject({ S: 70, E: 90, N: 30, lost: 10 })
    expect(body.period.metrics.crr.value).toBe(60 / 70)
    expect(Math.round(body.period.metrics.crr.value * 100)).toBe(86)
  })

  it('3 and 9: 1000 at the start, 50 lost → churn 5 %, retention rate 95 %', async () => {
    const body = await kpis('2025-06', 'ex3')
    expect(body.period.metrics.churn_rate.value).toBe(0.05)
    expect(body.period.metrics.retention_rate.value).toBe(0.95)
  })

  it('4: 50 per purchase, 4 a year, 5 years → CLV 1000', async () => {
    const body = await kpis('2027', 'ex4')
    expect(body.period.metrics.aov.value).toBe(5000)
    expect(body.period.metrics.average_lifespan.value).toBe(5)
    expect(body.period.metrics.clv.value).toBe(100_000)
    expect(body.period.metrics.clv.inputs).toEqual({
      averagePurchaseValue: 5000,
      purchaseFrequencyPerYear: 4,
      lifespanYears: 5,
    })
  })

  it('5: 200 of 1000 purchased more than once → repeat purchase rate 20 %', async () => {
    const body = await kpis('2025-06', 'ex5')
    expect(body.period.metrics.repeat_purchase_rate.value).toBe(0.2)
  })

  it('6 and 7: NPS 60, CSAT 80 %', async () => {
    expect((await kpis('2030-01')).feedback.nps.value).toBe(60)
    expect((await kpis('2030-02')).feedback.csat.value).toBe(0.8)
  })

  it('8: 100 customers paying 50 a month → MRR 5000, ARPC 50', async () => {
    const body = await kpis('2032-03', 'ex8')
    expect(body.period.metrics.mrr.value).toBe(500_000)
    expect(body.period.metrics.paying_customers.value).toBe(100)
    expect(body.period.metrics.arpc.value).toBe(5000)
    expect(body.period.metrics.nrr.value).toBe(1)
    expect(body.period.metrics.ltv.defined).toBe(false)
    const feb = await kpis('2032-02', 'ex8')
    expect(feb.period.metrics.mrr_new.value).toBe(500_000)
  })

  it('an unknown segment field is a validation error naming it', async () => {
    const { status, body } = await getJson(
      t,
      `/api/metrics/kpis?${range('2025-06')}&segment=shoe_size:42`,
      read,
    )
    expect(status).toBe(400)
    expect(body.error.code).toBe('validation_failed')
    expect(body.error.details[0].message).toContain('shoe_size')
  })

  it('the endpoints are in the OpenAPI document with their parameters', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' })
    const doc = res.json()
    for (const path of [
      '/api/metrics/kpis',
      '/api/metrics/series',
      '/api/metrics/cohorts',
      '/api/metrics/cohorts/drilldown',
      '/api/metrics/lifecycle',
      '/api/metrics/drilldown',
      '/api/metrics/segment-fields',
    ]) {
      expect(doc.paths[path]?.get, path).toBeDefined()
    }
    const names = doc.paths['/api/metrics/drilldown'].get.parameters.map((p: any) => p.name)
    expect(names).toEqual(expect.arrayContaining(['from', 'to', 'segment', 'input', 'format']))
  })

  it('metrics need data:read', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/metrics/kpis?${range('2025-06')}` })
    expect(res.statusCode).toBe(401)
  })
})
