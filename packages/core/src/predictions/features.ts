/**
 * Per-customer inputs of the prediction pipeline, from summaries the server reads out of the
 * analytics replica: the customer-base models' (x, t_x, T) and spend (x, m), the churn model's
 * feature row (column names as `DOMAIN_REASON_PHRASES` of ../churn/reasons.ts expects, so the
 * reasons read true), the churn label, the formula CLV used when the models cannot be fitted, and
 * value tiers. Pure: times are whole day numbers (days since 1970-01-01 UTC) given by the caller.
 */
import type { CellValue, DataRow } from '../churn/table.ts'
import type { RfmCustomer, SpendCustomer } from '../models/rfm.ts'
import { valueTiersOf, type ValueTierId } from '../segments/value-tiers.ts'

/** What the replica knows of one customer at a cut-off day c (only facts before c). */
export interface CustomerSummary {
  readonly customerId: number
  /** Distinct days with an order (cancelled orders excluded); 0 for subscription-only customers. */
  readonly orderDays: number
  /** Day numbers of the first and last order day (null without orders). */
  readonly firstDay: number | null
  readonly lastDay: number | null
  /** Σ order totals in the reporting currency (minor units) and the order days they cover. */
  readonly valueMinor: number
  readonly valuedDays: number
  /** Σ and count of the repeat order days' values (every day after the first), reporting currency. */
  readonly repeatValueMinor: number
  readonly repeatValuedDays: number
  /** Median and last gap between consecutive order days (null with fewer than two days). */
  readonly medianGapDays: number | null
  readonly lastGapDays: number | null
  /** Mean gap of the gaps before the last one (null with fewer than three days). */
  readonly earlierMeanGapDays: number | null
  /** Spend in the 90 days before c and in the 90 days before that (reporting currency). */
  readonly spendRecentMinor: number
  readonly spendPreviousMinor: number
  /** Tickets opened in the 365 days before c, and tickets open at c. */
  readonly tickets: number
  readonly unresolvedTickets: number
  /** Last NPS (0–10) and CSAT answers before c. */
  readonly lastNps: number | null
  readonly lastCsat: number | null
  /** Plan of the subscription active at c (latest started), and plan changes in the 365 days before c. */
  readonly plan: string | null
  readonly planChanges: number
}

/** Time unit of the customer-base models. */
export type ModelUnit = 'day' | 'week'

export const UNIT_DAYS: Readonly<Record<ModelUnit, number>> = { day: 1, week: 7 }

/**
 * (x, t_x, T) at cut-off day `cutoffDay` in `unit`: x = order days − 1 (same-day orders merged,
 * as in Fader, Hardie & Lee 2005), t_x = last − first order day, T = cut-off − first order day.
 * Null without orders (the models describe customers from their first purchase).
 */
export function rfmOf(s: CustomerSummary, cutoffDay: number, unit: ModelUnit): RfmCustomer | null {
  if (s.orderDays < 1 || s.firstDay === null || s.lastDay === null) return null
  const u = UNIT_DAYS[unit]
  return {
    x: s.orderDays - 1,
    tx: (s.lastDay - s.firstDay) / u,
    T: Math.max(cutoffDay - s.firstDay, s.lastDay - s.firstDay) / u,
  }
}

/**
 * (x, m) for Gamma-Gamma: the number of valued repeat order days and their mean value in minor
 * units (Fader & Hardie 2013: the first purchase is left out). x = 0 when there is none.
 */
export function spendOf(s: CustomerSummary): SpendCustomer {
  if (s.repeatValuedDays < 1 || !(s.repeatValueMinor > 0)) return { x: 0, m: 0 }
  return { x: s.repeatValuedDays, m: s.repeatValueMinor / s.repeatValuedDays }
}

/** One churn feature of a customer at a cut-off day (see {@link CHURN_FEATURE_CELLS}). */
export type ChurnFeatureCell = (
  s: CustomerSummary,
  cutoffDay: number,
  pAlive: number | null,
  minorPerMajor: number,
) => CellValue

/**
 * The churn features of a customer at cut-off day c, by column name:
 * recency_days = c − last order day; usual_gap_days = median gap; frequency = order days;
 * monetary = mean order-day value (major units, for readability of the model); tenure_days =
 * c − first order day; spend_trend = recent/previous − 1 over the two 90-day windows (blank when
 * the previous window had no spend); gap_trend = last gap / mean earlier gap − 1; p_alive from the
 * customer-base model (blank when not fitted); tickets, unresolved_tickets, last_nps, last_csat,
 * plan ("none" without an active subscription), plan_changes. Blanks are imputed by the encoder.
 * One function per column, so that scoring a million customers reads the cells it encodes
 * straight from the summaries (no row object per customer); {@link churnFeatureRow} is the
 * same cells as a row.
 */
