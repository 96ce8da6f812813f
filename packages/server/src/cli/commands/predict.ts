import { createReadStream, existsSync, statSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import type { Command } from 'commander'
import { z } from 'zod'
import {
  crossValidateChurn,
  explainChurnRow,
  trainChurnModel,
  type ChurnTrainError,
  type ChurnTrainOptions,
} from '@fedele/core/churn'
import { parseDateFormatOption } from '@fedele/core/import'
import {
  assessFitData,
  bgnbdDiagnosticsModel,
  bgnbdFit,
  compressRfm,
  compressSpend,
  createTransactionReader,
  diagnosticsInputOf,
  gammaGammaFit,
  gammaGammaPopulationMean,
  modelDiagnostics,
  paretoNbdDiagnosticsModel,
  paretoNbdFit,
  readDataTable,
  spendFrequencyCorrelation,
  summarizeTransactions,
  type DiagnosticsModel,
  type ModelDiagnostics,
  type ModelFit,
  type TransactionLayout,
  type TransactionReaderOptions,
} from '@fedele/core/models'
import { renderPredictHtml } from '../../report/predict-html.ts'
import { CliError, ZCommonOptions, output, parseOptions } from '../shared.ts'
import { runPredictWorkspace } from './predict-workspace.ts'

/**
 * `fedele predict`: the customer-base models and the churn trainer straight on files, like an
 * analyst's library (`fit --transactions FILE`, `churn-cv --table FILE`). Without a file the
 * subcommands work on the workspace through ./predict-workspace.ts.
 */

const DATE = /^\d{4}-\d{2}-\d{2}$/
const whole = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min).max(max))

export const FIT_MODELS = ['bgnbd', 'pareto', 'gg', 'bgnbd+gg', 'pareto+gg'] as const

const ZFitOptions = ZCommonOptions.extend({
  model: z.enum(FIT_MODELS).default('bgnbd'),
  transactions: z.string().min(1).optional(),
  calibrationEnd: z.string().regex(DATE, 'must be a date YYYY-MM-DD').optional(),
  holdoutEnd: z.string().regex(DATE, 'must be a date YYYY-MM-DD').optional(),
  unit: z.enum(['day', 'week']).default('week'),
  idColumn: z.string().min(1).optional(),
  dateColumn: z.string().min(1).optional(),
  amountColumn: z.string().min(1).optional(),
  dateFormat: z.string().min(1).optional(),
  decimalSeparator: z.enum([',', '.']).optional(),
  html: z.string().min(1).optional(),
  force: z.boolean().optional(),
})
type FitOptions = z.infer<typeof ZFitOptions>

const ZChurnCvOptions = ZCommonOptions.extend({
  table: z.string().min(1).optional(),
  label: z.string().min(1).optional(),
  id: z.string().min(1).optional(),
  folds: whole(2, 20).default(5),
  seed: whole(0, 2 ** 31 - 1).default(1),
  positive: z.string().min(1).optional(),
  drivers: whole(1, 100).default(10),
})
type ChurnCvOptions = z.infer<typeof ZChurnCvOptions>

