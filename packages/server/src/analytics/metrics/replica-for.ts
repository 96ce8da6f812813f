import { join } from 'node:path'
import type { Database } from '../../db/database.ts'
import type { Env } from '../../config/env.ts'
import { AnalyticsReplica } from '../replica.ts'
import type { MetricsReplica } from './scope.ts'

/**
 * The replica the metric endpoints read. The composition root does not build one yet (the
 * context only carries `sync`), so the first metrics request opens it next to the record and
 * keeps it for that database; a context that carries a queryable replica is used as is.
 */
const open = new WeakMap<Database, Promise<AnalyticsReplica>>()

export async function metricsReplica(ctx: {
  database: Database
  env: Env
  analytics?: unknown
}): Promise<MetricsReplica> {
  const given = ctx.analytics as Partial<MetricsReplica> | undefined
  let replica: MetricsReplica
  if (given && typeof given.query === 'function') {
    replica = given as MetricsReplica
  } else {
    let opening = open.get(ctx.database)
    if (!opening) {
      opening = AnalyticsReplica.open(ctx.database, {
        path: ctx.env.FEDELE_ANALYTICS_PATH ?? join(ctx.env.FEDELE_DATA_DIR, 'analytics.duckdb'),
      })
      // A failed open is not cached: the next request tries again.
      opening.catch(() => open.delete(ctx.database))
      open.set(ctx.database, opening)
    }
    replica = await opening
  }
  // One sync per request; every query of the request then reads that snapshot.
  await replica.query('SELECT 1')
  return boundOnly(replica)
}

/** Closes the replica opened for `database`, if any (tests, shutdown). */
export async function closeMetricsReplica(database: Database): Promise<void> {
  const replica = open.get(database)
  open.delete(database)
  if (replica) await (await replica).close()
}

/**
 * DuckDB rejects a named parameter the statement does not use, and the metric SQL is assembled
 * from optional parts (a segment, orders or subscriptions by business model): bind only the
 * `$names` the text mentions. Reads skip the per-query sync: `metricsReplica` synced once.
 */
export function boundOnly(replica: MetricsReplica): MetricsReplica {
  return {
    query: (text, params, options) => {
      if (!params || Array.isArray(params)) {
        return replica.query(text, params, { sync: false, ...options })
      }
      const used = new Set([...text.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]))
      const named = params as Record<string, unknown>
      const kept = Object.fromEntries(Object.entries(named).filter(([k]) => used.has(k)))
      return replica.query(text, kept, { sync: false, ...options })
    },
  }
}
