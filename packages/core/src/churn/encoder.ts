/**
 * Feature encoder for the generic churn trainer: turns rows of named cells into a dense,
 * standardised design matrix. Fitted on training rows only and stored inside the model (plain
 * JSON), so that scoring and reasons reproduce exactly the training transformation.
 */
import { categoryOf, isBlank, parseNumericCell } from './table.ts'
import type { CellValue, DataRow } from './table.ts'

/** Options for {@link fitFeatureEncoder}. Column lists override the automatic detection. */
export interface EncoderOptions {
  /** Columns never used as features (the id and label columns are always excluded). */
  readonly exclude?: readonly string[]
  /** Columns forced to categorical (e.g. numeric codes such as zip codes). */
  readonly categorical?: readonly string[]
  /** Columns forced to numeric (non-numeric cells are then treated as missing). */
  readonly numeric?: readonly string[]
  /** Levels seen fewer times are pooled into an "other" indicator. Default 5. */
  readonly minLevelCount?: number
  /** At most this many levels per categorical column (most frequent first). Default 50. */
  readonly maxLevels?: number
  /**
   * `log1p` transform of numeric columns: `'auto'` (default) applies it to non-negative columns
   * whose sample skewness exceeds 2 (counts, money, days), `'none'` never, or a list of columns.
   */
  readonly logTransform?: 'auto' | 'none' | readonly string[]
  /**
   * Restricted cubic spline terms for numeric columns: `'auto'` (default) for columns with at
   * least 10 distinct values, `'none'`, or a list of columns.
   */
  readonly splines?: 'auto' | 'none' | readonly string[]
  /** Number of spline knots (3, 4 or 5; default 4, placed at Harrell's quantiles). */
  readonly splineKnots?: 3 | 4 | 5
}

/** What a feature encodes about its source column. */
export type FeatureRole = 'value' | 'spline' | 'missing' | 'level' | 'other'

/** One column of the design matrix: raw value r is encoded as (r − center) / scale. */
export interface FeatureSpec {
  readonly name: string
  readonly column: string
  readonly role: FeatureRole
  /** Position of this feature in its column's raw vector ({@link rawCellFeatures}). */
  readonly slot: number
  /** Category level for role `level`. */
  readonly level?: string
  readonly center: number
  readonly scale: number
}

/** A numeric source column. */
export interface NumericColumnSpec {
  readonly kind: 'numeric'
  readonly name: string
  /** Median of the observed training values, used for blanks (raw scale). */
  readonly impute: number
  /** Whether values go through `log1p(max(x, 0))` before use. */
  readonly log: boolean
  /** Restricted cubic spline knots on the (possibly logged) scale; empty when no splines. */
  readonly knots: readonly number[]
  /** Whether the raw vector ends with a missing indicator (training data had blanks). */
  readonly hasMissing: boolean
}

/** A categorical source column. */
export interface CategoricalColumnSpec {
  readonly kind: 'categorical'
  readonly name: string
  /** Levels with their own indicator, most frequent first. */
  readonly levels: readonly string[]
  /** Whether the raw vector has an "other" indicator (rare levels existed in training). */
  readonly hasOther: boolean
  /** Whether the raw vector ends with a missing indicator (training data had blanks). */
  readonly hasMissing: boolean
}

export type ColumnSpec = NumericColumnSpec | CategoricalColumnSpec

/** Why a column was not used. */
export interface DroppedColumn {
  readonly column: string
  readonly reason: 'all_blank' | 'constant'
}

/** A fitted encoder (plain JSON). */
export interface FeatureEncoder {
  readonly columns: readonly ColumnSpec[]
  readonly features: readonly FeatureSpec[]
  readonly dropped: readonly DroppedColumn[]
}

/** Row-major dense matrix. */
export interface Matrix {
  readonly rows: number
  readonly cols: number
  readonly data: Float64Array
}

const SD_EPSILON = 1e-9

const HARRELL_KNOT_QUANTILES: Record<3 | 4 | 5, readonly number[]> = {
  3: [0.1, 0.5, 0.9],
  4: [0.05, 0.35, 0.65, 0.95],
  5: [0.05, 0.275, 0.5, 0.725, 0.95],
}

/**
 * Sample quantile with linear interpolation between order statistics (Hyndman & Fan 1996,
 * type 7, the R and NumPy default): h = (n − 1)·q, Q = x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]).
 * `sorted` must be ascending and non-empty.
 */
