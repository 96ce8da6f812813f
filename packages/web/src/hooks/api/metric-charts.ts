/**
 * The chart screens' reads: cohorts, lifecycle, KPI series and the customers behind a cohort
 * cell or a metric input.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { api, buildUrl } from '../../lib/api/client.ts'
import { queryKeys } from '../../lib/api/query-keys.ts'
import type { ExplainedMetric } from './metrics.ts'

export type CohortGrain = 'week' | 'month' | 'quarter'
export type CohortMode = 'on' | 'on_or_after' | 'revenue'

/** How many buckets each grain shows: about a year, two for quarters. */
export const WINDOW_BUCKETS: Record<CohortGrain, number> = { week: 12, month: 12, quarter: 8 }

const BUCKET_DAYS: Record<CohortGrain, number> = { week: 7, month: 30.44, quarter: 91.31 }

/**
 * About the last `n` buckets of `grain`, up to the next full hour (a stable query key). The
 * series endpoints return whole calendar buckets overlapping the window, in the workspace zone;
 * a cohort starting before `from` is only partly counted, and the screen leaves it out.
 */
export function lastBuckets(
  grain: CohortGrain,
  n: number,
  now = Date.now(),
): { from: string; to: string } {
  const to = Math.ceil(now / 3_600_000) * 3_600_000
  return {
    from: new Date(to - Math.round(n * BUCKET_DAYS[grain] * 86_400_000)).toISOString(),
    to: new Date(to).toISOString(),
  }
}

export type CohortCell = {
  offset: number
  key: string
  start: string
  end: string
  complete: boolean
  active: number
  active_on_or_after: number
  revenue: number
  value: number | null
}
export type Cohort = { key: string; start: string; end: string; size: number; cells: CohortCell[] }
export type CohortsResponse = {
  time_zone: string
  grain: CohortGrain
  mode: CohortMode
  as_of: string
  cohorts: Cohort[]
}

export function useCohorts(q: { grain: CohortGrain; mode: CohortMode; from: string } | null) {
  return useQuery({
    queryKey: [...queryKeys.metrics.all, 'cohorts', q],
    enabled: q !== null,
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) => api<CohortsResponse>('/api/metrics/cohorts', { query: q!, signal }),
  })
}

export type LifecycleResponse = {
  time_zone: string
  granularity: CohortGrain
  periods: {
    key: string
    start: string
    end: string
    counts: { new: number; returning: number; resurrecting: number; dormant: number }
  }[]
}

export function useLifecycle(q: { granularity: CohortGrain; from: string; to: string } | null) {
  return useQuery({
    queryKey: [...queryKeys.metrics.all, 'lifecycle', q],
    enabled: q !== null,
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) =>
      api<LifecycleResponse>('/api/metrics/lifecycle', { query: q!, signal }),
  })
}

export type SeriesPoint = {
  key: string
  start: string
  end: string
  complete: boolean
  metrics: Record<string, ExplainedMetric | undefined>
}
export type SeriesResponse = {
  time_zone: string
  currency: string
  granularity: CohortGrain
  points: SeriesPoint[]
}

export function useSeries(
  q: { granularity: CohortGrain; from: string; to: string; metric: string } | null,
) {
  return useQuery({
    queryKey: [...queryKeys.metrics.all, 'series', q],
    enabled: q !== null,
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) => api<SeriesResponse>('/api/metrics/series', { query: q!, signal }),
  })
}

export type DrilldownPage = {
  total: number
  page: number
  page_size: number
  customers: { id: number; external_id: string | null }[]
}

/** One page of customers behind a cohort cell or a metric input, and its CSV export link. */
export type DrilldownSource =
  | { kind: 'cohort'; cohort: string; offset: number; mode: 'on' | 'on_or_after' | 'members' }
  | { kind: 'input'; input: string; from: string; to: string }

export const DRILLDOWN_PAGE_SIZE = 25

function drilldownRequest(source: DrilldownSource) {
  return source.kind === 'cohort'
    ? {
        path: '/api/metrics/cohorts/drilldown',
        query: { cohort: source.cohort, offset: source.offset, mode: source.mode },
      }
    : {
        path: '/api/metrics/drilldown',
        query: { input: source.input, from: source.from, to: source.to },
      }
}

export function drilldownCsvUrl(source: DrilldownSource): string {
  const r = drilldownRequest(source)
  return buildUrl(r.path, { ...r.query, format: 'csv' })
}

export function useDrilldown(source: DrilldownSource, page: number) {
  const r = drilldownRequest(source)
  return useQuery({
    queryKey: [...queryKeys.metrics.all, 'drilldown', r.path, r.query, page],
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) =>
      api<DrilldownPage>(r.path, {
        query: { ...r.query, page, page_size: DRILLDOWN_PAGE_SIZE },
        signal,
      }),
  })
}
