import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { activeCustomers, observedLifespan, periodCustomers, YEAR_MS } from './customers.ts'
import { activeAsOf, activeAt, activitySpans, sortIds, toPeriod } from './inputs.ts'
import type { CustomerId, OrderInput, PeriodInput } from './inputs.ts'
import {
  consecutivePeriodsArb,
  DAY,
  ordersArb,
  periodArb,
  subscriptionsArb,
  utc,
} from './test-fixtures.ts'

const Q2 = { start: '2024-04-01T00:00:00+02:00', end: '2024-07-01T00:00:00+02:00' }

describe('periodCustomers', () => {
  it('splits customers into retained, reactivated, new and lost', () => {
    const orders: OrderInput[] = [
      // retained: active before the start, ordered during the quarter
      { customerId: 'r', at: '2024-02-01T10:00:00Z', amount: 1000 },
      { customerId: 'r', at: '2024-05-01T10:00:00Z', amount: 1000 },
      // still retained without ordering in the quarter: the window has not passed
      { customerId: 'quiet', at: '2024-03-01T10:00:00Z', amount: 1000 },
      // lost: last order 300 days before the start
      { customerId: 'l', at: '2023-06-05T10:00:00Z', amount: 1000 },
      // reactivated: lapsed (order 2 years before), back in the quarter
      { customerId: 'x', at: '2022-01-10T10:00:00Z', amount: 1000 },
      { customerId: 'x', at: '2024-06-10T10:00:00Z', amount: 1000 },
      // new
      { customerId: 'n', at: '2024-04-10T10:00:00Z', amount: 1000 },
      // refunded and cancelled orders make nobody active
      { customerId: 'ghost', at: '2024-04-10T10:00:00Z', amount: 1000, status: 'refunded' },
      { customerId: 'r2', at: '2024-03-01T10:00:00Z', amount: 1000, status: 'cancelled' },
    ]
    const result = periodCustomers({ orders }, Q2)
    expect(result.counts).toEqual({
      S: 3,
      E: 4,
      N: 1,
      N_end: 1,
      retained: 2,
      reactivated: 1,
      lost: 1,
    })
    expect(result.customers).toEqual({
      S: ['l', 'quiet', 'r'],
      E: ['n', 'quiet', 'r', 'x'],
      N: ['n'],
      N_end: ['n'],
      retained: ['quiet', 'r'],
      reactivated: ['x'],
      lost: ['l'],
    })
    expect(result.crr.value).toBe(1) // (4 − 1) / 3: the reactivated customer counts as retained
    expect(result.retentionRate.value).toBe(2 / 3)
    expect(result.churnRate.value).toBe(1 / 3)
    expect(result.churnRateInverse.value).toBe(0)
    expect(result.explanation.differs).toBe(true)
  })

  it('reads boundaries as of the instant just before them', () => {
    const start = utc('2024-04-01T00:00:00Z')
    const end = utc('2024-05-01T00:00:00Z')
    const window = 365 * DAY
    const orders: OrderInput[] = [
      // an order exactly at start is new in this period, not part of S
      { customerId: 'atStart', at: start, amount: 1 },
      // an order exactly at end belongs to the next period: not in E, not new here
      { customerId: 'atEnd', at: end, amount: 1 },
      // an order exactly one window before the start: active as of start (window covers [o, o + W))
      { customerId: 'edge', at: start - window, amount: 1 },
      // one millisecond earlier: lapsed exactly at start − 1 ms... and so not in S
      { customerId: 'gone', at: start - window - 1, amount: 1 },
    ]
    const result = periodCustomers({ orders }, { start, end })
    expect(result.customers.S).toEqual(['edge'])
    expect(result.customers.N).toEqual(['atStart'])
    expect(result.customers.E).toEqual(['atStart'])
    expect(result.customers.lost).toEqual(['edge'])
  })

  it('counts subscriptions: trials excluded unless configured, an end at the boundary is a loss in the next period', () => {
    const subscriptions = [
      {
        customerId: 1,
        startedAt: '2024-01-01T00:00:00Z',
        endedAt: '2024-05-01T00:00:00Z',
        amount: 5000,
      },
      {
        customerId: 2,
        startedAt: '2024-04-20T00:00:00Z',
        trialEndsAt: '2024-05-04T00:00:00Z',
        amount: 5000,
      },
    ]
    const april = { start: '2024-04-01T00:00:00Z', end: '2024-05-01T00:00:00Z' }
    const may = { start: '2024-05-01T00:00:00Z', end: '2024-06-01T00:00:00Z' }
    expect(periodCustomers({ subscriptions }, april).counts).toMatchObject({
      S: 1,
      E: 1,
      N: 0,
      lost: 0,
    })
    expect(periodCustomers({ subscriptions }, may).counts).toMatchObject({
      S: 1,
      E: 1,
      N: 1,
      lost: 1,
    })
    expect(periodCustomers({ subscriptions }, april, { includeTrials: true }).counts).toMatchObject(
      {
        E: 2,
        N: 1,
      },
    )
  })

  it('honours the activity window', () => {
    const orders = [{ customerId: 'a', at: '2024-01-10T00:00:00Z', amount: 1 }]
    const period = { start: '2024-03-01T00:00:00Z', end: '2024-04-01T00:00:00Z' }
    expect(periodCustomers({ orders }, period, { activityWindowDays: 30 }).counts.S).toBe(0)
    expect(periodCustomers({ orders }, period, { activityWindowDays: 90 }).counts.E).toBe(1)
    expect(() => periodCustomers({ orders }, period, { activityWindowDays: 0 })).toThrow(RangeError)
  })

  it('rejects instants without a zone and periods that end before they start', () => {
    const orders = [{ customerId: 'a', at: '2024-01-10T10:00:00', amount: 1 }]
    const period = { start: '2024-03-01T00:00:00Z', end: '2024-04-01T00:00:00Z' }
    expect(() => periodCustomers({ orders }, period)).toThrow(/orders\[0\]\.at/)
    expect(() => periodCustomers({}, { start: period.end, end: period.start })).toThrow(/period/)
  })
})

