import { ZOrderRecord, type TOrderRecord } from '@fedele/core'
import { applyRefund, type OrderRefund } from '@fedele/core/import'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import { getEntity } from '../repositories/entities.repository.ts'
import {
  latestOrderBefore,
  storeRefunds,
  storedRefundIds,
  storedRefundsOf,
  type StoredRefund,
} from '../repositories/order-refunds.repository.ts'
import { upsertBatch } from './ingest.service.ts'

/** The refund counts of an import report. */
export type RefundCounts = {
  found: number
  /** Applied to their order in this import (in memory or in the database). */
  applied: number
  /** No order found (an unlinked credit note with no earlier order, a currency mismatch). */
  unmatched: number
  /** Already in the ledger from an earlier import: not applied again. */
  already_applied: number
  /** Naming an order not imported yet: kept, and applied when that order is imported. */
  pending: number
}

const BATCH = 5000

const toStored = (r: OrderRefund, orderExternalId: string): StoredRefund => ({
  external_id: r.external_id,
  order_external_id: orderExternalId,
  kind: r.kind,
  amount: r.amount,
  currency: r.currency,
  refunded_at: r.refunded_at,
})

const fromStored = (s: StoredRefund): OrderRefund => ({
  external_id: s.external_id,
  order_external_id: s.order_external_id,
  customer_external_id: null,
  kind: s.kind,
  refunded_at: s.refunded_at,
  amount: s.amount,
  currency: s.currency,
  lines: [],
})

/**
 * An order as the database returns it (`getEntity`: nulls for absent values, instants with
 * milliseconds, `[]` for no lines), in the shape the importer builds from a file, so that the
 * content hash of "order + refund" written here is the hash a re-import computes.
 */
function asImportedOrder(o: Record<string, unknown>): TOrderRecord | null {
  const drop = (x: Record<string, unknown>, keep: string[] = []) =>
    Object.fromEntries(Object.entries(x).filter(([k, v]) => v !== null || keep.includes(k)))
  const rec = drop(o, ['customer_external_id'])
  rec['placed_at'] = String(o['placed_at']).replace(/\.000Z$/, 'Z')
  const lines = Array.isArray(o['lines']) ? (o['lines'] as Record<string, unknown>[]).map((l) => drop(l)) : []
  if (lines.length > 0) rec['lines'] = lines
  else delete rec['lines']
  const parsed = ZOrderRecord.safeParse(rec)
  return parsed.success ? parsed.data : null
}

/**
 * Before a batch of orders read from a file is written: apply to each order the refunds the
 * ledger holds for it (those of other files, and those waiting for it), except the ones this
 * import already applied in memory. The stored order is thus always "the file's order + its
 * refunds", so re-importing the orders file neither wipes a refund nor counts as an update.
 */
export async function replayStoredRefunds(
  db: Kysely<DB>,
  batch: Map<string, Record<string, unknown>>,
  appliedInMemory: ReadonlySet<string>,
): Promise<void> {
  const stored = await storedRefundsOf(db, [...batch.keys()])
  for (const [orderId, refunds] of stored) {
    let order = batch.get(orderId) as TOrderRecord | undefined
    if (!order) continue
    for (const s of refunds) {
      if (appliedInMemory.has(s.external_id)) continue
      const applied = applyRefund(order, fromStored(s))
      if (applied.ok) order = applied.value.order
    }
    batch.set(orderId, order)
  }
}

/**
 * Refunds whose order was not in the batch: each refund id is applied once, ever. A refund the
 * ledger already has is skipped; a new one is stored and applied to its order in the database,
 * or, when the order is not there yet, stored to wait for it. Unlinked credit notes are matched
 * to the customer's latest earlier order.
 */
export async function applyRefunds(
  db: Kysely<DB>,
  refunds: OrderRefund[],
  counts: RefundCounts,
): Promise<void> {
  const known = await storedRefundIds(
    db,
    refunds.map((r) => r.external_id),
  )
  const updated = new Map<string, TOrderRecord>()
  const toStore: StoredRefund[] = []
  for (const refund of refunds) {
    if (known.has(refund.external_id)) {
      counts.already_applied++
      continue
    }
    known.add(refund.external_id) // a refund repeated in the file counts once
    let target = refund.order_external_id
    if (!target && refund.customer_external_id)
      target = await latestOrderBefore(db, refund.customer_external_id, refund.refunded_at, refund.currency)
    if (!target) {
      counts.unmatched++
      continue
    }
    let order = updated.get(target)
    if (!order) {
      const row = await getEntity(db, 'orders', target)
      if (!row) {
        toStore.push(toStored(refund, target))
        counts.pending++
        continue
      }
      order = asImportedOrder(row) ?? undefined
    }
    if (!order) {
      counts.unmatched++
      continue
    }
    const applied = applyRefund(order, refund)
    if (!applied.ok) {
      counts.unmatched++
      continue
    }
    updated.set(target, applied.value.order)
    toStore.push(toStored(refund, target))
    counts.applied++
  }
  await storeRefunds(db, toStore)
  const orders = [...updated.values()]
  for (let i = 0; i < orders.length; i += BATCH) {
    await upsertBatch(db, 'orders', orders.slice(i, i + BATCH), { createCustomers: true })
  }
}
