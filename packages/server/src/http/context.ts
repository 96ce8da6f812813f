import type { Logger } from 'pino'
import type { Database } from '../db/database.ts'
import type { Env } from '../config/env.ts'
import type { JobQueue } from '../jobs/queue.ts'
import type { AnalyticsReplica } from '../analytics/replica.ts'

/** What every handler may use. Built once in main.ts (the composition root). */
export type AppContext = {
  database: Database
  env: Env
  log: Logger
  jobs: JobQueue
  /** The analytics replica; absent only in tests that do not need it. */
  analytics?: AnalyticsReplica | undefined
  version: string
  startedAt: Date
  /**
   * Set by `fedele serve` (services/prewarm.ts keepDashboardWarm): jobs that change what the
   * dashboard shows call `changed()` so its first screens are computed again before the next visit.
   */
  dashboard?: { changed(): void } | undefined
}
