import { describe, expect, it } from 'vitest'
import { createPrng, shuffled } from './prng.ts'

describe('createPrng', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = createPrng(42)
    const b = createPrng(42)
    const c = createPrng(43)
    const sa = Array.from({ length: 5 }, () => a.next())
    const sb = Array.from({ length: 5 }, () => b.next())
    const sc = Array.from({ length: 5 }, () => c.next())
    expect(sa).toEqual(sb)
    expect(sa).not.toEqual(sc)
  })

  it('produces roughly uniform numbers in [0, 1)', () => {
    const p = createPrng(7)
    let sum = 0
    let min = 1
    let max = 0
    const n = 20_000
    for (let i = 0; i < n; i++) {
      const x = p.next()
      sum += x
      min = Math.min(min, x)
      max = Math.max(max, x)
    }
    expect(min).toBeGreaterThanOrEqual(0)
    expect(max).toBeLessThan(1)
    expect(sum / n).toBeCloseTo(0.5, 1)
  })

  it('rejects non-finite seeds', () => {
    expect(() => createPrng(Number.NaN)).toThrow(RangeError)
  })
})

describe('shuffled', () => {
  it('returns a permutation and leaves the input untouched', () => {
    const input = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    const out = shuffled(input, createPrng(1))
    expect(input).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    expect([...out].sort((x, y) => x - y)).toEqual(input)
    expect(out).not.toEqual(input)
  })
})
