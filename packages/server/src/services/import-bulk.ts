import type { PGlite } from '@electric-sql/pglite'
import type { TOrderRecord } from '@fedele/core'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import { copyNewOrders } from '../repositories/bulk-load.repository.ts'
import { resolveOrCreateCustomers } from '../repositories/facts.repository.ts'
import { ENTITY_MAPPINGS, contentHash } from './entities.ts'
import { linesOf, upsertBatch, type UpsertSummary } from './ingest.service.ts'

/**
 * The orders of an import on PGlite: each batch is first offered to COPY (new orders only,
 * `copyNewOrders`), and upserted as before when some of its orders are already stored (a
 * re-import, an overlapping export). Both paths resolve customers the same way (created when
 * unknown, ids cached for the file's transaction) and store the same rows and content hashes,
 * so a later re-import finds every COPYed order unchanged.
 *
 * After a batch that had to be upserted, the next PAUSE batches go straight to the upsert: a file
 * that overlaps what is stored usually goes on overlapping, and a refused COPY is work thrown away.
 */
const PAUSE = 4
/** As ingest.service.ts: the reference cache is cleared once it holds this many ids. */
const REFERENCE_CACHE_MAX = 200_000

export type OrderWriter = {
  write(
    trx: Kysely<DB>,
    records: Record<string, unknown>[],
    referenceCache: Map<string, number>,
  ): Promise<UpsertSummary>
  /** Batches written by COPY and by the upsert (for tests and figures). */
  readonly stats: { copied: number; upserted: number }
}

export function createOrderWriter(pglite: PGlite | undefined): OrderWriter {
  const stats = { copied: 0, upserted: 0 }
  let skip = 0
  const upsert = async (
    trx: Kysely<DB>,
    records: Record<string, unknown>[],
    cache: Map<string, number>,
  ) => {
    stats.upserted++
    const r = await upsertBatch(trx, 'orders', records, {
      createCustomers: true,
      referenceCache: cache,
    })
    return r.summary
  }
  return {
    stats,
    async write(trx, records, cache) {
      if (!pglite || skip > 0) {
        skip = Math.max(0, skip - 1)
        return upsert(trx, records, cache)
      }
      const { ids, created } = await customerIds(trx, records as TOrderRecord[], cache)
      const mapping = ENTITY_MAPPINGS.orders
      const rows = records.map((r) => {
        const ref = (r as TOrderRecord).customer_external_id
        return mapping.toRow(r, ref ? (ids.get(ref) ?? null) : null, contentHash(r))
      })
      const copied = await copyNewOrders(
        pglite,
        mapping.table.columns,
        rows,
        linesOf(records as TOrderRecord[]),
      )
      if (!copied) {
        skip = PAUSE
        const summary = await upsert(trx, records, cache)
        // The customers were created before the COPY was refused; the upsert found them.
        return { ...summary, customers_created: summary.customers_created + created }
      }
      stats.copied++
      return {
        kind: 'orders',
        received: records.length,
        inserted: copied.inserted,
        updated: 0,
        unchanged: records.length - copied.inserted,
        customers_created: created,
      }
    },
  }
}

/**
 * The batch's customer ids, as upsertBatch resolves them with `createCustomers`: from the cache,
 * else looked up and the unknown ones created bare, in one statement.
 */
async function customerIds(
  trx: Kysely<DB>,
  records: TOrderRecord[],
  cache: Map<string, number>,
): Promise<{ ids: Map<string, number>; created: number }> {
  const ids = new Map<string, number>()
  const lookup = new Set<string>()
  for (const r of records) {
    const id = r.customer_external_id
    if (typeof id !== 'string' || ids.has(id) || lookup.has(id)) continue
    const hit = cache.get(`customers:${id}`)
    if (hit === undefined) lookup.add(id)
    else ids.set(id, hit)
  }
  const found = await resolveOrCreateCustomers(trx, [...lookup], (id) =>
    contentHash({ external_id: id }),
  )
  if (cache.size + found.ids.size > REFERENCE_CACHE_MAX) cache.clear()
  for (const [id, n] of found.ids) {
    ids.set(id, n)
    cache.set(`customers:${id}`, n)
  }
  return { ids, created: found.created }
}
