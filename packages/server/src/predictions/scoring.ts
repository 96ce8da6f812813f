import {
  applyCalibration,
  categoryOf,
  encodeCells,
  parseNumericCell,
  type CellValue,
  type ChurnModel,
  type DataRow,
} from '@fedele/core/churn'
import { gammaGammaExpectedValue } from '@fedele/core/models'
import {
  CHURN_FEATURE_CELLS,
  formulaClv,
  rfmOf,
  spendOf,
  UNIT_DAYS,
  valueTiers,
  type CustomerSummary,
  type ValueTier,
} from '@fedele/core/predictions'
import {
  at,
  emptyScoreColumns,
  METHOD_FORMULA,
  METHOD_MODEL,
  METHODS,
  put,
  SCORE_SLICE,
  scoreTexts,
  VALUE_TIERS,
  type ScoreColumns,
} from './columnar.ts'
import {
  customerBaseGrid,
  GRID_VALUES,
  PHRASE_CONTEXT,
  STORED_TOP,
  type ClvFit,
  type PipelineSettings,
} from './models.ts'

/**
 * Scoring a whole customer base: per customer P(alive), expected purchases, expected order
 * value, CLV (model or formula), expected next order, churn risk and the stored form of its
 * reasons (StoredChurnReasons), value tier. The result is columnar (ScoreColumns) from the
 * start: a million customers become a few typed arrays and one UTF-8 buffer of reason texts,
 * not a million objects and strings for the garbage collector to trace (which cost a third of
 * the scoring time when it built them), and the same columns cross to the main thread and go
 * into the write.
 */

/** The furthest expected next order stored; later ones are stored as none. */
const NEXT_ORDER_MAX_DAYS = 3650

/** One customer's scores as a row (tests, small callers); the pipeline keeps them as columns. */
export type CustomerScore = {
  customerId: number
  pAlive: number | null
  expectedPurchases30: number | null
  expectedPurchases90: number | null
  expectedPurchases365: number | null
  expectedAovMinor: number | null
  clvMinor: number | null
  clvMethod: 'model' | 'formula' | null
  nextOrderAt: Date | null
  churnRisk: number | null
  /** StoredChurnReasons as JSON text ('[]' when not scored for churn); renderChurnReasons
   * gives the sentences. */
  churnReasons: string
  valueTier: ValueTier | null
}

/**
 * Scores every customer at `now`: customer-base quantities and CLV from the fitted models (or
 * the formula CLV when they could not be fitted), churn risk and its reasons, value tiers.
 */
