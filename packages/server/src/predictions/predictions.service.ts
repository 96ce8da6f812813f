import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import { getWorkspace } from '../repositories/workspace.repository.ts'
import { DEFAULT_SETTINGS, type PipelineSettings } from './models.ts'
import { insertRun, setModelVersion, writeScores } from './predictions.repository.ts'
import { computePredictions, type ComputeInput } from './refresh.compute.ts'
import { computeInWorker } from './refresh.runner.ts'
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
 *
 * Threads: the main thread does the I/O (the replica reads, the write transaction); the models
 * (refresh.compute.ts) run in a worker thread (refresh.runner.ts), so the server keeps answering
 * during a long refresh. Tiny workspaces compute in the calling thread: below WORKER_MIN_ROWS the
 * models take less time than starting a worker.
 */

/** Bump when features, labels or scoring change: it is part of every stored model version. */
export const PIPELINE_VERSION = 'p1'

export type RefreshOptions = Partial<Omit<PipelineSettings, 'activityWindowDays'>> & {
  /** The scoring instant; default: now. */
  asOf?: Date
  jobId?: number | null
  onProgress?: (p: { step: string; done: number; total: number }) => void
  /** Where the models run: a worker thread, the calling thread, or by size (default). */
  compute?: 'worker' | 'thread' | 'auto'
  /** Aborting terminates the worker and rejects with the signal's reason; nothing is written. */
  signal?: AbortSignal
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

/**
 * Summary rows (three cut-offs together) from which `compute: 'auto'` uses the worker. Starting
 * one (a thread, the module hooks, compiling the model sources, a cold JIT) costs ~0.5 s of CPU,
 * ~1 s of wall time on a loaded 2-core machine: 50 customers take 25 ms in-thread and 1.1 s in a
 * worker. Below this (~2,000 customers) the models block the thread for a few hundred ms at most.
 */
export const WORKER_MIN_ROWS = 6_000

const STEP_INDEX = { 'customer-base model': 1, 'churn model': 2, scoring: 3 } as const

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
  // Only the settings' own keys: the worker receives them by structured clone.
  const settings: PipelineSettings = {
    ...DEFAULT_SETTINGS,
    ...definedOnly({
      unit: options.unit,
      clvModel: options.clvModel,
      clvHorizonDays: options.clvHorizonDays,
      annualDiscountRate: options.annualDiscountRate,
      margin: options.margin,
      churnHorizonDays: options.churnHorizonDays,
    }),
    activityWindowDays: workspace.activity_window_days,
  }
  validateSettings(settings)
  const asOf = options.asOf ?? new Date()
  const H = settings.churnHorizonDays * DAY_MS
  const trainCut = new Date(asOf.getTime() - H)
  const validationCut = new Date(asOf.getTime() - 2 * H)
  const currency = workspace.reporting_currency.trim()
  const signal = options.signal

  progress('summaries', 0)
  await replica.query('select 1') // brings the replica up to the record
  // Held only by `input`: the worker path lets the rows go once they are encoded.
  const input: ComputeInput = {
    now: await customerSummaries(replica, { cutoff: asOf, windowEnd: asOf, currency }),
    train: [],
    validation: [],
    asOfMs: asOf.getTime(),
    trainCutMs: trainCut.getTime(),
    validationCutMs: validationCut.getTime(),
    settings,
  }
  signal?.throwIfAborted()
  input.train = await customerSummaries(replica, { cutoff: trainCut, windowEnd: asOf, currency })
  signal?.throwIfAborted()
  input.validation = await customerSummaries(replica, {
    cutoff: validationCut,
    windowEnd: trainCut,
    currency,
  })
  signal?.throwIfAborted()
  lap('summariesMs')

  const mode = options.compute ?? 'auto'
  const inWorker =
    mode === 'worker' ||
    (mode === 'auto' &&
      input.now.length + input.train.length + input.validation.length >= WORKER_MIN_ROWS)
  const onStep = (step: keyof typeof STEP_INDEX) => progress(step, STEP_INDEX[step])
  const computed = inWorker
    ? await computeInWorker(input, { signal, onStep })
    : { ...computePredictions(input, onStep), timings: {} }
  const { facts, scores } = computed
  Object.assign(timings, facts.timings, computed.timings)
  t = performance.now()
  signal?.throwIfAborted()

  progress('writing', 4)
  const fallbackReason = facts.clv.ok ? null : facts.clv.fallbackReason
  const churn = facts.churn
  const churnFallback = churn.ok
    ? null
    : `${churn.reason} (${facts.trainingRows} customers active at the training cut-off)`
  const model = churn.ok ? churn.model : null
  const ids = await db.transaction().execute(async (trx) => {
    const clvRunId = await insertRun(trx, {
      kind: 'clv',
      model: facts.clv.ok ? `${facts.clv.kind}+gamma-gamma` : 'formula',
      status: 'succeeded',
      startedAt,
      cutoff: asOf,
      unit: settings.unit,
      parameters: facts.clvParameters,
      validation: facts.holdout,
      diagnostics: {
        trainingCutoff: trainCut.toISOString(),
        trainingFit: facts.trainingFit,
      },
      dataSummary: facts.clv.summary,
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
      validation: facts.churnValidation
        ? {
            ...facts.churnValidation,
            trainedAt: validationCut.toISOString(),
            evaluatedAt: trainCut.toISOString(),
          }
        : null,
      diagnostics: {
        trainingRows: facts.trainingRows,
        trainingPositives: facts.trainingPositives,
        validationReason: facts.validationReason,
      },
      dataSummary: { customers: facts.customers },
      fallbackReason: churnFallback,
      error: churn.ok ? null : churn.reason,
      jobId: options.jobId ?? null,
    })
    const modelVersion = `${PIPELINE_VERSION}/${facts.clv.ok ? facts.clv.kind : 'formula'}/${churn.ok ? 'logit' : 'none'}/r${clvRunId}`
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
    clvMethod: facts.clv.ok ? 'model' : 'formula',
    fallbackReason,
    churnTrained: churn.ok,
    timings,
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
