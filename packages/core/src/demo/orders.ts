/**
 * Order records of a demo customer: baskets from the catalogue that add up exactly to the order
 * value drawn by the Gamma-Gamma process, shipping, discounts, IVA, channels, stores, cancelled
 * attempts and refunds.
 *
 * Money identities (all integer cents, every order):
 *   line_total = unit_price × quantity
 *   total      = Σ line_total + shipping − discount        (the Gamma-Gamma value, exactly)
 *   tax        = round(total × 22 / 122)                    (the IVA contained in the total;
 *                                                            prices and shipping include 22 % IVA)
 *   0 ≤ refunded_amount ≤ total; = total for a full refund.
 */
import type { TOrderLineRecord, TOrderRecord } from '../records/schemas.ts'
import {
  DAY_MS,
  MINUTE_MS,
  blackFridayDay,
  isoSeconds,
  romeParts,
  summerSalesDay,
  winterSalesDay,
} from './calendar.ts'
import {
  FREE_SHIPPING_FROM,
  IVA_PERCENT,
  PRODUCTS,
  PRODUCTS_BY_CATEGORY,
  SHIPPING_FEE,
  type Product,
} from './catalogue.ts'
import type { Persona } from './customer.ts'
import type { DemoParams } from './params.ts'
import { sampleOrderCents } from './process.ts'
import { WeightedTable, type Rng } from './random.ts'

/** A purchase of the BG/NBD process: when (UTC ms) and its Gamma-Gamma value (cents). */
export interface Purchase {
  readonly ms: number
  readonly cents: number
}

type Promo = 'saldi' | 'black_friday' | null

const promoCache = new Map<number, readonly [number, number, number]>()

/**
 * The promotion period of a local date: winter sales (from ~5 January to the end of February),
 * summer sales (first Saturday of July to the end of August), Black Friday week (Monday before
 * to Cyber Monday).
 */
export function promoAt(ms: number): Promo {
  const { year, month0, day } = romeParts(ms)
  let c = promoCache.get(year)
  if (c === undefined) {
    c = [winterSalesDay(year), summerSalesDay(year), blackFridayDay(year)] as const
    promoCache.set(year, c)
  }
  if ((month0 === 0 && day >= c[0]) || month0 === 1) return 'saldi'
  if ((month0 === 6 && day >= c[1]) || month0 === 7) return 'saldi'
  if (month0 === 10 && day >= c[2] - 4) return 'black_friday'
  if (month0 === 11 && day + 30 - c[2] <= 3) return 'black_friday'
  return null
}

const SALDI_PCT = new WeightedTable<number>([
  [20, 30],
  [30, 35],
  [40, 20],
  [50, 15],
])
const BLACK_FRIDAY_PCT = new WeightedTable<number>([
  [20, 50],
  [25, 20],
  [30, 30],
])
const COUPON_PCT = new WeightedTable<number>([
  [10, 75],
  [15, 25],
])

/** Number of products of a price-sorted list with price ≤ limit. */
function affordable(list: readonly Product[], limit: number): number {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((list[mid] as Product).price <= limit) lo = mid + 1
    else hi = mid
  }
  return lo
}

const CHEAPEST = [...PRODUCTS].sort((x, y) => x.price - y.price)

/**
 * Lines whose totals add up to exactly `merchandise` cents. Products are drawn from the customer's
 * category mix among those priced up to 1.25 × the amount still to fill, until less than 12 % is
 * left; list prices are then scaled by merchandise / Σ list (variants, markdowns) and the rounding
 * remainder goes to the first line, whose quantity is always 1.
 */
export function basket(rng: Rng, persona: Persona, merchandise: number): TOrderLineRecord[] {
  const chosen: Product[] = []
  const qty: number[] = []
  let remaining = merchandise
  for (let n = 0; n < 8; n++) {
    const limit = remaining * 1.25
    let product: Product | undefined
    for (let attempt = 0; attempt < 3 && product === undefined; attempt++) {
      const list = PRODUCTS_BY_CATEGORY[persona.categories.pick(rng)]
      const k = affordable(list, limit)
      if (k > 0) product = list[rng.int(k)]
    }
    if (product === undefined) {
      const k = affordable(CHEAPEST, limit)
      if (k > 0) product = CHEAPEST[rng.int(k)]
      else if (chosen.length === 0) product = CHEAPEST[0]
      else break
    }
    if (product === undefined) break
    const at = chosen.indexOf(product)
    if (at === 0) continue
    let q = 1
    if (n > 0 && product.maxQuantity > 1 && rng.chance(0.3)) {
      q = Math.max(1, Math.min(product.maxQuantity, Math.floor(remaining / product.price)))
    }
    if (at > 0) qty[at] = (qty[at] as number) + q
    else {
      chosen.push(product)
      qty.push(q)
    }
    remaining -= product.price * q
    if (remaining < merchandise * 0.12) break
  }
  let list = 0
  for (let i = 0; i < chosen.length; i++) list += (chosen[i] as Product).price * (qty[i] as number)
  const f = merchandise / list
  const units = chosen.map((p) => Math.round(p.price * f))
  let sum = 0
  for (let i = 0; i < units.length; i++) sum += (units[i] as number) * (qty[i] as number)
  const first = (units[0] as number) + merchandise - sum
  if (first < 0) {
    const p = chosen[0] as Product
    return [line(p, 1, merchandise)]
  }
  units[0] = first
  return chosen.map((p, i) => line(p, qty[i] as number, units[i] as number))
}

