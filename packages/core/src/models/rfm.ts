/**
 * Inputs of the customer-base models: per-customer RFM summaries (x, t_x, T) and, for the spend
 * model, (x, mean value). The fits work on *compressed* data: the distinct tuples with a weight
 * (how many customers share the tuple), which is what a `GROUP BY x, t_x, T` returns and what makes
 * the likelihood cost proportional to distinct tuples instead of customers.
 */

/**
 * One customer's calibration-period summary. All times are in one unit chosen by the caller
 * (weeks in the CDNOW literature) and measured from the customer's first purchase.
 */
export interface RfmCustomer {
  /** Number of repeat purchases (purchases after the first, same-day purchases merged). */
  x: number
  /** Time of the last purchase (0 when x = 0). */
  tx: number
  /** Length of the observation window, first purchase to the end of calibration. */
  T: number
}

/**
 * Compressed RFM data: distinct (x, t_x, T) tuples and their weights (customer counts), as
 * parallel arrays. Plain arrays and typed arrays are both accepted.
 */
export interface RfmData {
  readonly x: ArrayLike<number>
  readonly tx: ArrayLike<number>
  readonly T: ArrayLike<number>
  readonly weight: ArrayLike<number>
}

/** A customer's repeat-purchase count and the mean value of those repeat purchases. */
export interface SpendCustomer {
  /** Number of repeat purchases whose values are averaged (≥ 1 to carry information). */
  x: number
  /** Mean value of the repeat purchases (first purchase excluded, Fader & Hardie 2013). */
  m: number
}

/** Compressed spend data: distinct (x, m) pairs and their weights. */
export interface SpendData {
  readonly x: ArrayLike<number>
  readonly m: ArrayLike<number>
  readonly weight: ArrayLike<number>
}

/** Compressed data as produced by `compressRfm`, sorted by x, then t_x, then T. */
export interface CompressedRfm extends RfmData {
  readonly x: Float64Array
  readonly tx: Float64Array
  readonly T: Float64Array
  readonly weight: Float64Array
  /** Σ weight: the number of customers represented. */
  readonly customers: number
}

/** Compressed spend data as produced by `compressSpend`, sorted by x, then m. */
export interface CompressedSpend extends SpendData {
  readonly x: Float64Array
  readonly m: Float64Array
  readonly weight: Float64Array
  readonly customers: number
}

/** A problem with one input row: which row, which field, and why (English). */
export interface RowIssue {
  index: number
  field: 'x' | 'tx' | 'T' | 'm' | 'weight' | 'length'
  message: string
}

/**
 * Checks one summary row: x a non-negative integer, T > 0 and finite, 0 ≤ t_x ≤ T, t_x = 0 when
 * x = 0. Returns the first problem found, or null.
 */
export function checkRfmRow(x: number, tx: number, T: number, index: number): RowIssue | null {
  if (!(Number.isInteger(x) && x >= 0)) {
    return { index, field: 'x', message: `x must be a non-negative integer, got ${x}` }
  }
  if (!(Number.isFinite(T) && T > 0)) {
    return { index, field: 'T', message: `T must be a positive finite time, got ${T}` }
  }
  if (!(Number.isFinite(tx) && tx >= 0 && tx <= T)) {
    return { index, field: 'tx', message: `tx must lie in [0, T] = [0, ${T}], got ${tx}` }
  }
  if (x === 0 && tx !== 0) {
    return { index, field: 'tx', message: `tx must be 0 when x = 0, got ${tx}` }
  }
  return null
}

/** Checks compressed RFM data (lengths, rows, positive finite weights); first problem or null. */
export function checkRfmData(data: RfmData): RowIssue | null {
  const n = data.x.length
  if (data.tx.length !== n || data.T.length !== n || data.weight.length !== n) {
    return {
      index: -1,
      field: 'length',
      message: `x, tx, T and weight must have the same length, got ${n}, ${data.tx.length}, ${data.T.length}, ${data.weight.length}`,
    }
  }
  for (let i = 0; i < n; i++) {
    const issue = checkRfmRow(data.x[i] as number, data.tx[i] as number, data.T[i] as number, i)
    if (issue) return issue
    const w = data.weight[i] as number
    if (!(Number.isFinite(w) && w > 0)) {
      return { index: i, field: 'weight', message: `weight must be positive and finite, got ${w}` }
    }
  }
  return null
}

/** Checks one spend row: x an integer ≥ 1, m > 0 and finite. First problem or null. */
export function checkSpendRow(x: number, m: number, index: number): RowIssue | null {
  if (!(Number.isInteger(x) && x >= 1)) {
    return { index, field: 'x', message: `x must be an integer ≥ 1, got ${x}` }
  }
  if (!(Number.isFinite(m) && m > 0)) {
    return { index, field: 'm', message: `m must be a positive finite mean value, got ${m}` }
  }
  return null
}

