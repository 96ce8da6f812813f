import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import type { Env } from './config/env.ts'
import { SERVER_SHARED_BUFFERS_MB, openDatabase, type Database } from './db/database.ts'
import { buildApp } from './http/app.ts'
import type { AppContext } from './http/context.ts'
import { openAnalytics } from './analytics/open.ts'
import { keepDashboardWarm } from './services/prewarm.ts'
import { jobDefinitions } from './jobs/definitions.ts'
import { createJobQueue } from './jobs/queue.ts'
import { schedulePredictionsRefresh } from './jobs/predictions.job.ts'
import { scheduleStatistics } from './db/statistics.ts'
import { VERSION } from './version.ts'

/** The composition root: config → database → jobs → HTTP. */
export type RunningServer = {
  app: FastifyInstance
  ctx: AppContext
  url: string
  close: () => Promise<void>
}

export async function createContext(
  env: Env,
  log: Logger,
  database: Database,
): Promise<AppContext> {
  const ctx: AppContext = {
    database,
    env,
    log,
    jobs: undefined as unknown as AppContext['jobs'],
    version: VERSION,
    startedAt: new Date(),
  }
  ctx.jobs = createJobQueue(
    database.db,
    jobDefinitions(() => ctx),
    log,
  )
  return ctx
}

export async function startServer(
  env: Env,
  log: Logger,
  opts: { command?: string; database?: Database } = {},
): Promise<RunningServer> {
  const database =
    opts.database ??
    (await openDatabase({
      databaseUrl: env.DATABASE_URL,
      dataDir: env.FEDELE_DATA_DIR,
      command: opts.command ?? 'fedele serve',
      sharedBuffersMb: SERVER_SHARED_BUFFERS_MB,
    }))
  const ctx = await createContext(env, log, database)
  try {
    ctx.analytics = await openAnalytics(env, database)
  } catch (e) {
    await database.close()
    throw e
  }
  const app = await buildApp(ctx)
  const address = await app.listen({ port: env.FEDELE_PORT, host: env.FEDELE_HOST })
  ctx.jobs.start()
  // The replica is brought up to date now rather than by the first dashboard request (after an
  // import of millions of rows while the server was stopped, that request would wait for it).
  // Then the first screens' requests, and again each new day and after each import or
  // predictions refresh (services/prewarm.ts).
  let stopWarm = () => {}
  let closingDown = false
  void ctx.analytics
    ?.sync()
    .then(() => {
      if (closingDown) return
      const warm = keepDashboardWarm(ctx, {
        onError: (e) =>
          ctx.log.warn({ err: e }, 'could not prepare the dashboard; its next visit will'),
      })
      ctx.dashboard = warm
      stopWarm = () => warm.stop()
    })
    .catch((e: unknown) => {
      // Shutdown closes the replica under a start-up sync still running: expected, not news.
      if (!closingDown)
        ctx.log.warn(
          { err: e },
          'could not prepare the analytics replica at start-up; the first requests will',
        )
    })
  const stopPredictionsSchedule = schedulePredictionsRefresh(
    ctx,
    env.FEDELE_PREDICTIONS_INTERVAL_HOURS,
  )
  const stopStatistics = scheduleStatistics(ctx.database.db, (e) =>
    ctx.log.error({ err: e }, 'could not refresh the planner statistics'),
  )
  const url = address.replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost')
  let closing: Promise<void> | undefined
  return {
    app,
    ctx,
    url,
    // Graceful: stop accepting, let in-flight requests finish (each write is one transaction,
    // so none is half-applied), stop the job runner after its current job, then close storage.
    close: () =>
      (closing ??= (async () => {
        closingDown = true
        stopWarm()
        stopPredictionsSchedule()
        stopStatistics()
        await app.close()
        await ctx.jobs.stop()
        await ctx.analytics?.close()
        await database.close()
      })()),
  }
}
