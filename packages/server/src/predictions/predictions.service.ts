import type { Kysely } from 'kysely'
import type { ChurnModel } from '@fedele/core/churn'
import type { DB } from '../db/schema.ts'
import { getWorkspace } from '../repositories/workspace.repository.ts'
import {
  churnRows,
  DEFAULT_SETTINGS,
  fitClv,
  holdoutDiagnostics,
  pAliveOf,
  scoreCustomers,
  trainChurn,
  validateChurn,
  type ClvFit,
  type PipelineSettings,
} from './models.ts'
import { insertRun, setModelVersion, writeScores } from './predictions.repository.ts'
import { customerSummaries, type PredictionsReplica } from './summaries.sql.ts'

/**
 * The prediction pipeline for the workspace: read per-customer summaries from the analytics
 * replica at three cut-offs (now, now − H, now − 2H with H the churn horizon), fit and validate the
 * models (models.ts), score every customer, and write the runs, the latest predictions and their
 * history in ONE transaction of the system of record. The replica then copies
 * customer_predictions like any fact table.
 *
 * Time split: the churn model scoring today is trained on the customers active at now − H with
 * their outcome in (now − H, now]; the validation figures come from a model trained one window
 * earlier (cut-off now − 2H) scoring the customers at now − H, i.e. a window it never saw.
 */

/** Bump when features, labels or scoring change: it is part of every stored model version. */
export const PIPELINE_VERSION = 'p1'

export type RefreshOptions = Partial<Omit<PipelineSettings, 'activityWindowDays'>> & {
  /** The scoring instant; default: now. */
  asOf?: Date
  jobId?: number | null
  onProgress?: (p: { step: string; done: number; total: number }) => void
}

export type RefreshReport = {
  asOf: string
  modelVersion: string
  clvRunId: number
  churnRunId: number
  customers: number
  clvMethod: 'model' | 'formula'
  fallbackReason: string | null
  churnTrained: boolean
  timings: Record<string, number>
}

const DAY_MS = 86_400_000
const STEPS = 6