/** Checks compressed spend data (lengths, rows, positive finite weights); first problem or null. */
export function checkSpendData(data: SpendData): RowIssue | null {
  const n = data.x.length
  if (data.m.length !== n || data.weight.length !== n) {
    return {
      index: -1,
      field: 'length',
      message: `x, m and weight must have the same length, got ${n}, ${data.m.length}, ${data.weight.length}`,
    }
  }
  for (let i = 0; i < n; i++) {
    const issue = checkSpendRow(data.x[i] as number, data.m[i] as number, i)
    if (issue) return issue
    const w = data.weight[i] as number
    if (!(Number.isFinite(w) && w > 0)) {
      return { index: i, field: 'weight', message: `weight must be positive and finite, got ${w}` }
    }
  }
  return null
}

/** Throws a RangeError naming the row and field; used by the fits, whose inputs must be valid. */
export function assertValid(issue: RowIssue | null, what: string): void {
  if (issue) {
    const where = issue.index >= 0 ? ` (row ${issue.index}, field ${issue.field})` : ''
    throw new RangeError(`invalid ${what}${where}: ${issue.message}`)
  }
}

/**
 * Groups identical (x, t_x, T) rows into distinct tuples with weights (customer counts), sorted by
 * x, then t_x, then T. Equality is exact, so round times to the resolution of the data (e.g. days/7)
 * before calling. Throws a RangeError naming the row for invalid rows (see `checkRfmRow`).
 */
export function compressRfm(rows: Iterable<RfmCustomer>): CompressedRfm {
  const counts = new Map<string, { x: number; tx: number; T: number; weight: number }>()
  let index = 0
  for (const row of rows) {
    assertValid(checkRfmRow(row.x, row.tx, row.T, index), 'RFM row')
    const key = `${row.x}|${row.tx}|${row.T}`
    const entry = counts.get(key)
    if (entry) entry.weight++
    else counts.set(key, { x: row.x, tx: row.tx, T: row.T, weight: 1 })
    index++
  }
  const tuples = [...counts.values()].sort((u, v) => u.x - v.x || u.tx - v.tx || u.T - v.T)
  return {
    x: Float64Array.from(tuples, (t) => t.x),
    tx: Float64Array.from(tuples, (t) => t.tx),
    T: Float64Array.from(tuples, (t) => t.T),
    weight: Float64Array.from(tuples, (t) => t.weight),
    customers: index,
  }
}

/**
 * Groups identical (x, m) rows for the Gamma-Gamma spend model, sorted by x, then m. Customers
 * with x = 0 (no repeat purchase, no mean to model) are left out, as in Fader & Hardie (2013);
 * other invalid rows (m ≤ 0, non-integer x) throw a RangeError naming the row.
 */
export function compressSpend(rows: Iterable<SpendCustomer>): CompressedSpend {
  const counts = new Map<string, { x: number; m: number; weight: number }>()
  let index = 0
  let customers = 0
  for (const row of rows) {
    if (row.x !== 0) {
      assertValid(checkSpendRow(row.x, row.m, index), 'spend row')
      const key = `${row.x}|${row.m}`
      const entry = counts.get(key)
      if (entry) entry.weight++
      else counts.set(key, { x: row.x, m: row.m, weight: 1 })
      customers++
    }
    index++
  }
  const tuples = [...counts.values()].sort((u, v) => u.x - v.x || u.m - v.m)
  return {
    x: Float64Array.from(tuples, (t) => t.x),
    m: Float64Array.from(tuples, (t) => t.m),
    weight: Float64Array.from(tuples, (t) => t.weight),
    customers,
  }
}

/** Σ weight over the rows of compressed data. */
export function totalWeight(weight: ArrayLike<number>): number {
  let s = 0
  for (let i = 0; i < weight.length; i++) s += weight[i] as number
  return s
}

/** Rows grouped by their x value, for likelihood terms that depend on x alone. */
export interface XGroups {
  /** Distinct x values, ascending. */
  values: Float64Array
  /** For each row, the position of its x in `values`. */
  index: Int32Array
  /** Σ weight of the rows with each x value. */
  weight: Float64Array
}

/**
 * Groups rows by x so that gamma and digamma terms in x are computed once per distinct value
 * (tens of values) instead of once per row (thousands).
 */
export function groupByX(x: ArrayLike<number>, weight: ArrayLike<number>): XGroups {
  const { values, index } = distinctValues(x)
  const groupWeight = new Float64Array(values.length)
  for (let i = 0; i < index.length; i++) {
    const k = index[i] as number
    groupWeight[k] = (groupWeight[k] as number) + (weight[i] as number)
  }
  return { values, index, weight: groupWeight }
}

/**
 * The distinct values of `v`, ascending, and the position of each element among them: lets a
 * likelihood compute a function of a column (e.g. ln(α+T)) once per distinct value.
 */
export function distinctValues(v: ArrayLike<number>): { values: Float64Array; index: Int32Array } {
  const position = new Map<number, number>()
  for (let i = 0; i < v.length; i++) position.set(v[i] as number, 0)
  const values = Float64Array.from(position.keys()).sort()
  values.forEach((value, k) => position.set(value, k))
  const index = new Int32Array(v.length)
  for (let i = 0; i < v.length; i++) index[i] = position.get(v[i] as number) as number
  return { values, index }
}
