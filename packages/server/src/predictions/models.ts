import {
  calibrationCurve,
  describeChurnReasons,
  type CellValue,
  type ChurnContribution,
  evaluateChurnPredictions,
  explainChurnRow,
  trainChurnModel,
  type CalibrationBin,
  type ChurnEvaluation,
  type ChurnModel,
  type DataRow,
} from '@fedele/core/churn'
import {
  assessFitData,
  bgnbdExpectedPurchases,
  bgnbdFit,
  bgnbdNextPurchaseTime,
  bgnbdProbabilityAlive,
  compressRfm,
  compressSpend,
  gammaGammaFit,
  paretoNbdExpectedPurchases,
  paretoNbdFit,
  paretoNbdNextPurchaseTime,
  paretoNbdProbabilityAlive,
  type BgnbdParams,
  type FitDataIssue,
  type FitDataSummary,
  type GammaGammaParams,
  type ModelFit,
  type ParetoNbdParams,
  type RfmCustomer,
  type RfmData,
  type SpendData,
} from '@fedele/core/models'
import {
  churnFeatureRow,
  churnLabel,
  rfmOf,
  UNIT_DAYS,
  type CustomerSummary,
  type ModelUnit,
} from '@fedele/core/predictions'
import type { LabelledSummary } from './summaries.sql.ts'

/**
 * The models of the pipeline, on summaries already read from the replica: no I/O here, so the
 * bench times exactly this part. Customer-base model (BG/NBD or Pareto/NBD) + Gamma-Gamma on
 * compressed data, with assessFitData deciding between them and the formula CLV; the churn
 * logistic model trained and validated on time-split windows; per-customer scores and reasons.
 */

export type ClvModelKind = 'bgnbd' | 'pareto-nbd'

export type PipelineSettings = {
  unit: ModelUnit
  clvModel: ClvModelKind
  /** CLV horizon in days (default 365), discounted monthly (30-day periods). */
  clvHorizonDays: number
  /** Yearly discount rate (default 0.1), applied per 30-day period as (1+d)^(30/365) − 1. */
  annualDiscountRate: number
  /** Gross margin applied to CLV (1 = revenue). */
  margin: number
  /** Churn horizon in days (default 90). */
  churnHorizonDays: number
  /** Workspace activity window: a customer with an order within it counts as active. */
  activityWindowDays: number
}

export const DEFAULT_SETTINGS: Omit<PipelineSettings, 'activityWindowDays'> = {
  unit: 'day',
  clvModel: 'bgnbd',
  clvHorizonDays: 365,
  annualDiscountRate: 0.1,
  margin: 1,
  churnHorizonDays: 90,
}

/** Above this many distinct (x, t_x, T) at day resolution, the fit rounds times to weeks. */
export const MAX_DISTINCT_TUPLES = 20_000

/** Significant digits of the mean order values Gamma-Gamma fits beyond MAX_DISTINCT_TUPLES. */
const SPEND_DIGITS = 3

type Fitted =
  | { kind: 'bgnbd'; fit: ModelFit<BgnbdParams> }
  | { kind: 'pareto-nbd'; fit: ModelFit<ParetoNbdParams> }

export type ClvFit =
  | {
      ok: true
      model: Fitted
      spend: ModelFit<GammaGammaParams>
      summary: FitDataSummary
      fitMs: number
    }
  | { ok: false; issues: FitDataIssue[]; summary: FitDataSummary | null }

/**
 * Fits the customer-base model and Gamma-Gamma at cut-off day `cutoffDay`, unless the data fail
 * assessFitData's thresholds or the fit does not converge to finite standard errors: then the
 * reasons, in words, for the formula fallback.
 */
