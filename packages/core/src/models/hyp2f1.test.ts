import { describe, it, expect } from 'vitest'
import { hyp2f1, logAbsHyp2f1 } from './hyp2f1.ts'

/** |got − want| ≤ tol·|want| (relative), with a readable failure message. */
function expectRel(got: number, want: number, tol: number): void {
  const rel = Math.abs(got - want) / Math.abs(want)
  expect(rel, `got ${got}, want ${want}, relative error ${rel}`).toBeLessThanOrEqual(tol)
}

/**
 * ln|₂F₁| and sign from mpmath 1.3.0 (`mp.dps = 40; mp.hyp2f1(a, b, c, z)`), one case per region of
 * the evaluation strategy plus the awkward inputs listed in shared/reference/clv-models.md §6.5/§9.
 */
const MPMATH: [string, number, number, number, number, number, number][] = [
  ['series, small z', 0.5, 1.5, 2.5, 0.3, 0.10261304075412550448, 1],
  ['negative c, non-integer', 1.3, 2.2, -2.7, 0.4, 4.8000697181397499243, -1],
  // lifetimes issue #302: r = 0.11, α = 2.24, a = 0.31, b = 0.50, t = 30, T = 1, x = 0; ₂F₁ = −1.3569.
  [
    'lifetimes #302: c = a+b-1 < 0, z > 0.9',
    0.11,
    0.5,
    -0.19,
    0.9025270758122743,
    0.30522153210746851578,
    -1,
  ],
  [
    'BG/NBD Euler form, CDNOW customer 1516, t = 52',
    1.9765583999999998,
    -0.20701009999999997,
    28.219156599999998,
    0.5948725359867626,
    -0.0088824138620369806093,
    1,
  ],
  [
    'BG/NBD Euler form, x = 1000, t = 100',
    1.9800000000000002,
    -0.20999999999999996,
    1002.22,
    0.6973014434139879,
    -0.00028957470755069608811,
    1,
  ],
  [
    'BG/NBD Euler form, long horizon z = 0.995',
    1.9800000000000002,
    -0.20999999999999996,
    5.220000000000001,
    0.995,
    -0.10943113822682838623,
    1,
  ],
  [
    'Pareto/NBD A0 factor, x = 400',
    413.5166,
    4.0516000000000005,
    414.5166,
    0.35959262764578004,
    1.8001326592251680542,
    1,
  ],
  ['1 - z transform, z = 0.97', 1.5, 0.25, 3.1, 0.97, 0.20561648785420569313, 1],
  ['1 - z transform, c < 0, z = 0.999', 0.3, 1.7, -1.4, 0.999, 24.554560972214296588, 1],
  ['integer c-a-b = 0 (logarithmic case)', 0.7, 1.3, 2.0, 0.995, 1.5624549957051344171, 1],
  ['integer c-a-b = 3', 0.7, 1.3, 5.0, 0.98, 0.25327543540805741999, 1],
  ['integer c-a-b = -2', 1.7, 2.3, 2.0, 0.96, 6.3827725598247304275, 1],
  ['c-a-b = 1 + 3e-7 (interpolated band)', 0.7, 1.3, 3.0000003, 0.99, 0.60028995337841247033, 1],
  ['c-a-b = -1 - 5e-5 (cancellation band)', 1.7, 2.3, 2.99995, 0.97, 4.0640039734442945636, 1],
  ['z < 0, Pfaff', 2.5, 0.75, 1.25, -0.6, -0.66726375585608081317, 1],
  ['z = -50, Pfaff positive form', 0.8, 1.9, 3.3, -50, -2.5108972422436937595, 1],
  ['z = -1e4, 1/z transformation', 1.2, -1.7, -0.4, -10000.0, 17.768548573077476147, -1],
  ['large positive parameters', 40.5, 30.25, 80.1, 0.95, 26.919132647401913142, 1],
  ['overflowing value (log space)', 300, 300, 1.5, 0.9, 1770.3540994268469771, 1],
  [
    'next-purchase form, z = 1 - B/A < 0',
    0.6,
    27.150000000000002,
    28.150000000000002,
    -1.2598870056497176,
    -0.47699840082142229628,
    1,
  ],
]

describe('hyp2f1 against mpmath', () => {
  for (const [label, a, b, c, z, logAbs, sign] of MPMATH) {
    it(label, () => {
      const got = logAbsHyp2f1(a, b, c, z)
      expect(got.sign).toBe(sign)
      // Absolute error in ln|F| is the relative error in F.
      expect(Math.abs(got.logAbs - logAbs)).toBeLessThan(1e-11)
    })
  }

  it('returns ₂F₁ itself when it fits in a double', () => {
    expectRel(hyp2f1(0.11, 0.5, -0.19, 30 / 33.24), -Math.exp(0.30522153210746851578), 1e-12)
    expect(hyp2f1(300, 300, 1.5, 0.9)).toBe(Infinity)
  })
})

