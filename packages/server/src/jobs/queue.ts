import { hostname } from 'node:os'
import { sql, type Kysely } from 'kysely'
import type { Logger } from 'pino'
import type { z } from 'zod'
import type { DB } from '../db/schema.ts'

/**
 * A job is data: a name, a zod schema for its payload, and an idempotent handler. Jobs live in
 * the `jobs` table of the system of record (PGlite or PostgreSQL), so no broker is needed and a
 * queued job survives a restart. A handler may run twice (a crash after it finished but before
 * it was marked done), so handlers must be safe to repeat.
 */
export type JobDefinition<S extends z.ZodType = z.ZodType> = {
  name: string
  schema: S
  maxAttempts?: number
  handler: (payload: z.infer<S>, job: RunningJob) => Promise<unknown>
}

export type RunningJob = {
  id: number
  attempt: number
  reportProgress: (progress: Record<string, unknown>) => Promise<void>
  log: Logger
  /**
   * Aborted when the queue stops (server shutdown). A handler that can stop early rejects with
   * `signal.reason`; the job is then queued again without using up an attempt. Handlers that
   * ignore it run to the end, as before.
   */
  signal: AbortSignal
}

/** The reason a running job's signal is aborted with when the queue stops. */
export class JobInterrupted extends Error {
  constructor() {
    super('interrupted: the job runner stopped (server shutdown); the job will run again')
    this.name = 'JobInterrupted'
  }
}

export type JobRow = {
  id: number
  name: string
  status: string
  attempts: number
  progress: unknown
  result: unknown
  error: string | null
  created_at: Date
  finished_at: Date | null
}

export type JobQueue = {
  enqueue: (name: string, payload: unknown, opts?: { dedupeKey?: string; runAt?: Date }) => Promise<number>
  get: (id: number) => Promise<JobRow | undefined>
  /** Runs ready jobs until none is left; returns how many ran. */
  drain: () => Promise<number>
  start: () => void
  stop: () => Promise<void>
}

const LEASE_MS = 10 * 60 * 1000

export function createJobQueue(
  db: Kysely<DB>,
  definitions: JobDefinition[],
  log: Logger,
  opts: { pollMs?: number } = {},
): JobQueue {
  const byName = new Map(definitions.map((d) => [d.name, d]))
  const worker = `${hostname()}:${process.pid}`
  let timer: NodeJS.Timeout | undefined
  let running: Promise<number> | undefined
  let stopped = true
  /** Set by stop(): the running drain finishes its current job and claims no other. */
  let stopping = false
  let current: AbortController | undefined

  async function claim() {
    // SKIP LOCKED gives real concurrency on PostgreSQL; PGlite serialises anyway.
    const rows = await sql<{ id: number; name: string; payload: unknown; attempts: number; max_attempts: number }>`
      update jobs set status = 'running', attempts = attempts + 1, locked_by = ${worker},
        locked_until = now() + ${`${LEASE_MS} milliseconds`}::interval, updated_at = now()
      where id = (
        select id from jobs
        where (status = 'queued' and run_at <= now())
           or (status = 'running' and locked_until < now())
        order by run_at, id
        limit 1
        for update skip locked
      )
      returning id, name, payload, attempts, max_attempts`.execute(db)
    return rows.rows[0]
  }

  async function runOne(): Promise<boolean> {
    const job = await claim()
    if (!job) return false
    const def = byName.get(job.name)
    const jobLog = log.child({ job: job.id, jobName: job.name })
    const controller = new AbortController()
    current = controller
    try {
      if (!def) throw new Error(`no handler for job ${job.name}`)
      const payload = def.schema.parse(job.payload)
      const result = await def.handler(payload, {
        id: job.id,
        attempt: job.attempts,
        log: jobLog,
        signal: controller.signal,
        reportProgress: async (progress) => {
          await db
            .updateTable('jobs')
            .set({ progress: JSON.stringify(progress), updated_at: new Date() })
            .where('id', '=', job.id)
            .execute()
        },
      })
      await db
        .updateTable('jobs')
        .set({
          status: 'succeeded',
          result: JSON.stringify(result ?? null),
          error: null,
          locked_by: null,
          locked_until: null,
          finished_at: new Date(),
          updated_at: new Date(),
        })
        .where('id', '=', job.id)
        .execute()
    } catch (e) {
      if (controller.signal.aborted && e === controller.signal.reason) {
        // Stopped by a shutdown, not failed: back in the queue at once, the attempt not counted.
        jobLog.info('job interrupted by shutdown; queued again')
        await db
          .updateTable('jobs')
          .set({
            status: 'queued',
            attempts: job.attempts - 1,
            error: (e as Error).message,
            locked_by: null,
            locked_until: null,
            run_at: new Date(),
            updated_at: new Date(),
          })
          .where('id', '=', job.id)
          .execute()
        return true
      }
      const message = e instanceof Error ? e.message : String(e)
      const final = job.attempts >= job.max_attempts
      jobLog.warn({ err: e, final }, 'job failed')
      await db
        .updateTable('jobs')
        .set({
          status: final ? 'failed' : 'queued',
          error: message,
          locked_by: null,
          locked_until: null,
          run_at: new Date(Date.now() + 1000 * 2 ** job.attempts),
          ...(final ? { finished_at: new Date() } : {}),
          updated_at: new Date(),
        })
        .where('id', '=', job.id)
        .execute()
    } finally {
      current = undefined
    }
    return true
  }

  async function drain(): Promise<number> {
    let n = 0
    while (!stopping && (await runOne())) n++
    return n
  }

  function schedule(ms: number) {
    if (stopped) return
    timer = setTimeout(() => {
      running = drain()
      running
        .catch((e: unknown) => log.error({ err: e }, 'job runner error'))
        .finally(() => {
          running = undefined
          schedule(opts.pollMs ?? 1000)
        })
    }, ms)
    timer.unref()
  }

  return {
    async enqueue(name, payload, o = {}) {
      const def = byName.get(name)
      if (!def) throw new Error(`unknown job ${name}`)
      const parsed = def.schema.parse(payload)
      const row = await db
        .insertInto('jobs')
        .values({
          name,
          payload: JSON.stringify(parsed),
          max_attempts: def.maxAttempts ?? 3,
          dedupe_key: o.dedupeKey ?? null,
          ...(o.runAt ? { run_at: o.runAt } : {}),
        })
        .onConflict((oc) => oc.column('dedupe_key').doUpdateSet({ updated_at: new Date() }))
        .returning('id')
        .executeTakeFirstOrThrow()
      if (!stopped) {
        if (timer) clearTimeout(timer)
        if (!running) schedule(0)
      }
      return row.id
    },
    get: (id) =>
      db
        .selectFrom('jobs')
        .select(['id', 'name', 'status', 'attempts', 'progress', 'result', 'error', 'created_at', 'finished_at'])
        .where('id', '=', id)
        .executeTakeFirst(),
    drain,
    start() {
      stopped = false
      stopping = false
      schedule(0)
    },
    async stop() {
      stopped = true
      stopping = true
      if (timer) clearTimeout(timer)
      current?.abort(new JobInterrupted())
      await running
      stopping = false
    },
  }
}