export function configurePredictCommand(program: Command) {
  const predict = program
    .command('predict')
    .description(
      'Customer-base models (BG/NBD, Pareto/NBD, Gamma-Gamma) and churn validation, on files or the workspace',
    )

  predict
    .command('fit')
    .description(
      'Fit a model and print parameters, standard errors, log-likelihood and holdout diagnostics',
    )
    .option('--model <model>', `model: ${FIT_MODELS.join(', ')}`, 'bgnbd')
    .option(
      '--transactions <file>',
      'transactions file: customer id, date, amount (CSV with header, or CDNOW-style)',
    )
    .option('--calibration-end <date>', 'last day of the calibration period, YYYY-MM-DD')
    .option(
      '--holdout-end <date>',
      'last day of the holdout period (default: last date in the file)',
    )
    .option(
      '--unit <unit>',
      'time unit: day or week (default: week on a file, day on the workspace)',
    )
    .option('--id-column <col>', 'customer id column (header name or 1-based position)')
    .option('--date-column <col>', 'date column (header name or 1-based position)')
    .option('--amount-column <col>', 'amount column (header name or 1-based position)')
    .option('--date-format <format>', 'dd/mm/yyyy or mm/dd/yyyy for ambiguous dates')
    .option('--decimal-separator <sep>', 'decimal separator of amounts: . or ,')
    .option('--html <file>', 'also write a self-contained HTML diagnostics report')
    .option(
      '--force',
      'fit even when the data check finds too little data (estimates then unreliable)',
    )
    .option('--data <dir>', 'embedded data directory (workspace mode)')
    .option('--json', 'print the result as JSON')
    .action(async (raw: Record<string, unknown>) => {
      const o = parseOptions(ZFitOptions, raw)
      if (o.transactions === undefined) return runWorkspaceMode('fit', raw)
      const result = await fitFromFile(o, o.transactions)
      if (o.html) await writeHtml(o.html, renderPredictHtml(result))
      output(o.json, o.html ? { ...result, html_file: o.html } : result, fitText(result, o.html))
    })

  predict
    .command('churn-cv')
    .description(
      'Cross-validate the churn model on a per-customer table: ROC AUC per fold, PR AUC, Brier, drivers',
    )
    .option('--table <file>', 'CSV with a header line, one row per customer')
    .option('--label <column>', 'column saying whether the customer churned (yes/no, 1/0, …)')
    .option('--id <column>', 'customer id column (never used as a feature)')
    .option('--folds <n>', 'number of stratified folds', '5')
    .option('--seed <n>', 'seed of the fold assignment', '1')
    .option('--positive <value>', 'label value that means "churned" (default: yes/1/true/churned…)')
    .option('--drivers <n>', 'how many drivers to print', '10')
    .option('--json', 'print the result as JSON')
    .action(async (raw: Record<string, unknown>) => {
      const o = parseOptions(ZChurnCvOptions, raw)
      if (o.table === undefined)
        throw new CliError('--table FILE is required (a CSV with one row per customer)')
      const result = await churnCvFromFile(o, o.table)
      output(o.json, result, churnCvText(result))
    })

  for (const [name, description] of [
    ['score', 'Score every customer of the workspace (P(alive), CLV, churn risk)'],
    [
      'report',
      'Print the latest prediction run of the workspace (--html for the diagnostics report)',
    ],
  ] as const) {
    const sub = predict.command(name).description(description)
    if (name === 'score')
      sub
        .option('--model <model>', 'bgnbd, pareto, bgnbd+gg or pareto+gg', 'bgnbd')
        .option('--unit <unit>', 'time unit of the model: day or week (default day)')
    sub
      .option('--html <file>', 'also write a self-contained HTML report')
      .option('--data <dir>', 'embedded data directory')
      .option('--json', 'print the result as JSON')
      .action((raw: Record<string, unknown>) => runWorkspaceMode(name, raw))
  }
}

// ---------------------------------------------------------------------------------------------
// Workspace mode

/** Without --transactions / --table the subcommands act on the workspace (predict-workspace.ts). */
async function runWorkspaceMode(
  subcommand: 'fit' | 'score' | 'report',
  raw: Record<string, unknown>,
): Promise<void> {
  await runPredictWorkspace(subcommand, raw)
}

// ---------------------------------------------------------------------------------------------
// Files

function checkFile(path: string, what: string): void {
  if (!existsSync(path)) throw new CliError(`${what} file not found: ${path}`)
  if (!statSync(path).isFile()) throw new CliError(`${what} file is not a regular file: ${path}`)
}

async function readChunks(path: string, push: (text: string) => void): Promise<void> {
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 }))
    push(chunk as string)
}

async function readText(path: string): Promise<string> {
  let text = ''
  await readChunks(path, (t) => (text += t))
  return text
}