export const CHURN_FEATURE_CELLS: Readonly<Record<string, ChurnFeatureCell>> = {
  recency_days: (s, c) => (hasOrders(s) ? c - (s.lastDay as number) : null),
  usual_gap_days: (s) => s.medianGapDays,
  frequency: (s) => s.orderDays,
  monetary: (s, _c, _p, minorPerMajor) =>
    s.valuedDays > 0 ? s.valueMinor / s.valuedDays / minorPerMajor : null,
  tenure_days: (s, c) => (hasOrders(s) ? c - (s.firstDay as number) : null),
  spend_trend: (s) =>
    s.spendPreviousMinor > 0 ? s.spendRecentMinor / s.spendPreviousMinor - 1 : null,
  gap_trend: (s) =>
    s.lastGapDays !== null && s.earlierMeanGapDays !== null && s.earlierMeanGapDays > 0
      ? s.lastGapDays / s.earlierMeanGapDays - 1
      : null,
  p_alive: (_s, _c, pAlive) => pAlive,
  tickets: (s) => s.tickets,
  unresolved_tickets: (s) => s.unresolvedTickets,
  last_nps: (s) => s.lastNps,
  last_csat: (s) => s.lastCsat,
  plan: (s) => s.plan ?? 'none',
  plan_changes: (s) => s.planChanges,
}

const hasOrders = (s: CustomerSummary): boolean =>
  s.orderDays > 0 && s.lastDay !== null && s.firstDay !== null

const FEATURE_ENTRIES = Object.entries(CHURN_FEATURE_CELLS)

/** The churn feature row of a customer at cut-off day c: `id` and {@link CHURN_FEATURE_CELLS}. */
export function churnFeatureRow(
  s: CustomerSummary,
  cutoffDay: number,
  pAlive: number | null,
  minorPerMajor = 100,
): DataRow {
  const row: Record<string, CellValue> = { id: String(s.customerId) }
  for (const [name, cell] of FEATURE_ENTRIES) row[name] = cell(s, cutoffDay, pAlive, minorPerMajor)
  return row
}

/**
 * Churn label for a customer observed at cut-off c with outcome window (c, c + horizon]: churned
 * (1) when the customer placed no order in the window and has no subscription active at its end;
 * 0 otherwise. "Inactive or cancelled within the horizon", in one rule for shops and
 * subscriptions.
 */
export function churnLabel(orderedInWindow: boolean, subscribedAtWindowEnd: boolean): 0 | 1 {
  return orderedInWindow || subscribedAtWindowEnd ? 0 : 1
}

/** Options of {@link formulaClv}. */
export interface FormulaClvOptions {
  /** Horizon in days. */
  readonly horizonDays: number
  /** Days without an order after which the customer counts as lapsed (workspace setting). */
  readonly activityWindowDays: number
  /** Discount rate per 30-day period. */
  readonly monthlyDiscountRate: number
  readonly margin?: number
}

/**
 * The formula CLV used when the probabilistic models cannot be fitted (too little data; see
 * `assessFitData`): margin × average order value × order rate × horizon, discounted monthly, for a
 * customer still active (last order within the activity window), else 0. Order rate = order days
 * / max(tenure, 30 days): the customer's own history, assuming it continues unchanged, which is
 * what a formula CLV assumes and why it is only the fallback.
 */
export function formulaClv(s: CustomerSummary, cutoffDay: number, o: FormulaClvOptions): number {
  if (s.orderDays < 1 || s.firstDay === null || s.lastDay === null || s.valuedDays < 1) return 0
  if (cutoffDay - s.lastDay > o.activityWindowDays) return 0
  const aov = s.valueMinor / s.valuedDays
  const ratePerDay = s.orderDays / Math.max(cutoffDay - s.firstDay, 30)
  const months = Math.max(1, Math.round(o.horizonDays / 30))
  let total = 0
  for (let k = 1; k <= months; k++) total += (ratePerDay * 30) / (1 + o.monthlyDiscountRate) ** k
  return (o.margin ?? 1) * aov * total
}

/**
 * Value tier of each predicted CLV (null stays null), by the segments module's one definition
 * (assignValueTiers in segments/value-tiers.ts: platinum the top 1 %, gold the top 5 %, silver the top 20 %, the rest
 * standard; ties share a tier, so the tier does not depend on input order).
 */
export type ValueTier = ValueTierId

export function valueTiers(values: ArrayLike<number | null>): (ValueTier | null)[] {
  const index = new Int32Array(values.length)
  const scored = new Float64Array(values.length)
  let n = 0
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (v !== null && v !== undefined && Number.isFinite(v)) {
      index[n] = i
      scored[n++] = v
    }
  }
  const { tiers } = valueTiersOf(scored.subarray(0, n), undefined, false)
  const out: (ValueTier | null)[] = new Array<ValueTier | null>(values.length).fill(null)
  for (let k = 0; k < n; k++) out[index[k] as number] = tiers[k] as ValueTier
  return out
}
