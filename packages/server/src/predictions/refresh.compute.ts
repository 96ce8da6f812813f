import type { ChurnModel } from '@fedele/core/churn'
import type { FitDataSummary } from '@fedele/core/models'
import {
  churnRows,
  fitClv,
  holdoutDiagnostics,
  pAliveOf,
  trainChurn,
  validateChurn,
  type ChurnValidation,
  type ClvFit,
  type HoldoutDiagnostics,
  type PipelineSettings,
} from './models.ts'
import type { ScoreColumns } from './columnar.ts'
import { scoreColumns } from './scoring.ts'
import type { LabelledSummary } from './summaries.sql.ts'

/**
 * The CPU part of a refresh (every fit, the churn model, the scoring), no I/O: the refresh worker
 * (refresh.worker.ts) runs it on the summaries it receives, and predictions.service.ts runs it in
 * its own thread for tiny workspaces. Its result is everything the write transaction needs, as
 * plain data (it crosses threads by structured clone, except the scores, which are columns
 * from the start: see columnar.ts).
 */

export type ComputeInput = {
  now: LabelledSummary[]
  train: LabelledSummary[]
  validation: LabelledSummary[]
  /** Epoch milliseconds of the scoring instant and of the training and validation cut-offs. */
  asOfMs: number
  trainCutMs: number
  validationCutMs: number
  settings: PipelineSettings
}

export type ComputeStep = 'customer-base model' | 'churn model' | 'scoring'

/** The runs' facts, as predictions.service.ts stores them in model_runs. */
export type RunFacts = {
  clv:
    | { ok: true; kind: 'bgnbd' | 'pareto-nbd'; summary: FitDataSummary }
    | { ok: false; fallbackReason: string; summary: FitDataSummary | null }
  clvParameters: ReturnType<typeof clvParameters>
  trainingFit: ReturnType<typeof clvParameters>
  holdout: HoldoutDiagnostics | null
  churn: { ok: true; model: ChurnModel } | { ok: false; reason: string }
  churnValidation: ChurnValidation | null
  validationReason: { it: string; en: string } | null
  trainingRows: number
  trainingPositives: number
  customers: number
  timings: { clvFitMs: number; churnTrainMs: number; scoreMs: number }
}

const DAY_MS = 86_400_000

export function computePredictions(
  input: ComputeInput,
  onStep: (step: ComputeStep) => void,
): { facts: RunFacts; scores: ScoreColumns } {
  const { now, train, validation, settings } = input
  const day = (ms: number) => Math.floor(ms / DAY_MS)
  let t = performance.now()
  const lap = () => {
    const was = t
    t = performance.now()
    return Math.round(t - was)
  }

  onStep('customer-base model')
  const clvNow = fitClv(now, day(input.asOfMs), settings)
  const clvTrain = fitClv(train, day(input.trainCutMs), settings)
  const clvValidation = fitClv(validation, day(input.validationCutMs), settings)
  const nowById = new Map(now.map((s) => [s.customerId, s]))
  const holdout = holdoutDiagnostics(
    clvTrain,
    train,
    nowById,
    day(input.trainCutMs),
    settings.unit,
    settings.churnHorizonDays,
  )
  const clvFitMs = lap()

  onStep('churn model')
  const validationRows = churnRows(
    validation,
    day(input.validationCutMs),
    pAliveOf(clvValidation, validation, day(input.validationCutMs), settings.unit),
    settings.activityWindowDays,
  )
  const trainRows = churnRows(
    train,
    day(input.trainCutMs),
    pAliveOf(clvTrain, train, day(input.trainCutMs), settings.unit),
    settings.activityWindowDays,
  )
  const earlier = trainChurn(validationRows)
  const churnValidation = earlier.ok ? validateChurn(earlier.model, trainRows) : null
  const churn = trainChurn(trainRows)
  const churnTrainMs = lap()

  onStep('scoring')
  const model: ChurnModel | null = churn.ok ? churn.model : null
  const scores = scoreColumns(now, new Date(input.asOfMs), clvNow, model, settings)
  const scoreMs = lap()

  const facts: RunFacts = {
    clv: clvNow.ok
      ? { ok: true, kind: clvNow.model.kind, summary: clvNow.summary }
      : {
          ok: false,
          fallbackReason: clvNow.issues.map((i) => i.message).join(' '),
          summary: clvNow.summary,
        },
    clvParameters: clvParameters(clvNow),
    trainingFit: clvParameters(clvTrain),
    holdout,
    churn: churn.ok ? { ok: true, model: churn.model } : { ok: false, reason: churn.reason.en },
    churnValidation,
    validationReason: earlier.ok ? null : earlier.reason,
    trainingRows: trainRows.length,
    trainingPositives: trainRows.filter((r) => r.churned === 1).length,
    customers: now.length,
    timings: { clvFitMs, churnTrainMs, scoreMs },
  }
  return { facts, scores }
}

function clvParameters(clv: ClvFit) {
  if (!clv.ok) return { issues: clv.issues }
  const m = clv.model.fit
  const g = clv.spend
  return {
    model: clv.model.kind,
    params: m.params,
    standardErrors: m.standardErrors,
    logLikelihood: m.logLikelihood,
    converged: m.converged,
    customers: m.customers,
    gammaGamma: {
      params: g.params,
      standardErrors: g.standardErrors,
      logLikelihood: g.logLikelihood,
      converged: g.converged,
      customers: g.customers,
    },
    fitMs: Math.round(clv.fitMs),
  }
}