async function writeHtml(path: string, html: string): Promise<void> {
  try {
    await writeFile(path, html, 'utf8')
  } catch (e) {
    throw new CliError(`cannot write the HTML report ${path}: ${(e as Error).message}`)
  }
}

// ---------------------------------------------------------------------------------------------
// fit --transactions

type ModelName = 'bgnbd' | 'pareto' | 'gg'

/** One fitted model in the output. */
export interface FittedModel {
  model: ModelName
  name: string
  parameters: Record<string, number>
  standard_errors: Record<string, number>
  log_likelihood: number
  converged: boolean
  iterations: number
  customers: number
  /** Gamma-Gamma: E[M] of a new customer, pγ/(q − 1). */
  population_mean?: number
  /** Gamma-Gamma: correlation of mean spend and frequency (the model assumes none). */
  spend_frequency_correlation?: number
  diagnostics?: ModelDiagnostics
}

/** What `fedele predict fit --transactions` prints with --json. */
export interface PredictFitResult {
  mode: 'file'
  file: string
  layout: TransactionLayout
  unit: 'day' | 'week'
  origin: string
  calibration_end: string
  holdout_end: string
  calibration_periods: number
  holdout_length: number
  data: {
    rows: number
    customers: number
    repeat_customers: number
    repeat_purchases: number
    holdout_purchases: number
    late_customers: number
    ignored_after_holdout: number
    spend_customers: number | null
    spend_excluded: number | null
  }
  data_check: { ok: boolean; issues: { code: string; message: string }[] }
  /** Why diagnostics are missing (no holdout period), or null. */
  diagnostics_note: string | null
  models: FittedModel[]
}

const MODEL_NAMES: Record<ModelName, string> = {
  bgnbd: 'BG/NBD',
  pareto: 'Pareto/NBD',
  gg: 'Gamma-Gamma',
}

function fitted<P extends object>(
  model: ModelName,
  fit: ModelFit<P>,
  diagnostics?: ModelDiagnostics,
): FittedModel {
  return {
    model,
    name: MODEL_NAMES[model],
    parameters: { ...(fit.params as Record<string, number>) },
    standard_errors: { ...(fit.standardErrors as Record<string, number>) },
    log_likelihood: fit.logLikelihood,
    converged: fit.converged,
    iterations: fit.iterations,
    customers: fit.customers,
    ...(diagnostics ? { diagnostics } : {}),
  }
}

