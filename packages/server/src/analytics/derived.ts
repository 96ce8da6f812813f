import { createHash } from 'node:crypto'
import type { MetricsReplica } from './metrics/scope.ts'

/**
 * Derived tables of the analytics replica: relations that many metric queries start from and
 * that cost a pass over every order to compute (per-customer activity islands, second orders).
 *
 * The metric SQL marks such a relation with `derived(select)`; the select is self-contained (it
 * reads only replicated tables and bound parameters). Read through `DerivedTables`, the first
 * query that needs it materialises it once as `derived_<hash of text and parameter values>` and
 * every later query reads the table; read straight (no materialising replica), the marked select
 * simply runs inline, with the same result.
 *
 * Consistency: a sync that changes the replica drops every derived table in its own transaction
 * (`DERIVED_DROP`), so any derived table a query sees was built from the very rows that query
 * sees. A sync committing between "the table exists" and the query makes the query fail on the
 * missing table: it is built again and the query retried.
 */

export const DERIVED_PREFIX = 'derived_'

const OPEN = '/*derived(*/'
const CLOSE = '/*)derived*/'

/** Marks a self-contained SELECT as a relation the replica may materialise. */
export function derived(select: string): string {
  return `${OPEN}(${select})${CLOSE}`
}

/** Lists the derived tables (run inside a sync's transaction, then drop each). */
export const DERIVED_LIST = `select table_name from duckdb_tables()
  where database_name = current_database() and schema_name = 'main' and not temporary
    and starts_with(table_name, '${DERIVED_PREFIX}')`

/** What materialising needs of the replica (AnalyticsReplica has it). */
export type MaterializingReplica = MetricsReplica & {
  /** Bumped by every sync that changes the replica. */
  readonly generation: number
  /** Runs statements on the writing connection between syncs. */
  exclusive<T>(
    work: (run: (text: string, params?: Record<string, unknown>) => Promise<void>) => Promise<T>,
  ): Promise<T>
}

export function isMaterializing(replica: unknown): replica is MaterializingReplica {
  const r = replica as Partial<MaterializingReplica> | undefined
  return typeof r?.exclusive === 'function' && typeof r.generation === 'number'
}

const MARKED = /\/\*derived\(\*\/([\s\S]*?)\/\*\)derived\*\//g

/** The `$names` a text uses. */
export function parameterNames(text: string): Set<string> {
  return new Set([...text.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] ?? ''))
}

/** Keeps the named parameters the text uses: DuckDB rejects the others. */
export function usedParams(
  text: string,
  params: Record<string, unknown> | undefined,
): Record<string, unknown> {
  if (!params) return {}
  const used = parameterNames(text)
  return Object.fromEntries(Object.entries(params).filter(([k]) => used.has(k)))
}

/** Materialises the derived relations of queries, once per replica generation. */
export class DerivedTables {
  /** Table name → the generation it was last known to exist in. */
  readonly #known = new Map<string, number>()

  constructor(private readonly replica: MaterializingReplica) {}

  /** Runs `text`, its derived relations replaced by their tables (built when missing). */
  async query<T>(
    text: string,
    params: Record<string, unknown> | undefined,
    options: { sync?: boolean } | undefined,
  ): Promise<T[]> {
    if (!text.includes(OPEN)) return this.replica.query<T>(text, params, options)
    for (let attempt = 0; ; attempt++) {
      const resolved = await this.#resolve(text, params)
      try {
        return await this.replica.query<T>(resolved, usedParams(resolved, params), options)
      } catch (e) {
        // A sync committed in between and dropped a table: build it again, once or twice.
        if (attempt >= 2 || !/derived_[0-9a-f]+ does not exist/i.test(String(e))) throw e
        this.#known.clear()
      }
    }
  }

  async #resolve(text: string, params: Record<string, unknown> | undefined): Promise<string> {
    const parts = [...text.matchAll(MARKED)].map((m) => ({ marked: m[0], select: m[1] ?? '' }))
    let out = text
    for (const { marked, select } of parts) {
      const bound = usedParams(select, params)
      const name = `${DERIVED_PREFIX}${createHash('sha256')
        .update(select)
        .update(JSON.stringify(bound))
        .digest('hex')
        .slice(0, 24)}`
      if (this.#known.get(name) !== this.replica.generation) {
        await this.replica.exclusive(async (run) => {
          await run(`create table if not exists ${name} as ${select}`, bound)
        })
        // Read after the build: a sync before it bumped the generation and the table is fresh.
        this.#known.set(name, this.replica.generation)
      }
      out = out.replace(marked, name)
    }
    return out
  }
}

/** The marked relations inlined, for a replica that cannot materialise them. */
export function inlineDerived(text: string): string {
  return text.replaceAll(OPEN, '').replaceAll(CLOSE, '')
}
