import { describe, it, expect } from 'vitest'
import digamma from '@stdlib/math-base-special-digamma'
import gammaln from '@stdlib/math-base-special-gammaln'
import trigamma from '@stdlib/math-base-special-trigamma'
import {
  fitPositiveParameters,
  gradientError,
  hessianFromGradient,
  invertSpd,
  minimizeBfgs,
} from './optimize.ts'
import type { Objective } from './optimize.ts'

const rosenbrock: Objective = (x, g) => {
  const a = x[0] as number
  const b = x[1] as number
  g[0] = -2 * (1 - a) - 400 * a * (b - a * a)
  g[1] = 200 * (b - a * a)
  return (1 - a) ** 2 + 100 * (b - a * a) ** 2
}

describe('minimizeBfgs', () => {
  it('finds the Rosenbrock minimum (1, 1) from (−1.2, 1)', () => {
    const r = minimizeBfgs(rosenbrock, [-1.2, 1], { gradientTolerance: 1e-12 })
    expect(r.converged).toBe(true)
    expect(r.reason).toBe('gradient')
    expect(r.x[0]).toBeCloseTo(1, 8)
    expect(r.x[1]).toBeCloseTo(1, 8)
    expect(r.iterations).toBeLessThan(100)
  })

  it('minimises an ill-conditioned quadratic exactly', () => {
    const d = [1, 1e3, 1e-2, 50]
    const q: Objective = (x, g) => {
      let f = 0
      for (let i = 0; i < 4; i++) {
        const di = d[i] as number
        const xi = (x[i] as number) - i
        f += 0.5 * di * xi * xi
        g[i] = di * xi
      }
      return f
    }
    const r = minimizeBfgs(q, [5, 5, 5, 5], { gradientTolerance: 1e-13 })
    expect(r.converged).toBe(true)
    for (let i = 0; i < 4; i++) expect(r.x[i]).toBeCloseTo(i, 6)
  })

  it('backs off from non-finite values and reports a non-finite start', () => {
    // f = x − ln x is +∞ outside x > 0 (NaN from Math.log): the line search must stay inside.
    const f: Objective = (x, g) => {
      const v = x[0] as number
      g[0] = 1 - 1 / v
      return v - Math.log(v)
    }
    const r = minimizeBfgs(f, [30], { maxStep: 100 })
    expect(r.converged).toBe(true)
    expect(r.x[0]).toBeCloseTo(1, 7)
    expect(minimizeBfgs(f, [-1]).reason).toBe('non-finite')
  })
})

describe('gradientError', () => {
  it('is tiny for a correct gradient and large for a wrong one', () => {
    expect(gradientError(rosenbrock, [-1.2, 1])).toBeLessThan(1e-8)
    const wrong: Objective = (x, g) => {
      const v = rosenbrock(x, g)
      g[1] = (g[1] as number) * 1.01
      return v
    }
    expect(gradientError(wrong, [-1.2, 1])).toBeGreaterThan(1e-3)
  })
})

describe('hessianFromGradient and invertSpd', () => {
  it('recovers the Hessian of Rosenbrock at (1, 1): [[802, −400], [−400, 200]]', () => {
    const H = hessianFromGradient(rosenbrock, [1, 1])
    expect(H[0]).toBeCloseTo(802, 4)
    expect(H[1]).toBeCloseTo(-400, 4)
    expect(H[2]).toBeCloseTo(-400, 4)
    expect(H[3]).toBeCloseTo(200, 4)
  })

  it('inverts an SPD matrix and rejects an indefinite one', () => {
    const A = Float64Array.from([4, 2, 0.6, 2, 5, 1, 0.6, 1, 3])
    const inv = invertSpd(A, 3)
    expect(inv).not.toBeNull()
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let s = 0
        for (let k = 0; k < 3; k++) s += (A[i * 3 + k] as number) * (inv?.[k * 3 + j] as number)
        expect(s).toBeCloseTo(i === j ? 1 : 0, 12)
      }
    }
    expect(invertSpd(Float64Array.from([1, 2, 2, 1]), 2)).toBeNull()
  })
})

describe('fitPositiveParameters', () => {
  it('exponential rate: MLE n/Σx and delta-method SE λ/√n', () => {
    const n = 250
    const sum = 812.5
    const negLL: Objective = (p, g) => {
      const lambda = p[0] as number
      g[0] = -n / lambda + sum
      return -n * Math.log(lambda) + lambda * sum
    }
    const fit = fitPositiveParameters(negLL, [1])
    expect(fit.converged).toBe(true)
    expect(fit.params[0]).toBeCloseTo(n / sum, 10)
    expect(fit.standardErrors[0]).toBeCloseTo(n / sum / Math.sqrt(n), 8)
  })

  it('rejects non-positive or non-finite start values', () => {
    const f: Objective = (p, g) => {
      g[0] = 2 * ((p[0] as number) - 1)
      return ((p[0] as number) - 1) ** 2
    }
    expect(() => fitPositiveParameters(f, [0])).toThrow(/positive and finite/)
    expect(() => fitPositiveParameters(f, [NaN])).toThrow(RangeError)
  })

  it('gamma(shape k, rate β): SEs equal those of the analytic observed information', () => {
    // Sufficient statistics of a sample: n, Σx, Σ ln x.
    const n = 400
    const sumX = 1210.4
    const sumLnX = 392.7
    const negLL: Objective = (p, g) => {
      const k = p[0] as number
      const beta = p[1] as number
      g[0] = -n * Math.log(beta) + n * digamma(k) - sumLnX
      g[1] = (-n * k) / beta + sumX
      return -n * k * Math.log(beta) + n * gammaln(k) - (k - 1) * sumLnX + beta * sumX
    }
    const fit = fitPositiveParameters(negLL, [1, 1])
    expect(fit.converged).toBe(true)
    const k = fit.params[0] as number
    const beta = fit.params[1] as number
    // Score equations: β = k/x̄ and ln k − ψ(k) = ln x̄ − mean(ln x).
    expect(beta).toBeCloseTo(k / (sumX / n), 8)
    expect(Math.log(k) - digamma(k)).toBeCloseTo(Math.log(sumX / n) - sumLnX / n, 8)
    // Observed information on the natural scale and its inverse.
    const i11 = n * trigamma(k)
    const i12 = -n / beta
    const i22 = (n * k) / (beta * beta)
    const det = i11 * i22 - i12 * i12
    expect(fit.standardErrors[0]).toBeCloseTo(Math.sqrt(i22 / det), 6)
    expect(fit.standardErrors[1]).toBeCloseTo(Math.sqrt(i11 / det), 6)
    expect(fit.covariance[1]).toBeCloseTo(-i12 / det, 6)
  })
})
