/**
 * Raw inputs of the reference implementations: plain rows of orders, subscriptions, tickets and
 * survey answers, as the server loads them. The schemas validate rows at an edge (HTTP, CSV, tests);
 * the reference functions check the few things they rely on and throw a RangeError naming the
 * field otherwise (bad input to a pure function is a bug of its caller).
 *
 * Instants are epoch milliseconds or ISO 8601 strings WITH `Z` or an offset: a string without one
 * would be read in the runtime's own zone, so it is rejected.
 */
import { z } from 'zod'
import type { Period } from './time.ts'

/** An instant: epoch milliseconds, or an ISO 8601 date-time with `Z` or `±hh:mm`. */
export type Instant = number | string

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/

export const instantSchema = z.union([
  z.number(),
  z.string().regex(ISO_INSTANT, 'expected an ISO 8601 date-time with Z or an offset'),
])

/** Customer ids are compared with `===`: do not mix `1` and `'1'`. */
export const customerIdSchema = z.union([z.string().min(1), z.number().int()])
export type CustomerId = z.infer<typeof customerIdSchema>

export const orderStatusSchema = z.enum(['completed', 'refunded', 'cancelled'])

export const orderSchema = z.object({
  /** null for an anonymous sale: it counts in revenue, orders and AOV, never as a customer. */
  customerId: customerIdSchema.nullable(),
  at: instantSchema,
  /** Order total in minor units (the record's `total`). */
  amount: z.number().int().nonnegative(),
  /** Refunded part of a completed order (the record's `refunded_amount`), subtracted. Default 0. */
  refundedAmount: z.number().int().nonnegative().optional(),
  /** Default `completed`. Refunded and cancelled orders are ignored by every metric. */
  status: orderStatusSchema.optional(),
})
export type OrderInput = z.input<typeof orderSchema>

/** As in the ingest records; a quarterly plan is `month` with `intervalCount` 3. */
export const billingIntervalSchema = z.enum(['day', 'week', 'month', 'year'])
export type BillingInterval = z.infer<typeof billingIntervalSchema>

export const subscriptionChangeSchema = z.object({
  at: instantSchema,
  /** New price per billing interval (whole quantity), minor units; absent = unchanged. */
  amount: z.number().int().nonnegative().nullish(),
})

export const subscriptionSchema = z.object({
  customerId: customerIdSchema,
  startedAt: instantSchema,
  /** First instant the subscription is no longer active; absent or null = still active. */
  endedAt: instantSchema.nullish(),
  /** End of the free trial; the trial is `[startedAt, trialEndsAt)`. */
  trialEndsAt: instantSchema.nullish(),
  /** Price per billing interval for the whole quantity, minor units (as in the ingest records). */
  amount: z.number().int().nonnegative(),
  interval: billingIntervalSchema.optional(),
  intervalCount: z.number().int().positive().optional(),
  /** Price changes, in force from `at` on. */
  changes: z.array(subscriptionChangeSchema).optional(),
})
export type SubscriptionInput = z.input<typeof subscriptionSchema>

export const ticketSchema = z.object({
  customerId: customerIdSchema.nullish(),
  channel: z.string().min(1),
  openedAt: instantSchema,
  firstResponseAt: instantSchema.nullish(),
  resolvedAt: instantSchema.nullish(),
  /** Satisfaction answer on the ticket (1–5 by default), if any. */
  satisfaction: z.number().nullish(),
})
export type TicketInput = z.input<typeof ticketSchema>

export const surveyAnswerSchema = z.object({
  customerId: customerIdSchema.nullish(),
  at: instantSchema,
  score: z.number(),
})
export type SurveyAnswerInput = z.input<typeof surveyAnswerSchema>

/** A period given as instants, `[start, end)`. */
export interface PeriodInput {
  readonly start: Instant
  readonly end: Instant
}

/** Where customer activity comes from, chosen by the workspace's business model. */
export interface ActivitySource {
  /** Non-contractual activity. */
  readonly orders?: readonly OrderInput[]
  /** Contractual activity. */
  readonly subscriptions?: readonly SubscriptionInput[]
}

export interface ActivityOptions {
  /** Non-contractual activity window in days of 24 h. Default 365. */
  readonly activityWindowDays?: number
  /** Whether a subscription's trial makes its customer active. Default false. */
  readonly includeTrials?: boolean
}

const DAY_MS = 86_400_000
export const DEFAULT_ACTIVITY_WINDOW_DAYS = 365

/** Epoch milliseconds of an instant; throws RangeError naming `field` on anything else. */
export function toInstant(value: Instant, field: string): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value
  } else if (ISO_INSTANT.test(value)) {
    const ms = Date.parse(value)
    if (Number.isFinite(ms)) return ms
  }
  throw new RangeError(
    `${field}: expected epoch milliseconds or an ISO 8601 date-time with Z or an offset, got ${JSON.stringify(value)}`,
  )
}

