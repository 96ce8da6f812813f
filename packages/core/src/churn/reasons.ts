/**
 * Why a customer is at risk: additive per-column contributions of the logistic model and
 * their translation into short phrases in Italian and English.
 */
import { applyCalibration } from './calibration.ts'
import { rawCellFeatures } from './encoder.ts'
import type { ColumnSpec, FeatureSpec } from './encoder.ts'
import type { ChurnModel } from './model.ts'
import { categoryOf, parseNumericCell } from './table.ts'
import type { CellValue, DataRow } from './table.ts'
import type { Lang, LocalizedText } from './text.ts'

/** Contribution of one source column to a row's churn logit. */
export interface ChurnContribution {
  readonly column: string
  readonly kind: 'numeric' | 'categorical'
  /**
   * Σ over the column's features of coefficient × standardised value, i.e. how much this
   * column moves the log-odds away from the average training row. Positive raises the risk.
   */
  readonly contribution: number
  /** The row's cell as given. */
  readonly value: CellValue
  /** True when the cell was blank (imputed / "missing" indicator). */
  readonly missing: boolean
  /**
   * Numeric columns: whether the (possibly log-transformed) value is above or below the
   * training mean; `null` for categorical or missing cells.
   */
  readonly direction: 'high' | 'low' | null
}

/** Additive explanation of one row's score. */
export interface ChurnExplanation {
  readonly id: string | null
  /** Model logit = baselineLogit + Σ contributions. */
  readonly logit: number
  /** Calibrated probability of churn. */
  readonly probability: number
  /** Logit of the average training row (the model intercept). */
  readonly baselineLogit: number
  /** Calibrated probability of the average training row. */
  readonly baselineProbability: number
  /** One entry per model column, largest contribution first. */
  readonly contributions: readonly ChurnContribution[]
  /** The row's cells for the model's columns, for phrases that combine columns. */
  readonly values: Readonly<Record<string, CellValue>>
}

/**
 * Explains a row. Because every feature is standardised with training statistics, the logit
 * decomposes exactly as η = b + Σ_j w_j z_j with z_j = (r_j − mean_j)/sd_j, and the
 * contribution of a source column c is Σ_{j ∈ c} w_j z_j: the change in log-odds relative to
 * the average training row (whose z = 0 and logit = b). This is the exact SHAP value of a
 * linear model with independent features and the training mean as background (Lundberg &
 * Lee 2017, "A unified approach to interpreting model predictions", Corollary 1). Spline and
 * missing-indicator terms are summed into their column; one-hot levels likewise.
 */
export const explainChurnRow = (model: ChurnModel, row: DataRow): ChurnExplanation => {
  const byColumn = new Map<string, { feature: FeatureSpec; weight: number }[]>()
  model.encoder.features.forEach((feature, j) => {
    const list = byColumn.get(feature.column) ?? []
    list.push({ feature, weight: model.coefficients[j] ?? 0 })
    byColumn.set(feature.column, list)
  })
  const contributions: ChurnContribution[] = []
  const values: Record<string, CellValue> = {}
  let logit = model.intercept
  for (const spec of model.encoder.columns) {
    const cell = row[spec.name]
    values[spec.name] = cell
    const raw = rawCellFeatures(spec, cell)
    let contribution = 0
    let direction: 'high' | 'low' | null = null
    for (const { feature, weight } of byColumn.get(spec.name) ?? []) {
      const z = ((raw[feature.slot] as number) - feature.center) / feature.scale
      contribution += weight * z
      if (feature.role === 'value') direction = z >= 0 ? 'high' : 'low'
    }
    const missing = isMissingFor(spec, cell)
    logit += contribution
    contributions.push({
      column: spec.name,
      kind: spec.kind,
      contribution,
      value: cell,
      missing,
      direction: spec.kind === 'numeric' && !missing ? direction : null,
    })
  }
  contributions.sort((a, b) => b.contribution - a.contribution || (a.column < b.column ? -1 : 1))
  return {
    id: categoryOf(row[model.idColumn]),
    logit,
    probability: applyCalibration(model.calibration, logit),
    baselineLogit: model.intercept,
    baselineProbability: applyCalibration(model.calibration, model.intercept),
    contributions,
    values,
  }
}

const isMissingFor = (spec: ColumnSpec, cell: CellValue): boolean =>
  spec.kind === 'numeric' ? parseNumericCell(cell) === null : categoryOf(cell) === null

/** What a phrase builder returns: the text, and columns it already talks about. */
export interface ReasonPhrase {
  readonly text: LocalizedText
  /** Other columns this phrase already mentions; they are not repeated as separate reasons. */
  readonly covers?: readonly string[]
}