export async function refreshPredictions(
  db: Kysely<DB>,
  replica: PredictionsReplica,
  options: RefreshOptions = {},
): Promise<RefreshReport> {
  const startedAt = new Date()
  const timings: Record<string, number> = {}
  let t = performance.now()
  const lap = (name: string) => {
    const now = performance.now()
    timings[name] = Math.round(now - t)
    t = now
  }
  const progress = (step: string, done: number) =>
    options.onProgress?.({ step, done, total: STEPS })

  const workspace = await getWorkspace(db)
  const settings: PipelineSettings = {
    ...DEFAULT_SETTINGS,
    ...definedOnly(options),
    activityWindowDays: workspace.activity_window_days,
  }
  validateSettings(settings)
  const asOf = options.asOf ?? new Date()
  const H = settings.churnHorizonDays * DAY_MS
  const trainCut = new Date(asOf.getTime() - H)
  const validationCut = new Date(asOf.getTime() - 2 * H)
  const day = (d: Date) => Math.floor(d.getTime() / DAY_MS)
  const currency = workspace.reporting_currency.trim()

  progress('summaries', 0)
  await replica.query('select 1') // brings the replica up to the record
  const now = await customerSummaries(replica, { cutoff: asOf, windowEnd: asOf, currency })
  const train = await customerSummaries(replica, { cutoff: trainCut, windowEnd: asOf, currency })
  const validation = await customerSummaries(replica, {
    cutoff: validationCut,
    windowEnd: trainCut,
    currency,
  })
  lap('summariesMs')

  progress('customer-base model', 1)
  const clvNow = fitClv(now, day(asOf), settings)
  const clvTrain = fitClv(train, day(trainCut), settings)
  const clvValidation = fitClv(validation, day(validationCut), settings)
  const nowById = new Map(now.map((s) => [s.customerId, s]))
  const holdout = holdoutDiagnostics(
    clvTrain,
    train,
    nowById,
    day(trainCut),
    settings.unit,
    settings.churnHorizonDays,
  )
  lap('clvFitMs')

  progress('churn model', 2)
  const validationRows = churnRows(
    validation,
    day(validationCut),
    pAliveOf(clvValidation, validation, day(validationCut), settings.unit),
    settings.activityWindowDays,
  )
  const trainRows = churnRows(
    train,
    day(trainCut),
    pAliveOf(clvTrain, train, day(trainCut), settings.unit),
    settings.activityWindowDays,
  )
  const earlier = trainChurn(validationRows)
  const churnValidation = earlier.ok ? validateChurn(earlier.model, trainRows) : null
  const churn = trainChurn(trainRows)
  lap('churnTrainMs')

  progress('scoring', 3)
  const model: ChurnModel | null = churn.ok ? churn.model : null
  const scores = scoreCustomers(now, asOf, clvNow, model, settings)
  lap('scoreMs')

  progress('writing', 4)
  const fallbackReason = clvNow.ok ? null : clvNow.issues.map((i) => i.message).join(' ')
  const churnFallback = churn.ok
    ? null
    : `${churn.reason.en} (${trainRows.length} customers active at the training cut-off)`
  const ids = await db.transaction().execute(async (trx) => {
    const clvRunId = await insertRun(trx, {
      kind: 'clv',
      model: clvNow.ok ? `${clvNow.model.kind}+gamma-gamma` : 'formula',
      status: 'succeeded',
      startedAt,
      cutoff: asOf,
      unit: settings.unit,
      parameters: clvParameters(clvNow),
      validation: holdout,
      diagnostics: {
        trainingCutoff: trainCut.toISOString(),
        trainingFit: clvParameters(clvTrain),
      },
      dataSummary: clvNow.summary,
      fallbackReason,
      error: null,
      jobId: options.jobId ?? null,
    })
    const churnRunId = await insertRun(trx, {
      kind: 'churn',
      model: 'logistic-l2+platt',
      status: churn.ok ? 'succeeded' : 'failed',
      startedAt,
      cutoff: trainCut,
      unit: 'day',
      parameters: model ? { model, horizonDays: settings.churnHorizonDays } : {},
      validation: churnValidation
        ? {
            ...churnValidation,
            trainedAt: validationCut.toISOString(),
            evaluatedAt: trainCut.toISOString(),
          }
        : null,
      diagnostics: {
        trainingRows: trainRows.length,
        trainingPositives: trainRows.filter((r) => r.churned === 1).length,
        validationReason: earlier.ok ? null : earlier.reason,
      },
      dataSummary: { customers: now.length },
      fallbackReason: churnFallback,
      error: churn.ok ? null : churn.reason.en,
      jobId: options.jobId ?? null,
    })
    const modelVersion = `${PIPELINE_VERSION}/${clvNow.ok ? clvNow.model.kind : 'formula'}/${churn.ok ? 'logit' : 'none'}/r${clvRunId}`
    await setModelVersion(trx, clvRunId, modelVersion)
    await setModelVersion(trx, churnRunId, modelVersion)
    await writeScores(trx, {
      runId: clvRunId,
      churnRunId,
      modelVersion,
      scoredAt: asOf,
      scores,
    })
    return { clvRunId, churnRunId, modelVersion }
  })
  lap('writeMs')
  progress('done', STEPS)
  return {
    asOf: asOf.toISOString(),
    ...ids,
    customers: scores.length,
    clvMethod: clvNow.ok ? 'model' : 'formula',
    fallbackReason,
    churnTrained: churn.ok,
    timings,
  }
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

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}

/** Settings come from zod-validated edges; this guards programmatic callers too. */
function validateSettings(s: PipelineSettings): void {
  const check = (ok: boolean, field: string, why: string) => {
    if (!ok) throw new RangeError(`${field}: ${why}`)
  }
  check(
    Number.isInteger(s.churnHorizonDays) && s.churnHorizonDays >= 7 && s.churnHorizonDays <= 730,
    'churnHorizonDays',
    'an integer from 7 to 730',
  )
  check(
    Number.isInteger(s.clvHorizonDays) && s.clvHorizonDays >= 30 && s.clvHorizonDays <= 3650,
    'clvHorizonDays',
    'an integer from 30 to 3650',
  )
  check(
    s.annualDiscountRate >= 0 && s.annualDiscountRate < 1,
    'annualDiscountRate',
    'from 0 to below 1',
  )
  check(s.margin > 0 && s.margin <= 1, 'margin', 'above 0 and at most 1')
}
