import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { closeMetricsReplica, metricsReplica } from '../../src/analytics/metrics/index.ts'
import { resultCacheCounts } from '../../src/analytics/metrics/replica-for.ts'
import { loadDemo } from '../../src/services/demo.service.ts'
import type { AppContext } from '../../src/http/context.ts'
import {
  firstScreenRequests,
  keepDashboardWarm,
  prewarmDashboard,
} from '../../src/services/prewarm.ts'
// The dashboard's own period functions: the requests below are the ones the screens send.
import {
  lastBuckets,
  lastTwelveMonths,
  rollingWindow,
  WINDOW_BUCKETS,
} from '../../../web/src/lib/periods.ts'
import { startTestApp, type TestApp } from '../harness.ts'

/** A moment of the demo's last day, in the afternoon: the screens' windows end at midnight. */
const NOW = Date.parse('2025-06-29T15:20:00Z')

const url = (path: string, query: Record<string, string | number | boolean>) =>
  `${path}?${new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]))}`

/** The metric requests Overview and Retention send with their default controls at `now`. */
function screenUrls(now: number): string[] {
  const span = lastBuckets('month', WINDOW_BUCKETS.month, now)
  return [
    url('/api/metrics/kpis', { ...rollingWindow(30, now), compare: true }),
    url('/api/metrics/series', {
      granularity: 'month',
      ...lastTwelveMonths(now),
      metric: 'crr,churn_rate,repeat_purchase_rate,clv,mrr,active_customers',
    }),
    url('/api/metrics/cohorts', { grain: 'month', mode: 'on', from: span.from, as_of: span.to }),
    url('/api/metrics/lifecycle', { granularity: 'month', ...span }),
    url('/api/metrics/series', {
      granularity: 'month',
      ...span,
      metric: 'lost_customers,reactivated_customers,churn_rate',
    }),
  ]
}

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

  it('asks what the dashboard asks, all day long', () => {
    const asked = (now: number) => firstScreenRequests(now).map((r) => url(r.path, r.query))
    expect(asked(NOW)).toEqual(screenUrls(NOW))
    // Any moment of the same UTC day gives the same requests; the next day, others.
    const midnight = Date.parse('2025-06-29T00:00:00Z')
    expect(asked(midnight)).toEqual(screenUrls(NOW))
    expect(asked(midnight + 86_400_000 - 1)).toEqual(screenUrls(NOW))
    expect(asked(midnight + 86_400_000)).not.toEqual(screenUrls(NOW))
  })

  it('answers the first screens ahead: their requests then run no query', async () => {
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
    await prewarmDashboard(t.ctx, NOW)
    const built = await tables()
    expect(built.length).toBeGreaterThanOrEqual(3)

    // The screens' own requests, the metric ones from the cache, the others on built tables.
    const before = resultCacheCounts()
    const answers: unknown[] = []
    for (const u of [...screenUrls(NOW), '/api/search/customers?page_size=50']) {
      const res = await t.app.inject({ url: u, headers: reader })
      expect(res.statusCode, u).toBe(200)
      answers.push(res.json())
    }
    const after = resultCacheCounts()
    expect(after.misses).toBe(before.misses)
    expect(after.uncached).toBe(before.uncached)
    expect(after.hits).toBeGreaterThan(before.hits)
    for (const u of ['/api/segments/rfm']) {
      const res = await t.app.inject({ url: u, headers: reader })
      expect(res.statusCode, u).toBe(200)
    }
    expect(await tables()).toEqual(built)

    // The cohort table asked up to the end of today: the month under way is not complete.
    const cohorts = answers[2] as { cohorts: { cells: { end: string; complete: boolean }[] }[] }
    const cells = cohorts.cohorts.flatMap((c) => c.cells)
    expect(cells.length).toBeGreaterThan(0)
    for (const c of cells) if (Date.parse(c.end) > Date.now()) expect(c.complete).toBe(false)
  })

  it('a change to the data drops what the prewarm left, as before', async () => {
    const [kpis] = screenUrls(NOW)
    type Kpis = { period: { metrics: { active_customers: { value: number } } } }
    const first = (await t.app.inject({ url: kpis!, headers: reader })).json<Kpis>()
    const write = await t.apiKey(['write'])
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/customers',
      headers: write,
      payload: { external_id: 'prewarm-new', email: 'prewarm-new@example.it' },
    })
    expect(created.statusCode).toBe(200)
    const placed = await t.app.inject({
      method: 'POST',
      url: '/api/orders',
      headers: write,
      payload: {
        external_id: 'prewarm-new-1',
        customer_external_id: 'prewarm-new',
        placed_at: '2025-06-29T10:00:00Z',
        currency: 'EUR',
        total: 4_200,
      },
    })
    expect(placed.statusCode).toBe(200)
    const before = resultCacheCounts()
    const again = (await t.app.inject({ url: kpis!, headers: reader })).json<Kpis>()
    expect(resultCacheCounts().misses).toBeGreaterThan(before.misses)
    expect(again.period.metrics.active_customers.value).toBe(
      first.period.metrics.active_customers.value + 1,
    )
  })
})

