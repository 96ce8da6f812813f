import { describe, expect, it } from 'vitest'
import { gammaGammaPopulationMean } from '../models/gamma-gamma.ts'
import { DEMO_BGNBD_PARAMS, DEMO_GAMMA_GAMMA_PARAMS, resolveDemoParams } from './params.ts'
import { sampleAcquisitionDay, sampleBgNbd, sampleOrderCents, sampleSpendRate } from './process.ts'
import { rngFor } from './random.ts'

const { r, alpha, a, b } = DEMO_BGNBD_PARAMS

describe('BG/NBD sampling', () => {
  const N = 40_000
  const T = 365
  const draws = Array.from({ length: N }, (_, i) =>
    sampleBgNbd(rngFor(11, i, 2), DEMO_BGNBD_PARAMS, 0, T),
  )

  it('draws λ ~ Gamma(r, α) and p ~ Beta(a, b)', () => {
    const meanLambda = draws.reduce((s, d) => s + d.lambda, 0) / N
    const meanP = draws.reduce((s, d) => s + d.p, 0) / N
    // sd of λ is √r/α = 0.0125; of p ≈ 0.2
    expect(Math.abs(meanLambda - r / alpha)).toBeLessThan((4 * Math.sqrt(r)) / alpha / Math.sqrt(N))
    expect(Math.abs(meanP - a / (a + b))).toBeLessThan(0.005)
  })

  it('has P(no repeat purchase in T) = (α / (α + T))^r — dropout only follows a repeat purchase', () => {
    const zero = draws.filter((d) => d.times.length === 1).length / N
    const expected = (alpha / (alpha + T)) ** r
    expect(Math.abs(zero - expected)).toBeLessThan(4 * Math.sqrt((expected * (1 - expected)) / N))
  })

  it('starts at acquisition, keeps purchases inside the window and drops only after a repeat', () => {
    const bad = draws.filter(
      (d) =>
        d.times[0] !== 0 ||
        d.times.some((t, k) => k > 0 && !(t > d.times[k - 1]! && t <= T)) ||
        (d.dropped && d.times.length < 2),
    )
    expect(bad).toEqual([])
  })

  it('matches the BG/NBD mean E[X(t)] for a new customer', () => {
    // E[X(t)] = (a+b−1)/(a−1)·[1 − (α/(α+t))^r · ₂F₁(r, b; a+b−1; t/(α+t))]  (FHL 2005 eq. 9)
    const z = T / (alpha + T)
    let term = 1
    let f = 1
    for (let k = 0; k < 5000; k++) {
      term *= ((r + k) * (b + k) * z) / ((a + b - 1 + k) * (k + 1))
      f += term
      if (Math.abs(term) < 1e-15 * Math.abs(f)) break
    }
    const expected = ((a + b - 1) / (a - 1)) * (1 - (alpha / (alpha + T)) ** r * f)
    const x = draws.map((d) => d.times.length - 1)
    const mean = x.reduce((s, v) => s + v, 0) / N
    const sd = Math.sqrt(x.reduce((s, v) => s + (v - mean) ** 2, 0) / N)
    expect(Math.abs(mean - expected)).toBeLessThan((4 * sd) / Math.sqrt(N))
  })
})

describe('Gamma-Gamma sampling', () => {
  it('gives a population mean order value of pγ/(q−1) = €75', () => {
    expect(gammaGammaPopulationMean(DEMO_GAMMA_GAMMA_PARAMS)).toBe(75)
    const N = 60_000
    let s = 0
    let s2 = 0
    for (let i = 0; i < N; i++) {
      const rng = rngFor(3, i, 3)
      const nu = sampleSpendRate(rng, DEMO_GAMMA_GAMMA_PARAMS)
      const v = sampleOrderCents(rng, DEMO_GAMMA_GAMMA_PARAMS, nu) / 100
      s += v
      s2 += v * v
    }
    const mean = s / N
    const sd = Math.sqrt(s2 / N - mean * mean)
    expect(Math.abs(mean - 75)).toBeLessThan((4 * sd) / Math.sqrt(N))
  })
})

describe('acquisition', () => {
  it('grows by the yearly factor: with growth 2 over one year, 2 − √2 of customers arrive in the second half', () => {
    const N = 40_000
    const span = 365.2425
    let late = 0
    for (let i = 0; i < N; i++)
      if (sampleAcquisitionDay(rngFor(1, i, 0), span, 2) > span / 2) late++
    expect(late / N).toBeCloseTo(2 - Math.SQRT2, 2)
  })

  it('is uniform without growth', () => {
    const N = 20_000
    let late = 0
    for (let i = 0; i < N; i++) if (sampleAcquisitionDay(rngFor(1, i, 0), 100, 1) > 50) late++
    expect(late / N).toBeCloseTo(0.5, 1)
  })
})

describe('params', () => {
  it('overlays overrides group by group and validates them', () => {
    const p = resolveDemoParams({ bgnbd: { r: 0.5 }, subscriptions: { share: 0.3 } })
    expect(p.bgnbd).toEqual({ ...DEMO_BGNBD_PARAMS, r: 0.5 })
    expect(p.subscriptions.share).toBe(0.3)
    expect(p.subscriptions.trialDays).toBe(30)
    expect(() => resolveDemoParams({ bgnbd: { alpha: -1 } })).toThrow(/bgnbd.alpha/)
    expect(() => resolveDemoParams({ orders: { refundShare: 2 } })).toThrow(/orders.refundShare/)
    expect(() => resolveDemoParams({ subscriptions: { monthly: { alpha: 0, beta: 1 } } })).toThrow(
      /subscriptions.monthly/,
    )
  })
})