/** A period as epoch milliseconds; throws RangeError unless start < end. */
export function toPeriod(period: PeriodInput, field = 'period'): Period {
  const start = toInstant(period.start, `${field}.start`)
  const end = toInstant(period.end, `${field}.end`)
  if (!(start < end)) throw new RangeError(`${field}: start must be before end`)
  return { start, end }
}

/** A completed order, normalised. */
export interface ValidOrder {
  readonly customerId: CustomerId | null
  readonly at: number
  /** amount − refundedAmount. */
  readonly revenue: number
}

/**
 * The orders that count: status `completed` (the default). Refunded and cancelled orders never
 * make anyone active and add no revenue.
 */
export function validOrders(orders: readonly OrderInput[]): ValidOrder[] {
  const valid: ValidOrder[] = []
  orders.forEach((order, i) => {
    if ((order.status ?? 'completed') !== 'completed') return
    const refunded = order.refundedAmount ?? 0
    if (!Number.isSafeInteger(order.amount) || order.amount < 0) {
      throw new RangeError(`orders[${i}].amount must be a non-negative integer (minor units)`)
    }
    if (!Number.isSafeInteger(refunded) || refunded < 0 || refunded > order.amount) {
      throw new RangeError(`orders[${i}].refundedAmount must be an integer from 0 to amount`)
    }
    valid.push({
      customerId: order.customerId,
      at: toInstant(order.at, `orders[${i}].at`),
      revenue: order.amount - refunded,
    })
  })
  return valid
}

/** Billing periods per year of each interval (365 days, 52 weeks). */
const PERIODS_PER_YEAR: Readonly<Record<BillingInterval, number>> = {
  day: 365,
  week: 52,
  month: 12,
  year: 1,
}

/**
 * A price per billing interval normalised to a month, in whole minor units:
 * round(amount × periodsPerYear(interval) / (12 × intervalCount)), with 365 days and 52 weeks a
 * year, rounding half up. So 60 000 a year → 5 000 a month, 1 000 a week → 4 333, 15 000 every
 * 3 months → 5 000.
 */
export function monthlyAmount(
  amount: number,
  interval: BillingInterval = 'month',
  intervalCount = 1,
): number {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new RangeError(`monthlyAmount: amount must be a non-negative integer, got ${amount}`)
  }
  if (!Number.isSafeInteger(intervalCount) || intervalCount < 1) {
    throw new RangeError(
      `monthlyAmount: intervalCount must be a positive integer, got ${intervalCount}`,
    )
  }
  return Math.round((amount * PERIODS_PER_YEAR[interval]) / (12 * intervalCount))
}

/** A piece of a subscription's paid life `[from, to)` with a constant monthly amount. */
export interface MrrSegment {
  readonly customerId: CustomerId
  readonly from: number
  readonly to: number
  readonly monthly: number
}

/**
 * The life of a subscription: `started`, and its paid part `[from, to)` =
 * `[max(startedAt, trialEndsAt), endedAt)`, possibly empty.
 */
function subscriptionRange(
  sub: SubscriptionInput,
  i: number,
): { started: number; from: number; to: number } {
  const started = toInstant(sub.startedAt, `subscriptions[${i}].startedAt`)
  const ended =
    sub.endedAt === undefined || sub.endedAt === null
      ? Number.POSITIVE_INFINITY
      : toInstant(sub.endedAt, `subscriptions[${i}].endedAt`)
  const trialEnds =
    sub.trialEndsAt === undefined || sub.trialEndsAt === null
      ? started
      : toInstant(sub.trialEndsAt, `subscriptions[${i}].trialEndsAt`)
  return { started, from: Math.max(started, trialEnds), to: ended }
}

/**
 * Each subscription's paid life cut at its price changes, with the monthly amount in
 * force on each piece (trials excluded: a trial pays nothing). Empty pieces are dropped.
 */
export function mrrSegments(subscriptions: readonly SubscriptionInput[]): MrrSegment[] {
  const segments: MrrSegment[] = []
  subscriptions.forEach((sub, i) => {
    const { from, to } = subscriptionRange(sub, i)
    const changes = (sub.changes ?? [])
      .map((c, j) => ({ ...c, at: toInstant(c.at, `subscriptions[${i}].changes[${j}].at`) }))
      .sort((a, b) => a.at - b.at)
    let amount = sub.amount
    let cursor = from
    const monthly = (): number => monthlyAmount(amount, sub.interval, sub.intervalCount)
    for (const change of changes) {
      if (change.at > cursor && change.at < to) {
        segments.push({
          customerId: sub.customerId,
          from: cursor,
          to: change.at,
          monthly: monthly(),
        })
        cursor = change.at
      }
      amount = change.amount ?? amount
    }
    if (cursor < to)
      segments.push({ customerId: sub.customerId, from: cursor, to, monthly: monthly() })
  })
  return segments
}

/** A stretch of time `[from, to)` during which a customer is active. */
export interface Span {
  readonly from: number
  readonly to: number
}