describe('keeping the dashboard warm', () => {
  it('prewarms at start, after each UTC midnight and after changes, never two runs at once', async () => {
    vi.useFakeTimers()
    try {
      let t = Date.parse('2026-11-22T23:00:00Z')
      const runs: string[] = []
      const pending: (() => void)[] = []
      const warm = keepDashboardWarm({} as AppContext, {
        onError: (e) => {
          throw e
        },
        prewarm: () => {
          runs.push(new Date(t).toISOString())
          return new Promise<void>((resolve) => pending.push(resolve))
        },
        now: () => t,
      })
      const finish = async () => {
        pending.shift()?.()
        await vi.advanceTimersByTimeAsync(0)
      }
      expect(runs).toEqual(['2026-11-22T23:00:00.000Z'])
      // Two changes during the run: one more run after it, not two, and none at once.
      warm.changed()
      warm.changed()
      expect(runs).toHaveLength(1)
      await finish()
      expect(runs).toHaveLength(2)
      await finish()
      expect(runs).toHaveLength(2)
      // Nothing before midnight; just after it, the new day's requests.
      t = Date.parse('2026-11-22T23:59:59Z')
      await vi.advanceTimersByTimeAsync(59 * 60_000 + 59_000)
      expect(runs).toHaveLength(2)
      t = Date.parse('2026-11-23T00:00:05Z')
      await vi.advanceTimersByTimeAsync(6_000)
      expect(runs).toEqual([
        '2026-11-22T23:00:00.000Z',
        '2026-11-22T23:00:00.000Z',
        '2026-11-23T00:00:05.000Z',
      ])
      await finish()
      // And the night after.
      t = Date.parse('2026-11-24T00:00:05Z')
      await vi.advanceTimersByTimeAsync(24 * 3_600_000)
      expect(runs).toHaveLength(4)
      await finish()
      // After stop: no more runs, and a run failing under the shutdown is not reported.
      warm.stop()
      warm.changed()
      await vi.advanceTimersByTimeAsync(48 * 3_600_000)
      expect(runs).toHaveLength(4)
    } finally {
      vi.useRealTimers()
    }
  })

  it('reports a failed run while it runs, and runs again on the next change', async () => {
    const errors: unknown[] = []
    let calls = 0
    const warm = keepDashboardWarm({} as AppContext, {
      onError: (e) => errors.push(e),
      prewarm: () =>
        ++calls === 1 ? Promise.reject(new Error('replica closed')) : Promise.resolve(),
    })
    await new Promise((r) => setImmediate(r))
    expect(errors.map((e) => (e as Error).message)).toEqual(['replica closed'])
    warm.changed()
    await new Promise((r) => setImmediate(r))
    expect(calls).toBe(2)
    warm.stop()
  })
})
