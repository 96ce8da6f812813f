import { describe, it, expect } from 'vitest'
import {
  paretoNbdClv,
  paretoNbdCustomerLogLikelihood,
  paretoNbdExpectedPurchases,
  paretoNbdExpectedPurchasesNewCustomer,
  paretoNbdFit,
  paretoNbdLogA0,
  paretoNbdLogLikelihood,
  paretoNbdNextPurchaseTime,
  paretoNbdObjective,
  paretoNbdProbabilityAlive,
  paretoNbdProbabilityOfPurchaseWithin,
} from './pareto-nbd.ts'
import type { ParetoNbdParams } from './pareto-nbd.ts'
import { gradientError } from './optimize.ts'

// Reference values: shared/reference/clv-models.md §2 and §9 (sources cited per test).
const BTYD_4DP: ParetoNbdParams = { r: 0.5534, alpha: 10.5802, s: 0.6061, beta: 11.6562 }
const CSV_2DP: ParetoNbdParams = { r: 0.553276, alpha: 10.577613, s: 0.606214, beta: 11.667914 }

function expectRel(got: number, want: number, tol: number): void {
  const rel = Math.abs(got - want) / Math.abs(want)
  expect(rel, `got ${got}, want ${want} (relative error ${rel})`).toBeLessThanOrEqual(tol)
}

/** ∫_a^b f by composite Simpson on n (even) panels. */
function simpson(f: (u: number) => number, a: number, b: number, n: number): number {
  const h = (b - a) / n
  let s = f(a) + f(b)
  for (let i = 1; i < n; i++) s += (i % 2 === 1 ? 4 : 2) * f(a + i * h)
  return (s * h) / 3
}

describe('Pareto/NBD likelihood pieces', () => {
  it('ln A₀ equals ln of w ∫_{t_x}^T (α+τ)^{−(r+x)} (β+τ)^{−(s+1)} dτ in both branches α ≥ β, α < β', () => {
    for (const p of [BTYD_4DP, { r: 0.8, alpha: 3, s: 1.4, beta: 25 }]) {
      for (const [x, tx, T] of [
        [1, 2, 30],
        [5, 20, 31],
        [0, 0, 12],
      ] as const) {
        const w = p.r + p.s + x
        const integral = simpson(
          (tau) => Math.pow(p.alpha + tau, -(p.r + x)) * Math.pow(p.beta + tau, -(p.s + 1)),
          tx,
          T,
          4000,
        )
        expectRel(paretoNbdLogA0(p, { x, tx, T }), Math.log(w * integral), 1e-10)
      }
    }
    expect(paretoNbdLogA0(BTYD_4DP, { x: 3, tx: 10, T: 10 })).toBe(-Infinity)
  })

  it('does not overflow for large x (lifetimes issues #25, #149: ln A₀ −667.99, −9.4766, −715.06)', () => {
    const p = { r: 10.465, alpha: 0.00798565181, s: 3.0516, beta: 2.82 }
    expect(paretoNbdLogA0(p, { x: 400, tx: 5, T: 6 })).toBeCloseTo(-667.99, 2)
    expect(paretoNbdLogA0(p, { x: 500, tx: 1, T: 37 })).toBeCloseTo(-9.4766, 4)
    expect(paretoNbdLogA0(p, { x: 500, tx: 4, T: 37 })).toBeCloseTo(-715.06, 2)
    expectRel(paretoNbdProbabilityAlive(p, { x: 40, tx: 5, T: 6 }), 1.885e-3, 1e-3)
    expectRel(paretoNbdProbabilityAlive(p, { x: 50, tx: 1, T: 37 }), 1.42e-96, 1e-2)
    expectRel(paretoNbdProbabilityAlive(p, { x: 50, tx: 4, T: 37 }), 6.73e-60, 1e-2)
  })

  it('is finite where CLVTools’ earlier implementation produced NaN (test_correctness_pnbd l.28–38)', () => {
    const p = { r: 0.5143, alpha: 2.8845, s: 0.2856, beta: 14.1087 }
    const rows: [number, number, number, number][] = [
      [221, 103.42857, 103.57143, 0.999596],
      [254, 97.14286, 97.28571, 0.999558],
      [161, 94.71429, 98.0, 0.749488],
      [204, 98.57143, 99.42857, 0.994255],
    ]
    for (const [x, tx, T, alive] of rows) {
      expect(Number.isFinite(paretoNbdCustomerLogLikelihood(p, { x, tx, T }))).toBe(true)
      expect(paretoNbdProbabilityAlive(p, { x, tx, T })).toBeCloseTo(alive, 6)
    }
  })

  it('keeps a finite likelihood and gradient when t_x equals T up to rounding', () => {
    const oneUlpBelow = 20 - 3e-15 // 19.999999999999996: A₀ underflows to 0 here
    expect(oneUlpBelow).toBeLessThan(20)
    const data = { x: [3, 3], tx: [20, oneUlpBelow], T: [20, 20], weight: [1, 1] }
    const g = new Float64Array(4)
    const v = paretoNbdObjective(data)(Float64Array.of(0.55, 10.58, 0.61, 11.67), g)
    expect(Number.isFinite(v)).toBe(true)
    for (const gi of g) expect(Number.isFinite(gi)).toBe(true)
  })

  it('weighted total equals the sum of customer terms', () => {
    const data = { x: [0, 2, 26], tx: [0, 30.43, 30.86], T: [38.86, 38.86, 31], weight: [3, 1, 2] }
    let want = 0
    for (let i = 0; i < 3; i++) {
      const row = { x: data.x[i] as number, tx: data.tx[i] as number, T: data.T[i] as number }
      want += (data.weight[i] as number) * paretoNbdCustomerLogLikelihood(BTYD_4DP, row)
    }
    expect(paretoNbdLogLikelihood(BTYD_4DP, data)).toBeCloseTo(want, 9)
  })

  it('has an analytic gradient equal to central differences (both branches, z > 0.95 fallback, t_x = T)', () => {
    const data = {
      x: [0, 1, 2, 7, 26, 3, 150],
      tx: [0, 1.71, 30.43, 38, 30.86, 5, 90],
      T: [38.86, 38.86, 38.86, 38.86, 31, 5, 100],
      weight: [7, 2, 1, 1, 2, 1, 1],
    }
    const f = paretoNbdObjective(data)
    for (const p0 of [
      [0.553, 10.58, 0.606, 11.67], // α < β
      [0.55, 12, 0.61, 3], // α > β
      [2, 1, 0.3, 500], // z = 499/(500 + t) > 0.95: general ₂F₁ path
      [0.5, 1000, 0.7, 1],
    ]) {
      expect(gradientError(f, p0)).toBeLessThan(1e-6)
    }
  })
})

