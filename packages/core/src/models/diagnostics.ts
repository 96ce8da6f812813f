/**
 * Model diagnostics on a calibration/holdout split, as in Fader, Hardie & Lee (2005, §4) and the
 * BTYD walkthrough (§3.4, §4.4): does the fitted model (BG/NBD or Pareto/NBD) predict what the
 * customers did after the calibration end? Returned as plain data for the dashboard and the HTML
 * report:
 *
 * - calibration vs holdout: customers grouped by calibration frequency x = 0, 1, …, 7+; for each
 *   group the mean actual holdout purchases and the mean conditional expectation E[Y(t*) | x, t_x, T]
 *   over the holdout length t*;
 * - tracking: expected repeat purchases of the cohort by period, Σ_i E[X(τ − b_i)] with b_i the
 *   first-purchase time (`expectedCumulativePurchases`), against the actual counts, cumulative and
 *   per period;
 * - P(alive) on a grid of frequency × recency for a customer observed over the longest T;
 * - the error of the aggregate forecast at the end of the holdout, (expected − actual) / actual
 *   (CDNOW, BG/NBD: 4,165.7 vs 4,339, −4.0 %; reference §1.4).
 */
import {
  bgnbdExpectedPurchases,
  bgnbdExpectedPurchasesNewCustomer,
  bgnbdProbabilityAlive,
} from './bgnbd.ts'
import type { BgnbdParams } from './bgnbd.ts'
import { expectedCumulativePurchases } from './forecast.ts'
import {
  paretoNbdExpectedPurchases,
  paretoNbdExpectedPurchasesNewCustomer,
  paretoNbdProbabilityAlive,
} from './pareto-nbd.ts'
import type { ParetoNbdParams } from './pareto-nbd.ts'
import type { RfmCustomer } from './rfm.ts'
import type { TransactionSummary } from './transactions.ts'

/** The three predictions the diagnostics need from a repeat-buying model. */
export interface DiagnosticsModel {
  /** E[Y(t) | x, t_x, T]: expected purchases in (T, T + t] given the customer's history. */
  expectedPurchases(customer: RfmCustomer, t: number): number
  /** E[X(t)]: expected repeat purchases in (0, t] of a customer just acquired. */
  expectedPurchasesNewCustomer(t: number): number
  /** P(alive | x, t_x, T). */
  probabilityAlive(customer: RfmCustomer): number
}

/** BG/NBD predictions (Fader, Hardie & Lee 2005) for `modelDiagnostics`. */
export function bgnbdDiagnosticsModel(params: BgnbdParams): DiagnosticsModel {
  return {
    expectedPurchases: (c, t) => bgnbdExpectedPurchases(params, c, t),
    expectedPurchasesNewCustomer: (t) => bgnbdExpectedPurchasesNewCustomer(params, t),
    probabilityAlive: (c) => bgnbdProbabilityAlive(params, c),
  }
}

/** Pareto/NBD predictions (Schmittlein, Morrison & Colombo 1987) for `modelDiagnostics`. */
export function paretoNbdDiagnosticsModel(params: ParetoNbdParams): DiagnosticsModel {
  return {
    expectedPurchases: (c, t) => paretoNbdExpectedPurchases(params, c, t),
    expectedPurchasesNewCustomer: (t) => paretoNbdExpectedPurchasesNewCustomer(params, t),
    probabilityAlive: (c) => paretoNbdProbabilityAlive(params, c),
  }
}

/** One customer: calibration summary, first-purchase time and holdout purchases. */
export interface DiagnosticsCustomer extends RfmCustomer {
  /** First purchase, time since the cohort origin (same unit as x, t_x, T). */
  birth: number
  /** Purchases in the holdout period. */
  holdout: number
}