export function scoreColumns(
  summaries: readonly CustomerSummary[],
  now: Date,
  clv: ClvFit,
  churn: ChurnModel | null,
  settings: PipelineSettings,
): ScoreColumns {
  const n = summaries.length
  const nowDay = Math.floor(now.getTime() / 86_400_000)
  const u = UNIT_DAYS[settings.unit]
  const months = Math.max(1, Math.round(settings.clvHorizonDays / 30))
  const monthlyDiscount = (1 + settings.annualDiscountRate) ** (30 / 365) - 1
  const grid = clv.ok ? customerBaseGrid(clv.model, u, months, monthlyDiscount) : null
  const gammaGamma = clv.ok ? clv.spend.params : null
  const explain = churn ? churnScorer(churn) : null
  const formula = {
    horizonDays: settings.clvHorizonDays,
    activityWindowDays: settings.activityWindowDays,
    monthlyDiscountRate: monthlyDiscount,
    margin: settings.margin,
  }
  const nowMs = now.getTime()
  const out = emptyScoreColumns(n)
  const v = out.numbers
  const texts = new ReasonTexts(out)
  const cell = new Float64Array(GRID_VALUES)
  for (let start = 0; start < n; start += SCORE_SLICE) {
    const end = Math.min(start + SCORE_SLICE, n)
    for (let i = start; i < end; i++) {
      const s = summaries[i] as CustomerSummary
      put(v.customerId, i, s.customerId)
      const rfm = rfmOf(s, nowDay, settings.unit)
      if (!rfm) {
        v.expectedAovMinor.nulls[i] = v.clvMinor.nulls[i] = v.pAlive.nulls[i] = 1
        v.expectedPurchases30.nulls[i] = v.expectedPurchases90.nulls[i] = 1
        v.expectedPurchases365.nulls[i] = 1
        continue
      }
      if (grid && gammaGamma) {
        const pAlive = grid.pAlive(rfm)
        grid.conditional(rfm.x, rfm.T, cell)
        const sp = spendOf(s)
        const aov = gammaGammaExpectedValue(gammaGamma, sp.x, sp.m)
        v.pAlive.values[i] = pAlive
        v.expectedPurchases30.values[i] = (cell[0] as number) * pAlive
        v.expectedPurchases90.values[i] = (cell[1] as number) * pAlive
        v.expectedPurchases365.values[i] = (cell[2] as number) * pAlive
        v.expectedAovMinor.values[i] = Math.round(aov)
        v.clvMinor.values[i] = Math.round(settings.margin * aov * pAlive * (cell[3] as number))
        out.clvMethod[i] = METHOD_MODEL
        const next = grid.next(rfm)
        // Beyond ten years the "expected next order" is no forecast (and would overflow a
        // timestamp for a customer with a near-zero purchase rate): none is stored.
        if (Number.isFinite(next) && next * u <= NEXT_ORDER_MAX_DAYS)
          out.nextOrderAt[i] = Math.round(nowMs + next * u * 86_400_000)
      } else {
        v.pAlive.nulls[i] = v.expectedPurchases30.nulls[i] = v.expectedPurchases90.nulls[i] = 1
        v.expectedPurchases365.nulls[i] = 1
        put(
          v.expectedAovMinor,
          i,
          s.valuedDays > 0 ? Math.round(s.valueMinor / s.valuedDays) : null,
        )
        v.clvMinor.values[i] = Math.round(formulaClv(s, nowDay, formula))
        out.clvMethod[i] = METHOD_FORMULA
      }
    }
    if (explain) {
      const pAlive = v.pAlive
      const cellsOf = (column: string) => {
        const f = CHURN_FEATURE_CELLS[column]
        if (!f) return () => undefined
        return (k: number) =>
          f(
            summaries[start + k] as CustomerSummary,
            nowDay,
            pAlive.nulls[start + k] === 1 ? null : (pAlive.values[start + k] as number),
            100,
          )
      }
      explain(end - start, cellsOf, start, v.churnRisk.values, texts)
    } else {
      v.churnRisk.nulls.fill(1, start, end)
      for (let i = start; i < end; i++) texts.emptyRow(i)
    }
  }
  // Tiers rank the CLV of every scored customer together.
  const clvValues = Float64Array.from(v.clvMinor.values, (x, i) =>
    v.clvMinor.nulls[i] === 1 ? NaN : x,
  )
  valueTiers(clvValues).forEach((tier, i) => {
    if (tier !== null) out.valueTier[i] = VALUE_TIERS.indexOf(tier) + 1
  })
  texts.finish()
  return out
}

/** scoreColumns as one object per customer. */
export function scoreCustomers(
  summaries: readonly CustomerSummary[],
  now: Date,
  clv: ClvFit,
  churn: ChurnModel | null,
  settings: PipelineSettings,
): CustomerScore[] {
  return scoreRows(scoreColumns(summaries, now, clv, churn, settings))
}

/** Columns → one object per customer. */
export function scoreRows(c: ScoreColumns): CustomerScore[] {
  const v = c.numbers
  const texts = scoreTexts(c)
  return Array.from({ length: c.length }, (_, i): CustomerScore => {
    const next = c.nextOrderAt[i] as number
    const tier = c.valueTier[i] as number
    return {
      customerId: at(v.customerId, i) as number,
      pAlive: at(v.pAlive, i),
      expectedPurchases30: at(v.expectedPurchases30, i),
      expectedPurchases90: at(v.expectedPurchases90, i),
      expectedPurchases365: at(v.expectedPurchases365, i),
      expectedAovMinor: at(v.expectedAovMinor, i),
      clvMinor: at(v.clvMinor, i),
      clvMethod: METHODS[c.clvMethod[i] as number] ?? null,
      nextOrderAt: Number.isNaN(next) ? null : new Date(next),
      churnRisk: at(v.churnRisk, i),
      churnReasons: texts.reason(i),
      valueTier: tier === 0 ? null : (VALUE_TIERS[tier - 1] ?? null),
    }
  })
}

