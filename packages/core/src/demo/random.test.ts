import { describe, expect, it } from 'vitest'
import type { Rng } from './random.ts'
import { WeightedTable, lnFactorial, mix32, rngFor } from './random.ts'

const N = 200_000

function moments(draw: () => number, n = N): { mean: number; variance: number } {
  let s = 0
  let s2 = 0
  for (let i = 0; i < n; i++) {
    const x = draw()
    s += x
    s2 += x * x
  }
  const mean = s / n
  return { mean, variance: s2 / n - mean * mean }
}

describe('Rng', () => {
  it('is deterministic per (seed, index, stream) and differs across them', () => {
    const seq = (r: Rng) => Array.from({ length: 8 }, () => r.uint32())
    expect(seq(rngFor(42, 7, 3))).toEqual(seq(rngFor(42, 7, 3)))
    expect(seq(rngFor(42, 7, 3))).not.toEqual(seq(rngFor(42, 7, 4)))
    expect(seq(rngFor(42, 7, 3))).not.toEqual(seq(rngFor(42, 8, 3)))
    expect(seq(rngFor(42, 7, 3))).not.toEqual(seq(rngFor(43, 7, 3)))
    // seeds beyond 32 bits use their high half too
    expect(seq(rngFor(2 ** 40, 0, 0))).not.toEqual(seq(rngFor(0, 0, 0)))
  })

  it('pins the first outputs (changing them changes every demo dataset)', () => {
    const r = rngFor(1, 0, 0)
    expect([r.uint32(), r.uint32(), r.uint32()]).toEqual([242005310, 1469548128, 3388391598])
    expect(mix32(0)).toBe(0)
    expect(mix32(1)).not.toBe(1)
  })

  it('draws uniforms strictly inside (0, 1) with mean 1/2 and variance 1/12', () => {
    const r = rngFor(5, 0, 0)
    let min = 1
    let max = 0
    const m = moments(() => {
      const u = r.next()
      min = Math.min(min, u)
      max = Math.max(max, u)
      return u
    })
    expect(min).toBeGreaterThan(0)
    expect(max).toBeLessThan(1)
    expect(m.mean).toBeCloseTo(0.5, 2)
    expect(m.variance).toBeCloseTo(1 / 12, 3)
  })

  it('draws integers uniformly in range', () => {
    const r = rngFor(5, 1, 0)
    const counts = new Array<number>(6).fill(0)
    for (let i = 0; i < 60_000; i++) counts[r.intBetween(1, 6) - 1]! += 1
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400)
  })

  it.each([
    [0.25, 40],
    [0.8, 1],
    [1, 1],
    [6, 2.5],
    [40, 3],
  ])(
    'gamma(shape %s, rate %s) has mean k/rate and variance k/rate² (Marsaglia–Tsang)',
    (k, rate) => {
      const r = rngFor(9, k * 100, 1)
      const m = moments(() => r.gamma(k, rate))
      const mean = k / rate
      const sd = Math.sqrt(k) / rate
      expect(Math.abs(m.mean - mean)).toBeLessThan((4 * sd) / Math.sqrt(N))
      expect(m.variance / (sd * sd)).toBeGreaterThan(0.95)
      expect(m.variance / (sd * sd)).toBeLessThan(1.05)
    },
  )

  it('beta(a, b) has mean a/(a+b) and variance ab/((a+b)²(a+b+1))', () => {
    const r = rngFor(9, 0, 2)
    const [a, b] = [0.8, 2.6]
    const m = moments(() => r.beta(a, b))
    expect(m.mean).toBeCloseTo(a / (a + b), 2)
    expect(m.variance).toBeCloseTo((a * b) / ((a + b) ** 2 * (a + b + 1)), 3)
  })

  it.each([0.3, 3, 11.9, 12, 50, 1000])('poisson(%s) has mean and variance λ', (lambda) => {
    const r = rngFor(3, lambda * 10, 3)
    const m = moments(() => r.poisson(lambda))
    expect(Math.abs(m.mean - lambda)).toBeLessThan((4 * Math.sqrt(lambda)) / Math.sqrt(N))
    expect(m.variance / lambda).toBeGreaterThan(0.96)
    expect(m.variance / lambda).toBeLessThan(1.04)
  })

  it('normal, exponential and log-normal have their textbook moments', () => {
    const r = rngFor(3, 0, 4)
    const z = moments(() => r.normal())
    expect(z.mean).toBeCloseTo(0, 2)
    expect(z.variance).toBeCloseTo(1, 1)
    const e = moments(() => r.exponential(2))
    expect(e.mean).toBeCloseTo(0.5, 2)
    const ln = moments(() => r.lognormal(1, 0.5))
    expect(ln.mean).toBeCloseTo(Math.exp(1 + 0.125), 1)
  })

  it('lnFactorial is exact below the table and Stirling-accurate above', () => {
    expect(lnFactorial(0)).toBe(0)
    expect(lnFactorial(5)).toBeCloseTo(Math.log(120), 12)
    let s = 0
    for (let k = 1; k <= 200; k++) s += Math.log(k)
    expect(lnFactorial(200)).toBeCloseTo(s, 8)
  })
})

describe('WeightedTable', () => {
  it('picks in proportion to the weights', () => {
    const t = new WeightedTable([
      ['a', 1],
      ['b', 0],
      ['c', 3],
    ])
    const r = rngFor(1, 2, 3)
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 }
    for (let i = 0; i < 40_000; i++) counts[t.pick(r)]! += 1
    expect(counts['b']).toBe(0)
    expect(counts['a']! / 40_000).toBeCloseTo(0.25, 1)
  })

  it('rejects empty tables and bad weights', () => {
    expect(() => new WeightedTable([])).toThrow(RangeError)
    expect(() => new WeightedTable([['a', -1]])).toThrow(RangeError)
    expect(() => new WeightedTable([['a', 0]])).toThrow(RangeError)
  })
})
