import { describe, expect, it } from 'vitest'
import type { OrderInput } from './inputs.ts'
import { periodCustomers } from './customers.ts'
import { clvFromHistory, periodOrders } from './orders.ts'

const june = { start: '2024-06-01T00:00:00+02:00', end: '2024-07-01T00:00:00+02:00' }

describe('periodOrders', () => {
  it('sums completed orders net of partial refunds; ignores refunded and cancelled orders', () => {
    const orders: OrderInput[] = [
      { customerId: 1, at: '2024-06-02T10:00:00Z', amount: 10_000, refundedAmount: 2500 },
      { customerId: 1, at: '2024-06-20T10:00:00Z', amount: 5000 },
      { customerId: 2, at: '2024-06-21T10:00:00Z', amount: 3000 },
      { customerId: 2, at: '2024-06-22T10:00:00Z', amount: 9000, status: 'refunded' },
      { customerId: 3, at: '2024-06-22T10:00:00Z', amount: 9000, status: 'cancelled' },
      // 30 June 22:30 UTC is 1 July in Rome: outside June
      { customerId: 4, at: '2024-06-30T22:30:00Z', amount: 7000 },
    ]
    const result = periodOrders(orders, june)
    expect(result).toMatchObject({
      revenue: 15_500,
      orders: 3,
      orderingCustomers: 2,
      repeatCustomers: 1,
    })
    expect(result.aov.value).toBe(15_500 / 3)
    expect(result.purchaseFrequency.value).toBe(1.5)
    expect(result.repeatPurchaseRate.value).toBe(0.5)
    expect(result.customers).toEqual({ ordering: [1, 2], repeat: [1] })
  })

  it('counts anonymous sales in revenue, orders and AOV, never as customers', () => {
    const orders: OrderInput[] = [
      { customerId: 1, at: '2024-06-02T10:00:00Z', amount: 4000 },
      { customerId: 1, at: '2024-06-03T10:00:00Z', amount: 4000 },
      { customerId: null, at: '2024-06-04T10:00:00Z', amount: 1000 },
    ]
    const result = periodOrders(orders, june)
    expect(result).toMatchObject({
      revenue: 9000,
      orders: 3,
      customerOrders: 2,
      orderingCustomers: 1,
    })
    expect(result.aov.value).toBe(3000)
    expect(result.purchaseFrequency.value).toBe(2)
    expect(periodCustomers({ orders }, june).counts.N).toBe(1)
  })

  it('rejects refunds larger than the order and non-integer money', () => {
    const at = '2024-06-02T10:00:00Z'
    expect(() =>
      periodOrders([{ customerId: 1, at, amount: 100, refundedAmount: 101 }], june),
    ).toThrow(/orders\[0\]\.refundedAmount/)
    expect(() => periodOrders([{ customerId: 1, at, amount: 10.5 }], june)).toThrow(
      /orders\[0\]\.amount/,
    )
  })
})

describe('clvFromHistory', () => {
  it('is undefined, with the reason, when nobody was active at the start', () => {
    const orders = [{ customerId: 1, at: '2024-06-02T10:00:00Z', amount: 1000 }]
    const result = clvFromHistory({ orders }, june, { periodsPerYear: 12 })
    expect(result.clv).toMatchObject({
      metric: 'clv',
      defined: false,
      because: { input: 'S' },
      inputs: { averagePurchaseValue: 1000, purchaseFrequencyPerYear: 12, lifespanYears: null },
    })
  })

  it('is undefined when nobody was lost: the lifespan is unbounded', () => {
    const orders = [
      { customerId: 1, at: '2024-05-20T10:00:00Z', amount: 1000 },
      { customerId: 1, at: '2024-06-20T10:00:00Z', amount: 1000 },
    ]
    const result = clvFromHistory({ orders }, june, { periodsPerYear: 12 })
    expect(result.averageLifespan?.defined).toBe(false)
    expect(result.clv).toMatchObject({ defined: false, because: { input: 'annualChurnRate' } })
  })

  it('annualises a monthly churn and frequency', () => {
    const orders: OrderInput[] = [
      ...Array.from({ length: 10 }, (_, i) => ({
        customerId: i,
        at: '2024-05-20T10:00:00Z',
        amount: 2000,
      })),
      // one customer lapses in June with a 30-day window; the others order again
      ...Array.from({ length: 9 }, (_, i) => ({
        customerId: i + 1,
        at: '2024-06-10T10:00:00Z',
        amount: 2000,
      })),
    ]
    const result = clvFromHistory({ orders }, june, { periodsPerYear: 12, activityWindowDays: 30 })
    expect(result.customers.churnRate.value).toBe(0.1)
    expect(result.annualChurnRate?.value).toBeCloseTo(1 - 0.9 ** 12, 15)
    expect(result.purchaseFrequencyPerYear.value).toBe(12)
    expect(result.clv.value).toBeCloseTo((2000 * 12) / (1 - 0.9 ** 12), 6)
  })
})