export const quantileSorted = (sorted: ArrayLike<number>, q: number): number => {
  const n = sorted.length
  if (n === 0) throw new RangeError('quantile of an empty sample')
  const h = (n - 1) * Math.min(1, Math.max(0, q))
  const lo = Math.floor(h)
  const hi = Math.min(n - 1, lo + 1)
  const a = sorted[lo] as number
  const b = sorted[hi] as number
  return a + (h - lo) * (b - a)
}

/**
 * Restricted (natural) cubic spline basis of Stone & Koo (1985) in the parameterisation of
 * Harrell, Regression Modeling Strategies (2nd ed., §2.4.5): with knots t_1 < … < t_k, for
 * j = 1 … k−2
 *   h_j(x) = [(x − t_j)₊³ − (x − t_{k−1})₊³ (t_k − t_j)/(t_k − t_{k−1})
 *            + (x − t_k)₊³ (t_{k−1} − t_j)/(t_k − t_{k−1})] / (t_k − t_1)²,
 * which is cubic between knots and linear beyond the outer knots. Together with x itself this
 * gives k − 1 terms. Returns the k − 2 nonlinear terms.
 */
export const restrictedCubicSplineBasis = (x: number, knots: readonly number[]): number[] => {
  const k = knots.length
  if (k < 3) return []
  const tk = knots[k - 1] as number
  const tk1 = knots[k - 2] as number
  const t1 = knots[0] as number
  const norm = (tk - t1) * (tk - t1)
  const out: number[] = []
  for (let j = 0; j < k - 2; j++) out.push(splineTerm(x, knots[j] as number, tk1, tk) / norm)
  return out
}

const cube = (v: number): number => (v > 0 ? v * v * v : 0)

/** The unnormalised j-th term of the restricted cubic spline basis (knot tj). */
const splineTerm = (x: number, tj: number, tk1: number, tk: number): number =>
  cube(x - tj) - (cube(x - tk1) * (tk - tj)) / (tk - tk1) + (cube(x - tk) * (tk1 - tj)) / (tk - tk1)

const meanSd = (values: readonly number[]): { mean: number; sd: number } => {
  const n = values.length
  let sum = 0
  for (let i = 0; i < n; i++) sum += values[i] as number
  const mean = n > 0 ? sum / n : 0
  let ss = 0
  for (let i = 0; i < n; i++) {
    const d = (values[i] as number) - mean
    ss += d * d
  }
  return { mean, sd: n > 0 ? Math.sqrt(ss / n) : 0 }
}

/** Sample skewness g1 = m3 / m2^(3/2) (population moments). Zero for constant samples. */
const skewness = (values: readonly number[]): number => {
  const { mean, sd } = meanSd(values)
  if (sd < SD_EPSILON) return 0
  let m3 = 0
  for (const v of values) m3 += (v - mean) ** 3
  return m3 / values.length / sd ** 3
}

const listed = (option: 'auto' | 'none' | readonly string[] | undefined, column: string) =>
  option === undefined || option === 'auto'
    ? null
    : option === 'none'
      ? false
      : option.includes(column)

/** Columns in order of first appearance across rows. */
const columnNames = (rows: readonly DataRow[]): string[] => {
  const seen = new Set<string>()
  const out: string[] = []
  for (const row of rows)
    for (const key of Object.keys(row))
      if (!seen.has(key)) {
        seen.add(key)
        out.push(key)
      }
  return out
}

const transformNumeric = (spec: NumericColumnSpec, raw: number | null): number => {
  const v = raw ?? spec.impute
  return spec.log ? Math.log1p(Math.max(0, v)) : v
}

/**
 * Raw (unstandardised) feature vector of one cell for a column spec. Numeric:
 * [t, h_1(t) … h_{k−2}(t), missing?] with t the imputed (and possibly logged) value;
 * categorical: [one indicator per level, other?, missing?]. Feature specs point into it by slot.
 */
export const rawCellFeatures = (spec: ColumnSpec, cell: CellValue): number[] => {
  const out = new Float64Array(cellFeatureCount(spec))
  writeCellFeatures(spec, cell, out, 0)
  return Array.from(out)
}

/** How many raw features {@link rawCellFeatures} gives for a column spec. */
export const cellFeatureCount = (spec: ColumnSpec): number =>
  spec.kind === 'numeric'
    ? 1 + Math.max(0, spec.knots.length - 2) + (spec.hasMissing ? 1 : 0)
    : spec.levels.length + (spec.hasOther ? 1 : 0) + (spec.hasMissing ? 1 : 0)

/**
 * {@link rawCellFeatures} written into `out` from index `at`, without allocating (the scoring
 * of a million rows calls it for every cell). Returns the number of features written.
 */
