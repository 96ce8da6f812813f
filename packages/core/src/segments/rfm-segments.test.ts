import { describe, expect, it } from 'vitest'
import {
  RFM_SEGMENT_GRID,
  RFM_SEGMENT_IDS,
  RFM_SEGMENTS,
  combineFrequencyMonetary,
  computeRfmScores,
  quintileScores,
  rfmSegmentOf,
} from './rfm-segments.ts'

describe('quintileScores', () => {
  it('splits distinct values into five equal groups', () => {
    const values = Array.from({ length: 10 }, (_, i) => i + 1)
    expect(quintileScores(values)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5])
    expect(quintileScores(values, false)).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1])
  })

  it('gives ties the same, lowest reachable score', () => {
    // six one-order customers (b = 0), then 2, 2, 3, 9 orders
    const f = [1, 1, 1, 1, 1, 1, 2, 2, 3, 9]
    // b for value 2 = 6 → 1 + ⌊30/10⌋ = 4; value 3: b = 8 → 5; value 9: b = 9 → 5
    expect(quintileScores(f)).toEqual([1, 1, 1, 1, 1, 1, 4, 4, 5, 5])
    expect(quintileScores([7, 7, 7])).toEqual([1, 1, 1])
    expect(quintileScores([42])).toEqual([1])
    expect(quintileScores([])).toEqual([])
  })

  it('does not depend on input order', () => {
    const v = [5, 3, 3, 8, 1, 9, 2, 2, 7]
    const s = quintileScores(v)
    const reversed = quintileScores([...v].reverse())
    expect([...reversed].reverse()).toEqual(s)
  })

  it('rejects non-finite values', () => {
    expect(() => quintileScores([1, Number.NaN])).toThrow(/index 1/)
  })
})

describe('segment map', () => {
  it('covers every (R, FM) cell with a known segment, and every segment appears', () => {
    const seen = new Set<string>()
    for (const row of RFM_SEGMENT_GRID) {
      expect(row).toHaveLength(5)
      for (const s of row) {
        expect(RFM_SEGMENT_IDS).toContain(s)
        seen.add(s)
      }
    }
    expect(RFM_SEGMENT_GRID).toHaveLength(5)
    expect([...seen].sort()).toEqual([...RFM_SEGMENT_IDS].sort())
  })

  it('maps the corners and the documented cells', () => {
    expect(rfmSegmentOf(5, 5, 5)).toBe('champions')
    expect(rfmSegmentOf(1, 1, 1)).toBe('lost')
    expect(rfmSegmentOf(2, 1, 2)).toBe('hibernating')
    expect(rfmSegmentOf(1, 5, 5)).toBe('cant_lose_them')
    expect(rfmSegmentOf(5, 1, 1)).toBe('new')
    expect(rfmSegmentOf(4, 1, 1)).toBe('promising')
    expect(rfmSegmentOf(3, 3, 3)).toBe('need_attention')
    expect(rfmSegmentOf(3, 1, 2)).toBe('about_to_sleep')
    expect(rfmSegmentOf(2, 4, 3)).toBe('at_risk') // FM = ⌈3.5⌉ = 4
    expect(rfmSegmentOf(4, 5, 4)).toBe('loyal')
    expect(rfmSegmentOf(5, 2, 3)).toBe('potential_loyalist') // FM = ⌈2.5⌉ = 3
    expect(combineFrequencyMonetary(1, 2)).toBe(2)
    expect(() => rfmSegmentOf(0, 1, 1)).toThrow(RangeError)
  })

  it('names every segment in Italian and English', () => {
    for (const id of RFM_SEGMENT_IDS) {
      expect(RFM_SEGMENTS[id].name.it.length).toBeGreaterThan(0)
      expect(RFM_SEGMENTS[id].name.en.length).toBeGreaterThan(0)
    }
    expect(RFM_SEGMENTS.cant_lose_them.name).toEqual({
      it: 'Da non perdere',
      en: "Can't lose them",
    })
  })
})

describe('computeRfmScores', () => {
  it('scores recency inversely and assigns segments', () => {
    const customers = Array.from({ length: 10 }, (_, i) => ({
      id: `c${i}`,
      recencyDays: i * 30, // c0 most recent
      frequency: 10 - i, // c0 most frequent
      monetary: (10 - i) * 100,
    }))
    const scores = computeRfmScores(customers)
    expect(scores[0]).toEqual({ id: 'c0', r: 5, f: 5, m: 5, fm: 5, segment: 'champions' })
    expect(scores[9]).toEqual({ id: 'c9', r: 1, f: 1, m: 1, fm: 1, segment: 'lost' })
    // a recent one-time big spender vs an old frequent one
    const mixed = computeRfmScores([
      ...customers,
      { id: 'old-frequent', recencyDays: 400, frequency: 30, monetary: 5000 },
    ])
    expect(mixed[10]).toMatchObject({ r: 1, f: 5, m: 5, segment: 'cant_lose_them' })
  })

  it('names the customer and field of a bad input', () => {
    expect(() =>
      computeRfmScores([
        { id: 'x1', recencyDays: Number.POSITIVE_INFINITY, frequency: 1, monetary: 1 },
      ]),
    ).toThrow(/x1: recencyDays/)
  })
})
