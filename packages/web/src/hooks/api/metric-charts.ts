/**
 * The chart screens' reads: cohorts, lifecycle, KPI series and the customers behind a cohort
 * cell or a metric input.
 */
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query'
import { api, buildUrl } from '../../lib/api/client.ts'
import { queryKeys } from '../../lib/api/query-keys.ts'
import type { Grain } from '../../lib/periods.ts'
import type { ExplainedMetric } from './metrics.ts'

export type CohortGrain = Grain
export type CohortMode = 'on' | 'on_or_after' | 'revenue'

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

export type CohortsQuery = { grain: CohortGrain; mode: CohortMode; from: string; as_of: string }

/** Key and fetch of a cohort table: shared by the screen and its route loader's prefetch. */
export function cohortsOptions(q: CohortsQuery) {
  return queryOptions({
    queryKey: [...queryKeys.metrics.all, 'cohorts', q],
    queryFn: ({ signal }) => api<CohortsResponse>('/api/metrics/cohorts', { query: q, signal }),
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

export type LifecycleQuery = { granularity: CohortGrain; from: string; to: string }

export function lifecycleOptions(q: LifecycleQuery) {
  return queryOptions({
    queryKey: [...queryKeys.metrics.all, 'lifecycle', q],
    queryFn: ({ signal }) => api<LifecycleResponse>('/api/metrics/lifecycle', { query: q, signal }),
  })
}

export function useLifecycle(q: LifecycleQuery) {
  return useQuery({ ...lifecycleOptions(q), placeholderData: keepPreviousData })
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

export type SeriesQuery = { granularity: CohortGrain; from: string; to: string; metric: string }

export function seriesOptions(q: SeriesQuery) {
  return queryOptions({
    queryKey: [...queryKeys.metrics.all, 'series', q],
    queryFn: ({ signal }) => api<SeriesResponse>('/api/metrics/series', { query: q, signal }),
  })
}

export function useSeries(q: SeriesQuery) {
  return useQuery({ ...seriesOptions(q), placeholderData: keepPreviousData })
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