describe('Pareto/NBD predictions', () => {
  it('customer 1516: E[Y(52)] = 25.4538, P(alive) = 0.997873 at BTYD’s 4-dp parameters', () => {
    // BTYD §3.3 prints 25.45647 / 0.997874 from unrounded parameters (β = 11.656…); with the
    // 4-dp values quoted by lifetimes and pymc-marketing the reference computes 25.4538 / 0.997873.
    const c = { x: 26, tx: 30.85714, T: 31 }
    expectRel(paretoNbdExpectedPurchases(BTYD_4DP, c, 52), 25.4538, 1e-5)
    expect(paretoNbdProbabilityAlive(BTYD_4DP, c)).toBeCloseTo(0.997873, 6)
    expectRel(paretoNbdExpectedPurchases(BTYD_4DP, c, 52), 25.45647, 2e-4)
  })

  it('E[Y(10)] for x = 132, 133 at t_x = T = 200 (lifetimes test l.376–392)', () => {
    const p = { r: 0.55, alpha: 10.58, s: 0.61, beta: 11.67 }
    expectRel(
      paretoNbdExpectedPurchases(p, { x: 132, tx: 200, T: 200 }, 10),
      6.2060517889632418,
      1e-12,
    )
    expectRel(
      paretoNbdExpectedPurchases(p, { x: 133, tx: 200, T: 200 }, 10),
      6.2528722475748113,
      1e-12,
    )
  })

  it('paradox values and new-customer E[X(t)] (reference §2, 4-dp parameters)', () => {
    const want = [0.70591, 0.14417, 0.022497, 0.0030915]
    ;[10, 15, 20, 25].forEach((x, i) =>
      expectRel(
        paretoNbdExpectedPurchases(BTYD_4DP, { x, tx: 20, T: 39 }, 52),
        want[i] as number,
        1e-4,
      ),
    )
    const ex = [0, 0.051005, 0.099621, 0.146124, 0.190742, 0.233664]
    ex.forEach((v, t) =>
      expect(paretoNbdExpectedPurchasesNewCustomer(BTYD_4DP, t)).toBeCloseTo(v, 6),
    )
    expectRel(paretoNbdExpectedPurchasesNewCustomer(BTYD_4DP, 52), 1.473434, 5e-4)
  })

  it('per-customer regression table (reference §1.3, params fitted on the 2-dp CSV)', () => {
    const rows: [number, number, number, number, number][] = [
      [2, 30.43, 38.86, 0.869119, 1.455113],
      [1, 1.71, 38.86, 0.167872, 0.17098],
      [0, 0, 38.86, 0.295097, 0.10706],
      [7, 29.43, 38.86, 0.749416, 3.711747],
      [2, 35.71, 38.86, 0.958445, 1.604667],
      [29, 37.71, 38.0, 0.996125, 19.594756],
      [26, 30.86, 31.0, 0.997918, 20.115866],
    ]
    for (const [x, tx, T, alive, ey] of rows) {
      expect(paretoNbdProbabilityAlive(CSV_2DP, { x, tx, T })).toBeCloseTo(alive, 6)
      expect(Math.abs(paretoNbdExpectedPurchases(CSV_2DP, { x, tx, T }, 39) - ey)).toBeLessThan(
        1e-6 * Math.max(1, ey),
      )
    }
  })

  it('is continuous at s = 1', () => {
    const c = { x: 4, tx: 20, T: 30 }
    const at = (s: number): number => paretoNbdExpectedPurchases({ ...BTYD_4DP, s }, c, 26)
    expectRel(at(1), (at(1 - 1e-7) + at(1 + 1e-7)) / 2, 1e-9)
    const ex = (s: number): number => paretoNbdExpectedPurchasesNewCustomer({ ...BTYD_4DP, s }, 26)
    expectRel(ex(1), (ex(1 - 1e-7) + ex(1 + 1e-7)) / 2, 1e-9)
  })
})

