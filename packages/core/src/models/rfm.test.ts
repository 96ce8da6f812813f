import { describe, it, expect } from 'vitest'
import { checkRfmData, compressRfm, compressSpend, groupByX } from './rfm.ts'

describe('compressRfm', () => {
  it('groups identical tuples, counts them and sorts by x, t_x, T', () => {
    const data = compressRfm([
      { x: 2, tx: 30, T: 39 },
      { x: 0, tx: 0, T: 38 },
      { x: 0, tx: 0, T: 38 },
      { x: 2, tx: 30, T: 39 },
      { x: 0, tx: 0, T: 30 },
      { x: 2, tx: 10, T: 39 },
    ])
    expect(Array.from(data.x)).toEqual([0, 0, 2, 2])
    expect(Array.from(data.tx)).toEqual([0, 0, 10, 30])
    expect(Array.from(data.T)).toEqual([30, 38, 39, 39])
    expect(Array.from(data.weight)).toEqual([1, 2, 1, 2])
    expect(data.customers).toBe(6)
    expect(checkRfmData(data)).toBeNull()
  })

  it('throws a RangeError naming the row and the field for invalid rows', () => {
    expect(() =>
      compressRfm([
        { x: 1, tx: 2, T: 3 },
        { x: -1, tx: 0, T: 3 },
      ]),
    ).toThrow(/row 1, field x/)
    expect(() => compressRfm([{ x: 1, tx: 5, T: 3 }])).toThrow(/row 0, field tx.*\[0, 3\]/)
    expect(() => compressRfm([{ x: 0, tx: 1, T: 3 }])).toThrow(/tx must be 0 when x = 0/)
    expect(() => compressRfm([{ x: 0, tx: 0, T: 0 }])).toThrow(/field T/)
    expect(() => compressRfm([{ x: 1, tx: NaN, T: 3 }])).toThrow(/field tx/)
  })

  it('handles an empty input', () => {
    const data = compressRfm([])
    expect(data.x.length).toBe(0)
    expect(data.customers).toBe(0)
  })
})

describe('checkRfmData', () => {
  it('reports mismatched lengths and bad weights', () => {
    expect(checkRfmData({ x: [1], tx: [1], T: [2, 3], weight: [1] })?.field).toBe('length')
    expect(checkRfmData({ x: [1], tx: [1], T: [2], weight: [0] })?.message).toMatch(/weight/)
  })
})

describe('compressSpend', () => {
  it('leaves out customers without repeat purchases and groups the rest', () => {
    const data = compressSpend([
      { x: 0, m: 0 },
      { x: 2, m: 20 },
      { x: 1, m: 15 },
      { x: 2, m: 20 },
    ])
    expect(Array.from(data.x)).toEqual([1, 2])
    expect(Array.from(data.m)).toEqual([15, 20])
    expect(Array.from(data.weight)).toEqual([1, 2])
    expect(data.customers).toBe(3)
  })

  it('throws for a non-positive mean with its row index', () => {
    expect(() =>
      compressSpend([
        { x: 0, m: 0 },
        { x: 3, m: 0 },
      ]),
    ).toThrow(/row 1, field m/)
  })
})

describe('groupByX', () => {
  it('lists distinct x values in numeric order with their row indices and total weights', () => {
    const g = groupByX([10, 2, 10, 0, 2], [1, 2, 3, 4, 5])
    expect(Array.from(g.values)).toEqual([0, 2, 10])
    expect(Array.from(g.index)).toEqual([2, 1, 2, 0, 1])
    expect(Array.from(g.weight)).toEqual([4, 7, 4])
  })
})