/** Inputs of `modelDiagnostics`; times in the unit of the fit. */
export interface DiagnosticsInput {
  customers: readonly DiagnosticsCustomer[]
  /** Holdout length t* (e.g. 39 weeks). */
  holdoutLength: number
  /** Whole periods from the origin covered by the calibration (39 for CDNOW in weeks). */
  calibrationPeriods: number
  /** Whole periods from the origin to the holdout end (78 for CDNOW in weeks). */
  totalPeriods: number
  /**
   * Actual repeat purchases by period 1…totalPeriods (e.g. `TransactionSummary.repeatsByPeriod`).
   * Without them the tracking has actual values only at the calibration and holdout ends.
   */
  repeatsByPeriod?: readonly number[]
  /** Last frequency with its own group; larger ones are pooled as "7+" (default 7). */
  maxFrequencyBin?: number
  /** Rows (frequencies 0…n−1) and columns (recency cells) of the P(alive) grid; default 20 × 20. */
  aliveGrid?: { frequencies?: number; recencies?: number }
}

/** The diagnostics input of a transactions summary (`summarizeTransactions`). */
export function diagnosticsInputOf(summary: TransactionSummary): DiagnosticsInput {
  return {
    customers: summary.customers,
    holdoutLength: summary.holdoutLength,
    calibrationPeriods: summary.calibrationPeriods,
    totalPeriods: summary.totalPeriods,
    repeatsByPeriod: summary.repeatsByPeriod,
  }
}

/** One group of the calibration-vs-holdout comparison. */
export interface ConditionalRow {
  /** Calibration frequency x (the last group holds x ≥ this value). */
  frequency: number
  /** `"0"`, `"1"`, …, `"7+"`. */
  label: string
  customers: number
  /** Mean actual purchases in the holdout. */
  actual: number
  /** Mean E[Y(t*) | x, t_x, T]. */
  predicted: number
  /** Mean P(alive) at the calibration end. */
  probabilityAlive: number
}

/** One period of the tracking charts. */
export interface TrackingRow {
  period: number
  /** Whether the period ends within the calibration. */
  calibration: boolean
  expected: number
  expectedCumulative: number
  /** Null when the per-period counts were not given. */
  actual: number | null
  actualCumulative: number | null
}

/** Aggregate forecast against actual repeat purchases. */
export interface AggregateForecast {
  /** Expected and actual cumulative repeat purchases at the end of the calibration periods. */
  expectedCalibration: number
  actualCalibration: number
  /** Expected and actual cumulative repeat purchases at the end of the holdout. */
  expectedTotal: number
  actualTotal: number
  /** Expected and actual repeat purchases in the holdout periods (total − calibration). */
  expectedHoldout: number
  actualHoldout: number
  /** (expectedTotal − actualTotal) / actualTotal: the error of the cumulative forecast. */
  cumulativeError: number
  /** (expectedHoldout − actualHoldout) / actualHoldout. */
  holdoutError: number
  /** Σ_i E[Y(t*) | x_i, t_x,i, T_i] against Σ_i holdout purchases. */
  conditionalExpected: number
  conditionalActual: number
  /** Pearson correlation of individual E[Y(t*)] with individual holdout purchases. */
  correlation: number
}

/** P(alive) on a grid: rows are frequencies, columns recency cells, for a customer with T. */
export interface AliveGrid {
  /** Observation length used for every cell (the longest T in the data). */
  T: number
  frequencies: number[]
  /** Recency t_x at the middle of each cell. */
  recencies: number[]
  /** Cell width in the time unit. */
  recencyStep: number
  /** values[i][j] = P(alive | x = frequencies[i], t_x = recencies[j], T); x = 0 rows use t_x = 0. */
  values: number[][]
  /** customers[i][j]: how many customers have that frequency and a recency in the cell. */
  customers: number[][]
}

export interface ModelDiagnostics {
  conditional: ConditionalRow[]
  tracking: TrackingRow[]
  aggregate: AggregateForecast
  alive: AliveGrid
}