async function fitFromFile(o: FitOptions, file: string): Promise<PredictFitResult> {
  if (o.calibrationEnd === undefined)
    throw new CliError(
      '--calibration-end is required with --transactions (YYYY-MM-DD, e.g. 1997-09-30)',
    )
  checkFile(file, 'transactions')
  const readerOptions: TransactionReaderOptions = {
    idColumn: o.idColumn,
    dateColumn: o.dateColumn,
    amountColumn: o.amountColumn,
    decimalSeparator: o.decimalSeparator,
  }
  if (o.dateFormat !== undefined) {
    const order = parseDateFormatOption(o.dateFormat)
    if (order === null)
      throw new CliError(
        `invalid option --date-format: use dd/mm/yyyy or mm/dd/yyyy, got "${o.dateFormat}"`,
      )
    if (order !== 'auto') readerOptions.dateOrder = order
  }
  const reader = createTransactionReader(readerOptions)
  await readChunks(file, (t) => reader.push(t))
  const log = reader.end()
  if (!log.ok) throw new CliError(`${file}: ${log.error.message.en}`, 1, log.error)
  const summarized = summarizeTransactions(log.value, {
    calibrationEnd: o.calibrationEnd,
    holdoutEnd: o.holdoutEnd,
    unit: o.unit,
  })
  if (!summarized.ok) {
    const flag = summarized.error.field === 'calibrationEnd' ? '--calibration-end' : '--holdout-end'
    throw new CliError(`${flag}: ${summarized.error.message.en}`, 1, summarized.error)
  }
  const s = summarized.value
  const wants = new Set(o.model.split('+') as ModelName[])
  const rfm = compressRfm(s.customers)

  let spend: ReturnType<typeof compressSpend> | null = null
  let spendExcluded: number | null = null
  if (wants.has('gg')) {
    if (!log.value.hasAmounts)
      throw new CliError(
        `--model ${o.model} needs an amount column, and ${file} has none (name it with --amount-column)`,
      )
    const repeaters = s.customers.filter((c) => c.x > 0)
    const usable = repeaters.filter((c) => c.m > 0)
    spendExcluded = repeaters.length - usable.length
    if (usable.length === 0)
      throw new CliError(
        `${file}: no customer has a repeat purchase with a positive amount before ${s.calibrationEnd}; Gamma-Gamma cannot be fitted`,
      )
    spend = compressSpend(usable)
  }
  const check = assessFitData(rfm, spend ? { spend } : {})
  // Estimates from too little data are nonsense that looks like numbers: refuse unless asked.
  if (!check.ok && !o.force)
    throw new CliError(
      `${file}: too little data for reliable estimates: ${check.error.issues.map((i) => i.message).join(' ')} Add --force to fit anyway.`,
      1,
      check.error,
    )
  const hasHoldout = s.holdoutLength > 0
  const diagnose = (model: DiagnosticsModel): ModelDiagnostics | undefined =>
    hasHoldout ? modelDiagnostics(model, diagnosticsInputOf(s)) : undefined

  const models: FittedModel[] = []
  if (wants.has('bgnbd')) {
    const fit = bgnbdFit(rfm)
    models.push(fitted('bgnbd', fit, diagnose(bgnbdDiagnosticsModel(fit.params))))
  }
  if (wants.has('pareto')) {
    const fit = paretoNbdFit(rfm)
    models.push(fitted('pareto', fit, diagnose(paretoNbdDiagnosticsModel(fit.params))))
  }
  if (spend) {
    const fit = gammaGammaFit(spend)
    models.push({
      ...fitted('gg', fit),
      population_mean: gammaGammaPopulationMean(fit.params),
      spend_frequency_correlation: spendFrequencyCorrelation(spend),
    })
  }

  let repeatPurchases = 0
  let holdoutPurchases = 0
  for (const c of s.customers) {
    repeatPurchases += c.x
    holdoutPurchases += c.holdout
  }
  return {
    mode: 'file',
    file,
    layout: log.value.layout,
    unit: s.unit,
    origin: s.origin,
    calibration_end: s.calibrationEnd,
    holdout_end: s.holdoutEnd,
    calibration_periods: s.calibrationPeriods,
    holdout_length: s.holdoutLength,
    data: {
      rows: log.value.rows,
      customers: s.customers.length,
      repeat_customers: s.customers.filter((c) => c.x > 0).length,
      repeat_purchases: repeatPurchases,
      holdout_purchases: holdoutPurchases,
      late_customers: s.lateCustomers,
      ignored_after_holdout: s.ignoredAfterHoldout,
      spend_customers: spend ? spend.customers : null,
      spend_excluded: spendExcluded,
    },
    data_check: check.ok ? { ok: true, issues: [] } : { ok: false, issues: check.error.issues },
    diagnostics_note: hasHoldout
      ? null
      : `no holdout period: the file ends on ${s.holdoutEnd}, the calibration end; set --calibration-end earlier to compare forecasts with what happened`,
    models,
  }
}

const PARAM_LABELS: Record<string, string> = { alpha: 'α', beta: 'β', gamma: 'γ' }

