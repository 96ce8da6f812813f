/**
 * Is there enough data to fit the probabilistic models? With few repeat customers or a history
 * shorter than a couple of purchase cycles, the dropout process is not identified (estimates run
 * to the boundary, standard errors explode) and a formula CLV (margin × frequency × value ×
 * expected lifetime) is the honest fallback. This check runs before fitting and says why not.
 */
import { err, ok } from '../shared/result.ts'
import type { Result } from '../shared/result.ts'
import { checkRfmData, checkSpendData } from './rfm.ts'
import type { RfmData, SpendData } from './rfm.ts'

export type FitDataIssueCode =
  | 'invalid-data'
  | 'too-few-customers'
  | 'too-few-repeat-customers'
  | 'history-too-short'
  | 'too-few-spend-customers'

export interface FitDataIssue {
  code: FitDataIssueCode
  /** English explanation with the observed value and the threshold. */
  message: string
}

export interface FitDataSummary {
  /** Customers (Σ weights). */
  customers: number
  /** Customers with at least one repeat purchase. */
  repeatCustomers: number
  /** Σ x over customers. */
  repeatPurchases: number
  /** Weighted median of T (time each customer has been observed). */
  medianObservationTime: number
  /** Weighted median of t_x/x over repeat customers (typical time between purchases). */
  medianInterPurchaseTime: number
  /** medianObservationTime / medianInterPurchaseTime: purchase cycles seen by a typical customer. */
  cyclesObserved: number
  /** Customers in the spend data (when given). */
  spendCustomers?: number
}

export interface FitDataThresholds {
  /** Minimum number of customers (default 100). */
  minCustomers?: number
  /** Minimum number of customers with a repeat purchase (default 30). */
  minRepeatCustomers?: number
  /** Minimum purchase cycles observed by the typical customer (default 2). */
  minCycles?: number
  /** Optional minimum median observation time T, in the data's time unit. */
  minObservationTime?: number
  /** Minimum customers with x ≥ 1 in the spend data for Gamma-Gamma (default 30). */
  minSpendCustomers?: number
}

/**
 * Checks compressed RFM data (and optionally spend data) against minimum-data thresholds before
 * fitting BG/NBD, Pareto/NBD or Gamma-Gamma. Returns ok(summary) or err({ issues, summary }) with
 * every failed check as a code plus an English message, so callers can fall back to formula CLV
 * and tell the user why. The defaults are heuristics, not published rules: 4 parameters need
 * on the order of a hundred customers, the purchase process needs repeat buyers (30 keeps the
 * relative standard error of a mean near 20 %), and the dropout process is only visible when a
 * typical customer has been observed for at least two typical inter-purchase times (CDNOW: 4.7).
 */