/** Memoises f on its argument rounded to 1e-9 (ages repeat across periods and births). */
function memo(f: (t: number) => number): (t: number) => number {
  const cache = new Map<number, number>()
  return (t) => {
    const key = Math.round(t * 1e9)
    let v = cache.get(key)
    if (v === undefined) cache.set(key, (v = f(t)))
    return v
  }
}

function pearson(u: ArrayLike<number>, v: ArrayLike<number>): number {
  const n = u.length
  let su = 0
  let sv = 0
  for (let i = 0; i < n; i++) {
    su += u[i] as number
    sv += v[i] as number
  }
  const mu = su / n
  const mv = sv / n
  let cov = 0
  let vu = 0
  let vv = 0
  for (let i = 0; i < n; i++) {
    const du = (u[i] as number) - mu
    const dv = (v[i] as number) - mv
    cov += du * dv
    vu += du * du
    vv += dv * dv
  }
  return vu > 0 && vv > 0 ? cov / Math.sqrt(vu * vv) : NaN
}

/**
 * Diagnostics of a fitted model on a calibration/holdout split (see the module comment).
 * Individual expectations are computed once per distinct (x, t_x, T), the cohort forecast once per
 * distinct age, so the cost follows the distinct tuples and first-purchase times, not customers.
 * Throws a RangeError for an empty customer list or non-positive lengths (caller bugs).
 */
export function modelDiagnostics(
  model: DiagnosticsModel,
  input: DiagnosticsInput,
): ModelDiagnostics {
  const { customers, holdoutLength, calibrationPeriods, totalPeriods } = input
  if (customers.length === 0) throw new RangeError('modelDiagnostics needs at least one customer')
  if (!(holdoutLength > 0) || !(calibrationPeriods > 0) || !(totalPeriods >= calibrationPeriods))
    throw new RangeError(
      `need holdoutLength > 0 and 0 < calibrationPeriods ≤ totalPeriods, got ${holdoutLength}, ${calibrationPeriods}, ${totalPeriods}`,
    )
  if (input.repeatsByPeriod && input.repeatsByPeriod.length !== totalPeriods)
    throw new RangeError(
      `repeatsByPeriod must have totalPeriods = ${totalPeriods} entries, got ${input.repeatsByPeriod.length}`,
    )
  const n = customers.length
  const maxBin = input.maxFrequencyBin ?? 7

  // Individual predictions, once per distinct (x, t_x, T).
  const perTuple = new Map<string, { expected: number; alive: number }>()
  const expected = new Float64Array(n)
  const alive = new Float64Array(n)
  const holdout = new Float64Array(n)
  customers.forEach((c, i) => {
    const key = `${c.x}|${c.tx}|${c.T}`
    let p = perTuple.get(key)
    if (!p) {
      p = { expected: model.expectedPurchases(c, holdoutLength), alive: model.probabilityAlive(c) }
      perTuple.set(key, p)
    }
    expected[i] = p.expected
    alive[i] = p.alive
    holdout[i] = c.holdout
  })

  const bins = Array.from({ length: maxBin + 1 }, () => ({
    n: 0,
    actual: 0,
    predicted: 0,
    alive: 0,
  }))
  customers.forEach((c, i) => {
    const bin = bins[Math.min(c.x, maxBin)] as (typeof bins)[number]
    bin.n++
    bin.actual += c.holdout
    bin.predicted += expected[i] as number
    bin.alive += alive[i] as number
  })
  const conditional: ConditionalRow[] = bins.map((b, k) => ({
    frequency: k,
    label: k === maxBin ? `${k}+` : String(k),
    customers: b.n,
    actual: b.n > 0 ? b.actual / b.n : NaN,
    predicted: b.n > 0 ? b.predicted / b.n : NaN,
    probabilityAlive: b.n > 0 ? b.alive / b.n : NaN,
  }))

  // Cohort tracking: births grouped with weights, E[X(age)] memoised.
  const birthWeights = new Map<number, number>()
  for (const c of customers) birthWeights.set(c.birth, (birthWeights.get(c.birth) ?? 0) + 1)
  const births = [...birthWeights.keys()]
  const weights = births.map((b) => birthWeights.get(b) as number)
  const periods = Array.from({ length: totalPeriods }, (_, k) => k + 1)
  const cumulative = expectedCumulativePurchases(
    memo((t) => model.expectedPurchasesNewCustomer(t)),
    births,
    periods,
    weights,
  )
  const actualPerPeriod = input.repeatsByPeriod ?? null
  let runningActual = 0
  const tracking: TrackingRow[] = periods.map((k, j) => {
    const exp = cumulative[j] as number
    const prev = j > 0 ? (cumulative[j - 1] as number) : 0
    const act = actualPerPeriod ? (actualPerPeriod[j] as number) : null
    if (act !== null) runningActual += act
    return {
      period: k,
      calibration: k <= calibrationPeriods,
      expected: exp - prev,
      expectedCumulative: exp,
      actual: act,
      actualCumulative: act === null ? null : runningActual,
    }
  })

  let sumX = 0
  let sumHoldout = 0
  for (const c of customers) {
    sumX += c.x
    sumHoldout += c.holdout
  }
  const actualCalibration = actualPerPeriod
    ? (tracking[calibrationPeriods - 1]?.actualCumulative as number)
    : sumX
  const actualTotal = actualPerPeriod ? runningActual : sumX + sumHoldout
  const expectedCalibration = cumulative[calibrationPeriods - 1] as number
  const expectedTotal = cumulative[totalPeriods - 1] as number
  let conditionalExpected = 0
  for (const v of expected) conditionalExpected += v
  const aggregate: AggregateForecast = {
    expectedCalibration,
    actualCalibration,
    expectedTotal,
    actualTotal,
    expectedHoldout: expectedTotal - expectedCalibration,
    actualHoldout: actualTotal - actualCalibration,
    cumulativeError: (expectedTotal - actualTotal) / actualTotal,
    holdoutError:
      (expectedTotal - expectedCalibration - (actualTotal - actualCalibration)) /
      (actualTotal - actualCalibration),
    conditionalExpected,
    conditionalActual: sumHoldout,
    correlation: pearson(expected, holdout),
  }

  return { conditional, tracking, aggregate, alive: aliveGrid(model, customers, input.aliveGrid) }
}

