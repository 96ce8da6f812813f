import type { PGlite } from '@electric-sql/pglite'
import type { Kysely } from 'kysely'
import { pgliteCopyClient } from '../db/copy-client.ts'
import type { DB } from '../db/schema.ts'
import { upsertBatch, type UpsertSummary } from './ingest.service.ts'

/**
 * The orders of an import on PGlite: each batch is first offered to COPY (new orders only,
 * `copyNewOrders` through upsertBatch's `copy` option), and upserted as before when some of
 * its orders are already stored (a re-import, an overlapping export). Both paths resolve
 * customers the same way (created when unknown, ids cached for the file's transaction) and
 * store the same rows and content hashes, so a later re-import finds every COPYed order
 * unchanged.
 *
 * After a batch that had to be upserted, the next PAUSE batches go straight to the upsert: a file
 * that overlaps what is stored usually goes on overlapping, and a refused COPY is work thrown away.
 */
const PAUSE = 4

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
  const copy = pglite ? pgliteCopyClient(pglite) : undefined
  let skip = 0
  return {
    stats,
    async write(trx, records, referenceCache) {
      const tryCopy = copy !== undefined && skip === 0
      skip = Math.max(0, skip - 1)
      const r = await upsertBatch(trx, 'orders', records, {
        createCustomers: true,
        referenceCache,
        copy: tryCopy ? copy : undefined,
      })
      if (r.copied) stats.copied++
      else {
        stats.upserted++
        if (tryCopy) skip = PAUSE
      }
      return r.summary
    },
  }
}