export function fitClv(
  summaries: readonly CustomerSummary[],
  cutoffDay: number,
  settings: Pick<PipelineSettings, 'unit' | 'clvModel'>,
): ClvFit {
  // Times in whole days (summaries hold day numbers), converted to the unit when compressed.
  const n = summaries.length
  const xs = scratch('x', Float64Array, n)
  const txs = scratch('tx', Float64Array, n)
  const Ts = scratch('T', Float64Array, n)
  const spendX = scratch('spendX', Float64Array, n)
  const spendSum = scratch('spendSum', Float64Array, n)
  let rows = 0
  let spendRows = 0
  // An indexed loop: `for…of` made an iterator result per customer here (50 MB a million).
  for (let i = 0; i < n; i++) {
    const s = summaries[i] as CustomerSummary
    if (s.orderDays < 1 || s.firstDay === null || s.lastDay === null) continue
    const tx = s.lastDay - s.firstDay
    const T = Math.max(cutoffDay - s.firstDay, tx)
    // A customer whose first order is on the cut-off day has not been observed yet (T = 0):
    // they carry no information for the fit, and the fitters reject T = 0. They are still scored.
    if (!(T > 0)) continue
    xs[rows] = s.orderDays - 1
    txs[rows] = tx
    Ts[rows] = T
    rows++
    if (s.repeatValuedDays > 0 && s.repeatValueMinor > 0) {
      spendX[spendRows] = s.repeatValuedDays
      spendSum[spendRows] = s.repeatValueMinor
      spendRows++
    }
  }
  const days = { x: xs.subarray(0, rows), tx: txs.subarray(0, rows), T: Ts.subarray(0, rows) }
  const unitDays = UNIT_DAYS[settings.unit]
  // Fit time follows the distinct (x, t_x, T): at day resolution a large shop has hundreds of
  // thousands. Beyond MAX_DISTINCT_TUPLES the fit takes t_x and T rounded to whole weeks (as
  // lifetimes' freq='W'); rounding is monotone, so t_x ≤ T still holds. Scoring stays exact.
  // Every week tuple holds at least one day tuple: when the weeks alone exceed the limit, so do
  // the days, and they need not be grouped.
  let fitResolutionDays = unitDays
  let rfm: RfmData
  const weekly = settings.unit === 'day' ? compressDays(days, unitDays, 7) : null
  if (weekly && weekly.x.length > MAX_DISTINCT_TUPLES) {
    fitResolutionDays = 7
    rfm = weekly
  } else {
    rfm = compressDays(days, unitDays, 1)
    if (weekly && rfm.x.length > MAX_DISTINCT_TUPLES) {
      fitResolutionDays = 7
      rfm = weekly
    }
  }
  const spendXs = spendX.subarray(0, spendRows)
  const spendSums = spendSum.subarray(0, spendRows)
  // Likewise Gamma-Gamma: mean order values in cents are nearly all distinct. Beyond
  // MAX_DISTINCT_TUPLES the fit takes them to 3 significant digits (at most 0.5 % each, in
  // both directions; on a million synthetic customers the estimates move by under 0.1 standard
  // error). Scoring uses each customer's exact mean. Rounding only merges groups (equal sums
  // give equal means), so when the rounded groups already exceed the limit the exact ones do
  // too: a large base is grouped once, rounded, instead of exactly and then again.
  const rounded =
    spendRows > MAX_DISTINCT_TUPLES ? compressSums(spendXs, spendSums, SPEND_DIGITS) : null
  let spend: SpendData
  let spendSignificantDigits: number | null = SPEND_DIGITS
  if (rounded && rounded.x.length > MAX_DISTINCT_TUPLES) spend = rounded
  else {
    spend = compressSums(spendXs, spendSums, null)
    if (spend.x.length > MAX_DISTINCT_TUPLES)
      spend = rounded ?? compressSums(spendXs, spendSums, SPEND_DIGITS)
    else spendSignificantDigits = null
  }
  const assessed = assessFitData(rfm, { spend })
  if (!assessed.ok) return { ok: false, ...assessed.error }
  assessed.value = {
    ...assessed.value,
    fitResolutionDays,
    distinctTuples: rfm.x.length,
    spendSignificantDigits,
    distinctSpendTuples: spend.x.length,
  } as FitDataSummary
  const t0 = performance.now()
  const model: Fitted =
    settings.clvModel === 'pareto-nbd'
      ? { kind: 'pareto-nbd', fit: paretoNbdFit(rfm) }
      : { kind: 'bgnbd', fit: bgnbdFit(rfm) }
  const spendFit = gammaGammaFit(spend)
  const fitMs = performance.now() - t0
  const issues: FitDataIssue[] = []
  for (const [name, fit] of [
    [model.kind === 'bgnbd' ? 'BG/NBD' : 'Pareto/NBD', model.fit],
    ['Gamma-Gamma', spendFit],
  ] as const) {
    const ses: number[] = Object.values(fit.standardErrors)
    if (!fit.converged || ses.some((v) => !Number.isFinite(v))) {
      issues.push({
        code: 'invalid-data',
        message: `The ${name} fit did not converge to a maximum with finite standard errors (${fit.reason}); its numbers would not be reliable.`,
      })
    }
  }
  if (spendFit.params.q <= 1) {
    issues.push({
      code: 'too-few-spend-customers',
      message: `The Gamma-Gamma fit gives q = ${spendFit.params.q.toFixed(3)} ≤ 1: the average order value has no finite mean under the model.`,
    })
  }
  if (issues.length > 0) return { ok: false, issues, summary: assessed.value }
  return { ok: true, model, spend: spendFit, summary: assessed.value, fitMs }
}

