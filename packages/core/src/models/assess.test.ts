import fc from 'fast-check'
import { describe, it, expect } from 'vitest'
import { assessFitData } from './assess.ts'
import { compressRfm } from './rfm.ts'
import type { RfmCustomer } from './rfm.ts'

/** n customers observed for T, every k-th with `x` repeat purchases spread evenly over [0, T]. */
function cohort(n: number, T: number, x: number, k: number): RfmCustomer[] {
  return Array.from({ length: n }, (_, i) =>
    i % k === 0 ? { x, tx: (T * x) / (x + 1), T } : { x: 0, tx: 0, T },
  )
}

describe('assessFitData', () => {
  it('accepts enough customers, repeat buyers and history', () => {
    const result = assessFitData(compressRfm(cohort(500, 52, 4, 3)))
    expect(result.ok).toBe(true)
    if (result.ok) {
      expect(result.value.customers).toBe(500)
      expect(result.value.repeatCustomers).toBe(167)
      expect(result.value.cyclesObserved).toBeCloseTo(52 / ((52 * 4) / 5 / 4), 10)
    }
  })

  it('takes the lower weighted medians that sorting and accumulating give', () => {
    const naive = (pairs: [number, number][]) => {
      if (pairs.length === 0) return NaN
      const sorted = [...pairs].sort((u, v) => u[0] - v[0])
      const total = sorted.reduce((a, [, w]) => a + w, 0)
      let acc = 0
      for (const [v, w] of sorted) if ((acc += w) >= total / 2) return v
      return NaN
    }
    const tuple = fc
      .record({
        x: fc.integer({ min: 0, max: 6 }),
        tx: fc.integer({ min: 0, max: 40 }),
        extra: fc.integer({ min: 1, max: 40 }),
      })
      .map(({ x, tx, extra }) => ({ x, tx: x === 0 ? 0 : tx, T: (x === 0 ? 0 : tx) + extra }))
    fc.assert(
      fc.property(fc.array(tuple, { minLength: 1, maxLength: 300 }), (rows) => {
        const data = compressRfm(rows)
        const result = assessFitData(data, { minCustomers: 0, minRepeatCustomers: 0, minCycles: 0 })
        const summary = result.ok ? result.value : result.error.summary
        const T: [number, number][] = []
        const gaps: [number, number][] = []
        data.x.forEach((x, i) => {
          T.push([data.T[i]!, data.weight[i]!])
          if (x > 0) gaps.push([data.tx[i]! / x, data.weight[i]!])
        })
        expect(summary?.medianObservationTime).toBe(naive(T))
        expect(summary?.medianInterPurchaseTime).toEqual(naive(gaps))
      }),
      { numRuns: 300 },
    )
  })

  it('explains every failed check with a code and an English message', () => {
    // 60 customers, 6 of them with one repeat purchase late in a 4-week window: 1.14 cycles seen.
    const rows = cohort(60, 4, 0, 1).map((row, i) => (i % 10 === 0 ? { x: 1, tx: 3.5, T: 4 } : row))
    const result = assessFitData(compressRfm(rows))
    expect(result.ok).toBe(false)
    if (!result.ok) {
      const codes = result.error.issues.map((i) => i.code)
      expect(codes).toEqual(['too-few-customers', 'too-few-repeat-customers', 'history-too-short'])
      expect(result.error.issues[0]?.message).toMatch(/Only 60 customers; at least 100/)
      expect(result.error.issues[2]?.message).toMatch(/gap between purchases/)
      expect(result.error.summary?.repeatCustomers).toBe(6)
    }
  })

  it('flags a history shorter than an absolute minimum and too few spend customers', () => {
    const data = compressRfm(cohort(500, 52, 4, 3))
    const result = assessFitData(data, {
      minObservationTime: 104,
      spend: { x: [1, 2], m: [10, 20], weight: [5, 5] },
    })
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.error.issues.map((i) => i.code)).toEqual([
        'history-too-short',
        'too-few-spend-customers',
      ])
      expect(result.error.summary?.spendCustomers).toBe(10)
    }
  })

  it('returns invalid-data for malformed input instead of throwing', () => {
    const result = assessFitData({ x: [1], tx: [9], T: [3], weight: [1] })
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.error.issues[0]?.code).toBe('invalid-data')
      expect(result.error.issues[0]?.message).toMatch(/row 0, field tx/)
      expect(result.error.summary).toBeNull()
    }
  })

  it('reports an empty dataset as too small rather than failing', () => {
    const result = assessFitData(compressRfm([]))
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.issues.map((i) => i.code)).toContain('too-few-customers')
  })
})