/**
 * Every customer's activity as spans `[from, to)`:
 * - each completed order at `o` gives `[o, o + window)` (active from the order until the window
 *   passes with no other order);
 * - each subscription gives `[startedAt, endedAt)`, from `trialEndsAt` instead of `startedAt` when
 *   trials do not count.
 * Customers with both are active when either says so (business model "both").
 */
export function activitySpans(
  source: ActivitySource,
  options: ActivityOptions = {},
): Map<CustomerId, Span[]> {
  const windowDays = options.activityWindowDays ?? DEFAULT_ACTIVITY_WINDOW_DAYS
  if (!Number.isFinite(windowDays) || windowDays <= 0) {
    throw new RangeError(`activityWindowDays must be a positive number, got ${windowDays}`)
  }
  const window = windowDays * DAY_MS
  const spans = new Map<CustomerId, Span[]>()
  const add = (customerId: CustomerId, span: Span): void => {
    if (!(span.from < span.to)) return
    const list = spans.get(customerId)
    if (list === undefined) spans.set(customerId, [span])
    else list.push(span)
  }
  for (const order of validOrders(source.orders ?? [])) {
    if (order.customerId !== null) add(order.customerId, { from: order.at, to: order.at + window })
  }
  for (const { customerId, from, to } of subscriptionSpans(source.subscriptions ?? [], options)) {
    add(customerId, { from, to })
  }
  return spans
}

/** Each subscription's active span, from `startedAt` when trials count, else from the trial's end. */
function subscriptionSpans(
  subscriptions: readonly SubscriptionInput[],
  options: ActivityOptions,
): Array<Span & { readonly customerId: CustomerId }> {
  return subscriptions.map((sub, i) => {
    const { started, from, to } = subscriptionRange(sub, i)
    return { customerId: sub.customerId, from: options.includeTrials === true ? started : from, to }
  })
}

/**
 * Where a customer was present, for "active in a period" questions (cohorts, lifecycle): the
 * instants of completed orders, and the spans of subscriptions (no activity window here: a
 * customer is present in a period if they ordered in it or were subscribed at some instant of it).
 */
export interface Presence {
  readonly orders: number[]
  readonly spans: Span[]
}

/** Every customer's presence: order instants and subscription spans. */
export function presenceByCustomer(
  source: ActivitySource,
  options: ActivityOptions = {},
): Map<CustomerId, Presence> {
  const presence = new Map<CustomerId, Presence>()
  const of = (customerId: CustomerId): Presence => {
    let p = presence.get(customerId)
    if (p === undefined) {
      p = { orders: [], spans: [] }
      presence.set(customerId, p)
    }
    return p
  }
  for (const order of validOrders(source.orders ?? [])) {
    if (order.customerId !== null) of(order.customerId).orders.push(order.at)
  }
  for (const span of subscriptionSpans(source.subscriptions ?? [], options)) {
    if (span.from < span.to) of(span.customerId).spans.push({ from: span.from, to: span.to })
  }
  return presence
}

/** Present in `[start, end)`: an order in it, or a subscription active at some instant of it. */
export function presentDuring(presence: Presence, period: Period): boolean {
  return (
    presence.orders.some((at) => period.start <= at && at < period.end) ||
    presence.spans.some((s) => s.from < period.end && period.start < s.to)
  )
}

/** First instant of presence; equals `firstActivity` of the same customer's activity spans. */
export function firstPresence(presence: Presence): number {
  let first = Number.POSITIVE_INFINITY
  for (const at of presence.orders) first = Math.min(first, at)
  for (const s of presence.spans) first = Math.min(first, s.from)
  return first
}

/** Active AT instant t (the reference's definition): some span has from ≤ t < to. */
export function activeAt(spans: readonly Span[], t: number): boolean {
  return spans.some((s) => s.from <= t && t < s.to)
}

/**
 * Active AS OF boundary b: active at the instant just before b, i.e. some span has
 * from < b ≤ to. Depends only on activity strictly before b, so the state at the end of one period
 * is the state at the start of the next. For orders: an order in [b − window, b).
 */
export function activeAsOf(spans: readonly Span[], b: number): boolean {
  return spans.some((s) => s.from < b && b <= s.to)
}

/** First instant of activity (first completed order, first counted subscription instant). */
export function firstActivity(spans: readonly Span[]): number {
  let first = Number.POSITIVE_INFINITY
  for (const s of spans) first = Math.min(first, s.from)
  return first
}

/** Sorts customer ids: numbers ascending, then strings in code-unit order. */
export function sortIds(ids: Iterable<CustomerId>): CustomerId[] {
  return [...ids].sort((a, b) => {
    if (typeof a === 'number' && typeof b === 'number') return a - b
    if (typeof a === 'number') return -1
    if (typeof b === 'number') return 1
    return a < b ? -1 : a > b ? 1 : 0
  })
}
