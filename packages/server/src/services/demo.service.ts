import type { PGlite } from '@electric-sql/pglite'
import { pgliteCopyClient } from '../db/copy-client.ts'
import { analyzeDatabase } from '../db/statistics.ts'
import { RECORD_SCHEMAS, type EntityKind } from '@fedele/core'
import { generateDemo, type DemoCustomerBundle } from '@fedele/core/demo'
import { sql, type Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import { upsertBatch } from './ingest.service.ts'

/**
 * Loads the generated demo business into the system of record through the same upsert path as
 * the API (validated by the record schemas, idempotent by external id), in dependency order per
 * chunk of customers. A marker in fedele_meta records what was loaded, so `fedele demo` can reuse
 * a data directory instead of generating again.
 */
export type DemoSpec = { seed: number; customers: number; now: string }

export type DemoProgress = { customers: number; records: number; elapsedMs: number }

const ORDER: EntityKind[] = [
  'customers',
  'orders',
  'subscriptions',
  'subscription_changes',
  'tickets',
  'events',
  'survey_answers',
]

export async function loadedDemo(db: Kysely<DB>): Promise<DemoSpec | undefined> {
  const row = await db
    .selectFrom('fedele_meta')
    .select('value')
    .where('key', '=', 'demo')
    .executeTakeFirst()
  return row ? (JSON.parse(row.value) as DemoSpec) : undefined
}

export async function hasAnyData(db: Kysely<DB>): Promise<boolean> {
  const r = await sql<{
    n: number
  }>`select count(*)::int as n from (select 1 from customers limit 1) x`.execute(db)
  return (r.rows[0]?.n ?? 0) > 0
}

export async function loadDemo(
  db: Kysely<DB>,
  spec: DemoSpec,
  onProgress?: (p: DemoProgress) => void,
  options: {
    chunkCustomers?: number
    /** PGlite's client on the embedded database: orders go in by COPY (upsertBatch). */
    pglite?: PGlite | undefined
  } = {},
): Promise<{ records: number; elapsedMs: number }> {
  const chunkCustomers = options.chunkCustomers ?? 2000
  const copy = options.pglite ? pgliteCopyClient(options.pglite) : undefined
  const t0 = performance.now()
  let records = 0
  let done = 0
  let chunk: DemoCustomerBundle[] = []
  const flush = async () => {
    for (const kind of ORDER) {
      const rows = chunk.flatMap((b): unknown[] => (kind === 'customers' ? [b.customer] : b[kind]))
      for (let i = 0; i < rows.length; i += 10_000) {
        const slice = rows
          .slice(i, i + 10_000)
          .map((r) => RECORD_SCHEMAS[kind].parse(r) as Record<string, unknown>)
        await upsertBatch(db, kind, slice, { copy })
        records += slice.length
      }
    }
    done += chunk.length
    chunk = []
    onProgress?.({ customers: done, records, elapsedMs: performance.now() - t0 })
  }
  for (const bundle of generateDemo({
    seed: spec.seed,
    now: spec.now,
    customers: spec.customers,
  })) {
    chunk.push(bundle)
    if (chunk.length >= chunkCustomers) await flush()
  }
  if (chunk.length) await flush()
  await db
    .insertInto('fedele_meta')
    .values({ key: 'demo', value: JSON.stringify(spec) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(spec) }))
    .execute()
  // Planner statistics for the freshly filled tables (PGlite has no autovacuum).
  await analyzeDatabase(db)
  return { records, elapsedMs: performance.now() - t0 }
}
