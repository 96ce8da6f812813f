import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { monthlyAmount } from './inputs.ts'
import type { SubscriptionInput } from './inputs.ts'
import { ltvFromSubscriptions, mrrAsOf, mrrMovements } from './subscriptions.ts'
import { consecutivePeriodsArb, periodArb, subscriptionsArb } from './test-fixtures.ts'

describe('monthlyAmount', () => {
  it('normalises billing intervals to a month, in whole minor units', () => {
    expect(monthlyAmount(5000)).toBe(5000)
    expect(monthlyAmount(60_000, 'year')).toBe(5000)
    expect(monthlyAmount(15_000, 'month', 3)).toBe(5000) // quarterly
    expect(monthlyAmount(10_000, 'month', 2)).toBe(5000)
    expect(monthlyAmount(1000, 'week')).toBe(4333) // 1000 × 52 / 12 = 4333.33
    expect(monthlyAmount(100, 'day')).toBe(3042) // 100 × 365 / 12 = 3041.67
    expect(monthlyAmount(9999, 'year')).toBe(833) // 833.25
    expect(monthlyAmount(18, 'year')).toBe(2) // 1.5 rounds half up
    expect(() => monthlyAmount(10.5)).toThrow(RangeError)
    expect(() => monthlyAmount(100, 'month', 0)).toThrow(RangeError)
  })
})

describe('mrrAsOf', () => {
  it('sums active paid subscriptions, excluding trials, applying changes from their instant', () => {
    const subscriptions: SubscriptionInput[] = [
      { customerId: 'a', startedAt: '2024-01-01T00:00:00Z', amount: 5000 },
      { customerId: 'a', startedAt: '2024-01-01T00:00:00Z', amount: 60_000, interval: 'year' },
      // in trial until 2024-03-15
      {
        customerId: 'b',
        startedAt: '2024-03-01T00:00:00Z',
        trialEndsAt: '2024-03-15T00:00:00Z',
        amount: 3000,
      },
      // ended exactly at the boundary: still counted as of it (active just before)
      {
        customerId: 'c',
        startedAt: '2024-01-01T00:00:00Z',
        endedAt: '2024-03-10T00:00:00Z',
        amount: 1000,
      },
      // price change on 2024-03-05 (amount is for the whole quantity, as in the ingest records)
      {
        customerId: 'd',
        startedAt: '2024-01-01T00:00:00Z',
        amount: 1000,
        changes: [{ at: '2024-03-05T00:00:00Z', amount: 4000 }],
      },
    ]
    const snapshot = mrrAsOf(subscriptions, '2024-03-10T00:00:00Z')
    expect(snapshot.customers).toEqual([
      { customerId: 'a', mrr: 10_000 },
      { customerId: 'c', mrr: 1000 },
      { customerId: 'd', mrr: 4000 },
    ])
    expect(snapshot.mrr).toBe(15_000)
    expect(snapshot.payingCustomers).toBe(3)
    expect(snapshot.arpc.value).toBe(5000)
    expect(mrrAsOf(subscriptions, '2024-03-20T00:00:00Z').mrr).toBe(10_000 + 3000 + 4000)
    expect(mrrAsOf([], '2024-03-20T00:00:00Z').arpc.defined).toBe(false)
  })
})

