import { describe, it, expect } from 'vitest'
import {
  checkSurvivors,
  sbgChurnProbability,
  sbgDiscountedExpectedLifetime,
  sbgDiscountedExpectedResidualLifetime,
  sbgExpectedLifetime,
  sbgFit,
  sbgLogLikelihood,
  sbgObjective,
  sbgRetentionRate,
  sbgSurvival,
} from './sbg.ts'
import { gradientError } from './optimize.ts'

// Fader & Hardie (2007), Table 1: customers per 1,000 still active at the start and after years
// 1–7 (identical to pymc-marketing data/sbg_paper.csv; reference §5).
const REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241]
const HIGH_END = [1000, 869, 743, 653, 593, 551, 517, 491]

describe('sbgFit on the Fader & Hardie (2007) data', () => {
  it('Regular: α = 0.704, β = 1.182, LL −1680.265', () => {
    const fit = sbgFit(REGULAR)
    expect(fit.converged).toBe(true)
    expect(fit.params.alpha).toBeCloseTo(0.704, 3)
    expect(fit.params.beta).toBeCloseTo(1.182, 3)
    expect(fit.logLikelihood).toBeCloseTo(-1680.265, 2)
    expect(fit.standardErrors.alpha).toBeGreaterThan(0)
    expect(fit.params.alpha / (fit.params.alpha + fit.params.beta)).toBeCloseTo(0.373, 3)
  })

  it('High End: α = 0.668, β = 3.806, LL −1611.158', () => {
    const fit = sbgFit(HIGH_END)
    expect(fit.converged).toBe(true)
    expect(fit.params.alpha).toBeCloseTo(0.668, 3)
    expect(fit.params.beta).toBeCloseTo(3.806, 3)
    expect(fit.logLikelihood).toBeCloseTo(-1611.158, 2)
    expect(fit.params.alpha / (fit.params.alpha + fit.params.beta)).toBeCloseTo(0.149, 3)
  })

  it('projects the survival curve for years 1–12 (reference §5)', () => {
    const regular = [
      0.6267, 0.4738, 0.388, 0.3321, 0.2923, 0.2625, 0.239, 0.2201, 0.2044, 0.1912, 0.1799, 0.17,
    ]
    const highEnd = [
      0.8507, 0.7469, 0.6698, 0.6099, 0.5618, 0.5222, 0.4889, 0.4604, 0.4358, 0.4142, 0.3951, 0.378,
    ]
    const r = sbgFit(REGULAR).params
    const h = sbgFit(HIGH_END).params
    regular.forEach((v, i) => expect(sbgSurvival(r, i + 1)).toBeCloseTo(v, 4))
    highEnd.forEach((v, i) => expect(sbgSurvival(h, i + 1)).toBeCloseTo(v, 4))
  })
})

describe('sBG quantities', () => {
  const p = { alpha: 0.704, beta: 1.182 }

  it('churn probabilities and survival are consistent: S(t−1) − S(t) = P(T = t), r_t = S(t)/S(t−1)', () => {
    expect(sbgSurvival(p, 0)).toBe(1)
    for (let t = 1; t <= 20; t++) {
      expect(sbgSurvival(p, t - 1) - sbgSurvival(p, t)).toBeCloseTo(sbgChurnProbability(p, t), 14)
      expect(sbgSurvival(p, t) / sbgSurvival(p, t - 1)).toBeCloseTo(sbgRetentionRate(p, t), 14)
    }
    expect(sbgChurnProbability(p, 1)).toBeCloseTo(p.alpha / (p.alpha + p.beta), 14)
  })

  it('log-likelihood and its analytic gradient (central differences)', () => {
    let want = 0
    for (let t = 1; t < REGULAR.length; t++) {
      want +=
        ((REGULAR[t - 1] as number) - (REGULAR[t] as number)) * Math.log(sbgChurnProbability(p, t))
    }
    want += (REGULAR[REGULAR.length - 1] as number) * Math.log(sbgSurvival(p, REGULAR.length - 1))
    expect(sbgLogLikelihood(p, REGULAR)).toBeCloseTo(want, 9)
    expect(gradientError(sbgObjective(REGULAR), [p.alpha, p.beta])).toBeLessThan(1e-6)
  })

  it('DEL and DERL equal their defining discounted sums; E[T] = (α+β−1)/(α−1) for α > 1', () => {
    const d = 0.1
    let del = 0
    for (let t = 0; t < 5000; t++) del += sbgSurvival(p, t) / (1 + d) ** t
    expect(sbgDiscountedExpectedLifetime(p, d)).toBeCloseTo(del, 9)
    for (const n of [1, 3, 10]) {
      let derl = 0
      for (let k = 0; k < 5000; k++)
        derl += sbgSurvival(p, n + k) / sbgSurvival(p, n - 1) / (1 + d) ** k
      expect(sbgDiscountedExpectedResidualLifetime(p, n, d)).toBeCloseTo(derl, 9)
    }
    // Longer tenure, more loyal survivors: DERL increases with n.
    expect(sbgDiscountedExpectedResidualLifetime(p, 10, d)).toBeGreaterThan(
      sbgDiscountedExpectedResidualLifetime(p, 1, d),
    )
    expect(sbgExpectedLifetime(p)).toBe(Infinity) // α < 1: heavy tail of loyal customers
    const q = { alpha: 2.5, beta: 4 }
    expect(sbgExpectedLifetime(q)).toBeCloseTo(5.5 / 1.5, 12)
    expect(sbgDiscountedExpectedLifetime(q, 0)).toBeCloseTo(5.5 / 1.5, 10)
  })

  it('rejects invalid survivor counts and discount rates', () => {
    expect(checkSurvivors([1000])).toMatch(/at least one later count/)
    expect(checkSurvivors([1000, 900, 950])).toMatch(/must not increase/)
    expect(checkSurvivors([0, 0])).toMatch(/positive count/)
    expect(() => sbgFit([1000, -1])).toThrow(RangeError)
    expect(() => sbgDiscountedExpectedLifetime(p, -0.1)).toThrow(RangeError)
    expect(() => sbgDiscountedExpectedResidualLifetime(p, 0, 0.1)).toThrow(/periodsPaid/)
  })
})
