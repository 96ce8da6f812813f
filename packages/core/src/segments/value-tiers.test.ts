import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { VALUE_TIERS, assignValueTiers, valueTiersOf } from './value-tiers.ts'

describe('assignValueTiers', () => {
  const customers = Array.from({ length: 200 }, (_, i) => ({ id: `c${i}`, clv: 200 - i }))

  it('puts the top 1 % / 5 % / 20 % into platinum / gold / silver', () => {
    const tiers = assignValueTiers(customers)
    const count = (t: string) => tiers.filter((x) => x.tier === t).length
    expect(count('platinum')).toBe(2)
    expect(count('gold')).toBe(8)
    expect(count('silver')).toBe(30)
    expect(count('standard')).toBe(160)
    expect(tiers[0]).toEqual({ id: 'c0', tier: 'platinum', topShare: 0.005 })
    expect(tiers[2]!.tier).toBe('gold')
    expect(tiers[39]!.tier).toBe('silver')
    expect(tiers[40]!.tier).toBe('standard')
  })

  it('keeps ties together and never overfills a tier', () => {
    const tied = [...customers.slice(0, 3).map((c) => ({ ...c, clv: 500 })), ...customers.slice(3)]
    const tiers = assignValueTiers(tied)
    // three customers tie at the top: topShare 3/200 = 1.5 % > 1 % → all gold
    expect(tiers.slice(0, 3).map((t) => t.tier)).toEqual(['gold', 'gold', 'gold'])
    expect(tiers.filter((t) => t.tier === 'platinum')).toHaveLength(0)
    const allSame = assignValueTiers([
      { id: 'a', clv: 1 },
      { id: 'b', clv: 1 },
    ])
    expect(allSame.map((t) => t.tier)).toEqual(['standard', 'standard'])
  })

  it('leaves the top tiers empty for small bases and accepts custom cutoffs', () => {
    const small = assignValueTiers(customers.slice(0, 50))
    expect(small.filter((t) => t.tier === 'platinum')).toHaveLength(0)
    expect(small.filter((t) => t.tier === 'gold')).toHaveLength(2)
    const custom = assignValueTiers(customers.slice(0, 10), {
      platinum: 0.1,
      gold: 0.3,
      silver: 0.5,
    })
    expect(custom.map((t) => t.tier)).toEqual([
      'platinum',
      'gold',
      'gold',
      'silver',
      'silver',
      'standard',
      'standard',
      'standard',
      'standard',
      'standard',
    ])
  })

  it('rejects bad cutoffs and non-finite CLV; names tiers in it/en', () => {
    expect(() => assignValueTiers(customers, { platinum: 0.2, gold: 0.1, silver: 0.3 })).toThrow(
      RangeError,
    )
    expect(() => assignValueTiers([{ id: 'z9', clv: Number.NaN }])).toThrow(/z9/)
    expect(VALUE_TIERS.platinum.name.it).toContain('1%')
    expect(assignValueTiers([])).toEqual([])
  })
})

describe('valueTiersOf', () => {
  it('gives every value the tier of its share #{clv_j ≥ v} / n (random bases with many ties)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 400 }),
        (xs) => {
          const clv = Float64Array.from(xs)
          const { tiers, topShares } = valueTiersOf(clv)
          xs.forEach((v, i) => {
            const share = xs.filter((w) => w >= v).length / xs.length
            const want =
              share <= 0.01 + 1e-12
                ? 'platinum'
                : share <= 0.05 + 1e-12
                  ? 'gold'
                  : share <= 0.2 + 1e-12
                    ? 'silver'
                    : 'standard'
            expect(topShares[i]).toBe(share)
            expect(tiers[i]).toBe(want)
          })
        },
      ),
      { numRuns: 300 },
    )
  })
})