/**
 * The churn risk and the stored reasons of rows given as DataRow objects (the same computation
 * as scoring, on another source of cells): what test/predictions/models.test.ts compares with
 * core's explainChurnRow and describeChurnReasons row by row.
 */
export function churnExplainer(model: ChurnModel) {
  const explain = churnScorer(model)
  return (rows: readonly DataRow[]): { probability: number; reasons: string }[] => {
    const c = emptyScoreColumns(rows.length)
    const texts = new ReasonTexts(c)
    for (let start = 0; start < rows.length; start += SCORE_SLICE) {
      const end = Math.min(start + SCORE_SLICE, rows.length)
      const cellsOf = (column: string) => (k: number) => (rows[start + k] as DataRow)[column]
      explain(end - start, cellsOf, start, c.numbers.churnRisk.values, texts)
    }
    texts.finish()
    const read = scoreTexts(c)
    return rows.map((_, i) => ({
      probability: c.numbers.churnRisk.values[i] as number,
      reasons: read.reason(i),
    }))
  }
}

/**
 * Churn risk and stored reasons for `n` rows whose cells come from `cellsOf(column)(k)`
 * (k = 0…n−1), written to `risk[offset + k]` and to the texts: the same probability as core's
 * explainChurnRow, computed from one encoded matrix: contribution of column c =
 * Σ_{j ∈ c} w_j z_j, logit = intercept + Σ_c contribution, probability = calibration(logit).
 */
function churnScorer(model: ChurnModel) {
  const columns = model.encoder.columns
  const m = columns.length
  const p = model.encoder.features.length
  const columnOf = Int32Array.from(model.encoder.features, (f) =>
    columns.findIndex((c) => c.name === f.column),
  )
  const valueFeature = Int32Array.from(columns, (c) =>
    model.encoder.features.findIndex((f) => f.column === c.name && f.role === 'value'),
  )
  const numeric = Uint8Array.from(columns, (c) => (c.kind === 'numeric' ? 1 : 0))
  const head = columns.map((c) =>
    utf8(`[${JSON.stringify(c.name)},"${c.kind === 'numeric' ? 'n' : 'c'}",`),
  )
  const contextHead = PHRASE_CONTEXT.map((name, k) =>
    utf8(`${k > 0 ? ',' : ''}${JSON.stringify(name)}:`),
  )
  const contribution = new Float64Array(m)
  const top = new Int32Array(m)
  return (
    n: number,
    cellsOf: (column: string) => (k: number) => CellValue,
    offset: number,
    risk: Float64Array,
    texts: ReasonTexts,
  ): void => {
    const matrix = encodeCells(model.encoder, n, cellsOf).data
    const cellOf = columns.map((c) => cellsOf(c.name))
    const contextOf = PHRASE_CONTEXT.map((name) => cellsOf(name))
    for (let k = 0; k < n; k++) {
      contribution.fill(0)
      let logit = model.intercept
      const row = k * p
      for (let j = 0; j < p; j++) {
        const w = (matrix[row + j] as number) * (model.coefficients[j] as number)
        const c = columnOf[j] as number
        contribution[c] = (contribution[c] as number) + w
        logit += w
      }
      risk[offset + k] = applyCalibration(model.calibration, logit)
      // The columns with contribution ≥ 0.05, largest first (ties by name), at most STORED_TOP:
      // insertion into a short sorted list.
      let count = 0
      for (let c = 0; c < m; c++) {
        const value = contribution[c] as number
        if (!(value >= 0.05)) continue
        let at = count
        while (at > 0) {
          const before = top[at - 1] as number
          const b = contribution[before] as number
          if (b > value || (b === value && columns[before]!.name < columns[c]!.name)) break
          top[at] = before
          at--
        }
        top[at] = c
        count++
      }
      texts.raw(OPEN)
      for (let t = 0; t < count && t < STORED_TOP; t++) {
        const c = top[t] as number
        const cell = cellOf[c]!(k)
        const isNumeric = numeric[c] === 1
        const missing = isNumeric ? parseNumericCell(cell) === null : categoryOf(cell) === null
        const vf = valueFeature[c] as number
        const direction =
          isNumeric && !missing && vf >= 0 ? ((matrix[row + vf] as number) >= 0 ? 1 : 2) : 0
        if (t > 0) texts.raw(COMMA)
        texts.raw(head[c] as Uint8Array)
        texts.integer(Math.round((contribution[c] as number) * 1e6))
        texts.raw(COMMA)
        texts.cell(cell)
        texts.raw(TAIL[(missing ? 3 : 0) + direction] as Uint8Array)
      }
      texts.raw(CONTEXT)
      for (let t = 0; t < contextHead.length; t++) {
        texts.raw(contextHead[t] as Uint8Array)
        texts.cell(contextOf[t]!(k))
      }
      texts.raw(CLOSE)
      texts.endRow(offset + k)
    }
  }
}