/** Builds a phrase for one column's contribution; `null` falls back to the generic phrase. */
export type ReasonPhraser = (
  contribution: ChurnContribution,
  values: Readonly<Record<string, CellValue>>,
) => ReasonPhrase | null

/** One human-readable reason. */
export interface ChurnReason {
  readonly column: string
  readonly contribution: number
  readonly text: LocalizedText
}

/** Options for {@link describeChurnReasons}. */
export interface DescribeReasonsOptions {
  /** At most this many reasons. Default 3. */
  readonly max?: number
  /** Ignore contributions below this many logit units (0.05 ≈ +5 % odds). Default 0.05. */
  readonly minContribution?: number
  /** Display names of generic columns (default: the column name). */
  readonly labels?: Readonly<Record<string, LocalizedText>>
  /** Extra or replacement phrase builders by column name (merged over the domain ones). */
  readonly phrases?: Readonly<Record<string, ReasonPhraser>>
}

const SEPARATORS: Record<Lang, { decimal: string; group: string }> = {
  it: { decimal: ',', group: '.' },
  en: { decimal: '.', group: ',' },
}

/**
 * Formats a number for a sentence: at most `decimals` decimals (trailing zeros removed),
 * thousands grouped, Italian "1.234,5" / English "1,234.5". Pure: no `Intl` locale data, so the
 * text is the same on every runtime.
 */
export const formatReasonNumber = (value: number, lang: Lang, decimals = 1): string => {
  if (!Number.isFinite(value)) return String(value)
  // The common case in reasons: a small whole number, as is.
  if (Number.isInteger(value) && value >= 0 && value < 1000) return String(value)
  const { decimal, group } = SEPARATORS[lang]
  const factor = 10 ** decimals
  const rounded = Math.round(Math.abs(value) * factor) / factor
  const [intPart = '0', fracPart = ''] = rounded.toFixed(decimals).split('.')
  const grouped = intPart.replace(/\B(?=(\d{3})+(?!\d))/g, group)
  const frac = fracPart.replace(/0+$/, '')
  const sign = value < 0 && rounded !== 0 ? '−' : ''
  return `${sign}${grouped}${frac === '' ? '' : decimal + frac}`
}

const num = (values: Readonly<Record<string, CellValue>>, column: string): number | null =>
  parseNumericCell(values[column])

const both = (it: string, en: string): ReasonPhrase => ({ text: { it, en } })
const n0 = (x: number, lang: Lang): string => formatReasonNumber(Math.round(x), lang, 0)
const pct = (x: number, lang: Lang): string => `${formatReasonNumber(Math.abs(x) * 100, lang, 0)}%`

/**
 * Phrases for the per-customer features the Fedele server computes. Expected meaning of each
 * column (the server must follow it for the phrases to be true):
 *
 * | column | meaning |
 * |---|---|
 * | recency_days | days since the last order (blank: never ordered) |
 * | usual_gap_days | typical days between orders (e.g. median inter-order gap) |
 * | frequency | number of orders |
 * | monetary | average (or total) spend; phrased only as low/high, no amount |
 * | tenure_days | days since the first order / sign-up |
 * | spend_trend | relative change of spend, recent vs previous window: −0.35 = −35 % |
 * | gap_trend | relative change of the gap between orders: +0.4 = gaps 40 % longer |
 * | p_alive | probability the customer is still active (0–1, e.g. BG/NBD) |
 * | tickets | support tickets in the window |
 * | unresolved_tickets | tickets still open |
 * | last_nps | last NPS answer, 0–10 (blank: never answered) |
 * | last_csat | last CSAT answer, 1–5 (blank: never answered) |
 * | plan | current plan or subscription tier (categorical) |
 * | plan_changes | number of plan changes |
 */
