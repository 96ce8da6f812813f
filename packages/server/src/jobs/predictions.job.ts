import { sql } from 'kysely'
import { z } from 'zod'
import { metricsReplica } from '../analytics/metrics/replica-for.ts'
import type { AppContext } from '../http/context.ts'
import { refreshPredictions } from '../predictions/predictions.service.ts'
import type { JobDefinition } from './queue.ts'

export const PREDICTIONS_JOB = 'predictions.refresh'

export const ZPredictionsJob = z.object({
  /** Scoring instant (ISO 8601); default: when the job runs. */
  asOf: z.iso.datetime({ offset: true }).optional(),
  clvModel: z.enum(['bgnbd', 'pareto-nbd']).optional(),
  unit: z.enum(['day', 'week']).optional(),
  churnHorizonDays: z.number().int().min(7).max(730).optional(),
  clvHorizonDays: z.number().int().min(30).max(3650).optional(),
  annualDiscountRate: z.number().min(0).lt(1).optional(),
  margin: z.number().gt(0).max(1).optional(),
  reason: z.enum(['manual', 'import', 'schedule']).default('manual'),
})

/**
 * Refits the models and rescores every customer (predictions.service.ts; the models run in a
 * worker thread, so the server keeps answering). Safe to run twice: the write is one
 * transaction, and a second run at the same instant replaces the first. Stopped by a shutdown
 * before its write, it writes nothing and is queued again.
 */
export function predictionsJob(ctx: () => AppContext): JobDefinition<typeof ZPredictionsJob> {
  return {
    name: PREDICTIONS_JOB,
    schema: ZPredictionsJob,
    maxAttempts: 2,
    handler: async (p, job) => {
      const c = ctx()
      const replica = await metricsReplica(c)
      const { asOf, reason: _reason, ...settings } = p
      const report = await refreshPredictions(c.database.db, replica, {
        ...settings,
        ...(asOf ? { asOf: new Date(asOf) } : {}),
        jobId: job.id,
        onProgress: (progress) => void job.reportProgress(progress),
        // A shutdown terminates the worker; the queue then puts the job back (queue.ts).
        signal: job.signal,
      })
      // Bring the replica up to the new predictions now rather than at the next reader, and the
      // dashboard's first screens (the customer list reads the predictions) after it.
      await metricsReplica(c)
      c.dashboard?.changed()
      return report
    },
  }
}

/**
 * Enqueues a refresh unless one is already waiting (a burst of imports needs one rescoring, not
 * one each). `delayMs` lets the job wait: after an import, a minute, so that the next files of a
 * batch land before the models are refitted. Returns the waiting or new job's id.
 */
export async function enqueuePredictionsRefresh(
  c: Pick<AppContext, 'database' | 'jobs'>,
  payload: z.input<typeof ZPredictionsJob> = {},
  delayMs = 0,
): Promise<number> {
  const { rows } = await sql<{ id: number }>`
    select id from jobs where name = ${PREDICTIONS_JOB} and status = 'queued'
    order by id limit 1`.execute(c.database.db)
  const waiting = rows[0]?.id
  if (waiting !== undefined && !payload.asOf && delayMs === 0) {
    // An explicit request should not wait for an import's debounce.
    await c.database.db
      .updateTable('jobs')
      .set({ run_at: new Date() })
      .where('id', '=', Number(waiting))
      .execute()
    return Number(waiting)
  }
  if (waiting !== undefined && !payload.asOf) return Number(waiting)
  return c.jobs.enqueue(
    PREDICTIONS_JOB,
    payload,
    delayMs > 0 ? { runAt: new Date(Date.now() + delayMs) } : {},
  )
}

/** How long a refresh enqueued by an import waits for further imports. */
export const AFTER_IMPORT_DELAY_MS = 60_000

/** Default interval of the scheduled refresh in `fedele serve` (FEDELE_PREDICTIONS_INTERVAL_HOURS). */
export const DEFAULT_REFRESH_HOURS = 24

/**
 * Starts the scheduled refresh: every `hours` (0 disables), enqueue a refresh. On start it also
 * catches up: when there are orders but no run finished within the last `hours` (a new demo, a
 * server that was down), a refresh is enqueued at once, so the dashboard never waits a day for
 * its first predictions. The timer is unref'd so it never keeps the process alive; the returned
 * function stops it.
 */
export function schedulePredictionsRefresh(
  c: Pick<AppContext, 'database' | 'jobs' | 'log'>,
  hours = DEFAULT_REFRESH_HOURS,
): () => void {
  if (!(hours > 0)) return () => undefined
  const enqueue = () =>
    enqueuePredictionsRefresh(c, { reason: 'schedule' }).catch((e: unknown) =>
      c.log.error({ err: e }, 'could not enqueue the scheduled predictions refresh'),
    )
  void predictionsAreStale(c, hours)
    .then((stale) => (stale ? enqueue() : undefined))
    .catch((e: unknown) => c.log.error({ err: e }, 'could not check the last predictions run'))
  const timer = setInterval(() => void enqueue(), hours * 3_600_000)
  timer.unref()
  return () => clearInterval(timer)
}

/** Whether the record has orders and no predictions run finished within the last `hours`. */
export async function predictionsAreStale(
  c: Pick<AppContext, 'database'>,
  hours: number,
): Promise<boolean> {
  const { rows } = await sql<{ orders: boolean; last: Date | null }>`
    select exists (select 1 from orders) as orders,
      (select max(finished_at) from model_runs where status = 'succeeded') as last`.execute(
    c.database.db,
  )
  const row = rows[0]
  if (!row?.orders) return false
  return row.last === null || Date.now() - new Date(row.last).getTime() > hours * 3_600_000
}
