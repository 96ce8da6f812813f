import { describe, it, expect } from 'vitest'
import {
  bgnbdClv,
  bgnbdCustomerLogLikelihood,
  bgnbdExpectedPurchases,
  bgnbdExpectedPurchasesNewCustomer,
  bgnbdFit,
  bgnbdLogLikelihood,
  bgnbdNextPurchaseTime,
  bgnbdObjective,
  bgnbdProbabilityAlive,
  bgnbdProbabilityOfPurchases,
  bgnbdProbabilityOfPurchaseWithin,
} from './bgnbd.ts'
import type { BgnbdParams } from './bgnbd.ts'
import { solveQuantile } from './forecast.ts'
import { hyp2f1 } from './hyp2f1.ts'
import { gradientError } from './optimize.ts'

// Reference values: shared/reference/clv-models.md §1.3, §4, §9 (sources cited per test).
const PAPER: BgnbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } // FHL 2005
const BTYD: BgnbdParams = { r: 0.2425982, alpha: 4.4136842, a: 0.7929899, b: 2.4261667 } // BTYD §4.2
const CSV_2DP: BgnbdParams = { r: 0.242593, alpha: 4.413532, a: 0.792886, b: 2.425754 } // fit on the 2-dp CSV

function expectRel(got: number, want: number, tol: number): void {
  const rel = Math.abs(got - want) / Math.abs(want)
  expect(rel, `got ${got}, want ${want} (relative error ${rel})`).toBeLessThanOrEqual(tol)
}

describe('BG/NBD log-likelihood', () => {
  it('matches pymc-marketing’s numerically stable logp (Hardie note 027), incl. x = 200', () => {
    // pymc-marketing tests/clv/models/test_beta_geo.py::test_numerically_stable_logp
    const p = { r: 0.25, alpha: 4, a: 0.8, b: 2.5 }
    expect(bgnbdCustomerLogLikelihood(p, { x: 0, tx: 0, T: 40 })).toBeCloseTo(-0.59947382, 8)
    expect(bgnbdCustomerLogLikelihood(p, { x: 200, tx: 38, T: 40 })).toBeCloseTo(100.7957, 4)
    expect(Number.isFinite(bgnbdCustomerLogLikelihood(p, { x: 5000, tx: 38, T: 40 }))).toBe(true)
  })

  it('sums customer terms with weights (compressed data) and agrees with the objective', () => {
    const rows = [
      { x: 0, tx: 0, T: 38.86 },
      { x: 2, tx: 30.43, T: 38.86 },
      { x: 26, tx: 30.86, T: 31 },
    ]
    const data = { x: [0, 2, 26], tx: [0, 30.43, 30.86], T: [38.86, 38.86, 31], weight: [3, 1, 2] }
    const want = rows.reduce(
      (s, row, i) => s + (data.weight[i] as number) * bgnbdCustomerLogLikelihood(PAPER, row),
      0,
    )
    expect(bgnbdLogLikelihood(PAPER, data)).toBeCloseTo(want, 10)
  })

  it('has an analytic gradient equal to central differences', () => {
    const data = {
      x: [0, 0, 1, 2, 7, 26, 200],
      tx: [0, 0, 1.71, 30.43, 29.43, 30.86, 38],
      T: [38.86, 27, 38.86, 38.86, 38.86, 31, 40],
      weight: [5, 2, 1, 3, 1, 1, 1],
    }
    const f = bgnbdObjective(data)
    for (const p0 of [
      [0.243, 4.414, 0.793, 2.426],
      [2, 0.5, 3, 0.2],
      [0.05, 40, 0.3, 15],
    ]) {
      expect(gradientError(f, p0)).toBeLessThan(1e-6)
    }
  })
})