function line(p: Product, quantity: number, unit: number): TOrderLineRecord {
  return {
    sku: p.sku,
    product_name: p.name,
    category: p.category,
    quantity,
    unit_price: unit,
    line_total: unit * quantity,
  }
}

/** IVA contained in an amount that includes it: round(amount × 22 / 122). */
export function ivaIncluded(amount: number): number {
  return Math.round((amount * IVA_PERCENT) / (100 + IVA_PERCENT))
}

interface Draft {
  readonly ms: number
  readonly total: number
  readonly status: 'completed' | 'cancelled'
}

function orderRecord(
  rng: Rng,
  persona: Persona,
  id: string,
  d: Draft,
  refund: 'full' | 'partial' | null,
): TOrderRecord {
  const channel = persona.channels.pick(rng)
  const total = d.total
  const shipping =
    channel === 'store' || total >= FREE_SHIPPING_FROM || total - SHIPPING_FEE < 300
      ? 0
      : SHIPPING_FEE
  const goods = total - shipping
  const promo = promoAt(d.ms)
  let pct = 0
  if (promo === 'saldi') pct = rng.chance(0.6) ? SALDI_PCT.pick(rng) : 0
  else if (promo === 'black_friday') pct = rng.chance(0.7) ? BLACK_FRIDAY_PCT.pick(rng) : 0
  else if (rng.chance(0.1)) pct = COUPON_PCT.pick(rng)
  const merchandise = pct > 0 ? Math.round((goods * 100) / (100 - pct)) : goods
  const lines = basket(rng, persona, merchandise)
  let status: TOrderRecord['status'] = d.status
  let refunded = 0
  if (refund !== null && total >= 2) {
    status = 'refunded'
    if (refund === 'full') refunded = total
    else {
      // one item back: its share of the paid goods, or part of a single-item order
      const l = lines.length > 1 ? (lines[lines.length - 1] as TOrderLineRecord) : undefined
      const back =
        l !== undefined
          ? Math.round((l.line_total * goods) / merchandise)
          : Math.round(total * rng.uniform(0.2, 0.5))
      refunded = Math.min(total - 1, Math.max(1, back))
    }
  }
  return {
    external_id: id,
    customer_external_id: persona.customerId,
    placed_at: isoSeconds(d.ms),
    status,
    refunded_amount: refunded,
    currency: 'EUR',
    total,
    discount: merchandise - goods,
    shipping,
    tax: ivaIncluded(total),
    channel,
    store: channel === 'store' ? persona.store : null,
    lines,
  }
}

export interface OrdersResult {
  /** In placed_at order. */
  readonly orders: TOrderRecord[]
  /** placed_at of each order, UTC ms. */
  readonly orderMs: number[]
  /** Indices (into `orders`) of refunded orders, for the support facet. */
  readonly refunded: number[]
}

/**
 * All orders of a customer: one per BG/NBD purchase (status completed, or refunded for a share of
 * those older than `refundAfterDays`), plus cancelled attempts: before a repeat purchase, with
 * probability `cancelledAttemptShare`, an order placed 10 min – 48 h earlier (and after the
 * previous purchase) that was cancelled. Cancelled attempts are NOT purchases of the process:
 * fit BG/NBD on orders whose status is not 'cancelled'; their values come from the same
 * customer's Gamma-Gamma distribution but from a separate stream.
 */
export function buildOrders(
  rng: Rng,
  params: DemoParams,
  persona: Persona,
  nu: number,
  purchases: readonly Purchase[],
  nowMs: number,
): OrdersResult {
  const o = params.orders
  const drafts: { d: Draft; refund: 'full' | 'partial' | null }[] = []
  for (let k = 0; k < purchases.length; k++) {
    const pu = purchases[k] as Purchase
    if (k > 0 && rng.chance(o.cancelledAttemptShare)) {
      const prev = (purchases[k - 1] as Purchase).ms
      const maxBack = Math.min(48 * 60 * MINUTE_MS, (pu.ms - prev) / 2)
      if (maxBack > 10 * MINUTE_MS) {
        const ms = Math.floor((pu.ms - rng.uniform(10 * MINUTE_MS, maxBack)) / 1000) * 1000
        const total = sampleOrderCents(rng, params.gammaGamma, nu)
        drafts.push({ d: { ms, total, status: 'cancelled' }, refund: null })
      }
    }
    let refund: 'full' | 'partial' | null = null
    if (nowMs - pu.ms >= o.refundAfterDays * DAY_MS && rng.chance(o.refundShare)) {
      refund = rng.chance(o.partialRefundShare) ? 'partial' : 'full'
    }
    drafts.push({ d: { ms: pu.ms, total: pu.cents, status: 'completed' }, refund })
  }
  const orders: TOrderRecord[] = []
  const orderMs: number[] = []
  const refunded: number[] = []
  for (let i = 0; i < drafts.length; i++) {
    const { d, refund } = drafts[i] as (typeof drafts)[number]
    const id = `ord_${persona.key}_${String(i + 1).padStart(3, '0')}`
    const rec = orderRecord(rng, persona, id, d, refund)
    if (rec.status === 'refunded') refunded.push(orders.length)
    orders.push(rec)
    orderMs.push(d.ms)
  }
  return { orders, orderMs, refunded }
}
