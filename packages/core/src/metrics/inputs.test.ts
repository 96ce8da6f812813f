import { describe, expect, it } from 'vitest'
import {
  activitySpans,
  orderSchema,
  subscriptionSchema,
  toInstant,
  toPeriod,
  validOrders,
} from './inputs.ts'
import { DAY, utc } from './test-fixtures.ts'

describe('instants', () => {
  it('accepts epoch milliseconds and ISO date-times with Z or an offset', () => {
    expect(toInstant(0, 'at')).toBe(0)
    expect(toInstant('2024-03-31T23:30:00Z', 'at')).toBe(utc('2024-03-31T23:30:00Z'))
    expect(toInstant('2024-04-01T01:30:00+02:00', 'at')).toBe(utc('2024-03-31T23:30:00Z'))
    expect(toInstant('2024-04-01T01:30:00.250+02:00', 'at')).toBe(utc('2024-03-31T23:30:00.250Z'))
  })

  it('rejects strings the runtime would read in its own zone, and non-finite numbers', () => {
    expect(() => toInstant('2024-04-01T01:30:00', 'orders[3].at')).toThrow(/orders\[3\]\.at/)
    expect(() => toInstant('2024-04-01', 'at')).toThrow(RangeError)
    expect(() => toInstant(Number.NaN, 'at')).toThrow(RangeError)
    expect(() => toPeriod({ start: 10, end: 10 })).toThrow(/period: start must be before end/)
  })
})

describe('schemas', () => {
  it('validate rows at an edge with the same rules', () => {
    expect(
      orderSchema.safeParse({ customerId: 'c1', at: '2024-04-01T10:00:00Z', amount: 100 }).success,
    ).toBe(true)
    expect(
      orderSchema.safeParse({ customerId: null, at: 0, amount: 100, status: 'refunded' }).success,
    ).toBe(true)
    expect(
      orderSchema.safeParse({ customerId: 'c1', at: '2024-04-01T10:00:00', amount: 100 }).success,
    ).toBe(false)
    expect(orderSchema.safeParse({ customerId: 'c1', at: 0, amount: 1.5 }).success).toBe(false)
    expect(
      subscriptionSchema.safeParse({
        customerId: 1,
        startedAt: 0,
        amount: 100,
        interval: 'quarter',
      }).success,
    ).toBe(false)
  })
})

describe('activity spans', () => {
  it('give orders a window and subscriptions their paid life', () => {
    const spans = activitySpans(
      {
        orders: [
          { customerId: 'o', at: 1000, amount: 1 },
          { customerId: 'o', at: 2000, amount: 1, status: 'cancelled' },
        ],
        subscriptions: [
          { customerId: 's', startedAt: 0, trialEndsAt: 5 * DAY, endedAt: 30 * DAY, amount: 1 },
          // a trial that never converted: no activity unless trials count
          { customerId: 't', startedAt: 0, trialEndsAt: 14 * DAY, endedAt: 14 * DAY, amount: 1 },
        ],
      },
      { activityWindowDays: 10 },
    )
    expect(spans.get('o')).toEqual([{ from: 1000, to: 1000 + 10 * DAY }])
    expect(spans.get('s')).toEqual([{ from: 5 * DAY, to: 30 * DAY }])
    expect(spans.has('t')).toBe(false)
    const withTrials = activitySpans(
      {
        subscriptions: [
          { customerId: 't', startedAt: 0, trialEndsAt: 14 * DAY, endedAt: 14 * DAY, amount: 1 },
        ],
      },
      { includeTrials: true },
    )
    expect(withTrials.get('t')).toEqual([{ from: 0, to: 14 * DAY }])
  })

  it('net partial refunds and reject impossible ones', () => {
    expect(validOrders([{ customerId: 1, at: 0, amount: 1000, refundedAmount: 300 }])).toEqual([
      { customerId: 1, at: 0, revenue: 700 },
    ])
    expect(() => validOrders([{ customerId: 1, at: 0, amount: 1000, refundedAmount: -1 }])).toThrow(
      RangeError,
    )
  })
})