describe('BG/NBD predictions', () => {
  it('customer 1516 (x = 26, t_x = 30.85714, T = 31): E[Y(52)] = 25.757, P(alive) = 0.96885 (BTYD §4.3)', () => {
    const c = { x: 26, tx: 30.85714, T: 31 }
    // BTYD prints 25.75659 and 0.9688523 from its unrounded parameters; the printed 7-digit
    // parameters reproduce them to 2e-6.
    expectRel(bgnbdExpectedPurchases(BTYD, c, 52), 25.75659, 5e-6)
    expectRel(bgnbdProbabilityAlive(BTYD, c), 0.9688523, 1e-6)
  })

  it('customer 1 (x = 2, t_x = 30.43, T = 38.86): E[Y(39)] = 1.226 (Hardie’s spreadsheet via lifetimes)', () => {
    expect(bgnbdExpectedPurchases(PAPER, { x: 2, tx: 30.43, T: 38.86 }, 39)).toBeCloseTo(1.226, 3)
  })

  it('new-customer E[X(t)] (Hardie spreadsheet; BTYD E[X(52)] = 1.444004)', () => {
    const mle = { r: 0.242595, alpha: 4.413602, a: 0.792922, b: 2.425907 }
    const want = [0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.858]
    ;[0.1429, 1, 3, 31.8571, 32, 78].forEach((t, i) =>
      expect(bgnbdExpectedPurchasesNewCustomer(mle, t)).toBeCloseTo(want[i] as number, 3),
    )
    expectRel(bgnbdExpectedPurchasesNewCustomer(BTYD, 52), 1.444004, 1e-6)
    expect(bgnbdExpectedPurchasesNewCustomer(BTYD, 0)).toBe(0)
  })

  it('E[X(t)] is the conditional expectation of a customer with x = 0 observed for T = 0', () => {
    for (const t of [1, 10, 100]) {
      expectRel(
        bgnbdExpectedPurchasesNewCustomer(PAPER, t),
        bgnbdExpectedPurchases(PAPER, { x: 0, tx: 0, T: 0 }, t),
        1e-14,
      )
    }
  })

  it('"increasing frequency paradox": E[Y(52) | x, t_x = 20, T = 39], x = 10…25 (BTYD §4.3)', () => {
    const want = [0.3474606, 0.04283391, 0.004158973, 0.0003583685]
    ;[10, 15, 20, 25].forEach((x, i) =>
      expectRel(bgnbdExpectedPurchases(BTYD, { x, tx: 20, T: 39 }, 52), want[i] as number, 1e-4),
    )
  })

  it('top-5 E[Y(1)] of the lifetimes Quickstart', () => {
    const rows: [number, number, number, number][] = [
      [18, 35.14, 35.86, 0.424877],
      [19, 34.0, 34.14, 0.474738],
      [17, 28.43, 28.86, 0.486526],
      [29, 37.71, 38.0, 0.662396],
      [26, 30.86, 31.0, 0.710623],
    ]
    for (const [x, tx, T, want] of rows) {
      expect(bgnbdExpectedPurchases(CSV_2DP, { x, tx, T }, 1)).toBeCloseTo(want, 5)
    }
  })

  it('per-customer regression table (reference §1.3, params fitted on the 2-dp CSV)', () => {
    const rows: [number, number, number, number, number][] = [
      // x, t_x, T, P(alive), E[Y(39)]
      [2, 30.43, 38.86, 0.726609, 1.22591],
      [1, 1.71, 38.86, 0.212227, 0.203251],
      [0, 0, 38.86, 1, 0.194781],
      [7, 29.43, 38.86, 0.641801, 3.337239],
      [1, 5.0, 38.86, 0.314918, 0.301598],
      [2, 35.71, 38.86, 0.784808, 1.324101],
      [29, 37.71, 38.0, 0.969134, 20.053664],
      [18, 35.14, 35.86, 0.946322, 12.82091],
      [26, 30.86, 31.0, 0.96892, 20.750569],
    ]
    for (const [x, tx, T, alive, ey] of rows) {
      expect(bgnbdProbabilityAlive(CSV_2DP, { x, tx, T })).toBeCloseTo(alive, 6)
      expect(Math.abs(bgnbdExpectedPurchases(CSV_2DP, { x, tx, T }, 39) - ey)).toBeLessThan(
        1e-6 * Math.max(1, ey),
      )
    }
  })

  it('P(X(t) = n) (FHL eq. 8) matches the values quoted from R BTYD by lifetimes', () => {
    expectRel(bgnbdProbabilityOfPurchases(PAPER, 2, 10), 1.07869e-7, 1e-5)
    expectRel(bgnbdProbabilityOfPurchases(PAPER, 39, 0), 0.5737864, 1e-7)
    const want = [
      0.0019995214, 0.0015170236, 0.001163315, 0.0009003148, 0.0007023638, 0.0005517902,
      0.0004361913, 0.0003467171, 0.0002769613, 0.000222226,
    ]
    want.forEach((p, i) =>
      expect(bgnbdProbabilityOfPurchases(PAPER, 30, 11 + i)).toBeCloseTo(p, 10),
    )
    let total = 0
    for (let n = 0; n < 400; n++) total += bgnbdProbabilityOfPurchases(PAPER, 30, n)
    expect(total).toBeCloseTo(1, 6)
  })

  it('stays finite for extreme histories (x = 1000; lifetimes issue #302 with c = a + b − 1 < 0)', () => {
    const big = { x: 1000, tx: 38, T: 39 }
    const ey = bgnbdExpectedPurchases(PAPER, big, 52)
    expect(Number.isFinite(ey) && ey >= 0).toBe(true)
    expect(bgnbdProbabilityAlive(PAPER, big)).toBeGreaterThan(0)
    // r = 0.11, α = 2.24, a = 0.31, b = 0.50, t = 30, T = 1, x = 0: ₂F₁ < 0, E[Y] = 0.56459.
    const p302 = { r: 0.11, alpha: 2.24, a: 0.31, b: 0.5 }
    expect(bgnbdExpectedPurchases(p302, { x: 0, tx: 0, T: 1 }, 30)).toBeCloseTo(0.56459, 5)
  })

  it('is continuous at the removable singularities a = 1 and a + b + x − 1 = 0', () => {
    // Reference §9 item 4, at the paper's r, α, b: 1.08475, 1.08433, 1.08423 (mpmath confirms).
    const at = (a: number): number => bgnbdExpectedPurchasesNewCustomer({ ...PAPER, a }, 39)
    expect(at(0.999)).toBeCloseTo(1.08475, 5)
    expect(at(0.9999)).toBeCloseTo(1.08433, 5)
    expect(at(1.0001)).toBeCloseTo(1.08423, 5)
    expect(at(1)).toBeCloseTo((at(0.9999) + at(1.0001)) / 2, 8)
    // x = 0 and a + b = 1: ₂F₁ has a pole at c = 0, E[X] does not.
    const p = { r: 0.3, alpha: 5, a: 0.4, b: 0.6 }
    const mid = bgnbdExpectedPurchasesNewCustomer(p, 20)
    const near = bgnbdExpectedPurchasesNewCustomer({ ...p, b: 0.6 + 1e-6 }, 20)
    expectRel(mid, near, 1e-6)
  })

  it('agrees with the direct (non-Euler) form of FHL eq. 10 where that is finite', () => {
    const { r, alpha, a, b } = PAPER
    const c = { x: 3, tx: 20, T: 30 }
    const t = 26
    const z = t / (alpha + c.T + t)
    const direct =
      ((a + b + c.x - 1) / (a - 1)) *
      (1 -
        Math.pow((alpha + c.T) / (alpha + c.T + t), r + c.x) *
          hyp2f1(r + c.x, b + c.x, a + b + c.x - 1, z)) *
      bgnbdProbabilityAlive(PAPER, c)
    expectRel(bgnbdExpectedPurchases(PAPER, c, t), direct, 1e-12)
  })
})