export const DOMAIN_REASON_PHRASES: Readonly<Record<string, ReasonPhraser>> = {
  recency_days: (c, values) => {
    if (c.missing) return both('non ha mai ordinato', 'has never ordered')
    const days = num(values, 'recency_days')
    if (days === null) return null
    const gap = num(values, 'usual_gap_days')
    const it = `nessun ordine da ${n0(days, 'it')} ${Math.round(days) === 1 ? 'giorno' : 'giorni'}`
    const en = `no order for ${n0(days, 'en')} ${Math.round(days) === 1 ? 'day' : 'days'}`
    if (gap === null || gap <= 0) return both(it, en)
    return {
      text: {
        it: `${it}, di solito ogni ${n0(gap, 'it')}`,
        en: `${en}, usually every ${n0(gap, 'en')}`,
      },
      covers: ['usual_gap_days'],
    }
  },
  usual_gap_days: (c, values) => {
    const gap = num(values, 'usual_gap_days')
    if (c.missing || gap === null)
      return both('nessun ritmo di acquisto abituale', 'no regular buying pattern yet')
    return both(
      `di solito ordina solo ogni ${n0(gap, 'it')} giorni`,
      `usually orders only every ${n0(gap, 'en')} days`,
    )
  },
  frequency: (c, values) => {
    const n = num(values, 'frequency')
    if (c.missing || n === null) return null
    const k = Math.round(n)
    if (k === 0) return both('nessun ordine finora', 'no orders so far')
    if (k === 1) return both('un solo ordine finora', 'only 1 order so far')
    return c.direction === 'low'
      ? both(`solo ${n0(k, 'it')} ordini finora`, `only ${n0(k, 'en')} orders so far`)
      : both(`${n0(k, 'it')} ordini finora`, `${n0(k, 'en')} orders so far`)
  },
  monetary: (c) => {
    if (c.missing) return both('nessuna spesa registrata', 'no recorded spend')
    return c.direction === 'low'
      ? both('spende meno del cliente tipico', 'spends less than the typical customer')
      : both('spende più del cliente tipico', 'spends more than the typical customer')
  },
  tenure_days: (c, values) => {
    const d = num(values, 'tenure_days')
    if (c.missing || d === null) return null
    const days = Math.round(d) === 1 ? ['giorno', 'day'] : ['giorni', 'days']
    return c.direction === 'low'
      ? both(
          `cliente da soli ${n0(d, 'it')} ${days[0]}`,
          `customer for only ${n0(d, 'en')} ${days[1]}`,
        )
      : both(`cliente da ${n0(d, 'it')} ${days[0]}`, `customer for ${n0(d, 'en')} ${days[1]}`)
  },
  spend_trend: (c, values) => {
    const t = num(values, 'spend_trend')
    if (c.missing || t === null) return null
    if (Math.round(t * 100) === 0)
      return both('spesa ferma rispetto al periodo precedente', 'spend flat on the previous period')
    return t < 0
      ? both(
          `spesa in calo del ${pct(t, 'it')} rispetto al periodo precedente`,
          `spend down ${pct(t, 'en')} on the previous period`,
        )
      : both(
          `spesa in aumento del ${pct(t, 'it')} rispetto al periodo precedente`,
          `spend up ${pct(t, 'en')} on the previous period`,
        )
  },
  gap_trend: (c, values) => {
    const t = num(values, 'gap_trend')
    if (c.missing || t === null) return null
    if (Math.round(t * 100) === 0)
      return both('ritmo degli ordini invariato', 'ordering rhythm unchanged')
    return t > 0
      ? both(
          `ordini sempre più distanziati (+${pct(t, 'it')})`,
          `orders further and further apart (+${pct(t, 'en')})`,
        )
      : both(
          `ordini più ravvicinati (−${pct(t, 'it')})`,
          `orders closer together (−${pct(t, 'en')})`,
        )
  },
  p_alive: (c, values) => {
    const p = num(values, 'p_alive')
    if (c.missing || p === null) return null
    return c.direction === 'low'
      ? both(
          `solo il ${pct(p, 'it')} di probabilità che sia ancora attivo`,
          `only a ${pct(p, 'en')} chance of still being active`,
        )
      : both(
          `${pct(p, 'it')} di probabilità che sia ancora attivo`,
          `${pct(p, 'en')} chance of still being active`,
        )
  },
  tickets: (c, values) => {
    const n = num(values, 'tickets')
    if (c.missing || n === null) return null
    const k = Math.round(n)
    return k === 1
      ? both('1 ticket di assistenza', '1 support ticket')
      : both(`${n0(k, 'it')} ticket di assistenza`, `${n0(k, 'en')} support tickets`)
  },
  unresolved_tickets: (c, values) => {
    const n = num(values, 'unresolved_tickets')
    if (c.missing || n === null) return null
    const k = Math.round(n)
    if (k === 0) return both('nessun ticket aperto', 'no open tickets')
    return k === 1
      ? both('1 ticket non risolto', '1 unresolved ticket')
      : both(`${n0(k, 'it')} ticket non risolti`, `${n0(k, 'en')} unresolved tickets`)
  },
  last_nps: (c, values) => {
    if (c.missing)
      return both('non ha mai risposto al sondaggio NPS', 'never answered the NPS survey')
    const s = num(values, 'last_nps')
    if (s === null) return null
    return both(
      `ha risposto ${n0(s, 'it')}/10 all'ultimo sondaggio`,
      `answered ${n0(s, 'en')}/10 to the last survey`,
    )
  },
  last_csat: (c, values) => {
    if (c.missing) return both('nessuna valutazione di soddisfazione', 'no satisfaction rating')
    const s = num(values, 'last_csat')
    if (s === null) return null
    return both(
      `ha dato ${formatReasonNumber(s, 'it')}/5 all'ultima valutazione di soddisfazione`,
      `rated ${formatReasonNumber(s, 'en')}/5 in the last satisfaction survey`,
    )
  },
  plan: (c) => {
    const plan = categoryOf(c.value)
    // "none" is how the server's features say "no active subscription".
    if (plan === null || plan === 'none')
      return both('nessun abbonamento attivo', 'no active subscription')
    return both(`ha il piano ${plan}`, `on the ${plan} plan`)
  },
  plan_changes: (c, values) => {
    const n = num(values, 'plan_changes')
    if (c.missing || n === null) return null
    const k = Math.round(n)
    if (k === 0) return both('non ha mai cambiato piano', 'never changed plan')
    return k === 1
      ? both('ha cambiato piano una volta', 'changed plan once')
      : both(`ha cambiato piano ${n0(k, 'it')} volte`, `changed plan ${n0(k, 'en')} times`)
  },
}

