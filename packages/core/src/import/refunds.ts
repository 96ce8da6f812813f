import { err, ok, type Result } from '../shared/result.ts'
import type { TOrderLineRecord, TOrderRecord } from '../records/schemas.ts'

/**
 * Refunds and cancellations found in imported files. The record schemas have no refund record
 * (an order carries `status` and `refunded_amount` only), so a credit note is emitted as an
 * `OrderRefund` that the server applies to the order it belongs to with `applyRefund`, instead of
 * being imported as a negative sale.
 *
 * Where they come from:
 * - an invoice number with the cancel prefix (Online Retail: `C536379`) → `cancellation`;
 * - an order whose lines all have negative quantity or amount, or a negative total → `refund`;
 * - negative lines inside an otherwise positive order → `refund` of that same order.
 */
export interface OrderRefund {
  /** Idempotency key: the credit note's own number, or `<order>:refund` for negative lines. */
  external_id: string
  /**
   * The order refunded, when the file says so (`refund_of` column, or negative lines of the same
   * order). Null when the file does not link them (Online Retail credit notes): the server then
   * matches by customer and products, e.g. the latest earlier order of the customer that has
   * the refunded SKUs.
   */
  order_external_id: string | null
  customer_external_id: string | null
  kind: 'cancellation' | 'refund'
  /** When the credit note was issued (ISO instant). */
  refunded_at: string
  /** Positive amount refunded, minor units. */
  amount: number
  currency: string
  /** The refunded lines with positive quantities and amounts. */
  lines: TOrderLineRecord[]
}

/** What `applyRefund` returns: the updated order and any part of the refund beyond its total. */
export interface AppliedRefund {
  order: TOrderRecord
  /** Minor units that did not fit (the order was already fully refunded). 0 normally. */
  excess: number
}

/**
 * Apply a refund to its order: `refunded_amount` grows by the amount, capped at the total; when
 * it reaches the total the order becomes `cancelled` (a cancellation) or `refunded` (a refund).
 * A different currency is an error. The server must apply each refund `external_id` once.
 */
export function applyRefund(
  order: TOrderRecord,
  refund: OrderRefund,
): Result<AppliedRefund, 'currency_mismatch'> {
  if (order.currency !== refund.currency) return err('currency_mismatch')
  const wanted = order.refunded_amount + refund.amount
  const refunded = Math.min(order.total, wanted)
  const full = refunded >= order.total
  const status =
    full && order.status === 'completed'
      ? refund.kind === 'cancellation'
        ? 'cancelled'
        : 'refunded'
      : order.status
  return ok({ order: { ...order, refunded_amount: refunded, status }, excess: wanted - refunded })
}
