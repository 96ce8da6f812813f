import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '../../lib/api/client.ts'

/**
 * The prediction endpoints (server: http/routes/predictions). The run JSON columns are typed
 * here as the pipeline writes them (server/src/predictions/predictions.service.ts); every field
 * a screen reads is optional, because a run that fell back or failed leaves parts out.
 */

export type FitIssue = { code: string; message: string }

export type ModelParameters = {
  model?: 'bgnbd' | 'pareto-nbd' | string
  params?: Record<string, number>
  standardErrors?: Record<string, number>
  logLikelihood?: number
  converged?: boolean
  customers?: number
  fitMs?: number
  gammaGamma?: {
    params?: Record<string, number>
    standardErrors?: Record<string, number>
    logLikelihood?: number
    converged?: boolean
    customers?: number
  }
  issues?: FitIssue[]
}

export type HoldoutCheck = {
  customers: number
  horizonDays: number
  actualRepeatOrderDays: number
  predictedRepeatOrderDays: number
  relativeError: number | null
  byFrequency: { x: number; customers: number; actual: number; predicted: number }[]
  tracking?: { day: string; actual: number; predicted: number }[]
}

export type CalibrationBin = {
  bin: number
  count: number
  meanPredicted: number
  observedRate: number
}

export type ChurnValidation = {
  rows: number
  positives: number
  rocAuc: number
  averagePrecision: number
  brier: number
  logLoss: number
  liftTopDecile: number
  calibrationCurve?: CalibrationBin[]
  trainedAt?: string
  evaluatedAt?: string
}

export type DataSummary = {
  customers?: number
  repeatCustomers?: number
  repeatPurchases?: number
  medianObservationTime?: number
  medianInterPurchaseTime?: number
  cyclesObserved?: number
}

type Run<P, V> = {
  id: number
  kind: 'clv' | 'churn'
  model: string
  model_version: string
  status: string
  started_at: string
  finished_at: string | null
  cutoff: string
  unit: string | null
  parameters: P
  validation: V | null
  diagnostics: Record<string, unknown> | null
  data_summary: DataSummary | null
  fallback_reason: string | null
  error: string | null
}

export type ClvRun = Run<ModelParameters, HoldoutCheck>
export type ChurnRun = Run<{ features?: number; training?: unknown }, ChurnValidation>

export type PredictionsSummary = {
  runs: { clv: ClvRun | null; churn: ChurnRun | null }
  customers: number
  scored_at: string | null
  risk_histogram: { from: number; to: number; customers: number }[]
  value_tiers: { tier: string | null; customers: number; clv_minor: number | null }[]
}

export type ChurnReason = { column: string; contribution: number; it: string; en: string }

export type CustomerPredictions = {
  customer_id: number
  latest: {
    model_version: string
    scored_at: string
    p_alive: number | null
    expected_purchases_30: number | null
    expected_purchases_90: number | null
    expected_purchases_365: number | null
    expected_aov_minor: number | null
    clv_minor: number | null
    clv_method: 'model' | 'formula' | null
    next_order_at: string | null
    churn_risk: number | null
    churn_reasons: ChurnReason[]
    value_tier: string | null
  } | null
  history: {
    scored_at: string
    model_version: string
    churn_risk: number | null
    clv_minor: number | null
    p_alive: number | null
  }[]
}

const keys = {
  all: ['predictions'] as const,
  summary: () => ['predictions', 'summary'] as const,
  customer: (externalId: string) => ['predictions', 'customer', externalId] as const,
}

/** Model health, validation and distributions of the latest run. */
export function usePredictionsSummary() {
  return useQuery({
    queryKey: keys.summary(),
    queryFn: ({ signal }) => api<PredictionsSummary>('/api/predictions/summary', { signal }),
  })
}

/** One customer's latest scores with reasons, and their history. */
export function useCustomerPredictions(externalId: string) {
  return useQuery({
    queryKey: keys.customer(externalId),
    queryFn: ({ signal }) =>
      api<CustomerPredictions>(`/api/customers/${encodeURIComponent(externalId)}/predictions`, {
        signal,
      }),
  })
}

/** Queues a refit and rescore; the caller follows the returned job. */
export function useRefreshPredictions() {
  return useMutation({
    mutationFn: () =>
      api<{ job_id: number; status_url: string }>('/api/predictions/refresh', {
        method: 'POST',
        body: {},
      }),
  })
}

/** Invalidates every prediction query (after a refresh job finishes). */
export function useInvalidatePredictions() {
  const queryClient = useQueryClient()
  return () => queryClient.invalidateQueries({ queryKey: keys.all })
}
