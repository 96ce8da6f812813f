import { describe, expect, it } from 'vitest'
import { solveSpd, sigmoid, softplus } from './linalg.ts'
import { fitLogistic, logisticLinearPredictor } from './logistic.ts'
import { createPrng } from './prng.ts'

const matrix = (rows: number[][]) => ({
  rows: rows.length,
  cols: rows[0]?.length ?? 0,
  data: Float64Array.from(rows.flat()),
})

describe('linear algebra helpers', () => {
  it('solves a symmetric positive-definite system', () => {
    const a = Float64Array.from([4, 1, 1, 3])
    const x = solveSpd(a, Float64Array.from([1, 2]), 2)
    expect(x).not.toBeNull()
    expect(x![0]).toBeCloseTo(1 / 11, 12)
    expect(x![1]).toBeCloseTo(7 / 11, 12)
  })

  it('evaluates σ and softplus without overflow', () => {
    expect(sigmoid(800)).toBe(1)
    expect(sigmoid(-800)).toBe(0)
    expect(softplus(800)).toBe(800)
    expect(softplus(0)).toBeCloseTo(Math.LN2, 12)
  })
})

describe('fitLogistic', () => {
  it('recovers the log odds ratio of a 2×2 table when λ → 0', () => {
    // x = 0: 3 churned of 10; x = 1: 6 churned of 10
    const rows: number[][] = []
    const y: number[] = []
    for (let i = 0; i < 10; i++) {
      rows.push([0])
      y.push(i < 3 ? 1 : 0)
      rows.push([1])
      y.push(i < 6 ? 1 : 0)
    }
    const fit = fitLogistic(matrix(rows), y, { l2: 1e-9, tolerance: 1e-14 })
    expect(fit.converged).toBe(true)
    expect(fit.intercept).toBeCloseTo(Math.log(3 / 7), 6)
    expect(fit.coefficients[0]).toBeCloseTo(Math.log(6 / 4) - Math.log(3 / 7), 6)
  })

  it('satisfies the penalised score equations Xᵀ(p − y) + λw = 0', () => {
    const prng = createPrng(11)
    const rows: number[][] = []
    const y: number[] = []
    for (let i = 0; i < 400; i++) {
      const r = [prng.next() * 2 - 1, prng.next() * 2 - 1, prng.next() < 0.3 ? 1 : 0]
      rows.push(r)
      y.push(prng.next() < sigmoid(0.5 + 2 * r[0]! - r[1]! + r[2]!) ? 1 : 0)
    }
    const lambda = 3
    const x = matrix(rows)
    const fit = fitLogistic(x, y, { l2: lambda, tolerance: 1e-14 })
    const eta = logisticLinearPredictor(fit, x)
    for (let j = -1; j < 3; j++) {
      let g = j < 0 ? 0 : lambda * fit.coefficients[j]!
      for (let i = 0; i < 400; i++) g += (sigmoid(eta[i]!) - y[i]!) * (j < 0 ? 1 : rows[i]![j]!)
      expect(Math.abs(g)).toBeLessThan(1e-6)
    }
    expect(fit.coefficients[0]!).toBeGreaterThan(1)
    expect(fit.coefficients[1]!).toBeLessThan(0)
  })

  it('stays finite on perfectly separable data thanks to the penalty', () => {
    const fit = fitLogistic(matrix([[-2], [-1], [1], [2]]), [0, 0, 1, 1], { l2: 1 })
    expect(Number.isFinite(fit.coefficients[0]!)).toBe(true)
    expect(fit.coefficients[0]!).toBeGreaterThan(0)
  })

  it('is deterministic and honours a warm start', () => {
    const x = matrix([[0.1], [0.5], [-0.3], [1.2], [-1]])
    const y = [0, 1, 0, 1, 1]
    const a = fitLogistic(x, y)
    const b = fitLogistic(x, y, { initial: a })
    expect(b.coefficients[0]).toBeCloseTo(a.coefficients[0]!, 8)
    expect(b.iterations).toBeLessThanOrEqual(1)
  })
})