/** P(alive | x, t_x, T) under the fitted customer-base model. */
function probabilityAlive(fit: Fitted, rfm: RfmCustomer): number {
  return fit.kind === 'bgnbd'
    ? bgnbdProbabilityAlive(fit.fit.params, rfm)
    : paretoNbdProbabilityAlive(fit.fit.params, rfm)
}

/**
 * E[Y(t) | alive, x, T] at each of `times` (0 at t ≤ 0). Both models factor as
 * E[Y(t) | x, t_x, T] = P(alive | x, t_x, T) · E[Y(t) | alive, x, T] (FHL 2005 eq. 10; Fader &
 * Hardie note 009), and the second factor does not depend on t_x: it is taken from a reference
 * customer with t_x = T.
 */
function expectedIfAlive(fit: Fitted, x: number, T: number, times: readonly number[]) {
  const ref = { x, tx: x === 0 ? 0 : T, T }
  const alive = probabilityAlive(fit, ref)
  return Float64Array.from(times, (t) =>
    t > 0
      ? (fit.kind === 'bgnbd'
          ? bgnbdExpectedPurchases(fit.fit.params, ref, t)
          : paretoNbdExpectedPurchases(fit.fit.params, ref, t)) / alive
      : 0,
  )
}

/**
 * Per-customer customer-base quantities of a fitted model, exact at each customer's T: the
 * expensive factor (expectedIfAlive) is computed once per (x, T) and cached. Scoring a whole
 * base uses customerBaseGrid instead.
 */
export function customerBaseScorer(fit: Fitted, times: readonly number[]) {
  const rows = new Map<string, Float64Array>()
  const conditional = (x: number, T: number): Float64Array => {
    const key = `${x}|${T}`
    let row = rows.get(key)
    if (!row) {
      row = expectedIfAlive(fit, x, T, times)
      rows.set(key, row)
    }
    return row
  }
  return (rfm: RfmCustomer) => {
    const pAlive = probabilityAlive(fit, rfm)
    return {
      pAlive,
      /** E[Y(times[i]) | x, t_x, T]. */
      expected: () => conditional(rfm.x, rfm.T).map((v) => v * pAlive),
    }
  }
}

/** Values per grid cell of customerBaseGrid: E[Y | alive] at 30, 90 and 365 days, and D. */
export const GRID_VALUES = 4

/**
 * The customer-base part of scoring a whole base (a million customers at a time). Per customer it needs
 * P(alive) (closed form), E[Y(t) | x, t_x, T] at 30, 90 and 365 days, and the discounted CLV
 * sum Σ_k (E[Y(kΔ)] − E[Y((k−1)Δ)]) / (1+d)^k over `months` periods of 30 days (discountedClv).
 * All of them factor as P(alive) · f(x, T) (see expectedIfAlive), so one grid cell per
 * (x, week of T) holds f (over a week it moves by well under 1 %: it varies like a power of
 * (α+T)) at the three horizons and D = Σ_k (f(kΔ) − f((k−1)Δ)) / (1+d)^k; the
 * CLV is margin · E[M] · P(alive) · D. D is linear in the f values, so interpolating D in T is
 * the same as interpolating each f and summing (what discountedClv over interpolated values
 * gave). Cells are keyed by a number (x · 2²⁰ + week), not a string.
 */