describe('Pareto/NBD next purchase and CLV', () => {
  it('P(purchase within t) equals P(alive) ∫₀ᵗ (R/A)(A/(A+u))^{R+1}(B/(B+u))^S du (both signs of A − B)', () => {
    for (const p of [BTYD_4DP, { r: 0.9, alpha: 40, s: 1.3, beta: 2 }]) {
      for (const c of [
        { x: 2, tx: 30.43, T: 38.86 },
        { x: 0, tx: 0, T: 10 },
      ]) {
        const R = p.r + c.x
        const A = p.alpha + c.T
        const B = p.beta + c.T
        for (const t of [1, 13, 80]) {
          const integral = simpson(
            (u) => (R / A) * Math.pow(A / (A + u), R + 1) * Math.pow(B / (B + u), p.s),
            0,
            t,
            4000,
          )
          expectRel(
            paretoNbdProbabilityOfPurchaseWithin(p, c, t),
            paretoNbdProbabilityAlive(p, c) * integral,
            1e-9,
          )
        }
      }
    }
  })

  it('median time to next purchase, or Infinity when a next purchase is unlikely', () => {
    const c = { x: 7, tx: 29.43, T: 38.86 }
    const t = paretoNbdNextPurchaseTime(BTYD_4DP, c)
    expect(Number.isFinite(t)).toBe(true)
    expect(paretoNbdProbabilityOfPurchaseWithin(BTYD_4DP, c, t)).toBeCloseTo(0.5, 8)
    expect(paretoNbdNextPurchaseTime(BTYD_4DP, { x: 1, tx: 1.71, T: 38.86 })).toBe(Infinity)
  })

  it('CLV telescopes to value × E[Y(horizon)] without discounting', () => {
    const c = { x: 2, tx: 30.43, T: 38.86 }
    expectRel(
      paretoNbdClv(BTYD_4DP, c, 35, { periods: 24, periodLength: 52 / 12, discountRate: 0 }),
      35 * paretoNbdExpectedPurchases(BTYD_4DP, c, 104),
      1e-12,
    )
  })
})

describe('paretoNbdFit', () => {
  it('rejects invalid data with a RangeError', () => {
    expect(() => paretoNbdFit({ x: [0], tx: [1], T: [10], weight: [1] })).toThrow(/tx must be 0/)
  })
})
