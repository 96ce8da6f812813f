import { describe, expect, it } from 'vitest'
import {
  encodeRows,
  fitFeatureEncoder,
  quantileSorted,
  rawCellFeatures,
  restrictedCubicSplineBasis,
} from './encoder.ts'
import type { DataRow } from './table.ts'
import { categoryOf, isBlank, parseBinaryLabel, parseNumericCell } from './table.ts'

describe('cell parsing', () => {
  it('recognises blanks and numbers', () => {
    expect(isBlank(' ')).toBe(true)
    expect(isBlank(null)).toBe(true)
    expect(isBlank(Number.NaN)).toBe(true)
    expect(isBlank(0)).toBe(false)
    expect(parseNumericCell(' 29.85 ')).toBe(29.85)
    expect(parseNumericCell('-1e3')).toBe(-1000)
    expect(parseNumericCell('1,5')).toBeNull()
    expect(parseNumericCell(true)).toBeNull()
    expect(categoryOf(false)).toBe('false')
  })

  it('reads binary labels', () => {
    expect(parseBinaryLabel('Yes')).toBe(1)
    expect(parseBinaryLabel('no')).toBe(0)
    expect(parseBinaryLabel(1)).toBe(1)
    expect(parseBinaryLabel('Sì')).toBe(1)
    expect(parseBinaryLabel('maybe')).toBeNull()
    expect(parseBinaryLabel('', 'Left')).toBeNull()
    expect(parseBinaryLabel('left', 'Left')).toBe(1)
    expect(parseBinaryLabel('Stayed', 'Left')).toBe(0)
  })
})

describe('quantileSorted', () => {
  it('interpolates linearly (type 7)', () => {
    const x = [1, 2, 3, 4]
    expect(quantileSorted(x, 0.5)).toBe(2.5)
    expect(quantileSorted(x, 0)).toBe(1)
    expect(quantileSorted(x, 1)).toBe(4)
    expect(quantileSorted(x, 1 / 3)).toBeCloseTo(2, 12)
  })
})

describe('restrictedCubicSplineBasis', () => {
  const knots = [0, 1, 3, 6]
  it('is zero left of the first knot and linear right of the last', () => {
    expect(restrictedCubicSplineBasis(-1, knots)).toEqual([0, 0])
    const h = (x: number) => restrictedCubicSplineBasis(x, knots)
    for (let j = 0; j < 2; j++) {
      const second = h(9)[j]! - 2 * h(8)[j]! + h(7)[j]!
      expect(Math.abs(second)).toBeLessThan(1e-9)
    }
  })
})

describe('fitFeatureEncoder', () => {
  const rows: DataRow[] = [
    { id: 'a', y: 'Yes', plan: 'Basic', spend: '10', note: 'x', flat: 1, empty: '' },
    { id: 'b', y: 'No', plan: 'Pro', spend: ' ', note: 'y', flat: 1, empty: null },
    { id: 'c', y: 'No', plan: 'Basic', spend: 30, note: 'z', flat: 1 },
    { id: 'd', y: 'Yes', plan: 'Pro', spend: 20, note: 'w', flat: 1 },
    { id: 'e', y: 'No', plan: null, spend: 40, note: 'v', flat: 1 },
  ]
  const encoder = fitFeatureEncoder(rows, ['id', 'y'], { minLevelCount: 2 })

  it('detects types, drops blank and constant columns, excludes id and label', () => {
    expect(encoder.columns.map((c) => [c.name, c.kind])).toEqual([
      ['plan', 'categorical'],
      ['spend', 'numeric'],
    ])
    expect(encoder.dropped).toEqual([
      { column: 'note', reason: 'constant' }, // every level is rare → only "other", constant
      { column: 'flat', reason: 'constant' },
      { column: 'empty', reason: 'all_blank' },
    ])
  })

  it('one-hot encodes levels, adds missing indicators and imputes the median', () => {
    expect(encoder.features.map((f) => f.name)).toEqual([
      'plan=Basic',
      'plan=Pro',
      'plan__missing',
      'spend',
      'spend__missing',
    ])
    const spend = encoder.columns.find((c) => c.name === 'spend')!
    expect(spend.kind === 'numeric' && spend.impute).toBe(25)
    expect(rawCellFeatures(spend, ' ')).toEqual([25, 1])
  })

  it('standardises every feature on the training rows', () => {
    const x = encodeRows(encoder, rows)
    for (let j = 0; j < x.cols; j++) {
      let s = 0
      let ss = 0
      for (let i = 0; i < x.rows; i++) {
        const v = x.data[i * x.cols + j]!
        s += v
        ss += v * v
      }
      expect(s / x.rows).toBeCloseTo(0, 12)
      expect(ss / x.rows).toBeCloseTo(1, 12)
    }
  })

  it('honours type overrides, pools rare levels and maps unseen levels to "other"', () => {
    const many: DataRow[] = Array.from({ length: 40 }, (_, i) => ({
      zip: String(10000 + (i % 4)),
      city: i < 30 ? 'Roma' : i < 38 ? 'Milano' : `Town${i}`,
      amount: i === 39 ? 100_000 : i,
    }))
    const enc = fitFeatureEncoder(many, [], { categorical: ['zip'], minLevelCount: 5 })
    expect(enc.columns.find((c) => c.name === 'zip')?.kind).toBe('categorical')
    const city = enc.columns.find((c) => c.name === 'city')!
    expect(city.kind === 'categorical' && city.levels).toEqual(['Roma', 'Milano'])
    expect(rawCellFeatures(city, 'Napoli')).toEqual([0, 0, 1])
    const amount = enc.columns.find((c) => c.name === 'amount')!
    // many distinct values → spline terms; one huge value → skewed → log1p
    expect(amount.kind === 'numeric' && amount.knots.length).toBe(4)
    expect(amount.kind === 'numeric' && amount.log).toBe(true)
    const none = fitFeatureEncoder(many, [], { splines: 'none', logTransform: 'none' })
    const plain = none.columns.find((c) => c.name === 'amount')!
    expect(plain.kind === 'numeric' && plain.knots.length).toBe(0)
    expect(plain.kind === 'numeric' && plain.log).toBe(false)
  })

  it('treats a row without the column as blank when encoding', () => {
    const x = encodeRows(encoder, [{ id: 'z' }])
    const names = encoder.features.map((f) => f.name)
    const missing = names.indexOf('plan__missing')
    expect(x.data[missing]!).toBeGreaterThan(0)
  })
})