export function customerBaseGrid(
  fit: Fitted,
  unitDays: number,
  months: number,
  monthlyDiscount: number,
) {
  const times = [30 / unitDays, 90 / unitDays, 365 / unitDays]
  const periods = Array.from({ length: months }, (_, k) => ((k + 1) * 30) / unitDays)
  const discounts = periods.map((_, k) => (1 + monthlyDiscount) ** -(k + 1))
  const step = 7 / unitDays
  const horizons = [...times, ...periods]
  const cells = new Map<number, Float64Array>()
  const cellAt = (x: number, k: number): Float64Array => {
    const key = x * 1_048_576 + k
    let v = cells.get(key)
    if (v === undefined) {
      const f = expectedIfAlive(fit, x, k * step, horizons)
      v = new Float64Array(GRID_VALUES)
      for (let j = 0; j < times.length; j++) v[j] = f[j] as number
      let previous = 0
      let d = 0
      for (let j = 0; j < periods.length; j++) {
        const cumulative = f[times.length + j] as number
        d += (cumulative - previous) * (discounts[j] as number)
        previous = cumulative
      }
      v[3] = d
      cells.set(key, v)
    }
    return v
  }
  return {
    pAlive: (rfm: RfmCustomer): number => probabilityAlive(fit, rfm),
    /** f(x, T) at the grid's values, interpolated linearly between weeks, into `out`. */
    conditional(x: number, T: number, out: Float64Array): void {
      if (!(T < 1_048_576 * step)) throw new RangeError(`T ${T} is beyond the scoring grid`)
      const k = Math.floor(T / step)
      const w = T / step - k
      const a = cellAt(x, k)
      if (w === 0) {
        out.set(a)
        return
      }
      const b = cellAt(x, k + 1)
      for (let j = 0; j < GRID_VALUES; j++)
        out[j] = (a[j] as number) + w * ((b[j] as number) - (a[j] as number))
    },
    /** Median time to the next purchase (the models' NextPurchaseTime). */
    next: (rfm: RfmCustomer): number =>
      fit.kind === 'bgnbd'
        ? bgnbdNextPurchaseTime(fit.fit.params, rfm)
        : paretoNbdNextPurchaseTime(fit.fit.params, rfm),
  }
}

/** P(alive) per customer under a fit (null without orders or without a fit). */
export function pAliveOf(
  clv: ClvFit,
  summaries: readonly CustomerSummary[],
  cutoffDay: number,
  unit: ModelUnit,
) {
  const out = new Map<number, number>()
  if (!clv.ok) return out
  const score = customerBaseScorer(clv.model, [])
  for (const s of summaries) {
    const rfm = rfmOf(s, cutoffDay, unit)
    if (rfm) out.set(s.customerId, score(rfm).pAlive)
  }
  return out
}

export type HoldoutDiagnostics = {
  /** Customers with orders at the calibration cut-off. */
  customers: number
  horizonDays: number
  actualRepeatOrderDays: number
  predictedRepeatOrderDays: number
  /** (predicted − actual) / actual. */
  relativeError: number
  /** Actual vs predicted mean holdout order days by calibration repeat count (7 = 7+). */
  byFrequency: { x: number; customers: number; actual: number; predicted: number }[]
}

/**
 * Calibration vs holdout (Fader, Hardie & Lee 2005 §4): the model fitted at the training cut-off
 * predicts each customer's order days in the following `horizonDays`; compared with what they
 * did, in total and by calibration frequency.
 */
export function holdoutDiagnostics(
  clv: ClvFit,
  calibration: readonly CustomerSummary[],
  later: ReadonlyMap<number, CustomerSummary>,
  cutoffDay: number,
  unit: ModelUnit,
  horizonDays: number,
): HoldoutDiagnostics | null {
  if (!clv.ok) return null
  const score = customerBaseScorer(clv.model, [horizonDays / UNIT_DAYS[unit]])
  const groups = Array.from({ length: 8 }, (_, x) => ({ x, customers: 0, actual: 0, predicted: 0 }))
  let actual = 0
  let predicted = 0
  let customers = 0
  for (const s of calibration) {
    const rfm = rfmOf(s, cutoffDay, unit)
    if (!rfm) continue
    const after = later.get(s.customerId)
    const a = after ? after.orderDays - s.orderDays : 0
    const p = score(rfm).expected()[0] as number
    const g = groups[Math.min(rfm.x, 7)] as (typeof groups)[number]
    g.customers++
    g.actual += a
    g.predicted += p
    actual += a
    predicted += p
    customers++
  }
  return {
    customers,
    horizonDays,
    actualRepeatOrderDays: actual,
    predictedRepeatOrderDays: predicted,
    relativeError: actual > 0 ? (predicted - actual) / actual : NaN,
    byFrequency: groups
      .filter((g) => g.customers > 0)
      .map((g) => ({ ...g, actual: g.actual / g.customers, predicted: g.predicted / g.customers })),
  }
}

