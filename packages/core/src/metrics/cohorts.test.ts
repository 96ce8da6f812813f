import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { cohortTable } from './cohorts.ts'
import { validOrders } from './inputs.ts'
import type { OrderInput, SubscriptionInput } from './inputs.ts'
import { ordersArb, ROME, subscriptionsArb, T0, T1 } from './test-fixtures.ts'

describe('cohortTable', () => {
  const orders: OrderInput[] = [
    { customerId: 'a', at: '2024-01-15T10:00:00Z', amount: 5000 },
    { customerId: 'a', at: '2024-02-10T10:00:00Z', amount: 3000 },
    { customerId: 'a', at: '2024-04-05T10:00:00Z', amount: 2000 },
    // 23:30 UTC on 31 January is 1 February in Rome: February cohort
    { customerId: 'b', at: '2024-01-31T23:30:00Z', amount: 700 },
    { customerId: 'c', at: '2024-01-03T10:00:00Z', amount: 1000 },
    { customerId: 'c', at: '2024-03-20T10:00:00Z', amount: 1000 },
    { customerId: 'c', at: '2024-02-20T10:00:00Z', amount: 9999, status: 'refunded' },
  ]
  const subscriptions: SubscriptionInput[] = [
    {
      customerId: 'd',
      startedAt: '2024-01-10T00:00:00Z',
      endedAt: '2024-02-15T00:00:00Z',
      amount: 900,
    },
  ]
  const table = cohortTable(
    { orders, subscriptions },
    { grain: 'month', timeZone: ROME, asOf: '2024-04-10T00:00:00Z' },
  )

  it('groups customers by the local month of their first activity', () => {
    expect(table.map((c) => [c.key, c.customers])).toEqual([
      ['2024-01', ['a', 'c', 'd']],
      ['2024-02', ['b']],
    ])
  })

  it('computes "on" and "on or after" retention, revenue retention and cumulative revenue', () => {
    const jan = table[0]
    expect(
      jan?.cells.map((c) => [c.key, c.active, c.activeOnOrAfter, c.revenue, c.complete]),
    ).toEqual([
      ['2024-01', 3, 3, 6000, true],
      ['2024-02', 2, 3, 3000, true], // a ordered, d was subscribed until 15 February
      ['2024-03', 1, 2, 1000, true],
      ['2024-04', 1, 1, 2000, false],
    ])
    expect(jan?.cells.map((c) => c.retention.value)).toEqual([1, 2 / 3, 1 / 3, 1 / 3])
    expect(jan?.cells.map((c) => c.retentionOnOrAfter.value)).toEqual([1, 1, 2 / 3, 1 / 3])
    expect(jan?.cells.map((c) => c.revenueRetention.value)).toEqual([
      1,
      0.5,
      1000 / 6000,
      2000 / 6000,
    ])
    expect(jan?.cells.map((c) => c.cumulativeRevenuePerCustomer.value)).toEqual([
      2000,
      3000,
      10_000 / 3,
      4000,
    ])
  })

  it('restricts cohorts to a range of first activity', () => {
    const feb = cohortTable(
      { orders, subscriptions },
      {
        grain: 'month',
        timeZone: ROME,
        asOf: '2024-04-10T00:00:00Z',
        firstActivityIn: { start: '2024-02-01T00:00:00+01:00', end: '2024-03-01T00:00:00+01:00' },
      },
    )
    expect(feb.map((c) => c.key)).toEqual(['2024-02'])
  })

  it('has offset 0 at 100 %, on-or-after never rising, and all revenue accounted for (property)', () => {
    fc.assert(
      fc.property(
        ordersArb,
        subscriptionsArb,
        fc.integer({ min: T0, max: T1 }),
        fc.constantFrom('week' as const, 'month' as const, 'quarter' as const),
        (orders, subscriptions, asOf, grain) => {
          const cohorts = cohortTable({ orders, subscriptions }, { grain, timeZone: ROME, asOf })
          let lastCumulative = 0
          for (const cohort of cohorts) {
            const [first, ...rest] = cohort.cells
            expect(first?.offset).toBe(0)
            expect(first?.retention.value).toBe(1)
            expect(first?.retentionOnOrAfter.value).toBe(1)
            let previous = cohort.size
            for (const cell of [first, ...rest]) {
              expect(cell?.active).toBeLessThanOrEqual(cell?.activeOnOrAfter ?? -1)
              expect(cell?.activeOnOrAfter).toBeLessThanOrEqual(previous)
              previous = cell?.activeOnOrAfter ?? 0
            }
            lastCumulative += cohort.cells[cohort.cells.length - 1]?.cumulativeRevenue ?? 0
          }
          const revenueBeforeAsOf = validOrders(orders)
            .filter((o) => o.at < asOf && o.customerId !== null)
            .reduce((total, o) => total + o.revenue, 0)
          expect(lastCumulative).toBe(revenueBeforeAsOf)
        },
      ),
      { numRuns: 150 },
    )
  })
})
