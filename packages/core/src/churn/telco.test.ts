/// <reference types="node" />
// Integration test on the IBM Telco customer churn file (7,043 customers). Published and
// independently recomputed ROC AUC for a logistic regression on this file: ≈ 0.842–0.847
// (shared/reference/clv-models.md §7; 5×5-fold CV with scikit-learn: 0.8453 ± 0.0124).
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { crossValidateChurn } from './cv.ts'
import { trainChurnModel } from './model.ts'
import { describeChurnReasons, explainChurnRow } from './reasons.ts'
import type { DataRow } from './table.ts'

const CSV_URL = new URL(
  '../../../../../shared/data/telco-churn/WA_Fn-UseC_-Telco-Customer-Churn.csv',
  import.meta.url,
)

/**
 * Minimal CSV reader for this test only (RFC 4180 quoting, LF or CRLF); the product's CSV
 * importer lives elsewhere.
 */
const readCsv = (text: string): DataRow[] => {
  const records: string[][] = []
  let field = ''
  let record: string[] = []
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      record.push(field)
      field = ''
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++
      record.push(field)
      records.push(record)
      record = []
      field = ''
    } else field += ch
  }
  if (field !== '' || record.length > 0) {
    record.push(field)
    records.push(record)
  }
  const [header, ...body] = records
  if (header === undefined) return []
  return body
    .filter((r) => r.length > 1 || r[0] !== '')
    .map((r) => Object.fromEntries(header.map((name, j) => [name, r[j] ?? ''])))
}

const loadTelco = (): DataRow[] => {
  const path = fileURLToPath(CSV_URL)
  if (!existsSync(path))
    throw new Error(
      `Telco churn data not found at ${path}. This test needs WA_Fn-UseC_-Telco-Customer-Churn.csv ` +
        '(see shared/data/telco-churn/SOURCE.md for where to get it); it is not skipped on purpose.',
    )
  return readCsv(readFileSync(path, 'utf8'))
}

const OPTIONS = { idColumn: 'customerID', labelColumn: 'Churn' } as const

describe('Telco customer churn (IBM sample, 7,043 rows)', () => {
  const rows = loadTelco()

  it('has the documented shape', () => {
    expect(rows).toHaveLength(7043)
    expect(rows.filter((r) => r.Churn === 'Yes')).toHaveLength(1869)
    expect(rows.filter((r) => r.TotalCharges === ' ')).toHaveLength(11)
  })

  it(
    'reaches ROC AUC ≥ 0.845 in seeded stratified 5-fold cross-validation',
    { timeout: 60_000 },
    () => {
      const started = performance.now()
      const cv = crossValidateChurn(rows, OPTIONS, { folds: 5, seed: 1 })
      const seconds = (performance.now() - started) / 1000
      if (!cv.ok) throw new Error(cv.error.message.en)
      const { folds, pooled, meanRocAuc, sdRocAuc } = cv.value
      console.info(
        `Telco 5-fold CV (seed 1, ${seconds.toFixed(1)} s): fold AUC ` +
          folds.map((f) => f.rocAuc.toFixed(4)).join(', ') +
          `; mean ${meanRocAuc.toFixed(4)} ± ${sdRocAuc.toFixed(4)}; pooled AUC ${pooled.rocAuc.toFixed(4)}, ` +
          `AP ${pooled.averagePrecision.toFixed(4)}, Brier ${pooled.brier.toFixed(4)}, ` +
          `log-loss ${pooled.logLoss.toFixed(4)}, top-decile lift ${pooled.liftTopDecile.toFixed(2)}`,
      )
      expect(meanRocAuc).toBeGreaterThanOrEqual(0.845)
      expect(pooled.rocAuc).toBeGreaterThanOrEqual(0.845)
      // Far above every honest result on this file would mean leakage (reference §7).
      expect(pooled.rocAuc).toBeLessThan(0.87)
      for (const fold of folds) expect(fold.rocAuc).toBeGreaterThan(0.81)
      // Base rate 26.5 %: Brier of the constant predictor is 0.195.
      expect(pooled.brier).toBeLessThan(0.14)
      expect(pooled.averagePrecision).toBeGreaterThan(0.62)
      expect(pooled.liftTopDecile).toBeGreaterThan(2.6)
      // Platt-calibrated: every decile's observed churn rate within 5 points of the prediction.
      for (const bin of pooled.calibrationCurve)
        expect(Math.abs(bin.meanPredicted - bin.observedRate)).toBeLessThan(0.05)
    },
  )

  it('explains a high-risk customer with the dataset columns', { timeout: 30_000 }, () => {
    const model = trainChurnModel(rows, OPTIONS)
    if (!model.ok) throw new Error(model.error.message.en)
    const explanations = rows.map((row) => explainChurnRow(model.value, row))
    const riskiest = explanations.reduce((a, b) => (b.probability > a.probability ? b : a))
    expect(riskiest.probability).toBeGreaterThan(0.7)
    const reasons = describeChurnReasons(riskiest)
    expect(reasons.length).toBeGreaterThan(0)
    const text = reasons.map((r) => r.text.en).join('; ')
    expect(text).toMatch(/raises the risk/)
    // A month-to-month contract is the classic churn driver in this file.
    const monthly = rows.findIndex((r) => r.Contract === 'Month-to-month')
    const contract = explanations[monthly]!.contributions.find((c) => c.column === 'Contract')!
    expect(contract.contribution).toBeGreaterThan(0)
  })
})