describe('BG/NBD next purchase and CLV', () => {
  const c = { x: 2, tx: 30.43, T: 38.86 }

  it('median time to next purchase solves P(purchase within t) = 1/2', () => {
    const t = bgnbdNextPurchaseTime(PAPER, c)
    expect(bgnbdProbabilityOfPurchaseWithin(PAPER, c, t)).toBeCloseTo(0.5, 12)
    const numeric = solveQuantile(
      (u) => bgnbdProbabilityOfPurchaseWithin(PAPER, c, u),
      bgnbdProbabilityAlive(PAPER, c),
      0.5,
      10,
    )
    expectRel(t, numeric, 1e-9)
    expect(bgnbdNextPurchaseTime(PAPER, c, 0.25)).toBeLessThan(t)
  })

  it('is Infinity when the customer is more likely gone than not', () => {
    const lapsed = { x: 1, tx: 1.71, T: 38.86 } // P(alive) = 0.21
    expect(bgnbdProbabilityAlive(PAPER, lapsed)).toBeLessThan(0.5)
    expect(bgnbdNextPurchaseTime(PAPER, lapsed)).toBe(Infinity)
  })

  it('P(purchase within t) rises to P(alive) and matches a simulation-free identity at small t', () => {
    const alive = bgnbdProbabilityAlive(PAPER, c)
    expectRel(bgnbdProbabilityOfPurchaseWithin(PAPER, c, 1e9), alive, 1e-6)
    // For small t it is ≈ E[Y(t)] (at most one purchase in a short window).
    expectRel(
      bgnbdProbabilityOfPurchaseWithin(PAPER, c, 1e-4),
      bgnbdExpectedPurchases(PAPER, c, 1e-4),
      1e-3,
    )
  })

  it('CLV is the discounted sum of per-period expected purchases × value × margin', () => {
    const options = { periods: 12, periodLength: 52 / 12, discountRate: 0.01, margin: 0.3 }
    let want = 0
    for (let k = 1; k <= 12; k++) {
      const dy =
        bgnbdExpectedPurchases(PAPER, c, (k * 52) / 12) -
        bgnbdExpectedPurchases(PAPER, c, ((k - 1) * 52) / 12)
      want += dy / 1.01 ** k
    }
    expectRel(bgnbdClv(PAPER, c, 40, options), 0.3 * 40 * want, 1e-12)
    // Without discounting the sum telescopes to E[Y(horizon)].
    expectRel(
      bgnbdClv(PAPER, c, 40, { periods: 12, periodLength: 52 / 12, discountRate: 0 }),
      40 * bgnbdExpectedPurchases(PAPER, c, 52),
      1e-12,
    )
  })
})

describe('bgnbdFit', () => {
  it('rejects invalid data with a RangeError naming the row and field', () => {
    expect(() => bgnbdFit({ x: [1, 2], tx: [5, 50], T: [10, 40], weight: [1, 1] })).toThrow(
      /row 1, field tx/,
    )
    expect(() => bgnbdFit({ x: [1.5], tx: [5], T: [10], weight: [1] })).toThrow(/field x/)
  })
})
