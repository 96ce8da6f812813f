import { join, resolve } from 'node:path'
import type { Env } from '../config/env.ts'
import type { Database } from '../db/database.ts'
import { AnalyticsReplica } from './replica.ts'

/** Where the replica lives: FEDELE_ANALYTICS_PATH, else `<data dir>/analytics.duckdb`. */
export function analyticsPath(env: Pick<Env, 'FEDELE_ANALYTICS_PATH' | 'FEDELE_DATA_DIR'>): string {
  return resolve(env.FEDELE_ANALYTICS_PATH ?? join(env.FEDELE_DATA_DIR, 'analytics.duckdb'))
}

export function openAnalytics(
  env: Pick<Env, 'FEDELE_ANALYTICS_PATH' | 'FEDELE_DATA_DIR'>,
  database: Database,
): Promise<AnalyticsReplica> {
  return AnalyticsReplica.open(database, { path: analyticsPath(env) })
}