export const writeCellFeatures = (
  spec: ColumnSpec,
  cell: CellValue,
  out: Float64Array,
  at: number,
): number => {
  let n = at
  if (spec.kind === 'numeric') {
    const num = parseNumericCell(cell)
    const t = transformNumeric(spec, num)
    out[n++] = t
    const knots = spec.knots
    const k = knots.length
    if (k >= 3) {
      const tk = knots[k - 1] as number
      const tk1 = knots[k - 2] as number
      const t1 = knots[0] as number
      const norm = (tk - t1) * (tk - t1)
      for (let j = 0; j < k - 2; j++) out[n++] = splineTerm(t, knots[j] as number, tk1, tk) / norm
    }
    if (spec.hasMissing) out[n++] = num === null ? 1 : 0
    return n - at
  }
  const cat = categoryOf(cell)
  let known = false
  for (const level of spec.levels) {
    const hit = cat === level
    if (hit) known = true
    out[n++] = hit ? 1 : 0
  }
  if (spec.hasOther) out[n++] = cat !== null && !known ? 1 : 0
  if (spec.hasMissing) out[n++] = cat === null ? 1 : 0
  return n - at
}

/**
 * Fits the encoder on training rows.
 *
 * * Column type: a column is numeric when every non-blank cell parses as a number
 *   ({@link parseNumericCell}), otherwise categorical; `options.numeric`/`categorical` override.
 * * Numeric: blanks imputed with the training median plus a 0/1 "missing" indicator (only if
 *   the training data had blanks); optional `log1p`; optional restricted cubic spline terms
 *   (knots at Harrell's quantiles of the observed values, duplicates removed, at least 3).
 * * Categorical: one indicator per level seen at least `minLevelCount` times (at most
 *   `maxLevels`, most frequent first, ties by text), an "other" indicator for the rest and for
 *   unseen levels at scoring time, and a "missing" indicator for blanks. No reference level is
 *   dropped: the L2 penalty keeps the fit identifiable and every level gets its own coefficient.
 * * Every feature is standardised, z = (r − mean) / sd with training mean and population sd,
 *   so that a coefficient times z is the contribution relative to the average training row.
 *   Features with sd < 1e-9 are dropped; a column left without features is reported as
 *   `constant` (or `all_blank`).
 */
