import { describe, it, expect } from 'vitest'
import {
  gammaGammaCustomerLogLikelihood,
  gammaGammaExpectedValue,
  gammaGammaFit,
  gammaGammaLogLikelihood,
  gammaGammaObjective,
  gammaGammaPopulationMean,
  spendFrequencyCorrelation,
} from './gamma-gamma.ts'
import type { GammaGammaParams } from './gamma-gamma.ts'
import { gradientError } from './optimize.ts'

// Fitted on the lifetimes 2-dp CSV (reference §1.3); lifetimes prints "p: 6.25, q: 3.74, v: 15.45".
const CSV_2DP: GammaGammaParams = { p: 6.248803, q: 3.744588, gamma: 15.447746 }

describe('Gamma-Gamma density', () => {
  it('integrates to one over m for several x (it is a density of the mean spend)', () => {
    for (const x of [1, 3, 12]) {
      // Composite Simpson on (0, 40000] after the substitution m = u² (the tail is ~ m^(−q−1)).
      const n = 40000
      const h = 200 / n
      let s = 0
      for (let i = 1; i <= n; i++) {
        const u = i * h
        const f = Math.exp(gammaGammaCustomerLogLikelihood(CSV_2DP, x, u * u)) * 2 * u
        s += (i === n ? 1 : i % 2 === 1 ? 4 : 2) * f
      }
      expect((s * h) / 3).toBeCloseTo(1, 6)
    }
  })

  it('has an analytic gradient equal to central differences', () => {
    const data = {
      x: [1, 1, 2, 7, 29],
      m: [11.77, 40, 22.35, 73.74, 26.26],
      weight: [3, 1, 2, 1, 1],
    }
    const f = gammaGammaObjective(data)
    for (const p0 of [
      [6.25, 3.74, 15.44],
      [0.5, 1.2, 300],
    ]) {
      expect(gradientError(f, p0)).toBeLessThan(1e-6)
    }
    let want = 0
    for (let i = 0; i < 5; i++) {
      want +=
        (data.weight[i] as number) *
        gammaGammaCustomerLogLikelihood(CSV_2DP, data.x[i] as number, data.m[i] as number)
    }
    expect(gammaGammaLogLikelihood(CSV_2DP, data)).toBeCloseTo(want, 9)
  })
})

describe('Gamma-Gamma expectations', () => {
  it('conditional expected value per customer (reference §1.3 table; lifetimes Quickstart l.283–292)', () => {
    const rows: [number, number, number][] = [
      [2, 22.35, 24.658616],
      [1, 11.77, 18.911479],
      [0, 0, 35.171003],
      [7, 73.74, 71.462851],
      [2, 25.55, 27.282407],
      [29, 26.26, 26.392948],
      [18, 78.63, 77.594816],
      [26, 39.97, 39.890277],
    ]
    for (const [x, m, want] of rows) {
      expect(gammaGammaExpectedValue(CSV_2DP, x, m)).toBeCloseTo(want, 5)
    }
  })

  it('is a credibility-weighted mean of the population mean and the customer mean', () => {
    const { p, q } = CSV_2DP
    const x = 4
    const m = 50
    const w = (q - 1) / (p * x + q - 1)
    expect(gammaGammaExpectedValue(CSV_2DP, x, m)).toBeCloseTo(
      w * gammaGammaPopulationMean(CSV_2DP) + (1 - w) * m,
      10,
    )
  })

  it('has no population mean when q ≤ 1', () => {
    expect(gammaGammaPopulationMean({ p: 2, q: 0.9, gamma: 10 })).toBe(Infinity)
    expect(gammaGammaExpectedValue({ p: 2, q: 0.9, gamma: 10 }, 0, 0)).toBe(Infinity)
    expect(Number.isFinite(gammaGammaExpectedValue({ p: 2, q: 0.9, gamma: 10 }, 3, 20))).toBe(true)
  })
})

describe('spendFrequencyCorrelation', () => {
  it('is the weighted Pearson correlation (weights act as repeated rows)', () => {
    const compressed = { x: [1, 2, 3], m: [10, 30, 20], weight: [2, 1, 1] }
    const xs = [1, 1, 2, 3]
    const ms = [10, 10, 30, 20]
    const mean = (v: number[]): number => v.reduce((s, u) => s + u, 0) / v.length
    const mx = mean(xs)
    const mm = mean(ms)
    const cov = mean(xs.map((x, i) => (x - mx) * ((ms[i] as number) - mm)))
    const sx = Math.sqrt(mean(xs.map((x) => (x - mx) ** 2)))
    const sm = Math.sqrt(mean(ms.map((m) => (m - mm) ** 2)))
    expect(spendFrequencyCorrelation(compressed)).toBeCloseTo(cov / (sx * sm), 12)
  })
})

describe('gammaGammaFit', () => {
  it('rejects x = 0 and non-positive means with a RangeError naming the row', () => {
    expect(() => gammaGammaFit({ x: [1, 0], m: [10, 5], weight: [1, 1] })).toThrow(/row 1, field x/)
    expect(() => gammaGammaFit({ x: [1, 2], m: [10, 0], weight: [1, 1] })).toThrow(/row 1, field m/)
  })
})
