/// <reference types="node" />
/**
 * Diagnostics on the CDNOW sample against the published figures (shared/reference/clv-models.md
 * §1.4): calibration 1997-01-01…1997-09-30 (39 weeks), holdout to 1998-06-30 (weeks 40–78).
 */
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { bgnbdFit, bgnbdProbabilityAlive } from './bgnbd.ts'
import type { BgnbdParams } from './bgnbd.ts'
import {
  bgnbdDiagnosticsModel,
  diagnosticsInputOf,
  modelDiagnostics,
  paretoNbdDiagnosticsModel,
} from './diagnostics.ts'
import { paretoNbdFit } from './pareto-nbd.ts'
import { compressRfm } from './rfm.ts'
import { readTransactions, summarizeTransactions } from './transactions.ts'

const path = fileURLToPath(
  new URL('../../../../../shared/data/cdnow/CDNOW_sample.txt', import.meta.url),
)
if (!existsSync(path))
  throw new Error(`CDNOW data file missing: ${path} (see shared/data/cdnow/SOURCE.md)`)

const log = readTransactions(readFileSync(path, 'utf8'))
if (!log.ok) throw new Error(log.error.message.en)
const summarized = summarizeTransactions(log.value, {
  calibrationEnd: '1997-09-30',
  holdoutEnd: '1998-06-30',
  unit: 'week',
})
if (!summarized.ok) throw new Error(summarized.error.message.en)
const summary = summarized.value
const input = diagnosticsInputOf(summary)
const rfm = compressRfm(summary.customers)

const expectRel = (got: number, want: number, tol: number): void => {
  const rel = Math.abs(got - want) / Math.abs(want)
  expect(rel, `got ${got}, want ${want}`).toBeLessThanOrEqual(tol)
}

