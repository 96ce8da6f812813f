import { describe, expect, it } from 'vitest'
import {
  churnFeatureRow,
  churnLabel,
  formulaClv,
  rfmOf,
  spendOf,
  valueTiers,
  type CustomerSummary,
} from './features.ts'

const base: CustomerSummary = {
  customerId: 7,
  orderDays: 4,
  firstDay: 1000,
  lastDay: 1090,
  valueMinor: 40_000,
  valuedDays: 4,
  repeatValueMinor: 27_000,
  repeatValuedDays: 3,
  medianGapDays: 30,
  lastGapDays: 40,
  earlierMeanGapDays: 25,
  spendRecentMinor: 6_500,
  spendPreviousMinor: 10_000,
  tickets: 2,
  unresolvedTickets: 1,
  lastNps: 3,
  lastCsat: null,
  plan: null,
  planChanges: 0,
}

describe('prediction features', () => {
  it('(x, t_x, T) and (x, m) as in Fader, Hardie & Lee: repeat order days, first order left out', () => {
    expect(rfmOf(base, 1100, 'day')).toEqual({ x: 3, tx: 90, T: 100 })
    expect(rfmOf(base, 1100, 'week')).toEqual({ x: 3, tx: 90 / 7, T: 100 / 7 })
    expect(rfmOf({ ...base, orderDays: 0, firstDay: null, lastDay: null }, 1100, 'day')).toBeNull()
    expect(spendOf(base)).toEqual({ x: 3, m: 9_000 })
    expect(spendOf({ ...base, repeatValuedDays: 0, repeatValueMinor: 0 })).toEqual({ x: 0, m: 0 })
  })

  it('churn features use the meanings the reason phrases expect', () => {
    const row = churnFeatureRow(base, 1132, 0.4)
    expect(row).toMatchObject({
      id: '7',
      recency_days: 42,
      usual_gap_days: 30,
      frequency: 4,
      monetary: 100,
      tenure_days: 132,
      p_alive: 0.4,
      tickets: 2,
      unresolved_tickets: 1,
      last_nps: 3,
      plan: 'none',
    })
    expect(row.spend_trend).toBeCloseTo(-0.35, 12)
    expect(row.gap_trend).toBeCloseTo(0.6, 12)
    expect(churnFeatureRow({ ...base, spendPreviousMinor: 0 }, 1132, null).spend_trend).toBeNull()
  })

  it('label: churned only without an order in the window and without a subscription at its end', () => {
    expect(churnLabel(false, false)).toBe(1)
    expect(churnLabel(true, false)).toBe(0)
    expect(churnLabel(false, true)).toBe(0)
  })

  it('formula CLV: margin × AOV × order rate × horizon, discounted monthly; 0 once lapsed', () => {
    // AOV 10,000; 4 order days over 100 days → 1.2 orders a month; 12 months at 1 % a month.
    const o = { horizonDays: 360, activityWindowDays: 365, monthlyDiscountRate: 0.01, margin: 0.5 }
    let annuity = 0
    for (let k = 1; k <= 12; k++) annuity += 1 / 1.01 ** k
    expect(formulaClv(base, 1100, o)).toBeCloseTo(0.5 * 10_000 * 1.2 * annuity, 6)
    expect(formulaClv(base, 1090 + 366, o)).toBe(0)
  })

  it("value tiers are the segments module's: top 1 % platinum, 5 % gold, 20 % silver; ties share", () => {
    const values = Array.from({ length: 200 }, (_, i) => (i + 1) * 100)
    const tiers = valueTiers(values)
    expect(tiers[199]).toBe('platinum') // 1 of 200 = 0.5 %
    expect(tiers[198]).toBe('platinum') // 2 of 200 = 1 %
    expect(tiers[197]).toBe('gold')
    expect(tiers[190]).toBe('gold') // 10 of 200 = 5 %
    expect(tiers[189]).toBe('silver')
    expect(tiers[160]).toBe('silver') // 40 of 200 = 20 %
    expect(tiers[159]).toBe('standard')
    expect(tiers.filter((t) => t === 'standard')).toHaveLength(160)
    // null stays null; ties share a tier whatever their order.
    const tied = valueTiers([...Array.from({ length: 98 }, () => 1), 50, null, 50])
    expect(tied[98]).toBe('gold')
    expect(tied[100]).toBe('gold')
    expect(tied[99]).toBeNull()
  })
})