/** Fixed decimals for estimates; 4 significant digits for standard errors. */
const fmt = (v: number, digits = 3): string => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a')
const sig = (v: number): string => (Number.isFinite(v) ? String(Number(v.toPrecision(4))) : 'n/a')
const count = (v: number): string => v.toLocaleString('en-US')
const pct = (v: number): string => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)} %`

/** A plain-text table: the first column (and `left` ones) left-aligned, the others right-aligned. */
function table(header: string[], rows: string[][], left: readonly number[] = []): string[] {
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => (r[k] ?? '').length)))
  const line = (cells: string[]) =>
    cells
      .map((c, k) =>
        k === 0 || left.includes(k) ? c.padEnd(widths[k] ?? 0) : c.padStart(widths[k] ?? 0),
      )
      .join('  ')
      .trimEnd()
  return [line(header), ...rows.map(line)]
}

function fitText(r: PredictFitResult, html: string | undefined): string {
  const unit = r.unit === 'week' ? 'weeks' : 'days'
  const cols = r.layout.columns
  const out = [
    `Transactions  ${r.file}: ${count(r.data.rows)} rows (${r.layout.kind}${r.layout.delimiter ? ` "${r.layout.delimiter}"` : ''}, ${r.layout.header ? 'header' : 'no header'}; id ${cols.id}, date ${cols.date}, amount ${cols.amount ?? 'none'})`,
    `Calibration   ${r.origin} to ${r.calibration_end} (${r.calibration_periods} ${unit}); holdout to ${r.holdout_end} (${Number(r.holdout_length.toFixed(2))} ${unit})`,
    `Customers     ${count(r.data.customers)} (${count(r.data.repeat_customers)} with repeat purchases); repeat purchases ${count(r.data.repeat_purchases)} in calibration, ${count(r.data.holdout_purchases)} in the holdout`,
  ]
  if (r.data.late_customers > 0)
    out.push(
      `              ${count(r.data.late_customers)} customers first bought on or after the calibration end and are left out`,
    )
  if (!r.data_check.ok)
    out.push(
      '',
      'Warning: too little data for reliable estimates:',
      ...r.data_check.issues.map((i) => `  - ${i.message}`),
    )
  for (const m of r.models) {
    out.push(
      '',
      `${m.name}${m.converged ? '' : '  (did NOT converge: treat the estimates with care)'}  fitted on ${count(m.customers)} customers`,
    )
    out.push(
      ...table(
        ['  parameter', 'estimate', 'std. error'],
        Object.keys(m.parameters).map((k) => [
          `  ${PARAM_LABELS[k] ?? k}`,
          fmt(m.parameters[k] as number),
          sig(m.standard_errors[k] as number),
        ]),
      ),
    )
    out.push(`  log-likelihood  ${fmt(m.log_likelihood, 2)}`)
    if (m.model === 'gg' && r.data.spend_excluded)
      out.push(
        `  ${count(r.data.spend_excluded)} repeat customers with a zero or negative mean amount are left out`,
      )
    if (m.population_mean !== undefined)
      out.push(`  mean spend per purchase E[M]  ${fmt(m.population_mean, 2)}`)
    if (m.spend_frequency_correlation !== undefined)
      out.push(
        `  correlation of mean spend and frequency  ${fmt(m.spend_frequency_correlation)} (the model assumes spend independent of frequency)`,
      )
    const d = m.diagnostics
    if (d) {
      const a = d.aggregate
      out.push(
        `  Repeat purchases by ${r.unit} ${r.calibration_periods}: expected ${fmt(a.expectedCalibration, 1)}, actual ${count(a.actualCalibration)}`,
        `  Repeat purchases by ${r.unit} ${d.tracking.length}: expected ${fmt(a.expectedTotal, 1)}, actual ${count(a.actualTotal)} (forecast error ${pct(a.cumulativeError)})`,
        `  Holdout: expected ${fmt(a.conditionalExpected, 1)} purchases from the customers' histories, actual ${count(a.conditionalActual)}; correlation ${fmt(a.correlation)}`,
        `  Calibration vs holdout (mean purchases per customer in the holdout):`,
        ...table(
          ['    x', 'customers', 'actual', 'predicted', 'P(alive)'],
          d.conditional.map((c) => [
            `    ${c.label}`,
            count(c.customers),
            fmt(c.actual),
            fmt(c.predicted),
            fmt(c.probabilityAlive),
          ]),
        ),
      )
    }
  }
  if (r.diagnostics_note) out.push('', `Diagnostics: ${r.diagnostics_note}`)
  if (html) out.push('', `Wrote ${html}`)
  return out.join('\n')
}

