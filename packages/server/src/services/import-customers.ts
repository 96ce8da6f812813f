import type { TCustomerRecord } from '@fedele/core'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import {
  mergeDerivedCustomers,
  type DerivedCustomerRow,
} from '../repositories/derived-customers.repository.ts'
import { ENTITY_MAPPINGS, contentHash } from './entities.ts'

/**
 * Customers derived from the rows of an order export (core emits them with `derived: true`
 * just before their order). Within a batch, the orders of one customer are folded into one
 * record, later rows' non-empty fields winning (the latest address). `take` hands the batch's
 * customers over when the batch is cut (the next batch is parsed while it is written) and
 * `write` merges them into the table field by field (`mergeDerivedCustomers`) before the orders
 * are written.
 */
const SENT_MEMO = 100_000

export function createDerivedCustomers() {
  let pending = new Map<string, TCustomerRecord>()
  const sent = new Map<string, string>()
  return {
    add(record: Record<string, unknown>) {
      const r = record as TCustomerRecord
      const before = pending.get(r.external_id)
      pending.set(
        r.external_id,
        before
          ? {
              ...before,
              ...r,
              ...(before.attributes || r.attributes
                ? { attributes: { ...before.attributes, ...r.attributes } }
                : {}),
              ...(before.consent || r.consent ? { consent: { ...before.consent, ...r.consent } } : {}),
            }
          : r,
      )
    },
    /** The customers gathered since the last call (those of the batch being handed off). */
    take(): TCustomerRecord[] {
      const records = [...pending.values()]
      pending = new Map()
      return records
    },
    async write(
      db: Kysely<DB>,
      records: TCustomerRecord[],
      write: boolean,
      report: { customers_from_orders: { inserted: number; updated: number; unchanged: number } },
    ) {
      if (records.length === 0 || !write) return
      // A customer with many orders comes back in batch after batch with the same data: what this
      // import already merged, unchanged, is not sent again (a bounded memo, for constant memory).
      const rows: DerivedCustomerRow[] = []
      for (const r of records) {
        const hash = contentHash(r)
        if (sent.get(r.external_id) === hash) continue
        rows.push(ENTITY_MAPPINGS.customers.toRow(r, null, hash) as DerivedCustomerRow)
      }
      // The same row as any customer write; the merge reads the columns an export can fill.
      const changed = await mergeDerivedCustomers(db, rows)
      if (sent.size + rows.length > SENT_MEMO) sent.clear()
      for (const r of rows) sent.set(r.external_id, r.content_hash)
      const inserted = changed.filter((c) => c.inserted).length
      report.customers_from_orders.inserted += inserted
      report.customers_from_orders.updated += changed.length - inserted
      report.customers_from_orders.unchanged += records.length - changed.length
    },
  }
}
