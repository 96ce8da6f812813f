/**
 * Route loaders that start the first screens' reads as soon as the router starts, in parallel
 * with the download of the screen's code (a static `loader` beside `lazy` runs alongside it),
 * instead of after the code has loaded, the session has answered and the screen has rendered.
 * They never block navigation: each returns at once and only warms the query cache, with the
 * very keys and fetches the screens' hooks use. Data is asked for only once the session says
 * someone is signed in, so a signed-out visitor sends no request that can only fail.
 */
import type { QueryClient } from '@tanstack/react-query'
import { kpisOptions } from '../hooks/api/metrics.ts'
import {
  cohortsOptions,
  lifecycleOptions,
  seriesOptions,
  type CohortGrain,
} from '../hooks/api/metric-charts.ts'
import { customersOptions } from '../hooks/api/customers.ts'
import { sessionOptions } from '../hooks/api/session.ts'
import { settingsOptions } from '../hooks/api/settings.ts'
import { subscriptionsOptions } from '../hooks/api/subscriptions.ts'
import { lastBuckets, lastTwelveMonths, rollingWindow, WINDOW_BUCKETS } from '../lib/periods.ts'

/** The overview's KPI window (days) before the user picks another. */
export const DEFAULT_KPI_DAYS = 30

/** The metrics drawn as 12-month sparklines on the overview's cards. */
export const SPARK_METRICS = [
  'crr',
  'churn_rate',
  'repeat_purchase_rate',
  'clv',
  'mrr',
  'active_customers',
]

/** The metrics of the retention screen's "lost and won back" chart. */
export const CHURN_METRICS = ['lost_customers', 'reactivated_customers', 'churn_rate']

/** The revenue screen's series: MRR, its movements and the rates drawn from them. */
export const REVENUE_METRICS = [
  'mrr',
  'paying_customers',
  'arpc',
  'mrr_new',
  'mrr_expansion',
  'mrr_contraction',
  'mrr_churn',
  'mrr_reactivation',
  'net_new_mrr',
  'nrr',
  'grr',
] as const

export type RevenueGrain = 'month' | 'quarter'
const REVENUE_BUCKETS: Record<RevenueGrain, number> = { month: 12, quarter: 8 }

/** The revenue screen's series for one grain (default month). */
export function revenueQueries(grain: RevenueGrain, now = Date.now()) {
  const span = lastBuckets(grain, REVENUE_BUCKETS[grain], now)
  return {
    span,
    series: seriesOptions({ granularity: grain, ...span, metric: REVENUE_METRICS.join(',') }),
  }
}

/** The retention screen's reads for one grain; its default is monthly cohorts, "active on". */
export function retentionQueries(grain: CohortGrain, now = Date.now()) {
  const span = lastBuckets(grain, WINDOW_BUCKETS[grain], now)
  return {
    span,
    cohorts: (mode: 'on' | 'on_or_after' | 'revenue') =>
      cohortsOptions({ grain, mode, from: span.from, as_of: span.to }),
    lifecycle: lifecycleOptions({ granularity: grain, ...span }),
    churn: seriesOptions({ granularity: grain, ...span, metric: CHURN_METRICS.join(',') }),
  }
}

/** The overview's reads for a KPI window. */
export function overviewQueries(days: number, now = Date.now()) {
  return {
    kpis: kpisOptions(rollingWindow(days, now)),
    sparklines: seriesOptions({
      granularity: 'month',
      ...lastTwelveMonths(now),
      metric: SPARK_METRICS.join(','),
    }),
  }
}

/** Runs `then` once the session is known and someone is signed in; never throws. */
function whenSignedIn(client: QueryClient, then: () => void): void {
  client
    .ensureQueryData(sessionOptions())
    .then((session) => {
      if (session) then()
    })
    .catch(() => undefined)
}

export function prefetchSession(client: QueryClient): null {
  void client.prefetchQuery(sessionOptions())
  return null
}

export function prefetchOverview(client: QueryClient): null {
  whenSignedIn(client, () => {
    const q = overviewQueries(DEFAULT_KPI_DAYS)
    void client.prefetchQuery(customersOptions({ limit: 1 }))
    void client.prefetchQuery(settingsOptions())
    void client.prefetchQuery(q.kpis)
    void client.prefetchQuery(q.sparklines)
  })
  return null
}

/** Revenue draws its series only for a workspace with subscriptions: ask for them first. */
export function prefetchRevenue(client: QueryClient): null {
  whenSignedIn(client, () => {
    void client.prefetchQuery(settingsOptions())
    client
      .fetchQuery(subscriptionsOptions({ limit: 1 }))
      .then((page) => {
        if (page.items.length > 0) void client.prefetchQuery(revenueQueries('month').series)
      })
      .catch(() => undefined)
  })
  return null
}

export function prefetchRetention(client: QueryClient): null {
  whenSignedIn(client, () => {
    const q = retentionQueries('month')
    void client.prefetchQuery(settingsOptions())
    void client.prefetchQuery(q.cohorts('on'))
    void client.prefetchQuery(q.lifecycle)
    void client.prefetchQuery(q.churn)
  })
  return null
}