/** The end of a stored reason: `,missing,direction]` for missing 0/1 × direction none/h/l. */
const TAIL = [',0,null]', ',0,"h"]', ',0,"l"]', ',1,null]', ',1,"h"]', ',1,"l"]'].map(utf8)

function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text)
}

/**
 * Writes rows' reason texts straight into a ScoreColumns' reasonBytes as UTF-8, ending row i at
 * reasonEnds[i]: constant parts are copied from encoded bytes, whole numbers written digit by
 * digit, and no string is made per row (a million JSON texts as strings, joined and encoded
 * afterwards, were most of the scoring's memory traffic and garbage).
 */
class ReasonTexts {
  private bytes: Uint8Array
  private used = 0
  private readonly digits = new Uint8Array(24)
  private readonly encoder = new TextEncoder()

  constructor(private readonly out: ScoreColumns) {
    // About 200 bytes a scored row; grown when needed.
    this.bytes = new Uint8Array(Math.max(1024, out.length * 180))
  }

  private room(extra: number): void {
    if (this.used + extra <= this.bytes.length) return
    const grown = new Uint8Array(Math.max(this.used + extra, Math.ceil(this.bytes.length * 1.5)))
    grown.set(this.bytes.subarray(0, this.used))
    this.bytes = grown
  }

  raw(part: Uint8Array): void {
    this.room(part.length)
    // The parts are a few bytes long: a loop beats `set`'s call.
    const bytes = this.bytes
    let used = this.used
    for (let k = 0; k < part.length; k++) bytes[used++] = part[k] as number
    this.used = used
  }

  /** A text known to be ASCII (number formats, JSON keywords). */
  private ascii(text: string): void {
    this.room(text.length)
    for (let k = 0; k < text.length; k++) this.bytes[this.used++] = text.charCodeAt(k)
  }

  /** A whole number of magnitude below 2⁵³, as JSON. */
  integer(n: number): void {
    this.room(17)
    if (n < 0) {
      this.bytes[this.used++] = 45 // '-'
      n = -n
    }
    let k = 0
    do {
      const q = Math.floor(n / 10)
      this.digits[k++] = 48 + (n - q * 10)
      n = q
    } while (n > 0)
    while (k > 0) this.bytes[this.used++] = this.digits[--k] as number
  }

  /** A cell as JSON (cells are numbers, strings, booleans or blank). */
  cell(cell: CellValue): void {
    if (typeof cell === 'number') {
      if (!Number.isFinite(cell)) this.ascii('null')
      else if (Number.isInteger(cell) && Math.abs(cell) < 2 ** 53) this.integer(cell)
      else this.ascii(String(cell))
    } else if (cell === null || cell === undefined) this.ascii('null')
    else if (typeof cell === 'boolean') this.ascii(cell ? 'true' : 'false')
    else {
      const json = JSON.stringify(cell)
      // A UTF-16 unit takes at most 3 UTF-8 bytes.
      this.room(json.length * 3)
      this.used += this.encoder.encodeInto(json, this.bytes.subarray(this.used)).written
    }
  }

  emptyRow(i: number): void {
    this.raw(EMPTY)
    this.endRow(i)
  }

  endRow(i: number): void {
    this.out.reasonEnds[i] = this.used
  }

  finish(): void {
    this.out.reasonBytes = this.bytes.subarray(0, this.used)
  }
}

const EMPTY = utf8('[]')
const OPEN = utf8('{"v":2,"top":[')
const COMMA = utf8(',')
const CONTEXT = utf8('],"ctx":{')
const CLOSE = utf8('}}')