/** Training rows: customers active at the cut-off (ordered within the activity window or subscribed). */
export function churnRows(
  summaries: readonly LabelledSummary[],
  cutoffDay: number,
  pAlive: ReadonlyMap<number, number>,
  activityWindowDays: number,
): DataRow[] {
  const rows: DataRow[] = []
  for (const s of summaries) {
    const active =
      s.plan !== null || (s.lastDay !== null && cutoffDay - s.lastDay <= activityWindowDays)
    if (!active) continue
    rows.push({
      ...churnFeatureRow(s, cutoffDay, pAlive.get(s.customerId) ?? null),
      churned: churnLabel(s.orderedInWindow, s.subscribedAtWindowEnd),
    })
  }
  return rows
}

export const CHURN_TRAIN_OPTIONS = {
  idColumn: 'id',
  labelColumn: 'churned',
  categorical: ['plan'],
  calibration: 'platt',
} as const

export type ChurnTraining =
  | { ok: true; model: ChurnModel; trainMs: number }
  | { ok: false; reason: { it: string; en: string } }

export function trainChurn(rows: readonly DataRow[]): ChurnTraining {
  const t0 = performance.now()
  const trained = trainChurnModel(rows, CHURN_TRAIN_OPTIONS)
  if (!trained.ok) return { ok: false, reason: trained.error.message }
  return { ok: true, model: trained.value, trainMs: performance.now() - t0 }
}

export type ChurnValidation = ChurnEvaluation & { calibrationCurve: CalibrationBin[] }

/** Out-of-time validation: a model trained one window earlier scores the next window's rows. */
export function validateChurn(model: ChurnModel, rows: readonly DataRow[]): ChurnValidation | null {
  if (rows.length === 0) return null
  const p = new Float64Array(rows.length)
  const y = new Uint8Array(rows.length)
  rows.forEach((row, i) => {
    p[i] = explainChurnRow(model, row).probability
    y[i] = row.churned === 1 ? 1 : 0
  })
  return { ...evaluateChurnPredictions(p, y), calibrationCurve: calibrationCurve(p, y, 10) }
}

export type ChurnReasonJson = { column: string; contribution: number; it: string; en: string }

/**
 * What is stored per customer for the churn reasons (customer_predictions.churn_reasons): not
 * the sentences but what they are made of, so that a million customers cost numbers, not
 * 1.5 kB of two-language text each; renderChurnReasons turns it into the sentences when one
 * customer is read. `top`: the columns with contribution ≥ 0.05, largest first, at most 5
 * (describeChurnReasons needs at most max (3) + 1 covered column), each
 * [column, kind 'n'|'c', contribution in millionths of a logit (an integer: writing a
 * shortest-form double per reason was a third of the scoring time), cell, missing 0|1,
 * direction 'h'|'l'|null]; `ctx`: the
 * cells of the columns the domain phrases read besides their own (PHRASE_CONTEXT).
 */
export type StoredChurnReasons = {
  v: 2
  top: [string, 'n' | 'c', number, CellValue, 0 | 1, 'h' | 'l' | null][]
  ctx: Record<string, CellValue>
}

/** Columns a domain phrase reads besides its own: recency's phrase names the usual gap. */
export const PHRASE_CONTEXT = ['usual_gap_days'] as const

/** The largest contributions kept per customer. */
export const STORED_TOP = 5

/**
 * The reasons of stored churn_reasons, in words: describeChurnReasons on the stored top
 * contributions, exactly what it gives on the customer's whole explanation (asserted in
 * test/predictions/models.test.ts). Rows stored before the compact form hold the sentences
 * already ([{ column, contribution, it, en }]) and are returned as they are.
 */