/**
 * Generic phrase for a column without a specific builder: categorical
 * "Contract = Month-to-month raises the risk" / "Contract = Month-to-month aumenta il rischio";
 * numeric "tenure = 2 (low) raises the risk" / "tenure = 2 (valore basso) aumenta il rischio";
 * blank "TotalCharges missing raises the risk" / "TotalCharges mancante aumenta il rischio".
 */
export const genericReasonPhrase = (c: ChurnContribution, label: LocalizedText): LocalizedText => {
  if (c.missing)
    return {
      it: `${label.it} mancante aumenta il rischio`,
      en: `${label.en} missing raises the risk`,
    }
  if (c.kind === 'categorical') {
    const level = categoryOf(c.value) ?? ''
    return {
      it: `${label.it} = ${level} aumenta il rischio`,
      en: `${label.en} = ${level} raises the risk`,
    }
  }
  const v = parseNumericCell(c.value) ?? 0
  const [it, en] = c.direction === 'low' ? ['valore basso', 'low'] : ['valore alto', 'high']
  return {
    it: `${label.it} = ${formatReasonNumber(v, 'it', 2)} (${it}) aumenta il rischio`,
    en: `${label.en} = ${formatReasonNumber(v, 'en', 2)} (${en}) raises the risk`,
  }
}

/**
 * Turns the largest positive contributions of an explanation into phrases (Italian and
 * English). Columns are taken in decreasing contribution while contribution ≥
 * `minContribution`, up to `max`; domain columns ({@link DOMAIN_REASON_PHRASES}, or
 * `options.phrases`) get specific phrases, others {@link genericReasonPhrase}. A phrase that
 * already mentions another column (e.g. recency with the usual gap) suppresses that column, and
 * takes its place when that column comes first (the reason then carries both contributions).
 */
export const describeChurnReasons = (
  explanation: ChurnExplanation,
  options: DescribeReasonsOptions = {},
): ChurnReason[] => {
  const max = options.max ?? 3
  const minContribution = options.minContribution ?? 0.05
  const phrases = { ...DOMAIN_REASON_PHRASES, ...(options.phrases ?? {}) }
  const covered = new Set<string>()
  const out: ChurnReason[] = []
  // Each column's phrase is built at most once: finding coverers asks for several of them.
  const built = new Map<ChurnContribution, ReasonPhrase | null>()
  const phraseOf = (x: ChurnContribution): ReasonPhrase | null => {
    let phrase = built.get(x)
    if (phrase === undefined) {
      const phraser = phrases[x.column]
      phrase = phraser === undefined ? null : phraser(x, explanation.values)
      built.set(x, phrase)
    }
    return phrase
  }
  for (const c of explanation.contributions) {
    if (out.length >= max || c.contribution < minContribution) break
    if (covered.has(c.column)) continue
    // A weaker column whose phrase mentions this one speaks for both, here (the usual gap
    // first, then recency, reads as one reason: "no order for 142 days, usually every 35").
    const coverer = explanation.contributions.find(
      (o) =>
        o !== c &&
        o.contribution >= minContribution &&
        !covered.has(o.column) &&
        (phraseOf(o)?.covers ?? []).includes(c.column),
    )
    const speaker = coverer ?? c
    const phrase = phraseOf(speaker)
    const label = options.labels?.[speaker.column] ?? { it: speaker.column, en: speaker.column }
    const text = phrase?.text ?? genericReasonPhrase(speaker, label)
    for (const other of phrase?.covers ?? []) covered.add(other)
    covered.add(c.column)
    covered.add(speaker.column)
    out.push({
      column: speaker.column,
      contribution: c.contribution + (coverer ? coverer.contribution : 0),
      text,
    })
  }
  return out
}
