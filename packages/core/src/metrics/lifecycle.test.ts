import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { presenceByCustomer, presentDuring } from './inputs.ts'
import { lifecycle } from './lifecycle.ts'
import { consecutivePeriodsArb, ordersArb, subscriptionsArb } from './test-fixtures.ts'

describe('lifecycle', () => {
  const march = { start: '2024-03-01T00:00:00+01:00', end: '2024-04-01T00:00:00+02:00' }
  const april = { start: '2024-04-01T00:00:00+02:00', end: '2024-05-01T00:00:00+02:00' }
  const orders = [
    { customerId: 'n', at: '2024-04-03T10:00:00Z', amount: 100 },
    { customerId: 'r', at: '2024-03-03T10:00:00Z', amount: 100 },
    { customerId: 'r', at: '2024-04-03T10:00:00Z', amount: 100 },
    { customerId: 'z', at: '2023-11-03T10:00:00Z', amount: 100 },
    { customerId: 'z', at: '2024-04-20T10:00:00Z', amount: 100 },
    { customerId: 'd', at: '2024-03-30T10:00:00Z', amount: 100 },
    { customerId: 'old', at: '2023-01-30T10:00:00Z', amount: 100 },
  ]

  it('classifies new, returning, resurrecting and dormant customers', () => {
    const result = lifecycle({ orders }, april, march)
    expect(result.customers).toEqual({
      new: ['n'],
      returning: ['r'],
      resurrecting: ['z'],
      dormant: ['d'],
    })
    expect(result.activeNow).toBe(3)
    expect(result.activePrevious).toBe(2)
  })

  it('rejects a previous period that overlaps the current one', () => {
    expect(() => lifecycle({ orders }, march, april)).toThrow(RangeError)
  })

  it('active(now) − active(previous) = new + resurrecting − dormant (property)', () => {
    fc.assert(
      fc.property(ordersArb, subscriptionsArb, consecutivePeriodsArb, (o, s, [p0, p1]) => {
        if (p0 === undefined || p1 === undefined) return
        const result = lifecycle({ orders: o, subscriptions: s }, p1, p0)
        const presence = [...presenceByCustomer({ orders: o, subscriptions: s }).values()]
        expect(result.activeNow).toBe(presence.filter((p) => presentDuring(p, p1)).length)
        expect(result.activePrevious).toBe(presence.filter((p) => presentDuring(p, p0)).length)
        const { counts } = result
        expect(result.activeNow - result.activePrevious).toBe(
          counts.new + counts.resurrecting - counts.dormant,
        )
      }),
      { numRuns: 200 },
    )
  })
})