export function renderChurnReasons(stored: unknown): ChurnReasonJson[] {
  if (Array.isArray(stored)) return stored as ChurnReasonJson[]
  const s = stored as StoredChurnReasons | null
  if (!s || s.v !== 2) return []
  const values: Record<string, CellValue> = { ...s.ctx }
  const contributions: ChurnContribution[] = s.top.map(
    ([column, kind, contribution, value, missing, direction]) => {
      values[column] = value
      return {
        column,
        kind: kind === 'n' ? 'numeric' : 'categorical',
        contribution: contribution / 1e6,
        value,
        missing: missing === 1,
        direction: direction === 'h' ? 'high' : direction === 'l' ? 'low' : null,
      }
    },
  )
  return describeChurnReasons({
    id: null,
    logit: 0,
    probability: 0,
    baselineLogit: 0,
    baselineProbability: 0,
    contributions,
    values,
  }).map((r) => ({ column: r.column, contribution: r.contribution, it: r.text.it, en: r.text.en }))
}

/**
 * Scratch arrays of the fits, by name, reused from one fit to the next (each caller writes
 * every element it reads). A fit of a million customers allocated ~100 MB of typed arrays, and
 * V8 answers that much new external memory with a full collection: ~0.3 s of tracing every
 * summary object the caller holds, per fit. Held until the thread ends (the refresh worker ends
 * with its refresh).
 */
const scratchBuffers = new Map<string, ArrayBuffer>()

function scratch<T extends Float64Array | Uint32Array>(
  name: string,
  Type: { new (buffer: ArrayBuffer, offset: number, length: number): T; BYTES_PER_ELEMENT: number },
  n: number,
): T {
  const bytes = n * Type.BYTES_PER_ELEMENT
  let buffer = scratchBuffers.get(name)
  if (!buffer || buffer.byteLength < bytes) {
    buffer = new ArrayBuffer(Math.max(bytes, 4096))
    scratchBuffers.set(name, buffer)
  }
  return new Type(buffer, 0, n)
}

/** Below this many keys the engine's sort is as fast as the radix sort's passes. */
const RADIX_MIN = 65_536

/**
 * Sorts packed keys (whole numbers 0 ≤ k < 2⁵³) ascending, in place: an LSD radix sort on their
 * two 32-bit halves, 16 bits a pass, skipping the passes whose digit is the same for every key
 * (the packed (x, t_x, T) of a base fit in 36 bits: three passes). A million keys sort in about
 * half the time of Float64Array's own sort (measured 38 vs 75–88 ms), twice per fit.
 */
export function sortPackedKeys(keys: Float64Array): void {
  const n = keys.length
  if (n < RADIX_MIN) {
    keys.sort()
    return
  }
  let hi = scratch('hi', Uint32Array, n)
  let lo = scratch('lo', Uint32Array, n)
  let hiMax = 0
  let loMax = 0
  for (let i = 0; i < n; i++) {
    const k = keys[i] as number
    const h = Math.floor(k / 4_294_967_296)
    const l = k - h * 4_294_967_296
    hi[i] = h
    lo[i] = l
    if (h > hiMax) hiMax = h
    if (l > loMax) loMax = l
  }
  let hiNext = scratch('hiNext', Uint32Array, n)
  let loNext = scratch('loNext', Uint32Array, n)
  const count = new Uint32Array(65_536)
  const pass = (word: 'hi' | 'lo', shift: number): void => {
    const digits = word === 'hi' ? hi : lo
    count.fill(0)
    for (let i = 0; i < n; i++) count[((digits[i] as number) >>> shift) & 65_535]!++
    let sum = 0
    for (let d = 0; d < 65_536; d++) {
      const c = count[d] as number
      if (c === n) return // every key has this digit: the order stands
      count[d] = sum
      sum += c
    }
    for (let i = 0; i < n; i++) {
      const at = count[((digits[i] as number) >>> shift) & 65_535]!++
      hiNext[at] = hi[i] as number
      loNext[at] = lo[i] as number
    }
    ;[hi, hiNext] = [hiNext, hi]
    ;[lo, loNext] = [loNext, lo]
  }
  pass('lo', 0)
  if (loMax >= 65_536) pass('lo', 16)
  if (hiMax > 0) pass('hi', 0)
  if (hiMax >= 65_536) pass('hi', 16)
  for (let i = 0; i < n; i++) keys[i] = (hi[i] as number) * 4_294_967_296 + (lo[i] as number)
}

