import { describe, expect, it } from 'vitest'
import {
  averagePrecision,
  brierScore,
  calibrationCurve,
  liftAtTop,
  logLoss,
  rocAuc,
} from './metrics.ts'

describe('rocAuc', () => {
  it('matches the hand-computed value without ties', () => {
    // Pairs (pos, neg): (0.35, 0.1) ✓, (0.35, 0.4) ✗, (0.8, 0.1) ✓, (0.8, 0.4) ✓ → 3/4
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 12)
  })

  it('counts ties as one half', () => {
    // pos {2, 3} vs neg {1, 2}: 1 + 0.5 + 1 + 1 = 3.5 of 4 pairs
    expect(rocAuc([1, 2, 2, 3], [0, 1, 0, 1])).toBeCloseTo(0.875, 12)
    expect(rocAuc([5, 5, 5, 5], [0, 1, 0, 1])).toBeCloseTo(0.5, 12)
  })

  it('is 1 for perfect and 0 for reversed ranking, NaN with one class', () => {
    expect(rocAuc([1, 2, 3, 4], [0, 0, 1, 1])).toBe(1)
    expect(rocAuc([4, 3, 2, 1], [0, 0, 1, 1])).toBe(0)
    expect(rocAuc([1, 2], [1, 1])).toBeNaN()
  })

  it('is invariant to monotone transforms and throws on length mismatch', () => {
    const s = [0.2, 0.9, 0.4, 0.4, 0.7, 0.1]
    const y = [0, 1, 1, 0, 1, 0]
    expect(
      rocAuc(
        s.map((v) => Math.log(v)),
        y,
      ),
    ).toBeCloseTo(rocAuc(s, y), 12)
    expect(() => rocAuc([1], [0, 1])).toThrow(RangeError)
  })
})

describe('averagePrecision', () => {
  it('matches the hand-computed value', () => {
    // Thresholds 0.8 (P=1, R=.5), 0.4 (P=.5, R=.5), 0.35 (P=2/3, R=1): .5·1 + .5·2/3
    expect(averagePrecision([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.5 + 1 / 3, 12)
  })

  it('treats tied scores as one threshold', () => {
    // all tied: one threshold with P = 2/4, R = 1
    expect(averagePrecision([3, 3, 3, 3], [1, 0, 1, 0])).toBeCloseTo(0.5, 12)
    expect(averagePrecision([3, 2], [0, 0])).toBeNaN()
  })
})

describe('brierScore and logLoss', () => {
  it('match hand-computed values', () => {
    expect(brierScore([0.1, 0.9, 0.8, 0.3], [0, 1, 1, 0])).toBeCloseTo(
      (0.01 + 0.01 + 0.04 + 0.09) / 4,
      12,
    )
    expect(logLoss([0.5, 0.5], [0, 1])).toBeCloseTo(Math.LN2, 12)
    expect(logLoss([0.8, 0.25], [1, 0])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.75)) / 2, 12)
    expect(brierScore([], [])).toBeNaN()
  })
})

describe('liftAtTop', () => {
  it('is the top-fraction positive rate over the base rate', () => {
    const scores = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]
    const labels = [1, 1, 0, 0, 0, 1, 0, 0, 0, 0]
    // top 20 % = 2 rows, both positive: 1 / 0.3
    expect(liftAtTop(scores, labels, 0.2)).toBeCloseTo(1 / 0.3, 12)
    // top 10 % = 1 row
    expect(liftAtTop(scores, labels, 0.1)).toBeCloseTo(1 / 0.3, 12)
    expect(liftAtTop(scores, labels, 1)).toBeCloseTo(1, 12)
  })

  it('shares tied groups at the cut-off pro rata', () => {
    // top 1 of 4 rows, all tied with 2 positives: expected 0.5 positives → rate 0.5 / base 0.5
    expect(liftAtTop([1, 1, 1, 1], [1, 0, 1, 0], 0.25)).toBeCloseTo(1, 12)
    // cut inside a tied pair after a clear positive: (1 + 0.5·1) / 2 rows / base 0.5
    expect(liftAtTop([9, 5, 5, 1], [1, 1, 0, 0], 0.5)).toBeCloseTo(1.5, 12)
  })
})

describe('calibrationCurve', () => {
  it('bins by predicted quantiles', () => {
    const p = [0.05, 0.1, 0.15, 0.2, 0.6, 0.7, 0.8, 0.9]
    const y = [0, 0, 1, 0, 1, 1, 0, 1]
    const bins = calibrationCurve(p, y, 2)
    expect(bins).toHaveLength(2)
    expect(bins[0]).toMatchObject({ bin: 1, count: 4, observedRate: 0.25 })
    expect(bins[0]!.meanPredicted).toBeCloseTo(0.125, 12)
    expect(bins[1]).toMatchObject({
      bin: 2,
      count: 4,
      observedRate: 0.75,
      minPredicted: 0.6,
      maxPredicted: 0.9,
    })
    expect(calibrationCurve([0.5], [1], 10)).toHaveLength(1)
  })
})
