import { describe, it, expect } from 'vitest'
import { discountedClv, expectedCumulativePurchases, solveQuantile } from './forecast.ts'

describe('discountedClv', () => {
  it('discounts the purchases expected in each period at its end', () => {
    // E[Y(t)] = 0.5 t: 0.5·Δ purchases per period.
    const clv = discountedClv((t) => 0.5 * t, 20, {
      periods: 3,
      periodLength: 2,
      discountRate: 0.1,
      margin: 0.5,
    })
    const want = 0.5 * 20 * (1 / 1.1 + 1 / 1.1 ** 2 + 1 / 1.1 ** 3)
    expect(clv).toBeCloseTo(want, 12)
    expect(discountedClv((t) => t, 20, { periods: 0, periodLength: 1, discountRate: 0 })).toBe(0)
  })

  it('rejects nonsensical options', () => {
    const f = (t: number): number => t
    expect(() => discountedClv(f, 1, { periods: 1.5, periodLength: 1, discountRate: 0 })).toThrow(
      /periods/,
    )
    expect(() => discountedClv(f, 1, { periods: 1, periodLength: 0, discountRate: 0 })).toThrow(
      /periodLength/,
    )
    expect(() => discountedClv(f, 1, { periods: 1, periodLength: 1, discountRate: -1 })).toThrow(
      /discountRate/,
    )
  })
})

describe('expectedCumulativePurchases', () => {
  it('sums E[X(τ − birth)] over customers born before τ, with weights', () => {
    const out = expectedCumulativePurchases((t) => 2 * t, [0, 1, 5], [1, 4, 6], [1, 2, 1])
    expect(Array.from(out)).toEqual([2 * 1, 2 * 4 + 2 * 2 * 3, 2 * 6 + 2 * 2 * 5 + 2 * 1])
  })
})

describe('solveQuantile', () => {
  it('inverts a CDF and returns Infinity when the limit does not exceed q', () => {
    const cdf = (t: number): number => 0.8 * (1 - Math.exp(-t / 3))
    const t = solveQuantile(cdf, 0.8, 0.4, 1)
    expect(t).toBeCloseTo(3 * Math.log(2), 8)
    expect(solveQuantile(cdf, 0.8, 0.8, 1)).toBe(Infinity)
    expect(solveQuantile(cdf, 0.8, 0, 1)).toBe(0)
  })
})
