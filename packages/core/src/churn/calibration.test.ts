import { describe, expect, it } from 'vitest'
import { applyCalibration, fitIsotonic, fitPlatt } from './calibration.ts'
import { sigmoid } from './linalg.ts'
import { createPrng } from './prng.ts'

describe('fitPlatt', () => {
  it('recovers a ≈ 1, b ≈ 0 on already calibrated scores', () => {
    const prng = createPrng(3)
    const s: number[] = []
    const y: number[] = []
    for (let i = 0; i < 20_000; i++) {
      const score = (prng.next() - 0.5) * 8
      s.push(score)
      y.push(prng.next() < sigmoid(score) ? 1 : 0)
    }
    const cal = fitPlatt(s, y)
    expect(cal.a).toBeCloseTo(1, 1)
    expect(cal.b).toBeCloseTo(0, 1)
  })

  it('shrinks over-confident scores and stays finite on separable data', () => {
    const prng = createPrng(4)
    const s: number[] = []
    const y: number[] = []
    for (let i = 0; i < 5_000; i++) {
      const score = (prng.next() - 0.5) * 4
      s.push(score * 3) // three times too confident
      y.push(prng.next() < sigmoid(score) ? 1 : 0)
    }
    expect(fitPlatt(s, y).a).toBeCloseTo(1 / 3, 1)
    const sep = fitPlatt([-2, -1, 1, 2], [0, 0, 1, 1])
    expect(Number.isFinite(sep.a) && Number.isFinite(sep.b)).toBe(true)
    // Platt targets: positives 3/4, negatives 1/4 — never 0 or 1
    expect(applyCalibration(sep, 2)).toBeLessThan(0.9)
  })
})

describe('fitIsotonic', () => {
  it('pools adjacent violators', () => {
    const cal = fitIsotonic([1, 2, 3, 4], [1, 0, 1, 1])
    expect(cal.blocks).toEqual([
      { lo: 1, hi: 2, value: 0.5 },
      { lo: 3, hi: 4, value: 1 },
    ])
    expect(applyCalibration(cal, 1.5)).toBe(0.5)
    expect(applyCalibration(cal, 2.5)).toBeCloseTo(0.75, 12)
    expect(applyCalibration(cal, -10)).toBe(0.5)
    expect(applyCalibration(cal, 10)).toBe(1)
  })

  it('pools equal scores first and is non-decreasing', () => {
    const cal = fitIsotonic([1, 1, 2, 3, 3, 4], [0, 1, 0, 0, 1, 1])
    const values = cal.blocks.map((b) => b.value)
    for (let i = 1; i < values.length; i++)
      expect(values[i]!).toBeGreaterThanOrEqual(values[i - 1]!)
    expect(cal.blocks[0]!.lo).toBe(1)
  })
})

describe('applyCalibration', () => {
  it('uses σ(s) without calibration and σ(a·s + b) for Platt', () => {
    expect(applyCalibration({ method: 'none' }, 0)).toBe(0.5)
    expect(applyCalibration({ method: 'platt', a: 2, b: -1 }, 1)).toBeCloseTo(sigmoid(1), 12)
  })
})