// ---------------------------------------------------------------------------------------------
// churn-cv --table

/** A column's share in the model's risk, from per-row contributions to the log-odds. */
export interface ChurnDriver {
  column: string
  kind: 'numeric' | 'categorical'
  /** Mean |contribution| to the log-odds over the rows. */
  importance: number
  /** What raises the risk: a level (categorical) or "high"/"low" values (numeric). */
  raises_risk: string
}

/** What `fedele predict churn-cv` prints with --json. */
export interface ChurnCvResult {
  file: string
  rows: number
  positives: number
  label: string
  id: string
  folds: {
    fold: number
    rows: number
    positives: number
    roc_auc: number
    pr_auc: number
    brier: number
    log_loss: number
    lift_top_decile: number
  }[]
  overall: {
    roc_auc: number
    mean_roc_auc: number
    sd_roc_auc: number
    pr_auc: number
    brier: number
    log_loss: number
    lift_top_decile: number
    calibration_curve: { meanPredicted: number; observedRate: number; count: number }[]
  }
  seed: number
  features: {
    numeric: string[]
    categorical: string[]
    dropped: { column: string; reason: string }[]
  }
  drivers: ChurnDriver[]
}

function churnError(file: string, lines: number[], label: string, e: ChurnTrainError): CliError {
  if (e.code === 'invalid_label') {
    const line = lines[e.row] ?? e.row + 2
    return new CliError(
      `${file} line ${line}: column "${label}" must be binary (yes/no, 1/0, true/false; or set --positive), found ${e.value === null ? 'a blank' : `"${e.value}"`}`,
      1,
      { ...e, line },
    )
  }
  return new CliError(`${file}: ${e.message.en}`, 1, e)
}