describe('BG/NBD diagnostics on CDNOW (FHL 2005; BTYD §4.4)', () => {
  const fit = bgnbdFit(rfm)
  const d = modelDiagnostics(bgnbdDiagnosticsModel(fit.params), input)

  it('aggregate forecast: 4,165.7 expected vs 4,339 actual by week 78, −4.0 %', () => {
    const a = d.aggregate
    expect(a.actualCalibration).toBe(2457)
    expect(a.actualTotal).toBe(4339)
    expect(a.actualHoldout).toBe(1882)
    expect(a.expectedCalibration).toBeCloseTo(2501.5, 1)
    expect(a.expectedTotal).toBeCloseTo(4165.7, 1)
    // 1,664.2 in the reference is the difference of the two rounded figures above.
    expect(Math.abs(a.expectedHoldout - 1664.2)).toBeLessThan(0.1)
    // Reference: "−4.0 %" (one decimal in percent); the paper says "4 % under".
    expect(Math.round(a.cumulativeError * 1000) / 10).toBe(-4.0)
    expect(a.cumulativeError).toBeLessThan(0)
  })

  it('individual forecasts: Σ E[Y(39)] = 1,653.4 vs 1,882; correlation with actual 0.6256 (paper 0.626)', () => {
    expect(d.aggregate.conditionalExpected).toBeCloseTo(1653.4, 1)
    expect(d.aggregate.conditionalActual).toBe(1882)
    expect(d.aggregate.correlation).toBeCloseTo(0.6256, 4)
  })

  it('tracking: expected cumulative at weeks 20–25 as BTYD (1312.458 … 1669.6), actual 1359 … 1672', () => {
    const rows = d.tracking.slice(19, 25)
    ;[1312.458, 1387.346, 1460.392, 1531.713, 1601.418, 1669.6].forEach((v, i) =>
      expect(rows[i]?.expectedCumulative).toBeCloseTo(v, 0),
    )
    expect(rows.map((r) => r.actualCumulative)).toEqual([1359, 1414, 1484, 1517, 1573, 1672])
    expect(d.tracking).toHaveLength(78)
    expect(d.tracking[38]).toMatchObject({ period: 39, calibration: true, actualCumulative: 2457 })
    expect(d.tracking[39]?.calibration).toBe(false)
    // Incremental and cumulative agree.
    const sum = d.tracking.reduce((s, r) => s + r.expected, 0)
    expect(sum).toBeCloseTo(d.aggregate.expectedTotal, 8)
  })

  it('calibration vs holdout by frequency reproduces BTYD §4.4 with its parameters (1e-5)', () => {
    const btyd: BgnbdParams = { r: 0.2425982, alpha: 4.4136842, a: 0.7929899, b: 2.4261667 }
    const table = modelDiagnostics(bgnbdDiagnosticsModel(btyd), input).conditional
    expect(table.map((r) => r.label)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7+'])
    expect(table.map((r) => r.customers)).toEqual([1411, 439, 214, 100, 62, 38, 29, 64])
    const predicted = [
      0.2250893, 0.5231364, 1.044126, 1.520256, 2.163824, 2.653789, 3.503957, 6.157036,
    ]
    const actual = [0.237, 0.697, 1.393, 1.56, 2.532, 2.947, 3.862, 6.359]
    table.forEach((row, k) => {
      expectRel(row.predicted, predicted[k] as number, 1e-5)
      expect(row.actual).toBeCloseTo(actual[k] as number, 3)
    })
    // x = 0: BG/NBD says alive with certainty.
    expect(table[0]?.probabilityAlive).toBe(1)
  })

  it('P(alive) grid: model values on frequency × recency at the longest T, with counts', () => {
    const g = d.alive
    expect(g.T).toBeCloseTo(272 / 7, 12) // first purchase 1997-01-01 → 38.857 weeks
    expect(g.frequencies).toHaveLength(20)
    expect(g.recencies).toHaveLength(20)
    expect(g.values[0]?.every((v) => v === 1)).toBe(true)
    const [i, j] = [5, 13]
    expect(g.values[i]?.[j]).toBe(
      bgnbdProbabilityAlive(fit.params, { x: i, tx: g.recencies[j] as number, T: g.T }),
    )
    // P(alive) rises with recency at a fixed frequency, falls with frequency at a low recency.
    const row = g.values[5] as number[]
    for (let k = 1; k < row.length; k++) expect(row[k]).toBeGreaterThan(row[k - 1] as number)
    expect(g.values[10]?.[2]).toBeLessThan(g.values[2]?.[2] as number)
    const counted = g.customers.flat().reduce((s, v) => s + v, 0)
    expect(counted).toBe(summary.customers.filter((c) => c.x < 20).length)
    expect(g.customers[0]?.[0]).toBe(1411)
  })
})

describe('BG/NBD in days instead of weeks: the same model on a 7× finer clock', () => {
  it('α scales by 7, LL shifts by −Σx·ln 7, forecasts at day 546 equal those at week 78', () => {
    const days = summarizeTransactions(log.value, {
      calibrationEnd: '1997-09-30',
      holdoutEnd: '1998-06-30',
      unit: 'day',
    })
    if (!days.ok) throw new Error(days.error.message.en)
    const s = days.value
    const weekly = bgnbdFit(rfm)
    const daily = bgnbdFit(compressRfm(s.customers))
    expectRel(daily.params.alpha, 7 * weekly.params.alpha, 1e-4)
    expectRel(daily.params.r, weekly.params.r, 1e-4)
    expect(daily.logLikelihood).toBeCloseTo(weekly.logLikelihood - 2457 * Math.log(7), 2)
    const d = modelDiagnostics(bgnbdDiagnosticsModel(daily.params), diagnosticsInputOf(s))
    expect([s.calibrationPeriods, s.totalPeriods]).toEqual([273, 546])
    expect(d.aggregate.actualTotal).toBe(4339)
    expect(d.aggregate.actualCalibration).toBe(2457)
    expect(d.aggregate.expectedTotal).toBeCloseTo(4165.7, 1)
    expect(Math.round(d.aggregate.cumulativeError * 1000) / 10).toBe(-4.0)
    expect(d.conditional[0]?.predicted).toBeCloseTo(0.225, 3)
  })
})

describe('Pareto/NBD diagnostics on CDNOW', () => {
  const fit = paretoNbdFit(rfm)
  const d = modelDiagnostics(paretoNbdDiagnosticsModel(fit.params), input)

  it('aggregate forecast 4,275.4 by week 78 (−1.5 %), zero class 0.138 vs 0.237, Σ E[Y] 1,665.5, r = 0.6302', () => {
    expect(d.aggregate.expectedTotal).toBeCloseTo(4275.4, 1)
    expect(d.aggregate.expectedCalibration).toBeCloseTo(2532.8, 1)
    expect(Math.round(d.aggregate.cumulativeError * 1000) / 10).toBe(-1.5)
    expect(d.conditional[0]?.predicted).toBeCloseTo(0.138, 3)
    expect(d.conditional[0]?.actual).toBeCloseTo(0.237, 3)
    expect(d.aggregate.conditionalExpected).toBeCloseTo(1665.5, 1)
    expect(d.aggregate.correlation).toBeCloseTo(0.6302, 4)
  })

  it('by frequency close to BTYD §3.4 (0.138, 0.600, 1.196, 1.714, 2.399, 2.907, 3.819, 6.403)', () => {
    // BTYD's own Pareto/NBD estimates differ from the MLE in the 3rd–4th digit (β 11.656 vs 11.669).
    ;[0.138, 0.6, 1.196, 1.714, 2.399, 2.907, 3.819, 6.403].forEach((v, k) =>
      expect(Math.abs((d.conditional[k]?.predicted as number) - v)).toBeLessThan(0.006),
    )
  })
})

describe('modelDiagnostics input checks', () => {
  const model = bgnbdDiagnosticsModel({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 })
  it('without per-period counts, actual totals come from Σx and Σholdout', () => {
    const d = modelDiagnostics(model, { ...input, repeatsByPeriod: undefined })
    expect(d.aggregate.actualCalibration).toBe(2457)
    expect(d.aggregate.actualTotal).toBe(4339)
    expect(d.tracking[10]?.actual).toBeNull()
  })
  it('rejects an empty cohort and mismatched period counts', () => {
    expect(() => modelDiagnostics(model, { ...input, customers: [] })).toThrow(/at least one/)
    expect(() => modelDiagnostics(model, { ...input, repeatsByPeriod: [1, 2] })).toThrow(
      /78 entries/,
    )
  })
})
