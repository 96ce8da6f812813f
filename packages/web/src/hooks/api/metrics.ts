import { queryOptions, useQuery } from '@tanstack/react-query'
import { api } from '../../lib/api/client.ts'
import { queryKeys } from '../../lib/api/query-keys.ts'

type Localized = { en: string; it: string }

/** One metric of GET /api/metrics/kpis: its value, or the reason it has none, explained. */
export type ExplainedMetric = {
  metric: string
  defined: boolean
  value: number | null
  because?: { code: string; input: string } & Localized
  inputs: Record<string, unknown>
  formula: string
  name: Localized
  unit: 'percent' | 'money' | 'count' | 'ratio' | 'score' | 'years' | 'duration'
  notes: Localized
}

export type PeriodKpis = {
  key: string
  start: string
  end: string
  metrics: Record<string, ExplainedMetric>
}

export type KpisResponse = {
  time_zone: string
  currency: string
  business_model: 'orders' | 'subscriptions' | 'both'
  period: PeriodKpis
  previous: PeriodKpis | null
  year_before: PeriodKpis | null
  feedback: Record<string, ExplainedMetric>
}

export type KpiQuery = { from: string; to: string; periods_per_year?: number }

/** Key and fetch of a period's KPIs: shared by the overview and its route loader's prefetch. */
export function kpisOptions(query: KpiQuery) {
  return queryOptions({
    queryKey: queryKeys.metrics.kpis(query),
    queryFn: ({ signal }) =>
      api<KpisResponse>('/api/metrics/kpis', { query: { ...query, compare: true }, signal }),
  })
}

export function useKpis(query: KpiQuery) {
  return useQuery(kpisOptions(query))
}