describe('mrrMovements', () => {
  const may = { start: '2024-05-01T00:00:00Z', end: '2024-06-01T00:00:00Z' }
  const subscriptions: SubscriptionInput[] = [
    // new: first paid in May
    { customerId: 'new', startedAt: '2024-05-10T00:00:00Z', amount: 3000 },
    // new after a trial that started in April
    {
      customerId: 'trial',
      startedAt: '2024-04-25T00:00:00Z',
      trialEndsAt: '2024-05-09T00:00:00Z',
      amount: 1000,
    },
    // expansion
    {
      customerId: 'up',
      startedAt: '2024-01-01T00:00:00Z',
      amount: 2000,
      changes: [{ at: '2024-05-15T00:00:00Z', amount: 3500 }],
    },
    // contraction
    {
      customerId: 'down',
      startedAt: '2024-01-01T00:00:00Z',
      amount: 6000,
      changes: [{ at: '2024-05-15T00:00:00Z', amount: 2000 }],
    },
    // churn: ends inside May
    {
      customerId: 'gone',
      startedAt: '2024-01-01T00:00:00Z',
      endedAt: '2024-05-20T00:00:00Z',
      amount: 4000,
    },
    // reactivation: paid in February, back in May
    {
      customerId: 'back',
      startedAt: '2024-02-01T00:00:00Z',
      endedAt: '2024-03-01T00:00:00Z',
      amount: 1500,
    },
    { customerId: 'back', startedAt: '2024-05-05T00:00:00Z', amount: 1500 },
    // unchanged
    { customerId: 'same', startedAt: '2024-01-01T00:00:00Z', amount: 1000 },
    // in and out within May: never in a snapshot, no movement
    {
      customerId: 'blip',
      startedAt: '2024-05-03T00:00:00Z',
      endedAt: '2024-05-04T00:00:00Z',
      amount: 900,
    },
  ]

  it('classifies each customer into exactly one movement', () => {
    const result = mrrMovements(subscriptions, may)
    expect(result.customers.map((c) => [c.customerId, c.kind])).toEqual([
      ['back', 'reactivation'],
      ['down', 'contraction'],
      ['gone', 'churn'],
      ['new', 'new'],
      ['trial', 'new'],
      ['up', 'expansion'],
    ])
    expect(result.totals).toEqual({
      new: 4000,
      expansion: 1500,
      contraction: 4000,
      churn: 4000,
      reactivation: 1500,
    })
    expect(result.startMrr).toBe(2000 + 6000 + 4000 + 1000)
    expect(result.endMrr).toBe(3000 + 1000 + 3500 + 2000 + 1500 + 1000)
    expect(result.netNew.value).toBe(result.endMrr - result.startMrr)
    expect(result.grr.value).toBe((13_000 - 4000 - 4000) / 13_000)
    expect(result.nrr.value).toBe((13_000 + 1500 - 4000 - 4000) / 13_000)
    expect(result.revenueChurn.value).toBe(8000 / 13_000)
    expect(result.logoChurn.value).toBe(1 / 4)
  })

  it('counts a subscription ending exactly at the month boundary as churn in the next month', () => {
    const subs = [
      {
        customerId: 'x',
        startedAt: '2024-04-01T00:00:00Z',
        endedAt: '2024-05-01T00:00:00Z',
        amount: 100,
      },
    ]
    const april = mrrMovements(subs, { start: '2024-04-01T00:00:00Z', end: '2024-05-01T00:00:00Z' })
    expect(april.totals.new).toBe(100)
    expect(april.endMrr).toBe(100)
    expect(mrrMovements(subs, may).totals.churn).toBe(100)
  })

  it('movements add up to the change in MRR (property)', () => {
    fc.assert(
      fc.property(subscriptionsArb, periodArb, (subs, period) => {
        const result = mrrMovements(subs, period)
        const t = result.totals
        expect(t.new + t.expansion + t.reactivation - t.contraction - t.churn).toBe(
          result.endMrr - result.startMrr,
        )
        expect(result.netNew.value).toBe(result.endMrr - result.startMrr)
        expect(result.startMrr).toBe(mrrAsOf(subs, period.start).mrr)
        expect(result.endMrr).toBe(mrrAsOf(subs, period.end).mrr)
        for (const v of Object.values(t)) expect(v).toBeGreaterThanOrEqual(0)
        expect(new Set(result.customers.map((c) => c.customerId)).size).toBe(
          result.customers.length,
        )
        if (result.grr.defined && result.nrr.defined) {
          expect(result.grr.value).toBeLessThanOrEqual(1)
          expect(result.nrr.value - result.grr.value).toBeCloseTo(t.expansion / result.startMrr, 12)
        }
      }),
      { numRuns: 300 },
    )
  })

  it('chains: the end MRR of a period is the start MRR of the next (property)', () => {
    fc.assert(
      fc.property(subscriptionsArb, consecutivePeriodsArb, (subs, periods) => {
        const results = periods.map((p) => mrrMovements(subs, p))
        for (let i = 1; i < results.length; i++) {
          expect(results[i]?.startMrr).toBe(results[i - 1]?.endMrr)
        }
      }),
      { numRuns: 200 },
    )
  })
})

describe('ltvFromSubscriptions', () => {
  it('divides ARPC by the pooled trailing logo churn', () => {
    const subscriptions: SubscriptionInput[] = [
      ...Array.from({ length: 10 }, (_, i) => ({
        customerId: i,
        startedAt: '2024-01-01T00:00:00Z',
        endedAt: i === 0 ? '2024-02-15T00:00:00Z' : i === 1 ? '2024-03-15T00:00:00Z' : null,
        amount: 5000,
      })),
    ]
    const months = [
      { start: '2024-02-01T00:00:00Z', end: '2024-03-01T00:00:00Z' },
      { start: '2024-03-01T00:00:00Z', end: '2024-04-01T00:00:00Z' },
    ]
    const result = ltvFromSubscriptions(subscriptions, months)
    // 10 paying at the start of February, 1 lost; 9 at the start of March, 1 lost: 2 / 19.
    expect(result.trailingChurn.value).toBe(2 / 19)
    expect(result.arpc.value).toBe(5000)
    expect(result.ltv.value).toBe(5000 / (2 / 19))
    const noChurn = ltvFromSubscriptions(subscriptions.slice(2), months)
    expect(noChurn.ltv).toMatchObject({
      metric: 'ltv',
      defined: false,
      because: { input: 'churnRate' },
    })
  })
})
