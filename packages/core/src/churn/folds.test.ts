import { describe, expect, it } from 'vitest'
import { stratifiedKFold } from './folds.ts'

describe('stratifiedKFold', () => {
  const labels = Array.from({ length: 103 }, (_, i) => (i % 4 === 0 ? 1 : 0))

  it('balances classes and sizes across folds', () => {
    const folds = stratifiedKFold(labels, 5, 9)
    const sizes = [0, 0, 0, 0, 0]
    const pos = [0, 0, 0, 0, 0]
    folds.forEach((f, i) => {
      sizes[f]! += 1
      pos[f]! += labels[i]!
    })
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1)
    expect(Math.max(...pos) - Math.min(...pos)).toBeLessThanOrEqual(1)
    expect(pos.reduce((a, b) => a + b)).toBe(26)
  })

  it('is reproducible for a seed and changes with it', () => {
    expect(stratifiedKFold(labels, 5, 9)).toEqual(stratifiedKFold(labels, 5, 9))
    expect(stratifiedKFold(labels, 5, 9)).not.toEqual(stratifiedKFold(labels, 5, 10))
  })

  it('rejects k < 2', () => {
    expect(() => stratifiedKFold(labels, 1, 0)).toThrow(RangeError)
  })
})
