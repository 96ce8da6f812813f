import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeMetricsReplica } from '../../src/analytics/metrics/index.ts'
import { AFTER_IMPORT_DELAY_MS, enqueuePredictionsRefresh } from '../../src/jobs/predictions.job.ts'
import { loadDemo } from '../../src/services/demo.service.ts'
import { DIALECTS } from '../databases.ts'
import { startTestApp, type TestApp } from '../harness.ts'

const NOW = '2025-06-30T00:00:00Z'

describe.each(DIALECTS)('predictions API on %s', (kind) => {
  let t: TestApp
  let owner: Record<string, string>
  let reader: Record<string, string>

  beforeAll(async () => {
    t = await startTestApp(kind, { FEDELE_ANALYTICS_PATH: ':memory:' })
    await loadDemo(t.db.db, { seed: 3, customers: 1500, now: NOW })
    owner = await t.owner()
    reader = await t.apiKey(['read'])
  }, 300_000)
  afterAll(async () => {
    if (t) await closeMetricsReplica(t.ctx.database)
    await t?.close()
  })

  it('guards every endpoint: 401 without credentials, 403 for a read-only key on refresh', async () => {
    for (const [method, url] of [
      ['POST', '/api/predictions/refresh'],
      ['GET', '/api/predictions/summary'],
      ['GET', '/api/customers/x/predictions'],
    ] as const) {
      expect((await t.app.inject({ method, url })).statusCode, url).toBe(401)
    }
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/predictions/refresh',
      headers: reader,
      payload: {},
    })
    expect(res.statusCode).toBe(403)
  })

  it('rejects bad options naming the field, and enqueues nothing', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/predictions/refresh',
      headers: owner,
      payload: { margin: 2, as_of: NOW },
    })
    expect(res.statusCode).toBe(400)
    expect(JSON.stringify(res.json())).toContain('margin')
    expect(await t.ctx.jobs.drain()).toBe(0)
  })

  it('refreshes through the job queue, then serves the summary and a customer with reasons', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/predictions/refresh',
      headers: owner,
      payload: { as_of: NOW },
    })
    expect(res.statusCode).toBe(202)
    const { job_id } = res.json<{ job_id: number }>()
    expect(await t.ctx.jobs.drain()).toBe(1)
    const job = await t.app.inject({ method: 'GET', url: `/api/jobs/${job_id}`, headers: reader })
    expect(job.json()).toMatchObject({ status: 'succeeded', result: { clvMethod: 'model' } })

    const summary = await t.app.inject({
      method: 'GET',
      url: '/api/predictions/summary',
      headers: reader,
    })
    expect(summary.statusCode).toBe(200)
    const s = summary.json<{
      customers: number
      runs: {
        clv: { parameters: { standardErrors: Record<string, number> } }
        churn: { validation: { rocAuc: number } }
      }
      risk_histogram: { customers: number }[]
      value_tiers: { tier: string }[]
    }>()
    expect(s.customers).toBeGreaterThan(500)
    expect(Object.keys(s.runs.clv.parameters.standardErrors).sort()).toEqual([
      'a',
      'alpha',
      'b',
      'r',
    ])
    expect(s.runs.churn.validation.rocAuc).toBeGreaterThan(0.5)
    expect(s.risk_histogram.reduce((n, b) => n + b.customers, 0)).toBe(s.customers)
    // The segments module's tiers (top 1 %, 5 %, 20 %, the rest), every one used on this base.
    expect(s.value_tiers.map((v) => v.tier).sort()).toEqual([
      'gold',
      'platinum',
      'silver',
      'standard',
    ])

    // The riskiest customer has reasons in both languages and one history point.
    const top = await t.db.db
      .selectFrom('customer_predictions as p')
      .innerJoin('customers as c', 'c.id', 'p.id')
      .select(['c.external_id'])
      .orderBy('p.churn_risk', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow()
    const one = await t.app.inject({
      method: 'GET',
      url: `/api/customers/${encodeURIComponent(top.external_id)}/predictions`,
      headers: reader,
    })
    expect(one.statusCode).toBe(200)
    const c = one.json<{
      latest: { churn_risk: number; churn_reasons: { it: string; en: string }[] }
      history: unknown[]
    }>()
    expect(c.latest.churn_risk).toBeGreaterThan(0.5)
    expect(c.latest.churn_reasons.length).toBeGreaterThan(0)
    for (const r of c.latest.churn_reasons) {
      expect(r.it.length).toBeGreaterThan(3)
      expect(r.en.length).toBeGreaterThan(3)
    }
    expect(c.history).toHaveLength(1)

    const missing = await t.app.inject({
      method: 'GET',
      url: '/api/customers/no-such-customer/predictions',
      headers: reader,
    })
    expect(missing.statusCode).toBe(404)
  })

  it('a refresh enqueued by imports waits a minute and is shared; a request runs it at once', async () => {
    const first = await enqueuePredictionsRefresh(
      t.ctx,
      { reason: 'import' },
      AFTER_IMPORT_DELAY_MS,
    )
    const second = await enqueuePredictionsRefresh(
      t.ctx,
      { reason: 'import' },
      AFTER_IMPORT_DELAY_MS,
    )
    expect(second).toBe(first)
    expect(await t.ctx.jobs.drain()).toBe(0)
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/predictions/refresh',
      headers: owner,
      payload: {},
    })
    expect(res.json<{ job_id: number }>().job_id).toBe(first)
    expect(await t.ctx.jobs.drain()).toBe(1)
  })
})