/** Independent formulation for orders only: plain filters over order instants. */
function bruteForce(orders: readonly OrderInput[], period: PeriodInput, windowDays = 365) {
  const { start, end } = toPeriod(period)
  const w = windowDays * DAY
  const completed = orders
    .filter((o) => (o.status ?? 'completed') === 'completed')
    .flatMap((o) => (o.customerId === null ? [] : [{ id: o.customerId, at: o.at as number }]))
  const customers = [...new Set(completed.map((o) => o.id))]
  const has = (id: CustomerId, from: number, to: number) =>
    completed.some((o) => o.id === id && from <= o.at && o.at < to)
  const first = (id: CustomerId) =>
    Math.min(...completed.filter((o) => o.id === id).map((o) => o.at))
  const S = customers.filter((id) => has(id, start - w, start))
  const E = customers.filter((id) => has(id, end - w, end))
  const N = customers.filter((id) => start <= first(id) && first(id) < end)
  return { S: sortIds(S), E: sortIds(E), N: sortIds(N) }
}

describe('period customer invariants (property)', () => {
  it('retained + lost = S, E = retained + reactivated + N_end, N_end ≤ N', () => {
    fc.assert(
      fc.property(
        ordersArb,
        subscriptionsArb,
        periodArb,
        fc.boolean(),
        (orders, subscriptions, period, trials) => {
          const { counts, customers } = periodCustomers({ orders, subscriptions }, period, {
            includeTrials: trials,
          })
          expect(counts.retained + counts.lost).toBe(counts.S)
          expect(counts.retained + counts.reactivated + counts.N_end).toBe(counts.E)
          expect(counts.N_end).toBeLessThanOrEqual(counts.N)
          // new customers are never in S
          expect(customers.N.filter((id) => customers.S.includes(id))).toEqual([])
        },
      ),
      { numRuns: 300 },
    )
  })

  it('agrees with a plain-filter formulation for orders', () => {
    fc.assert(
      fc.property(
        ordersArb,
        periodArb,
        fc.constantFrom(30, 90, 365),
        (orders, period, windowDays) => {
          const result = periodCustomers({ orders }, period, { activityWindowDays: windowDays })
          const expected = bruteForce(orders, period, windowDays)
          expect(result.customers.S).toEqual(expected.S)
          expect(result.customers.E).toEqual(expected.E)
          expect(result.customers.N).toEqual(expected.N)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('chains periods: E of one period is S of the next', () => {
    fc.assert(
      fc.property(
        ordersArb,
        subscriptionsArb,
        consecutivePeriodsArb,
        (orders, subscriptions, periods) => {
          const results = periods.map((p) => periodCustomers({ orders, subscriptions }, p))
          for (let i = 1; i < results.length; i++) {
            expect(results[i]?.customers.S).toEqual(results[i - 1]?.customers.E)
          }
        },
      ),
      { numRuns: 200 },
    )
  })

  it('"as of b" equals "active at b − 1 ms" for millisecond data', () => {
    fc.assert(
      fc.property(ordersArb, subscriptionsArb, periodArb, (orders, subscriptions, period) => {
        for (const spans of activitySpans({ orders, subscriptions }).values()) {
          expect(activeAsOf(spans, period.start)).toBe(activeAt(spans, period.start - 1))
        }
      }),
      { numRuns: 200 },
    )
  })
})

describe('activeCustomers and observedLifespan', () => {
  it('counts customers active as of an instant', () => {
    const orders = [
      { customerId: 'a', at: '2024-01-10T00:00:00Z', amount: 1 },
      { customerId: 'b', at: '2022-01-10T00:00:00Z', amount: 1 },
    ]
    expect(activeCustomers({ orders }, '2024-06-01T00:00:00Z')).toEqual({
      count: 1,
      customers: ['a'],
    })
  })

  it('averages first activity → lapse over lapsed customers, in years', () => {
    const orders = [
      // lapsed: first 2020-01-01, last 2020-07-01, lapse = last + 365 days
      { customerId: 'a', at: '2020-01-01T00:00:00Z', amount: 1 },
      { customerId: 'a', at: '2020-07-01T00:00:00Z', amount: 1 },
      // lapsed one-time buyer: lifespan = the window
      { customerId: 'b', at: '2021-01-01T00:00:00Z', amount: 1 },
      // still active: not counted
      { customerId: 'c', at: '2023-12-01T00:00:00Z', amount: 1 },
    ]
    const result = observedLifespan({ orders }, '2024-01-01T00:00:00Z')
    const a = utc('2020-07-01T00:00:00Z') + 365 * DAY - utc('2020-01-01T00:00:00Z')
    const b = 365 * DAY
    expect(result.customers).toEqual(['a', 'b'])
    expect(result.value).toBeCloseTo((a + b) / 2 / YEAR_MS, 12)
    expect(observedLifespan({ orders }, '2020-06-01T00:00:00Z').defined).toBe(false)
  })
})