/**
 * Groups equal (x, t_x, T) given in whole days, with t_x and T first rounded to multiples of
 * `roundDays` (T at least one such multiple), and converts times to the unit: the same data as
 * core's compressRfm, in ascending (x, t_x, T) order. Each tuple is packed into one exact number
 * (x · 2²⁸ + t_x · 2¹⁴ + T) and the packed keys are sorted as a Float64Array: a million customers
 * group in tens of milliseconds, with no object or map entry per customer. Out of the packable
 * range (T ≥ 16,384 days, non-integer days) it falls back to compressRfm.
 */
function compressDays(
  days: { x: Float64Array; tx: Float64Array; T: Float64Array },
  unitDays: number,
  roundDays: number,
): RfmData {
  const n = days.x.length
  const round = (v: number) => (roundDays === 1 ? v : Math.round(v / roundDays) * roundDays)
  const keys = scratch('keys', Float64Array, n)
  for (let i = 0; i < n; i++) {
    const x = days.x[i] as number
    const tx = round(days.tx[i] as number)
    const T = Math.max(round(days.T[i] as number), roundDays)
    if (!(Number.isInteger(tx) && Number.isInteger(T) && T < 16_384 && x < 2 ** 24)) {
      const rows = Array.from({ length: n }, (_, k) => ({
        x: days.x[k] as number,
        tx: round(days.tx[k] as number) / unitDays,
        T: Math.max(round(days.T[k] as number), roundDays) / unitDays,
      }))
      return compressRfm(rows)
    }
    keys[i] = (x * 16_384 + tx) * 16_384 + T
  }
  sortPackedKeys(keys)
  const x: number[] = []
  const tx: number[] = []
  const T: number[] = []
  const weight: number[] = []
  for (let i = 0; i < n;) {
    const key = keys[i] as number
    let j = i + 1
    while (j < n && keys[j] === key) j++
    const t = key % 16_384
    const rest = (key - t) / 16_384
    const txDays = rest % 16_384
    x.push((rest - txDays) / 16_384)
    tx.push(txDays / unitDays)
    T.push(t / unitDays)
    weight.push(j - i)
    i = j
  }
  return {
    x: Float64Array.from(x),
    tx: Float64Array.from(tx),
    T: Float64Array.from(T),
    weight: Float64Array.from(weight),
  }
}

/**
 * Gamma-Gamma data (x, m = sum / x) grouped by (x, sum in minor units), packed and sorted like
 * compressDays (key sum · 4096 + x); with `digits`, grouped by (x, m rounded to that many
 * significant digits) instead (key (exponent, mantissa, x)).
 */
function compressSums(xs: Float64Array, sums: Float64Array, digits: number | null): SpendData {
  const n = xs.length
  const keys = scratch('keys', Float64Array, n)
  const top = digits === null ? 0 : 10 ** digits
  for (let i = 0; i < n; i++) {
    const x = xs[i] as number
    const sum = sums[i] as number
    if (!(Number.isInteger(sum) && sum > 0 && sum < 2 ** 40 && x >= 1 && x < 4096))
      return compressSpend(Array.from(xs, (c, k) => ({ x: c, m: (sums[k] as number) / c })))
    if (digits === null) keys[i] = sum * 4096 + x
    else {
      // m = mantissa · 10^e with mantissa in [10^(digits−1), 10^digits).
      const m = sum / x
      let e = Math.floor(Math.log10(m)) - digits + 1
      let mantissa = Math.round(m / 10 ** e)
      if (mantissa >= top) {
        mantissa = Math.round(mantissa / 10)
        e++
      }
      keys[i] = ((e + 64) * top + mantissa) * 4096 + x
    }
  }
  sortPackedKeys(keys)
  const x: number[] = []
  const m: number[] = []
  const weight: number[] = []
  for (let i = 0; i < n;) {
    const key = keys[i] as number
    let j = i + 1
    while (j < n && keys[j] === key) j++
    const cx = key % 4096
    const rest = (key - cx) / 4096
    x.push(cx)
    if (digits === null) m.push(rest / cx)
    else {
      const mantissa = rest % top
      m.push(mantissa * 10 ** ((rest - mantissa) / top - 64))
    }
    weight.push(j - i)
    i = j
  }
  return { x: Float64Array.from(x), m: Float64Array.from(m), weight: Float64Array.from(weight) }
}
