/**
 * `fedele predict` on files, run as the real process: the CDNOW sample (Fader, Hardie & Lee 2005)
 * and the IBM Telco churn table, against the published figures of
 * shared/reference/clv-models.md. File mode never opens the system of record, so these tests
 * need no database.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SHARED_DATA, TEST_TMP } from '../paths.ts'
import { runFedele } from '../processes.ts'

const CDNOW = `${SHARED_DATA}cdnow/CDNOW_sample.txt`
const TELCO = `${SHARED_DATA}telco-churn/WA_Fn-UseC_-Telco-Customer-Churn.csv`
const DIR = `${TEST_TMP}predict-cli-${process.pid}/`
const TIMEOUT = 180_000

for (const file of [CDNOW, TELCO])
  if (!existsSync(file))
    throw new Error(
      `shared data file missing: ${file} (see shared/data/*/SOURCE.md); not skipped on purpose`,
    )

/** Same number to `digits` significant figures. */
const sig = (v: number, digits: number): number => Number(v.toPrecision(digits))

interface FitJson {
  data: Record<string, number>
  data_check: { ok: boolean }
  calibration_periods: number
  holdout_length: number
  models: {
    model: string
    parameters: Record<string, number>
    standard_errors: Record<string, number>
    log_likelihood: number
    converged: boolean
    population_mean?: number
    spend_frequency_correlation?: number
    diagnostics?: {
      aggregate: { actualTotal: number; expectedTotal: number; cumulativeError: number }
      conditional: { label: string; customers: number; actual: number; predicted: number }[]
      tracking: { period: number; actualCumulative: number; expectedCumulative: number }[]
      alive: { values: number[][] }
    }
  }[]
  html_file?: string
}

const fitArgs = (model: string, ...extra: string[]) => [
  'predict',
  'fit',
  '--model',
  model,
  '--transactions',
  CDNOW,
  '--calibration-end',
  '1997-09-30',
  '--unit',
  'week',
  ...extra,
]

beforeAll(() => mkdirSync(DIR, { recursive: true }))
afterAll(() => rmSync(DIR, { recursive: true, force: true }))

describe('fedele predict fit --transactions (CDNOW sample, weeks, calibration to 1997-09-30)', () => {
  it(
    'bgnbd+gg --json: r = 0.243, α = 4.414, a = 0.793, b = 2.426, LL −9582.43; p = 6.25, q = 3.74, γ = 15.44; −4.0 % at week 78',
    { timeout: TIMEOUT },
    async () => {
      const html = `${DIR}cdnow.html`
      const run = await runFedele(fitArgs('bgnbd+gg', '--json', '--html', html), {}, TIMEOUT)
      expect(run.stderr).toBe('')
      expect(run.code).toBe(0)
      const out = JSON.parse(run.stdout) as FitJson
      expect(out.data).toMatchObject({
        rows: 6919,
        customers: 2357,
        repeat_customers: 946,
        repeat_purchases: 2457,
        holdout_purchases: 1882,
        spend_customers: 946,
      })
      expect([out.calibration_periods, out.holdout_length]).toEqual([39, 39])
      expect(out.data_check.ok).toBe(true)
      const [bg, gg] = out.models
      if (!bg || !gg) throw new Error('two models expected')
      expect(bg.model).toBe('bgnbd')
      expect(bg.converged).toBe(true)
      const p = bg.parameters
      expect([sig(p.r!, 3), sig(p.alpha!, 4), sig(p.a!, 3), sig(p.b!, 4)]).toEqual([
        0.243, 4.414, 0.793, 2.426,
      ])
      expect(Math.round(bg.log_likelihood * 100) / 100).toBe(-9582.43)
      // Standard errors: lifetimes' Quickstart 0.0126, 0.378, 0.186, 0.705.
      const se = bg.standard_errors
      expect([sig(se.r!, 3), sig(se.alpha!, 3), sig(se.a!, 3), sig(se.b!, 3)]).toEqual([
        0.0126, 0.378, 0.186, 0.705,
      ])

      const d = bg.diagnostics!
      expect(d.aggregate.actualTotal).toBe(4339)
      expect(d.aggregate.expectedTotal).toBeCloseTo(4165.7, 1)
      expect(Math.round(d.aggregate.cumulativeError * 1000) / 10).toBe(-4.0)
      expect(d.conditional.map((c) => c.customers)).toEqual([1411, 439, 214, 100, 62, 38, 29, 64])
      expect(d.conditional.map((c) => Number(c.actual.toFixed(3)))).toEqual([
        0.237, 0.697, 1.393, 1.56, 2.532, 2.947, 3.862, 6.359,
      ])
      expect(d.conditional[0]!.predicted).toBeCloseTo(0.225, 3)
      expect(d.tracking.slice(19, 25).map((t) => t.actualCumulative)).toEqual([
        1359, 1414, 1484, 1517, 1573, 1672,
      ])
      expect(d.tracking[19]!.expectedCumulative).toBeCloseTo(1312.458, 0)

      expect(gg.model).toBe('gg')
      expect([
        sig(gg.parameters.p!, 3),
        sig(gg.parameters.q!, 3),
        sig(gg.parameters.gamma!, 4),
      ]).toEqual([6.25, 3.74, 15.44])
      expect(gg.log_likelihood).toBeCloseTo(-4055.9177, 3)
      expect(gg.population_mean).toBeCloseTo(35.1704, 3)
      expect(gg.spend_frequency_correlation).toBeCloseTo(0.113888, 5)

      expect(out.html_file).toBe(html)
      const page = readFileSync(html, 'utf8')
      expect(page.startsWith('<!doctype html>')).toBe(true)
      for (const label of [
        'Calibration vs holdout by frequency',
        'BG/NBD cumulative tracking',
        'BG/NBD incremental tracking',
        'P(alive) by frequency and recency',
      ])
        expect(page).toContain(`aria-label="${label}"`)
      expect(page).toContain('-9582.43')
      expect(page).toContain('-4.0 %')
      expect(page).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/)
    },
  )

  it(
    'pareto, readable table: r = 0.553, α = 10.578, s = 0.606, β = 11.669, LL −9594.98',
    { timeout: TIMEOUT },
    async () => {
      const run = await runFedele(fitArgs('pareto'), {}, TIMEOUT)
      expect(run.code).toBe(0)
      const text = run.stdout
      expect(text).toContain('Pareto/NBD')
      expect(text).toMatch(/^\s+r\s+0\.553\s/m)
      expect(text).toMatch(/^\s+α\s+10\.578\s/m)
      expect(text).toMatch(/^\s+s\s+0\.606\s/m)
      expect(text).toMatch(/^\s+β\s+11\.669\s/m)
      expect(text).toContain('log-likelihood  -9594.98')
      expect(text).toContain('forecast error -1.5 %')
      expect(text).toContain('Customers     2,357 (946 with repeat purchases)')
    },
  )

  it(
    'bgnbd, readable table prints the published estimates and LL',
    { timeout: TIMEOUT },
    async () => {
      const run = await runFedele(fitArgs('bgnbd'), {}, TIMEOUT)
      expect(run.code).toBe(0)
      for (const [name, value] of [
        ['r', '0.243'],
        ['α', '4.414'],
        ['a', '0.793'],
        ['b', '2.426'],
      ] as const)
        expect(run.stdout).toMatch(
          new RegExp(`^\\s+${name}\\s+${value.replace('.', '\\.')}\\s`, 'm'),
        )
      expect(run.stdout).toContain('log-likelihood  -9582.43')
      expect(run.stdout).toContain('(forecast error -4.0 %)')
    },
  )
})

describe('fedele predict fit: a CSV with a header, escaping and errors', () => {
  it(
    'escapes file text in the HTML report and reads named columns',
    { timeout: TIMEOUT },
    async () => {
      const csv = `${DIR}tiny.csv`
      const lines = ['"<script>alert(1)</script>",date,amount']
      // 120 customers, most buying again; enough for a fit (the data check may still warn).
      for (let c = 1; c <= 120; c++) {
        lines.push(`c${c},2024-01-${String((c % 28) + 1).padStart(2, '0')},10.00`)
        for (let k = 1; k <= c % 5; k++)
          lines.push(`c${c},2024-${String(1 + ((k * 2 + c) % 9)).padStart(2, '0')}-15,${5 + k}.50`)
      }
      writeFileSync(csv, `${lines.join('\n')}\n`)
      const html = `${DIR}tiny.html`
      const run = await runFedele(
        [
          'predict',
          'fit',
          '--transactions',
          csv,
          '--id-column',
          '1',
          '--calibration-end',
          '2024-06-30',
          '--unit',
          'day',
          '--html',
          html,
          '--json',
        ],
        {},
        TIMEOUT,
      )
      expect(run.stderr).toBe('')
      expect(run.code).toBe(0)
      const out = JSON.parse(run.stdout) as FitJson & {
        layout: { columns: Record<string, string> }
      }
      expect(out.layout.columns).toEqual({
        id: '<script>alert(1)</script>',
        date: 'date',
        amount: 'amount',
      })
      const page = readFileSync(html, 'utf8')
      expect(page).not.toContain('<script>')
      expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    },
  )

  it(
    'clear errors: missing file, missing option, bad date naming file/line/field',
    { timeout: TIMEOUT },
    async () => {
      const bad = `${DIR}bad.csv`
      writeFileSync(bad, 'customer,date\nc1,2024-01-03\nc2,2024-02-31\n')
      const [missing, noCutoff, badDate] = await Promise.all([
        runFedele(
          [
            'predict',
            'fit',
            '--transactions',
            `${DIR}nope.csv`,
            '--calibration-end',
            '2024-01-31',
            '--json',
          ],
          {},
          TIMEOUT,
        ),
        runFedele(['predict', 'fit', '--transactions', CDNOW], {}, TIMEOUT),
        runFedele(
          ['predict', 'fit', '--transactions', bad, '--calibration-end', '2024-01-31'],
          {},
          TIMEOUT,
        ),
      ])
      expect(missing.code).toBe(1)
      expect(JSON.parse(missing.stdout)).toEqual({
        error: `transactions file not found: ${DIR}nope.csv`,
      })
      expect(noCutoff.code).toBe(1)
      expect(noCutoff.stderr).toContain('--calibration-end is required with --transactions')
      expect(badDate.code).toBe(1)
      expect(badDate.stderr).toContain(`${bad}: Line 3: invalid date "2024-02-31" (column "date")`)
    },
  )

  it(
    'gg on a file without amounts, a bad --unit, too little data without --force',
    { timeout: TIMEOUT },
    async () => {
      const noAmounts = `${DIR}no-amounts.csv`
      writeFileSync(noAmounts, 'customer,date\nc1,2024-01-03\nc1,2024-01-09\nc2,2024-01-05\n')
      const [gg, unit, few] = await Promise.all([
        runFedele(
          [
            'predict',
            'fit',
            '--model',
            'gg',
            '--transactions',
            noAmounts,
            '--calibration-end',
            '2024-01-31',
          ],
          {},
          TIMEOUT,
        ),
        runFedele(
          [
            'predict',
            'fit',
            '--transactions',
            noAmounts,
            '--calibration-end',
            '2024-01-31',
            '--unit',
            'month',
          ],
          {},
          TIMEOUT,
        ),
        runFedele(
          ['predict', 'fit', '--transactions', noAmounts, '--calibration-end', '2024-01-31'],
          {},
          TIMEOUT,
        ),
      ])
      expect(gg.code).toBe(1)
      expect(gg.stderr).toContain(`--model gg needs an amount column, and ${noAmounts} has none`)
      expect(unit.code).toBe(1)
      expect(unit.stderr).toMatch(/invalid option --unit/)
      // Two customers: no estimates printed, the reason and the way out instead.
      expect(few.code).toBe(1)
      expect(few.stdout).toBe('')
      expect(few.stderr).toContain(
        `${noAmounts}: too little data for reliable estimates: Only 2 customers`,
      )
      expect(few.stderr).toContain('Add --force to fit anyway.')
    },
  )
})

interface ChurnJson {
  rows: number
  positives: number
  folds: { fold: number; roc_auc: number; pr_auc: number; brier: number }[]
  overall: { roc_auc: number; mean_roc_auc: number; pr_auc: number; brier: number }
  features: { numeric: string[]; categorical: string[] }
  drivers: { column: string; raises_risk: string; importance: number }[]
}

describe('fedele predict churn-cv --table (IBM Telco, 7,043 customers)', () => {
  it(
    '5-fold ROC AUC ≥ 0.845 (published LR 0.842–0.847), PR AUC, Brier, drivers',
    { timeout: TIMEOUT },
    async () => {
      const run = await runFedele(
        [
          'predict',
          'churn-cv',
          '--table',
          TELCO,
          '--label',
          'Churn',
          '--id',
          'customerID',
          '--folds',
          '5',
          '--seed',
          '1',
          '--json',
        ],
        {},
        TIMEOUT,
      )
      expect(run.stderr).toBe('')
      expect(run.code).toBe(0)
      const out = JSON.parse(run.stdout) as ChurnJson
      expect([out.rows, out.positives]).toEqual([7043, 1869])
      expect(out.folds.map((f) => f.fold)).toEqual([1, 2, 3, 4, 5])
      for (const f of out.folds) {
        expect(f.roc_auc).toBeGreaterThan(0.81)
        expect(f.pr_auc).toBeGreaterThan(0.55)
        expect(f.brier).toBeLessThan(0.15)
      }
      expect(out.overall.roc_auc).toBeGreaterThanOrEqual(0.845)
      expect(out.overall.mean_roc_auc).toBeGreaterThanOrEqual(0.845)
      // Far above every honest result on this file would mean leakage (reference §7).
      expect(out.overall.roc_auc).toBeLessThan(0.87)
      expect(out.overall.brier).toBeLessThan(0.14) // constant predictor: 0.195
      expect(out.overall.pr_auc).toBeGreaterThan(0.62)
      // The id is not a feature; TotalCharges (11 blanks) is numeric.
      const all = [...out.features.numeric, ...out.features.categorical]
      expect(all).not.toContain('customerID')
      expect(all).not.toContain('Churn')
      expect(out.features.numeric).toEqual(
        expect.arrayContaining(['tenure', 'MonthlyCharges', 'TotalCharges']),
      )
      const top = out.drivers.slice(0, 4).map((d) => d.column)
      expect(top).toEqual(expect.arrayContaining(['tenure', 'Contract']))
      expect(out.drivers.find((d) => d.column === 'Contract')?.raises_risk).toBe(
        'Contract = Month-to-month',
      )
      expect(out.drivers.find((d) => d.column === 'tenure')?.raises_risk).toBe('low tenure')
    },
  )

  it(
    'readable table and clear errors (column not found, label not binary, missing file)',
    { timeout: TIMEOUT },
    async () => {
      const base = ['predict', 'churn-cv', '--table', TELCO, '--id', 'customerID']
      const [table, noColumn, notBinary, noFile] = await Promise.all([
        runFedele([...base, '--label', 'Churn', '--folds', '3'], {}, TIMEOUT),
        runFedele([...base, '--label', 'Left'], {}, TIMEOUT),
        runFedele([...base, '--label', 'gender'], {}, TIMEOUT),
        runFedele(
          ['predict', 'churn-cv', '--table', `${DIR}none.csv`, '--label', 'Churn', '--id', 'id'],
          {},
          TIMEOUT,
        ),
      ])
      expect(table.code).toBe(0)
      expect(table.stdout).toContain('3-fold stratified cross-validation (seed 1)')
      expect(table.stdout).toMatch(/overall \(pooled out-of-fold\): ROC AUC 0\.8[4-6]\d\d/)
      expect(table.stdout).toContain('Strongest drivers')
      expect(noColumn.code).toBe(1)
      expect(noColumn.stderr).toContain(
        `--label: column "Left" not found in ${TELCO}; its columns: customerID, gender,`,
      )
      expect(notBinary.code).toBe(1)
      expect(notBinary.stderr).toContain(`${TELCO} line 2: column "gender" must be binary`)
      expect(notBinary.stderr).toContain('found "Female"')
      expect(noFile.code).toBe(1)
      expect(noFile.stderr).toContain(`table file not found: ${DIR}none.csv`)
    },
  )
})
