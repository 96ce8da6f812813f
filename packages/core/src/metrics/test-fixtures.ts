/**
 * Test-only helpers: random customer histories for the property tests of the metrics. Not exported
 * from the package.
 */
import fc from 'fast-check'
import type { OrderInput, SubscriptionInput } from './inputs.ts'

export const ROME = 'Europe/Rome'
export const HOUR = 3_600_000
export const DAY = 24 * HOUR

/** Epoch milliseconds of an ISO string with Z or an offset. */
export const utc = (iso: string): number => {
  const ms = Date.parse(iso)
  if (!Number.isFinite(ms)) throw new RangeError(`bad test instant ${iso}`)
  return ms
}

/** The window random histories live in: 2022-01-01 to 2025-01-01 (UTC). */
export const T0 = utc('2022-01-01T00:00:00Z')
export const T1 = utc('2025-01-01T00:00:00Z')

const instant = fc.integer({ min: T0, max: T1 })
/** Instants that land on a few shared values, so boundary collisions actually happen. */
const collidingInstant = fc.oneof(
  instant,
  fc.constantFrom(T0, T0 + 90 * DAY, T0 + 365 * DAY, T0 + 400 * DAY, T0 + 730 * DAY),
)

export const customerIdArb = fc.integer({ min: 1, max: 12 })

export const orderArb: fc.Arbitrary<OrderInput> = fc.record({
  customerId: fc.option(customerIdArb, { nil: null, freq: 10 }),
  at: collidingInstant,
  amount: fc.integer({ min: 0, max: 50_000 }),
  status: fc.constantFrom('completed', 'completed', 'completed', 'refunded', 'cancelled'),
})

export const subscriptionArb: fc.Arbitrary<SubscriptionInput> = fc
  .record({
    customerId: customerIdArb,
    startedAt: collidingInstant,
    length: fc.option(fc.integer({ min: 0, max: 800 * DAY }), { nil: null }),
    trial: fc.option(fc.integer({ min: 0, max: 30 * DAY }), { nil: null }),
    amount: fc.integer({ min: 0, max: 20_000 }),
    interval: fc.constantFrom('month', 'month', 'year', 'week', 'day'),
    intervalCount: fc.constantFrom(1, 1, 3),
    changes: fc.array(
      fc.record({
        offset: fc.integer({ min: -10 * DAY, max: 600 * DAY }),
        amount: fc.option(fc.integer({ min: 0, max: 20_000 }), { nil: null }),
      }),
      { maxLength: 3 },
    ),
  })
  .map((r) => ({
    customerId: r.customerId,
    startedAt: r.startedAt,
    endedAt: r.length === null ? null : r.startedAt + r.length,
    trialEndsAt: r.trial === null ? null : r.startedAt + r.trial,
    amount: r.amount,
    interval: r.interval,
    intervalCount: r.intervalCount,
    changes: r.changes.map((c) => ({ at: r.startedAt + c.offset, amount: c.amount })),
  }))

export const ordersArb = fc.array(orderArb, { maxLength: 60 })
export const subscriptionsArb = fc.array(subscriptionArb, { maxLength: 25 })

/** A period [start, end) inside the history window. */
export const periodArb = fc
  .tuple(collidingInstant, fc.integer({ min: 1, max: 500 * DAY }))
  .map(([start, length]) => ({ start, end: start + length }))

/** Three consecutive periods sharing boundaries. */
export const consecutivePeriodsArb = fc
  .tuple(
    collidingInstant,
    fc.array(fc.integer({ min: 1, max: 200 * DAY }), { minLength: 3, maxLength: 3 }),
  )
  .map(([start, lengths]) => {
    const bounds = [start]
    for (const length of lengths) bounds.push((bounds[bounds.length - 1] as number) + length)
    return bounds.slice(1).map((end, i) => ({ start: bounds[i] as number, end }))
  })

/** `count` customers with ids `${prefix}${i}`. */
export const ids = (prefix: string, count: number): string[] =>
  Array.from({ length: count }, (_, i) => `${prefix}${i}`)