export function assessFitData(
  data: RfmData,
  options: FitDataThresholds & { spend?: SpendData } = {},
): Result<FitDataSummary, { issues: FitDataIssue[]; summary: FitDataSummary | null }> {
  const invalid = checkRfmData(data)
  if (invalid) {
    const where = invalid.index >= 0 ? `row ${invalid.index}, field ${invalid.field}: ` : ''
    return err({
      issues: [{ code: 'invalid-data', message: `Invalid RFM data (${where}${invalid.message}).` }],
      summary: null,
    })
  }
  const minCustomers = options.minCustomers ?? 100
  const minRepeat = options.minRepeatCustomers ?? 30
  const minCycles = options.minCycles ?? 2
  const minSpend = options.minSpendCustomers ?? 30

  const n = data.x.length
  let customers = 0
  let repeatCustomers = 0
  let repeatPurchases = 0
  const gaps = new Float64Array(n)
  const gapWeights = new Float64Array(n)
  let repeatTuples = 0
  for (let i = 0; i < n; i++) {
    const w = data.weight[i] as number
    const x = data.x[i] as number
    customers += w
    repeatPurchases += w * x
    if (x > 0) {
      repeatCustomers += w
      gaps[repeatTuples] = (data.tx[i] as number) / x
      gapWeights[repeatTuples++] = w
    }
  }
  const medianObservationTime = weightedMedian(
    Float64Array.from(data.T),
    Float64Array.from(data.weight),
  )
  const medianInterPurchaseTime = weightedMedian(
    gaps.subarray(0, repeatTuples),
    gapWeights.subarray(0, repeatTuples),
  )
  const summary: FitDataSummary = {
    customers,
    repeatCustomers,
    repeatPurchases,
    medianObservationTime,
    medianInterPurchaseTime,
    cyclesObserved: medianObservationTime / medianInterPurchaseTime,
  }

  const issues: FitDataIssue[] = []
  if (customers < minCustomers) {
    issues.push({
      code: 'too-few-customers',
      message: `Only ${customers} customers; at least ${minCustomers} are needed for a stable fit.`,
    })
  }
  if (repeatCustomers < minRepeat) {
    issues.push({
      code: 'too-few-repeat-customers',
      message: `Only ${repeatCustomers} customers have bought more than once; at least ${minRepeat} are needed to estimate purchase and dropout rates.`,
    })
  }
  if (repeatCustomers > 0 && !(summary.cyclesObserved >= minCycles)) {
    issues.push({
      code: 'history-too-short',
      message: `The typical customer has been observed for ${format(medianObservationTime)} time units, ${format(summary.cyclesObserved)} times the typical gap between purchases (${format(medianInterPurchaseTime)}); at least ${minCycles} gaps are needed to tell lapsed customers from slow ones.`,
    })
  }
  if (
    options.minObservationTime !== undefined &&
    medianObservationTime < options.minObservationTime
  ) {
    issues.push({
      code: 'history-too-short',
      message: `The median observation time is ${format(medianObservationTime)} time units; at least ${options.minObservationTime} are required.`,
    })
  }
  if (options.spend) {
    const spendInvalid = checkSpendData(options.spend)
    if (spendInvalid) {
      issues.push({
        code: 'invalid-data',
        message: `Invalid spend data (row ${spendInvalid.index}, field ${spendInvalid.field}: ${spendInvalid.message}).`,
      })
    } else {
      let spendCustomers = 0
      for (let i = 0; i < options.spend.weight.length; i++) {
        spendCustomers += options.spend.weight[i] as number
      }
      summary.spendCustomers = spendCustomers
      if (spendCustomers < minSpend) {
        issues.push({
          code: 'too-few-spend-customers',
          message: `Only ${spendCustomers} customers have repeat purchases with a positive value; at least ${minSpend} are needed for the Gamma-Gamma spend model.`,
        })
      }
    }
  }
  return issues.length === 0 ? ok(summary) : err({ issues, summary })
}

/**
 * Lower weighted median: the smallest value v whose weight together with every smaller value's
 * reaches half the total (what sorting the pairs and accumulating gives); NaN when empty. A
 * weighted quickselect on the arrays, which it reorders: linear time and no object per pair
 * (a hundred thousand tuples as sorted pairs were most of this check's time and garbage).
 */
function weightedMedian(values: Float64Array, weights: Float64Array): number {
  const n = values.length
  if (n === 0) return NaN
  let total = 0
  for (let i = 0; i < n; i++) total += weights[i] as number
  const half = total / 2
  let below = 0 // weight of the values known to lie below [lo, hi]
  let lo = 0
  let hi = n - 1
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1] as number
    // Three-way partition of [lo, hi]: < pivot, = pivot, > pivot (Dijkstra).
    let lt = lo
    let i = lo
    let gt = hi
    while (i <= gt) {
      const v = values[i] as number
      if (v < pivot) swap(values, weights, lt++, i++)
      else if (v > pivot) swap(values, weights, i, gt--)
      else i++
    }
    let less = 0
    for (let k = lo; k < lt; k++) less += weights[k] as number
    if (below + less >= half) {
      hi = lt - 1
      continue
    }
    let equal = 0
    for (let k = lt; k <= gt; k++) equal += weights[k] as number
    if (below + less + equal >= half) return pivot
    below += less + equal
    lo = gt + 1
  }
  return values[lo] as number
}

function swap(values: Float64Array, weights: Float64Array, a: number, b: number): void {
  const v = values[a] as number
  values[a] = values[b] as number
  values[b] = v
  const w = weights[a] as number
  weights[a] = weights[b] as number
  weights[b] = w
}

function format(v: number): string {
  return Number.isFinite(v) ? String(Math.round(v * 100) / 100) : String(v)
}
