import { hasPredictions, searchCustomerFacts } from '../analytics/customers-search.ts'
import { metricsReplica } from '../analytics/metrics/replica-for.ts'
import { metricSettingsOf, type Scope } from '../analytics/metrics/scope.ts'
import type { AppContext } from '../http/context.ts'
import { parseOrThrow } from '../http/route.ts'
import { cohortsAnswer, ZCohortsQuery } from '../http/routes/metrics/cohorts.ts'
import { kpisAnswer, ZKpisQuery } from '../http/routes/metrics/kpis.ts'
import { lifecycleAnswer, ZLifecycleQuery } from '../http/routes/metrics/lifecycle.ts'
import { seriesAnswer, ZSeriesQuery } from '../http/routes/metrics/series.ts'
import { getWorkspace } from '../repositories/workspace.repository.ts'
import { rfmGrid } from '../segments/segments.service.ts'

const DAY_MS = 86_400_000

/** A metric request as the dashboard sends it: path and query string values. */
export type ScreenRequest = { path: string; query: Record<string, string> }

/** End (exclusive) of the UTC day holding `now`: where the dashboard's rolling windows end. */
function endOfUtcDay(now: number): number {
  return Math.floor(now / DAY_MS) * DAY_MS + DAY_MS
}

const iso = (ms: number) => new Date(ms).toISOString()

/**
 * The metric requests of the dashboard's first screens with their default controls, exactly as
 * the web app sends them (packages/web/src/lib/periods.ts and app/prefetch.ts; the prewarm test
 * computes them with the web's own functions and checks the prewarm answered them):
 * Overview, the KPIs of the 30 days up to the end of today (UTC) against the periods before and
 * the 12 complete calendar months (UTC) of sparklines; Retention, monthly cohorts "active in
 * month k", lifecycle and lost/won-back series over about the last 12 months.
 */
export function firstScreenRequests(now: number): ScreenRequest[] {
  const to = endOfUtcDay(now)
  const d = new Date(now)
  const monthsTo = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)
  const monthsFrom = Date.UTC(d.getUTCFullYear() - 1, d.getUTCMonth(), 1)
  const spanFrom = to - Math.round(12 * 30.44 * DAY_MS)
  return [
    {
      path: '/api/metrics/kpis',
      query: {
        from: iso(to - 30 * DAY_MS),
        to: iso(to),
        periods_per_year: String(365 / 30),
        compare: 'true',
      },
    },
    {
      path: '/api/metrics/series',
      query: {
        granularity: 'month',
        from: iso(monthsFrom),
        to: iso(monthsTo),
        metric: 'crr,churn_rate,repeat_purchase_rate,clv,mrr,active_customers',
      },
    },
    {
      path: '/api/metrics/cohorts',
      query: { grain: 'month', mode: 'on', from: iso(spanFrom), as_of: iso(to) },
    },
    {
      path: '/api/metrics/lifecycle',
      query: { granularity: 'month', from: iso(spanFrom), to: iso(to) },
    },
    {
      path: '/api/metrics/series',
      query: {
        granularity: 'month',
        from: iso(spanFrom),
        to: iso(to),
        metric: 'lost_customers,reactivated_customers,churn_rate',
      },
    },
  ]
}

/** Answers one request through its route's own schema and computation, as HTTP would. */
async function answer(ctx: AppContext, request: ScreenRequest): Promise<void> {
  const q = request.query
  switch (request.path) {
    case '/api/metrics/kpis':
      await kpisAnswer(ctx, parseOrThrow(ZKpisQuery, q, 'query'))
      return
    case '/api/metrics/series':
      await seriesAnswer(ctx, parseOrThrow(ZSeriesQuery, q, 'query'))
      return
    case '/api/metrics/cohorts':
      await cohortsAnswer(ctx, parseOrThrow(ZCohortsQuery, q, 'query'))
      return
    case '/api/metrics/lifecycle':
      await lifecycleAnswer(ctx, parseOrThrow(ZLifecycleQuery, q, 'query'))
      return
  }
}

/**
 * Builds what the dashboard's first screens read but no sync builds, so the first visit after a
 * restart does not pay for it (on the million-order demo that visit took 1–2.5 s). `fedele
 * serve` runs it in the background after its start-up sync. It reads only:
 * - the first screens' own metric requests (`firstScreenRequests`): they build the replica's
 *   per-customer derived tables (activity islands, second orders) and leave their results in the
 *   replica's result cache, which keys on the SQL and its parameters, so the screens' identical
 *   requests are answered from it until the day changes;
 * - the customer list's order aggregate with its first page, and the RFM ranks.
 * A sync that changes the data bumps the replica's generation: the cached results and derived
 * tables are dropped and rebuilt by the next request, as before.
 */
export async function prewarmDashboard(ctx: AppContext, now = Date.now()): Promise<void> {
  for (const request of firstScreenRequests(now)) await answer(ctx, request)
  const settings = metricSettingsOf(await getWorkspace(ctx.database.db))
  const scope: Scope = { settings, segment: [] }
  const replica = await metricsReplica(ctx)
  // The customer list's first page as the screen asks for it (50 rows by latest order), so its
  // query is in the result cache too.
  await searchCustomerFacts(
    replica,
    scope,
    {},
    { sort: 'last_order', dir: 'desc' },
    { limit: 50, offset: 0 },
  )
  await hasPredictions(replica, scope)
  await rfmGrid(ctx, new Date(now))
}

/** After midnight UTC, the wait before the new day's prewarm (let the day's first sync land). */
const AFTER_MIDNIGHT_MS = 5_000

/**
 * Keeps the dashboard's first screens warm while `fedele serve` runs: prewarms once at start
 * (after the caller's start-up sync), again just after each UTC midnight (the screens' windows
 * end at the end of the day, so a new day is a new set of requests: without it the morning's
 * first visit would compute everything), and whenever `changed()` is called (an import job
 * committed new facts, a predictions refresh wrote new scores). Runs never overlap: a request
 * during a run makes one more run afterwards. Errors go to `onError` while it runs; after
 * `stop()` (shutdown closes the replica under a running prewarm) they are expected and dropped.
 */
export function keepDashboardWarm(
  ctx: AppContext,
  o: {
    onError: (e: unknown) => void
    prewarm?: (ctx: AppContext) => Promise<void>
    now?: () => number
  },
): { changed(): void; stop(): void } {
  const prewarm = o.prewarm ?? ((c: AppContext) => prewarmDashboard(c))
  const now = o.now ?? Date.now
  let stopped = false
  let running: Promise<void> | null = null
  let again = false
  let timer: NodeJS.Timeout | undefined
  const run = (): void => {
    if (stopped) return
    if (running) {
      again = true
      return
    }
    running = prewarm(ctx)
      .catch((e: unknown) => {
        if (!stopped) o.onError(e)
      })
      .finally(() => {
        running = null
        if (again) {
          again = false
          run()
        }
      })
  }
  const arm = (): void => {
    const t = now()
    timer = setTimeout(
      () => {
        run()
        arm()
      },
      endOfUtcDay(t) - t + AFTER_MIDNIGHT_MS,
    )
    timer.unref()
  }
  run()
  arm()
  return {
    changed: run,
    stop() {
      stopped = true
      clearTimeout(timer)
    },
  }
}