/**
 * P(alive | x, t_x, T) over frequencies 0…F−1 and R recency cells of [0, T_max] (lifetimes'
 * `plot_probability_alive_matrix` layout: one T, the longest observed), with the number of
 * customers in each cell. F defaults to min(20, max x + 1).
 */
function aliveGrid(
  model: DiagnosticsModel,
  customers: readonly DiagnosticsCustomer[],
  size: DiagnosticsInput['aliveGrid'] = {},
): AliveGrid {
  let maxT = 0
  let maxX = 0
  for (const c of customers) {
    if (c.T > maxT) maxT = c.T
    if (c.x > maxX) maxX = c.x
  }
  const F = Math.max(1, Math.min(size.frequencies ?? 20, maxX + 1))
  const R = Math.max(1, size.recencies ?? 20)
  const step = maxT / R
  const recencies = Array.from({ length: R }, (_, j) => (j + 0.5) * step)
  const frequencies = Array.from({ length: F }, (_, i) => i)
  const values = frequencies.map((x) =>
    recencies.map((tx) => model.probabilityAlive({ x, tx: x === 0 ? 0 : tx, T: maxT })),
  )
  const counts = frequencies.map(() => new Array<number>(R).fill(0))
  for (const c of customers) {
    if (c.x >= F) continue
    const j = Math.min(R - 1, Math.floor(c.tx / step))
    const row = counts[c.x] as number[]
    row[j] = (row[j] as number) + 1
  }
  return { T: maxT, frequencies, recencies, recencyStep: step, values, customers: counts }
}