async function churnCvFromFile(o: ChurnCvOptions, file: string): Promise<ChurnCvResult> {
  if (o.label === undefined)
    throw new CliError('--label COLUMN is required (the column saying who churned)')
  if (o.id === undefined) throw new CliError('--id COLUMN is required (the customer id column)')
  checkFile(file, 'table')
  const table = readDataTable(await readText(file))
  if (!table.ok) throw new CliError(`${file}: ${table.error.message.en}`, 1, table.error)
  const { header, rows, lines } = table.value
  for (const [flag, column] of [
    ['--label', o.label],
    ['--id', o.id],
  ] as const) {
    if (!header.includes(column))
      throw new CliError(
        `${flag}: column "${column}" not found in ${file}; its columns: ${header.join(', ')}`,
      )
  }
  if (o.label === o.id) throw new CliError('--label and --id must be different columns')
  const options: ChurnTrainOptions = {
    idColumn: o.id,
    labelColumn: o.label,
    ...(o.positive !== undefined ? { positiveLabel: o.positive } : {}),
  }
  const cv = crossValidateChurn(rows, options, { folds: o.folds, seed: o.seed })
  if (!cv.ok) throw churnError(file, lines, o.label, cv.error)
  const model = trainChurnModel(rows, options)
  if (!model.ok) throw churnError(file, lines, o.label, model.error)

  // Drivers: mean |contribution| per column over all rows, and which values push the risk up.
  const stats = new Map<
    string,
    { kind: 'numeric' | 'categorical'; abs: number; byValue: Map<string, [number, number]> }
  >()
  for (const row of rows) {
    for (const c of explainChurnRow(model.value, row).contributions) {
      let s = stats.get(c.column)
      if (!s) stats.set(c.column, (s = { kind: c.kind, abs: 0, byValue: new Map() }))
      s.abs += Math.abs(c.contribution)
      const key = c.missing
        ? '(blank)'
        : c.kind === 'numeric'
          ? (c.direction ?? 'high')
          : String(c.value).trim()
      const acc = s.byValue.get(key) ?? [0, 0]
      acc[0] += c.contribution
      acc[1]++
      s.byValue.set(key, acc)
    }
  }
  const drivers: ChurnDriver[] = [...stats.entries()]
    .map(([column, s]) => {
      let best = ''
      let bestMean = -Infinity
      for (const [value, [sum, n]] of s.byValue) {
        if (sum / n > bestMean) {
          bestMean = sum / n
          best = value
        }
      }
      const raises =
        s.kind === 'numeric' && (best === 'high' || best === 'low')
          ? `${best} ${column}`
          : `${column} = ${best}`
      return { column, kind: s.kind, importance: s.abs / rows.length, raises_risk: raises }
    })
    .sort((a, b) => b.importance - a.importance)
    .slice(0, o.drivers)

  const v = cv.value
  const encoder = model.value.encoder
  return {
    file,
    rows: rows.length,
    positives: v.pooled.positives,
    label: o.label,
    id: o.id,
    folds: v.folds.map((f) => ({
      fold: f.fold + 1,
      rows: f.rows,
      positives: f.positives,
      roc_auc: f.rocAuc,
      pr_auc: f.averagePrecision,
      brier: f.brier,
      log_loss: f.logLoss,
      lift_top_decile: f.liftTopDecile,
    })),
    overall: {
      roc_auc: v.pooled.rocAuc,
      mean_roc_auc: v.meanRocAuc,
      sd_roc_auc: v.sdRocAuc,
      pr_auc: v.pooled.averagePrecision,
      brier: v.pooled.brier,
      log_loss: v.pooled.logLoss,
      lift_top_decile: v.pooled.liftTopDecile,
      calibration_curve: v.pooled.calibrationCurve.map((b) => ({
        meanPredicted: b.meanPredicted,
        observedRate: b.observedRate,
        count: b.count,
      })),
    },
    seed: o.seed,
    features: {
      numeric: encoder.columns.filter((c) => c.kind === 'numeric').map((c) => c.name),
      categorical: encoder.columns.filter((c) => c.kind === 'categorical').map((c) => c.name),
      dropped: encoder.dropped.map((d) => ({ column: d.column, reason: d.reason })),
    },
    drivers,
  }
}

function churnCvText(r: ChurnCvResult): string {
  const f4 = (v: number) => fmt(v, 4)
  return [
    `Table     ${r.file}: ${count(r.rows)} rows, ${count(r.positives)} churned (${fmt((r.positives / r.rows) * 100, 1)} %); label ${r.label}, id ${r.id}`,
    `Features  ${r.features.numeric.length} numeric, ${r.features.categorical.length} categorical${r.features.dropped.length ? `; dropped ${r.features.dropped.map((d) => `${d.column} (${d.reason})`).join(', ')}` : ''}`,
    '',
    `${r.folds.length}-fold stratified cross-validation (seed ${r.seed})`,
    ...table(
      ['  fold', 'rows', 'churned', 'ROC AUC', 'PR AUC', 'Brier'],
      r.folds.map((f) => [
        `  ${f.fold}`,
        count(f.rows),
        count(f.positives),
        f4(f.roc_auc),
        f4(f.pr_auc),
        f4(f.brier),
      ]),
    ),
    `  overall (pooled out-of-fold): ROC AUC ${f4(r.overall.roc_auc)} (fold mean ${f4(r.overall.mean_roc_auc)} ± ${f4(r.overall.sd_roc_auc)}), PR AUC ${f4(r.overall.pr_auc)}, Brier ${f4(r.overall.brier)}, log-loss ${f4(r.overall.log_loss)}, top-decile lift ${fmt(r.overall.lift_top_decile, 2)}`,
    '',
    'Strongest drivers (mean |change in log-odds| per customer)',
    ...table(
      ['  column', 'importance', 'raises the risk'],
      r.drivers.map((d) => [`  ${d.column}`, f4(d.importance), d.raises_risk]),
      [2],
    ),
  ].join('\n')
}
