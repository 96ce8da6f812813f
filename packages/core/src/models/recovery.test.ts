/**
 * Parameter recovery: simulate each model from known parameters with a seeded generator, fit, and
 * require every estimate within 3 standard errors of the truth (the fixed seed makes the test
 * deterministic; with independent draws each check would fail about 0.3 % of the time).
 */
import { describe, it, expect } from 'vitest'
import { bgnbdFit } from './bgnbd.ts'
import { gammaGammaFit } from './gamma-gamma.ts'
import type { ModelFit } from './optimize.ts'
import { paretoNbdFit } from './pareto-nbd.ts'
import { compressRfm, compressSpend } from './rfm.ts'
import type { RfmCustomer, SpendCustomer } from './rfm.ts'
import { sbgFit } from './sbg.ts'

/** mulberry32: a small 32-bit generator, uniform on [0, 1). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

class Rng {
  private readonly next: () => number
  constructor(seed: number) {
    this.next = mulberry32(seed)
  }
  uniform(): number {
    return this.next()
  }
  /** Exponential with the given rate. */
  exponential(rate: number): number {
    return -Math.log(1 - this.next()) / rate
  }
  normal(): number {
    const u = 1 - this.next()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next())
  }
  /** Gamma(shape, rate) by Marsaglia & Tsang (2000), boosted by U^{1/shape} for shape < 1. */
  gamma(shape: number, rate: number): number {
    if (shape < 1) return this.gamma(shape + 1, rate) * Math.pow(this.next(), 1 / shape)
    const d = shape - 1 / 3
    const c = 1 / Math.sqrt(9 * d)
    for (;;) {
      const z = this.normal()
      const v = (1 + c * z) ** 3
      if (v <= 0) continue
      const u = this.next()
      if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return (d * v) / rate
    }
  }
  beta(a: number, b: number): number {
    const x = this.gamma(a, 1)
    return x / (x + this.gamma(b, 1))
  }
}

function expectRecovered<P extends object>(fit: ModelFit<P>, truth: P): void {
  expect(fit.converged).toBe(true)
  for (const name of fit.parameterNames) {
    const est = fit.params[name] as number
    const se = fit.standardErrors[name] as number
    const want = truth[name] as number
    expect(Number.isFinite(se) && se > 0, `${name}: SE ${se}`).toBe(true)
    expect(
      Math.abs(est - want) / se,
      `${name}: estimate ${est} ± ${se}, truth ${want}`,
    ).toBeLessThan(3)
  }
}

/** Observation windows of 26–52 weeks in whole days, as a cohort acquired over half a year. */
function window(rng: Rng): number {
  return Math.round(182 + rng.uniform() * 182) / 7
}

describe('parameter recovery on simulated data', () => {
  it('BG/NBD (FHL 2005 assumptions: Poisson purchases, dropout with probability p after each repeat purchase)', () => {
    const truth = { r: 0.5, alpha: 6, a: 0.8, b: 2.5 }
    const rng = new Rng(20240611)
    const rows: RfmCustomer[] = []
    for (let i = 0; i < 4000; i++) {
      const T = window(rng)
      const lambda = rng.gamma(truth.r, truth.alpha)
      const p = rng.beta(truth.a, truth.b)
      let t = 0
      let x = 0
      let tx = 0
      for (;;) {
        t += rng.exponential(lambda)
        if (t > T) break
        x++
        tx = t
        if (rng.uniform() < p) break
      }
      rows.push({ x, tx, T })
    }
    expectRecovered(bgnbdFit(compressRfm(rows)), truth)
  })

  it('Pareto/NBD (Poisson purchases while alive, exponential lifetimes)', () => {
    const truth = { r: 0.6, alpha: 8, s: 0.8, beta: 12 }
    const rng = new Rng(7)
    const rows: RfmCustomer[] = []
    for (let i = 0; i < 4000; i++) {
      const T = window(rng)
      const lambda = rng.gamma(truth.r, truth.alpha)
      const lifetime = rng.exponential(rng.gamma(truth.s, truth.beta))
      const end = Math.min(T, lifetime)
      let t = 0
      let x = 0
      let tx = 0
      for (;;) {
        t += rng.exponential(lambda)
        if (t > end) break
        x++
        tx = t
      }
      rows.push({ x, tx, T })
    }
    expectRecovered(paretoNbdFit(compressRfm(rows)), truth)
  })

  it('Gamma-Gamma (gamma transaction values with customer-specific gamma-distributed rates)', () => {
    const truth = { p: 6, q: 4, gamma: 15 }
    const rng = new Rng(99)
    const rows: SpendCustomer[] = []
    for (let i = 0; i < 3000; i++) {
      const x = 1 + Math.floor(rng.uniform() * 8)
      const nu = rng.gamma(truth.q, truth.gamma)
      let sum = 0
      for (let j = 0; j < x; j++) sum += rng.gamma(truth.p, nu)
      rows.push({ x, m: sum / x })
    }
    expectRecovered(gammaGammaFit(compressSpend(rows)), truth)
  })

  it('sBG (beta-distributed churn probabilities, geometric lifetimes)', () => {
    const truth = { alpha: 0.7, beta: 1.5 }
    const rng = new Rng(2007)
    const periods = 8
    const survivors = new Array<number>(periods + 1).fill(0)
    for (let i = 0; i < 3000; i++) {
      const theta = rng.beta(truth.alpha, truth.beta)
      survivors[0] = (survivors[0] as number) + 1
      for (let t = 1; t <= periods; t++) {
        if (rng.uniform() < theta) break
        survivors[t] = (survivors[t] as number) + 1
      }
    }
    expectRecovered(sbgFit(survivors), truth)
  })
})
