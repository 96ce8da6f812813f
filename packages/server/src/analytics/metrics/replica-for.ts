import { join } from 'node:path'
import type { Database } from '../../db/database.ts'
import type { Env } from '../../config/env.ts'
import { AnalyticsReplica } from '../replica.ts'
import {
  DerivedTables,
  inlineDerived,
  isMaterializing,
  usedParams,
  type MaterializingReplica,
} from '../derived.ts'
import type { QueryParams } from '../replica.ts'
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
 * How the metric endpoints read the replica. DuckDB rejects a named parameter the statement does
 * not use, and the metric SQL is assembled from optional parts (a segment, orders or
 * subscriptions by business model): only the `$names` the text mentions are bound. Reads skip the
 * per-query sync: `metricsReplica` synced once. On a replica that can materialise derived tables
 * (AnalyticsReplica), the marked relations become tables (derived.ts) and results are cached by
 * replica generation, text and parameters: a sync that changes anything bumps the generation, so
 * a cached result is never stale. `cache: false` (benchmarks) runs every query.
 */
export function boundOnly(replica: MetricsReplica, how: { cache?: boolean } = {}): MetricsReplica {
  if (!isMaterializing(replica)) {
    return {
      query: (text, params, options) => {
        const inline = inlineDerived(text)
        const bound =
          !params || Array.isArray(params)
            ? params
            : usedParams(inline, params as Record<string, unknown>)
        return replica.query(inline, bound, { sync: false, ...options })
      },
    }
  }
  let state = materialized.get(replica)
  if (!state) {
    state = { tables: new DerivedTables(replica), cache: new ResultCache() }
    materialized.set(replica, state)
  }
  const { tables, cache } = state
  return {
    query: <T>(text: string, params?: QueryParams, options?: { sync?: boolean }) => {
      if (params !== undefined && Array.isArray(params)) {
        counts.uncached++
        return replica.query<T>(text, params, { sync: false, ...options })
      }
      const named = params as Record<string, unknown> | undefined
      if (how.cache === false) {
        counts.uncached++
        return tables.query<T>(text, named, { sync: false, ...options })
      }
      return cache.get(replica.generation, text, usedParams(text, named), () =>
        tables.query<T>(text, named, { sync: false, ...options }),
      )
    },
  }
}

/**
 * How the metric reads of this process were answered: from the result cache (`hits`), by running
 * the query (`misses`), or without the cache (`uncached`). Tests check that a prewarmed request
 * runs nothing.
 */
const counts = { hits: 0, misses: 0, uncached: 0 }

export function resultCacheCounts(): Readonly<typeof counts> {
  return { ...counts }
}

const materialized = new WeakMap<
  MaterializingReplica,
  { tables: DerivedTables; cache: ResultCache }
>()

/**
 * The results of the last queries (least recently used out first), keyed by replica generation,
 * text and parameter values. Rows are shared between hits: callers only read them.
 */
class ResultCache {
  readonly #entries = new Map<string, Promise<unknown[]>>()
  #generation = -1

  constructor(private readonly capacity = 256) {}

  get<T>(
    generation: number,
    text: string,
    params: Record<string, unknown>,
    run: () => Promise<T[]>,
  ): Promise<T[]> {
    if (generation !== this.#generation) {
      this.#entries.clear()
      this.#generation = generation
    }
    const key = `${text}\u0000${JSON.stringify(params, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))}`
    const hit = this.#entries.get(key)
    if (hit) {
      counts.hits++
      this.#entries.delete(key)
      this.#entries.set(key, hit)
      return hit as Promise<T[]>
    }
    counts.misses++
    const result = run()
    this.#entries.set(key, result)
    // A failure is not cached: the next call runs the query again.
    result.catch(() => this.#entries.delete(key))
    while (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next().value
      if (oldest === undefined) break
      this.#entries.delete(oldest)
    }
    return result
  }
}