describe('hyp2f1 against closed forms', () => {
  it('₂F₁(1, 1; 2; z) = −ln(1 − z)/z, including z → 1 (integer c − a − b = 0)', () => {
    for (const z of [1e-8, 0.1, 0.5, 0.89, 0.91, 0.99, 0.999999, 1 - 1e-12, -0.5, -3, -1e6]) {
      expectRel(hyp2f1(1, 1, 2, z), -Math.log1p(-z) / z, 2e-13)
    }
  })

  it('₂F₁(1, 1; 3; z) = 2[(1 − z) ln(1 − z) + z]/z² (integer c − a − b = 1)', () => {
    for (const z of [0.3, 0.95, 0.9999, 1 - 1e-10]) {
      const want = (2 * ((1 - z) * Math.log1p(-z) + z)) / (z * z)
      expectRel(hyp2f1(1, 1, 3, z), want, 1e-12)
    }
  })

  it('₂F₁(a, b; b; z) = (1 − z)^{−a} (integer c − a − b = −a)', () => {
    for (const [a, b] of [
      [2, 0.7],
      [0.5, 3.2],
      [3, 1.1],
    ] as const) {
      for (const z of [0.5, 0.95, 0.99999, -20]) {
        expectRel(hyp2f1(a, b, b, z), Math.pow(1 - z, -a), 1e-12)
      }
    }
  })

  it('arcsin, artanh and arctan forms with c = 3/2', () => {
    for (const x of [0.2, 0.9, 0.99, 0.999999]) {
      expectRel(hyp2f1(0.5, 0.5, 1.5, x * x), Math.asin(x) / x, 1e-12)
      expectRel(hyp2f1(0.5, 1, 1.5, x * x), Math.atanh(x) / x, 1e-12)
    }
    for (const x of [0.5, 3, 100, 1e4]) {
      expectRel(hyp2f1(0.5, 1, 1.5, -x * x), Math.atan(x) / x, 1e-12)
    }
  })

  it('complete elliptic integral K(m) = (π/2) ₂F₁(1/2, 1/2; 1; m) = π/(2·AGM(1, √(1−m)))', () => {
    const agm = (x: number, y: number): number => {
      for (let i = 0; i < 60 && Math.abs(x - y) > 1e-16 * x; i++)
        [x, y] = [(x + y) / 2, Math.sqrt(x * y)]
      return x
    }
    for (const m of [0.3, 0.9, 0.95, 0.999, 1 - 1e-9]) {
      expectRel(
        (Math.PI / 2) * hyp2f1(0.5, 0.5, 1, m),
        Math.PI / (2 * agm(1, Math.sqrt(1 - m))),
        1e-13,
      )
    }
  })

  it('terminating series (a = −n) is a polynomial for any real z: ₂F₁(−n, b; b; −z) = (1 + z)^n', () => {
    for (const z of [0.5, 3, -0.5, 7.5])
      expectRel(hyp2f1(-6, 2.5, 2.5, -z), Math.pow(1 + z, 6), 1e-13)
    // Non-positive integer c is allowed when the series stops first: ₂F₁(−2, 1; −3; z).
    expectRel(
      hyp2f1(-2, 1, -3, 0.5),
      1 + (-2 * 0.5) / -3 + ((-2 * -1 * 1 * 2) / (-3 * -2 * 2)) * 0.25,
      1e-15,
    )
  })

  it('Gauss’s theorem at z = 1 and divergence when c − a − b ≤ 0', () => {
    // ₂F₁(1, 1; 3; 1) = Γ(3)Γ(1)/(Γ(2)Γ(2)) = 2
    expectRel(hyp2f1(1, 1, 3, 1), 2, 1e-14)
    // ₂F₁(1/2, 1/4; 2; 1) = Γ(2)Γ(5/4)/(Γ(3/2)Γ(7/4)), value from mpmath
    expectRel(hyp2f1(0.5, 0.25, 2, 1), 1.1128357888987642, 1e-13)
    expect(hyp2f1(1, 1, 2, 1)).toBe(Infinity)
  })

  it('is consistent with Euler’s transformation on a grid of moderate inputs', () => {
    for (const a of [-1.5, 0.3, 2.7]) {
      for (const b of [0.6, 4.1]) {
        for (const c of [-0.7, 1.9, 6.2]) {
          for (const z of [-5, -0.4, 0.5, 0.93, 0.9999]) {
            const lhs = hyp2f1(a, b, c, z)
            const rhs = Math.pow(1 - z, c - a - b) * hyp2f1(c - a, c - b, c, z)
            expectRel(lhs, rhs, 1e-10)
          }
        }
      }
    }
  })
})

describe('hyp2f1 outside its domain', () => {
  it('is NaN at poles (c a non-positive integer) and on the branch cut z > 1', () => {
    expect(hyp2f1(0.5, 1.5, -2, 0.3)).toBeNaN()
    expect(hyp2f1(0.5, 1.5, 0, 0.3)).toBeNaN()
    expect(hyp2f1(0.5, 1.5, 2.5, 1.2)).toBeNaN()
    expect(hyp2f1(NaN, 1, 2, 0.5)).toBeNaN()
  })

  it('is 1 at z = 0 or a = 0 or b = 0', () => {
    expect(hyp2f1(3, 4, 5, 0)).toBe(1)
    expect(hyp2f1(0, 4, -5.5, 0.99)).toBe(1)
  })
})