export const fitFeatureEncoder = (
  rows: readonly DataRow[],
  excludedColumns: readonly string[],
  options: EncoderOptions = {},
): FeatureEncoder => {
  const minLevelCount = options.minLevelCount ?? 5
  const maxLevels = options.maxLevels ?? 50
  const splineKnots = options.splineKnots ?? 4
  const excluded = new Set([...excludedColumns, ...(options.exclude ?? [])])
  const columns: ColumnSpec[] = []
  const features: FeatureSpec[] = []
  const dropped: DroppedColumn[] = []

  for (const name of columnNames(rows)) {
    if (excluded.has(name)) continue
    const cells = rows.map((r) => r[name])
    const present = cells.filter((c) => !isBlank(c))
    if (present.length === 0) {
      dropped.push({ column: name, reason: 'all_blank' })
      continue
    }
    const hasBlank = present.length < cells.length
    const forcedNumeric = options.numeric?.includes(name) ?? false
    const forcedCategorical = options.categorical?.includes(name) ?? false
    const parsed = cells.map(parseNumericCell)
    const autoNumeric = present.every((c) => parseNumericCell(c) !== null)
    const isNumeric = forcedNumeric || (!forcedCategorical && autoNumeric)

    let spec: ColumnSpec
    const candidates: { name: string; role: FeatureRole; level?: string }[] = []
    if (isNumeric) {
      const observed = parsed.filter((v): v is number => v !== null)
      if (observed.length === 0) {
        dropped.push({ column: name, reason: 'all_blank' })
        continue
      }
      const sorted = Float64Array.from(observed).sort()
      const impute = quantileSorted(sorted, 0.5)
      const nonNegative = (sorted[0] as number) >= 0
      const logChoice = listed(options.logTransform, name)
      const log = nonNegative && (logChoice === null ? skewness(observed) > 2 : logChoice)
      const tSorted = log ? sorted.map((v) => Math.log1p(v)) : sorted
      const distinct = new Set(observed).size
      const splineChoice = listed(options.splines, name)
      let knots: number[] = []
      if (splineChoice === true || (splineChoice === null && distinct >= 10)) {
        knots = [
          ...new Set(HARRELL_KNOT_QUANTILES[splineKnots].map((q) => quantileSorted(tSorted, q))),
        ]
        if (knots.length < 3) knots = []
      }
      spec = { kind: 'numeric', name, impute, log, knots, hasMissing: hasBlank }
      candidates.push({ name, role: 'value' })
      for (let j = 1; j <= knots.length - 2; j++)
        candidates.push({ name: `${name}__spline${j}`, role: 'spline' })
      if (hasBlank) candidates.push({ name: `${name}__missing`, role: 'missing' })
    } else {
      const counts = new Map<string, number>()
      for (const c of cells) {
        const cat = categoryOf(c)
        if (cat !== null) counts.set(cat, (counts.get(cat) ?? 0) + 1)
      }
      const levels = [...counts.entries()]
        .filter(([, n]) => n >= minLevelCount)
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        .slice(0, maxLevels)
        .map(([level]) => level)
      const hasOther = counts.size > levels.length
      spec = { kind: 'categorical', name, levels, hasOther, hasMissing: hasBlank }
      for (const level of levels)
        candidates.push({ name: `${name}=${level}`, role: 'level', level })
      if (hasOther) candidates.push({ name: `${name}__other`, role: 'other' })
      if (hasBlank) candidates.push({ name: `${name}__missing`, role: 'missing' })
    }

    // Welford's online mean and variance (Knuth, TAOCP vol. 2, §4.2.2), stable for large means.
    const width = candidates.length
    const means = new Float64Array(width)
    const m2 = new Float64Array(width)
    let count = 0
    for (const c of cells) {
      const raw = rawCellFeatures(spec, c)
      count++
      for (let k = 0; k < width; k++) {
        const v = raw[k] as number
        const delta = v - (means[k] as number)
        means[k] = (means[k] as number) + delta / count
        m2[k] = (m2[k] as number) + delta * (v - (means[k] as number))
      }
    }
    const kept: FeatureSpec[] = []
    for (let k = 0; k < width; k++) {
      const candidate = candidates[k] as (typeof candidates)[number]
      const mean = means[k] as number
      const sd = Math.sqrt((m2[k] as number) / count)
      if (sd >= SD_EPSILON * Math.max(1, Math.abs(mean)))
        kept.push({ ...candidate, column: name, slot: k, center: mean, scale: sd })
    }
    if (kept.length === 0) {
      dropped.push({ column: name, reason: 'constant' })
      continue
    }
    columns.push(spec)
    features.push(...kept)
  }
  return { columns, features, dropped }
}

/**
 * Encodes rows with a fitted encoder: feature j of row i is (r_ij − center_j) / scale_j, where
 * r_ij is computed exactly as during fitting (median imputation, log1p, spline basis,
 * indicators; unseen levels count as "other"). Columns absent from a row are blanks.
 */
export const encodeRows = (encoder: FeatureEncoder, rows: readonly DataRow[]): Matrix =>
  encodeCells(encoder, rows.length, (name) => (i) => (rows[i] as DataRow)[name])

/**
 * {@link encodeRows} of `n` rows whose cells come from `cellsOf(column)(i)` rather than from row
 * objects: a caller holding its data in another shape (a million customer summaries) encodes
 * it without building a row per customer.
 */
export const encodeCells = (
  encoder: FeatureEncoder,
  n: number,
  cellsOf: (column: string) => (i: number) => CellValue,
): Matrix => {
  const p = encoder.features.length
  const data = new Float64Array(n * p)
  const byColumn = encoder.columns.map((spec) => ({
    spec,
    features: encoder.features
      .map((feature, index) => ({ feature, index }))
      .filter(({ feature }) => feature.column === spec.name),
  }))
  const raw = new Float64Array(Math.max(1, ...encoder.columns.map(cellFeatureCount)))
  // Column by column: each pass reads one column of every row.
  for (const { spec, features } of byColumn) {
    const cellAt = cellsOf(spec.name)
    const slot = Int32Array.from(features, (f) => f.feature.slot)
    const index = Int32Array.from(features, (f) => f.index)
    const center = Float64Array.from(features, (f) => f.feature.center)
    const scale = Float64Array.from(features, (f) => f.feature.scale)
    for (let i = 0; i < n; i++) {
      writeCellFeatures(spec, cellAt(i), raw, 0)
      const off = i * p
      for (let k = 0; k < slot.length; k++)
        data[off + (index[k] as number)] =
          ((raw[slot[k] as number] as number) - (center[k] as number)) / (scale[k] as number)
    }
  }
  return { rows: n, cols: p, data }
}
