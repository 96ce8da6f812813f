import { describe, expect, it } from 'vitest'
import { crossValidateChurn } from './cv.ts'
import { scoreChurnRows, trainChurnModel } from './model.ts'
import type { ChurnModel } from './model.ts'
import { syntheticCustomers } from './test-fixtures.ts'

const options = { idColumn: 'customer_id', labelColumn: 'churned' } as const

describe('trainChurnModel', () => {
  const rows = syntheticCustomers(3000, 5)
  const trained = trainChurnModel(rows, options)
  if (!trained.ok) throw new Error(trained.error.message.en)
  const model: ChurnModel = trained.value

  it('learns the generating effects with the right signs', () => {
    const coef = (name: string) =>
      model.coefficients[model.encoder.features.findIndex((f) => f.name === name)]!
    expect(coef('recency_days')).toBeGreaterThan(0)
    expect(coef('unresolved_tickets')).toBeGreaterThan(0)
    expect(coef('last_nps')).toBeLessThan(0)
    expect(coef('plan=Basic')).toBeGreaterThan(coef('plan=Pro'))
    expect(model.training).toMatchObject({ rows: 3000, converged: true, calibrationFolds: 5 })
    expect(model.calibration.method).toBe('platt')
  })

  it('scores identically after a JSON round trip (the model is plain data)', () => {
    const copy = JSON.parse(JSON.stringify(model)) as ChurnModel
    const a = scoreChurnRows(model, rows.slice(0, 20))
    const b = scoreChurnRows(copy, rows.slice(0, 20))
    expect(b).toEqual(a)
    expect(a[0]!.id).toBe('c0')
    for (const s of a) expect(s.probability).toBeGreaterThan(0)
  })

  it('is deterministic for a seed', () => {
    const again = trainChurnModel(rows, options)
    expect(again.ok && again.value).toEqual(model)
  })

  it('supports isotonic and no calibration', () => {
    const iso = trainChurnModel(rows, { ...options, calibration: 'isotonic' })
    expect(iso.ok && iso.value.calibration.method).toBe('isotonic')
    const none = trainChurnModel(rows, { ...options, calibration: 'none' })
    expect(none.ok && none.value.calibration.method).toBe('none')
  })

  it('returns expected failures as values', () => {
    const noRows = trainChurnModel([], options)
    expect(!noRows.ok && noRows.error.code).toBe('no_rows')

    const bad = trainChurnModel(
      [...rows.slice(0, 5), { customer_id: 'x', churned: 'maybe' }],
      options,
    )
    expect(bad.ok).toBe(false)
    if (!bad.ok && bad.error.code === 'invalid_label') {
      expect(bad.error.row).toBe(5)
      expect(bad.error.message.it).toContain('Riga 6')
      expect(bad.error.message.en).toContain('"maybe"')
    } else throw new Error('expected invalid_label')

    const single = trainChurnModel(
      rows.map((r) => ({ ...r, churned: 'no' })),
      options,
    )
    expect(!single.ok && single.error.code).toBe('single_class')

    const blank = trainChurnModel(
      [
        { customer_id: 'a', churned: 'yes', x: '' },
        { customer_id: 'b', churned: 'no', x: '' },
      ],
      options,
    )
    expect(!blank.ok && blank.error.code).toBe('no_features')
  })

  it('skips calibration when a class has a single row', () => {
    const tiny = trainChurnModel(
      [
        { customer_id: 'a', churned: 1, x: 1 },
        { customer_id: 'b', churned: 0, x: 2 },
        { customer_id: 'c', churned: 0, x: 3 },
      ],
      options,
    )
    expect(tiny.ok && tiny.value.calibration.method).toBe('none')
  })
})

describe('crossValidateChurn', () => {
  it('reports per-fold and pooled metrics on held-out rows', () => {
    const rows = syntheticCustomers(1500, 8)
    const cv = crossValidateChurn(rows, options, { folds: 3, seed: 2 })
    if (!cv.ok) throw new Error(cv.error.message.en)
    expect(cv.value.folds).toHaveLength(3)
    expect(cv.value.predictions).toHaveLength(1500)
    expect(cv.value.pooled.rocAuc).toBeGreaterThan(0.75)
    expect(cv.value.pooled.liftTopDecile).toBeGreaterThan(1.5)
    expect(cv.value.pooled.calibrationCurve).toHaveLength(10)
    const again = crossValidateChurn(rows, options, { folds: 3, seed: 2 })
    expect(again.ok && again.value.meanRocAuc).toBe(cv.value.meanRocAuc)
  })
})
