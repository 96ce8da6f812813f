import { mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AnalyticsReplica } from '../../src/analytics/replica.ts'
import { DEFAULT_SETTINGS, type PipelineSettings } from '../../src/predictions/models.ts'
import { refreshPredictions } from '../../src/predictions/predictions.service.ts'
import { customerSummaries } from '../../src/predictions/summaries.sql.ts'
import { computeInWorker } from '../../src/predictions/refresh.runner.ts'
import { loadDemo } from '../../src/services/demo.service.ts'
import { DIALECTS, freshDatabase, type TestDatabase } from '../databases.ts'
import { TEST_TMP } from '../paths.ts'

/**
 * The refresh's models run in a worker thread (refresh.runner.ts): the predictions it stores must
 * be exactly those of the same computation in the calling thread, every column of every
 * customer, and the runs' parameters, validation and diagnostics alike.
 */
const NOW = '2025-06-30T00:00:00Z'

describe.each(DIALECTS)('predictions computed in a worker thread on %s', (kind) => {
  let db: TestDatabase
  let replica: AnalyticsReplica
  let dir: string

  beforeAll(async () => {
    db = await freshDatabase(kind)
    dir = mkdtempSync(join(TEST_TMP, 'predictions-worker-'))
    await loadDemo(db.db, { seed: 5, customers: 1500, now: NOW })
    replica = await AnalyticsReplica.open(db, { path: join(dir, 'replica.duckdb') })
  }, 300_000)
  afterAll(async () => {
    await replica?.close()
    await db?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  /** Everything a refresh stored, minus the ids, times and versions that differ by run. */
  const stored = async () => {
    const { rows: predictions } = await sql<Record<string, unknown>>`
      select id, scored_at, p_alive, expected_purchases_30, expected_purchases_90,
        expected_purchases_365, expected_aov_minor, clv_minor, clv_method, next_order_at,
        churn_risk, churn_reasons, value_tier
      from customer_predictions order by id`.execute(db.db)
    const { rows: runs } = await sql<Record<string, unknown>>`
      select kind, model, status, cutoff, unit, parameters, validation, diagnostics, data_summary,
        fallback_reason, error
      from model_runs where id in (select max(id) from model_runs group by kind) order by kind`.execute(
      db.db,
    )
    for (const run of runs) {
      // Fit durations are timings, not results.
      const p = (
        typeof run.parameters === 'string' ? JSON.parse(run.parameters) : run.parameters
      ) as Record<string, unknown> | null
      if (p && 'fitMs' in p) delete p.fitMs
      const trainingFit = (run.diagnostics as { trainingFit?: Record<string, unknown> } | null)
        ?.trainingFit
      if (trainingFit) delete trainingFit.fitMs
      run.parameters = p
    }
    return { predictions, runs }
  }

  it('stores exactly the predictions of the in-thread computation, with progress by step', async () => {
    const inThread = await refreshPredictions(db.db, replica, {
      asOf: new Date(NOW),
      compute: 'thread',
    })
    const expected = await stored()
    expect(expected.predictions.length).toBeGreaterThan(500)
    expect(inThread.clvMethod).toBe('model')
    expect(inThread.churnTrained).toBe(true)

    const steps: string[] = []
    const inWorker = await refreshPredictions(db.db, replica, {
      asOf: new Date(NOW),
      compute: 'worker',
      onProgress: (p) => steps.push(p.step),
    })
    expect(steps).toEqual([
      'summaries',
      'customer-base model',
      'churn model',
      'scoring',
      'writing',
      'done',
    ])
    expect(inWorker.timings.workerMs).toBeGreaterThan(0)
    const actual = await stored()
    expect(actual.predictions).toEqual(expected.predictions)
    expect(actual.runs).toEqual(expected.runs)
    const { timings: _a, clvRunId: _b, churnRunId: _c, modelVersion: _d, ...report } = inWorker
    const {
      timings: _e,
      clvRunId: _f,
      churnRunId: _g,
      modelVersion: _h,
      ...reportThread
    } = inThread
    expect(report).toEqual(reportThread)
  })

  it('stores the formula fallback the same way from the worker', async () => {
    const early = new Date(Date.parse(NOW) - (3 * 365 - 60) * 86_400_000)
    await refreshPredictions(db.db, replica, { asOf: early, compute: 'thread' })
    const expected = await stored()
    const report = await refreshPredictions(db.db, replica, { asOf: early, compute: 'worker' })
    expect(report.clvMethod).toBe('formula')
    expect(await stored()).toEqual(expected)
  })

  it('rejects with the error raised in the worker, its message and stack', async () => {
    const asOf = new Date(NOW)
    const now = await customerSummaries(replica, { cutoff: asOf, windowEnd: asOf, currency: 'EUR' })
    const input = {
      now,
      train: now,
      validation: now,
      asOfMs: asOf.getTime(),
      trainCutMs: asOf.getTime(),
      validationCutMs: asOf.getTime(),
    }
    const error = await computeInWorker({
      ...input,
      settings: null as unknown as PipelineSettings,
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TypeError)
    expect((error as Error).message).toMatch(/null/)
    // The stack is the worker's: it names the model code that failed.
    expect((error as Error).stack).toMatch(/models\.ts|refresh\.compute\.ts/)

    // Aborting (the server shutting down) terminates the worker and rejects with the reason.
    const controller = new AbortController()
    const reason = new Error('shutting down')
    const running = computeInWorker(
      { ...input, settings: { ...DEFAULT_SETTINGS, activityWindowDays: 365 } },
      { signal: controller.signal, onStep: () => controller.abort(reason) },
    )
    await expect(running).rejects.toBe(reason)
  })
})
