/**
 * Metric formulas over aggregate inputs. Each returns a `MetricResult`: the value with the inputs
 * it came from, or the reason it is undefined (zero denominator). Rates are fractions (0.7 = 70 %);
 * the catalogue holds each metric's formula text and unit.
 *
 * Ratios divide the exact integer inputs once (`(E − N) / S`, never `1 − x`), so the worked
 * examples of the reference come out as exactly the expected doubles.
 */
import { assertCount, assertFinite, assertNonNegative, defined, ratio } from './result.ts'
import type { Because, DefinedMetric, MetricResult } from './result.ts'
import type { MetricId } from './catalogue.ts'

type Messages = Omit<Because, 'code'>

const NO_START_CUSTOMERS: Messages = {
  input: 'S',
  en: 'S = 0: no customer was active at the start of the period',
  it: 'S = 0: nessun cliente era attivo all’inizio del periodo',
}

const counts = (fn: string, inputs: object, names: readonly string[]): void => {
  for (const name of names) assertCount(fn, name, (inputs as Record<string, number>)[name] ?? NaN)
}

// ---------------------------------------------------------------------------------------------
// Period customers

export interface CrrInputs {
  readonly S: number
  readonly E: number
  readonly N: number
}

/** Customer retention rate (the brief's formula): CRR = (E − N) / S. Fraction; ×100 for %. */
export function crr(inputs: CrrInputs): MetricResult<CrrInputs> {
  counts('crr', inputs, ['S', 'E', 'N'])
  return ratio('crr', inputs.E - inputs.N, inputs.S, inputs, NO_START_CUSTOMERS)
}

/** Churn as the inverse of CRR (the brief's form): churn = 1 − CRR = (S − E + N) / S. Fraction. */
export function churnRateInverse(inputs: CrrInputs): MetricResult<CrrInputs> {
  counts('churnRateInverse', inputs, ['S', 'E', 'N'])
  return ratio(
    'churn_rate_inverse',
    inputs.S - inputs.E + inputs.N,
    inputs.S,
    inputs,
    NO_START_CUSTOMERS,
  )
}

export interface ChurnInputs {
  readonly S: number
  readonly lost: number
}

/** Churn rate: churn = lost / S, lost = customers active at start and not at end. Fraction. */
export function churnRate(inputs: ChurnInputs): MetricResult<ChurnInputs> {
  counts('churnRate', inputs, ['S', 'lost'])
  if (inputs.lost > inputs.S)
    throw new RangeError(`churnRate: lost (${inputs.lost}) exceeds S (${inputs.S})`)
  return ratio('churn_rate', inputs.lost, inputs.S, inputs, NO_START_CUSTOMERS)
}

export interface RetentionFromChurnInputs {
  readonly churnRate: number
}

/** Retention rate from a churn rate (the brief's "(1 − churn) × 100"): retention = 1 − churn. */
export function retentionRate(
  inputs: RetentionFromChurnInputs,
): DefinedMetric<RetentionFromChurnInputs> {
  assertFinite('retentionRate', 'churnRate', inputs.churnRate)
  return defined('retention_rate', 1 - inputs.churnRate, inputs)
}

export interface ExactRetentionInputs {
  readonly S: number
  readonly retained: number
}

/**
 * Exact retention: retained / S, retained = |active at start ∧ active at end|. Equals the retention
 * rate 1 − lost / S computed with one division.
 */
export function exactRetention(inputs: ExactRetentionInputs): MetricResult<ExactRetentionInputs> {
  counts('exactRetention', inputs, ['S', 'retained'])
  if (inputs.retained > inputs.S) {
    throw new RangeError(`exactRetention: retained (${inputs.retained}) exceeds S (${inputs.S})`)
  }
  return ratio('retention_rate', inputs.retained, inputs.S, inputs, NO_START_CUSTOMERS)
}

export interface SplitInputs {
  readonly S: number
  readonly E: number
  readonly N_end: number
  readonly retained: number
}

export interface RetentionSplit {
  readonly retained: number
  /** E − retained − N_end. */
  readonly reactivated: number
  /** S − retained. */
  readonly lost: number
}

/**
 * The exact split of a period's customers: reactivated = E − retained − N_end, lost = S − retained
 * (so retained + lost = S and retained + reactivated + N_end = E).
 */
export function retentionSplit(inputs: SplitInputs): RetentionSplit {
  counts('retentionSplit', inputs, ['S', 'E', 'N_end', 'retained'])
  const reactivated = inputs.E - inputs.retained - inputs.N_end
  const lost = inputs.S - inputs.retained
  if (reactivated < 0 || lost < 0) {
    throw new RangeError('retentionSplit: need retained ≤ S and retained + N_end ≤ E')
  }
  return { retained: inputs.retained, reactivated, lost }
}

export interface CrrExplanationInputs {
  readonly S: number
  readonly E: number
  readonly N: number
  readonly N_end: number
  readonly retained: number
}

export interface CrrExplanation {
  readonly crr: MetricResult<CrrInputs>
  readonly exactRetention: MetricResult<ExactRetentionInputs>
  /** CRR − exact retention = (reactivated − (N − N_end)) / S; null when S = 0. */
  readonly difference: number | null
  readonly differs: boolean
  readonly reactivated: number
  /** New customers who lapsed again before the end (N − N_end). */
  readonly newLapsed: number
  readonly en: string
  readonly it: string
}

/**
 * CRR next to exact retention, and why they differ:
 * CRR − retained / S = (E − N − retained) / S = (reactivated − (N − N_end)) / S.
 * CRR counts reactivated customers as retained, and subtracts new customers that E no longer holds.
 */
export function explainCrr(inputs: CrrExplanationInputs): CrrExplanation {
  const { reactivated } = retentionSplit(inputs)
  counts('explainCrr', inputs, ['N'])
  if (inputs.N_end > inputs.N) throw new RangeError('explainCrr: N_end exceeds N')
  const newLapsed = inputs.N - inputs.N_end
  const crrResult = crr(inputs)
  const exact = exactRetention(inputs)
  const gap = reactivated - newLapsed
  const differs = inputs.S > 0 && gap !== 0
  const en: string[] = []
  const it: string[] = []
  if (inputs.S === 0) {
    en.push(NO_START_CUSTOMERS.en)
    it.push(NO_START_CUSTOMERS.it)
  } else if (!differs && reactivated === 0) {
    en.push(
      'CRR equals exact retention: no customer was reactivated and every new customer is still active.',
    )
    it.push(
      'Il CRR coincide con la fidelizzazione esatta: nessun cliente riattivato e tutti i nuovi clienti sono ancora attivi.',
    )
  } else {
    if (reactivated > 0) {
      en.push(
        `CRR = (E − N) / S counts the ${reactivated} reactivated customers (lapsed before the start, back during the period) as retained.`,
      )
      it.push(
        `CRR = (E − N) / S conta come mantenuti i ${reactivated} clienti riattivati (decaduti prima dell’inizio, tornati nel periodo).`,
      )
    }
    if (newLapsed > 0) {
      en.push(
        `${reactivated > 0 ? 'It' : 'CRR = (E − N) / S'} subtracts all ${inputs.N} new customers although ${newLapsed} of them lapsed again and are not in E.`,
      )
      it.push(
        `${reactivated > 0 ? 'Sottrae' : 'CRR = (E − N) / S sottrae'} tutti i ${inputs.N} nuovi clienti anche se ${newLapsed} sono già decaduti e non sono in E.`,
      )
    }
    en.push(`CRR − exact retention = (${reactivated} − ${newLapsed}) / ${inputs.S}.`)
    it.push(`CRR − fidelizzazione esatta = (${reactivated} − ${newLapsed}) / ${inputs.S}.`)
  }
  return {
    crr: crrResult,
    exactRetention: exact,
    difference: inputs.S === 0 ? null : gap / inputs.S,
    differs,
    reactivated,
    newLapsed,
    en: en.join(' '),
    it: it.join(' '),
  }
}

// ---------------------------------------------------------------------------------------------
// Orders

export interface RepeatPurchaseInputs {
  readonly repeatCustomers: number
  readonly orderingCustomers: number
}

/**
 * Repeat purchase rate = repeatCustomers / orderingCustomers: among customers who ordered in the
 * period, those with ≥ 2 orders in their lifetime up to the period's end. Fraction.
 */
export function repeatPurchaseRate(
  inputs: RepeatPurchaseInputs,
): MetricResult<RepeatPurchaseInputs> {
  counts('repeatPurchaseRate', inputs, ['repeatCustomers', 'orderingCustomers'])
  if (inputs.repeatCustomers > inputs.orderingCustomers) {
    throw new RangeError('repeatPurchaseRate: repeatCustomers exceeds orderingCustomers')
  }
  return ratio('repeat_purchase_rate', inputs.repeatCustomers, inputs.orderingCustomers, inputs, {
    input: 'orderingCustomers',
    en: 'No customer ordered in the period',
    it: 'Nessun cliente ha ordinato nel periodo',
  })
}

export interface AovInputs {
  readonly revenue: number
  readonly orders: number
}

/** Average order value (= average purchase value): AOV = revenue / orders, minor units. */
export function aov(inputs: AovInputs): MetricResult<AovInputs> {
  assertCount('aov', 'orders', inputs.orders)
  if (!Number.isSafeInteger(inputs.revenue)) {
    throw new RangeError(`aov: revenue must be an integer (minor units), got ${inputs.revenue}`)
  }
  return ratio('aov', inputs.revenue, inputs.orders, inputs, {
    input: 'orders',
    en: 'No order in the period',
    it: 'Nessun ordine nel periodo',
  })
}

export interface PurchaseFrequencyInputs {
  readonly orders: number
  readonly orderingCustomers: number
}

/** Purchase frequency = orders / distinct ordering customers (per period). */
export function purchaseFrequency(
  inputs: PurchaseFrequencyInputs,
): MetricResult<PurchaseFrequencyInputs> {
  counts('purchaseFrequency', inputs, ['orders', 'orderingCustomers'])
  return ratio('purchase_frequency', inputs.orders, inputs.orderingCustomers, inputs, {
    input: 'orderingCustomers',
    en: 'No customer ordered in the period',
    it: 'Nessun cliente ha ordinato nel periodo',
  })
}

// ---------------------------------------------------------------------------------------------
// Lifetime

export interface AnnualChurnInputs {
  readonly churnRate: number
  readonly periodsPerYear: number
}

/**
 * A period's churn compounded to a year: annual = 1 − (1 − churn)^periodsPerYear (the same churn
 * every period). With periodsPerYear = 1 the churn is returned unchanged.
 */
export function annualChurnRate(inputs: AnnualChurnInputs): DefinedMetric<AnnualChurnInputs> {
  if (!(inputs.churnRate >= 0 && inputs.churnRate <= 1)) {
    throw new RangeError(`annualChurnRate: churnRate must be in [0, 1], got ${inputs.churnRate}`)
  }
  if (!(inputs.periodsPerYear > 0 && Number.isFinite(inputs.periodsPerYear))) {
    throw new RangeError(
      `annualChurnRate: periodsPerYear must be > 0, got ${inputs.periodsPerYear}`,
    )
  }
  const value =
    inputs.periodsPerYear === 1
      ? inputs.churnRate
      : 1 - (1 - inputs.churnRate) ** inputs.periodsPerYear
  return defined('annual_churn_rate', value, inputs)
}

export interface LifespanInputs {
  readonly annualChurnRate: number
}

/** Average customer lifespan in years: ACL = 1 / annual churn rate. Undefined when churn is 0. */
export function averageLifespan(inputs: LifespanInputs): MetricResult<LifespanInputs> {
  if (!(inputs.annualChurnRate >= 0 && inputs.annualChurnRate <= 1)) {
    throw new RangeError(
      `averageLifespan: annualChurnRate must be in [0, 1], got ${inputs.annualChurnRate}`,
    )
  }
  return ratio('average_lifespan', 1, inputs.annualChurnRate, inputs, {
    input: 'annualChurnRate',
    en: 'No customer was lost: with zero churn the lifespan is unbounded',
    it: 'Nessun cliente perso: con churn zero la durata è illimitata',
  })
}

export interface ClvInputs {
  /** Average purchase value, minor units. */
  readonly averagePurchaseValue: number
  /** Purchases per customer per year. */
  readonly purchaseFrequencyPerYear: number
  /** Average lifespan in years. */
  readonly lifespanYears: number
}

/**
 * Customer lifetime value (the brief's formula): CLV = APV × APF × ACL, i.e. average purchase value
 * × purchases per year × lifespan in years, in minor units (not rounded).
 */
export function clv(inputs: ClvInputs): DefinedMetric<ClvInputs> {
  assertNonNegative('clv', 'averagePurchaseValue', inputs.averagePurchaseValue)
  assertNonNegative('clv', 'purchaseFrequencyPerYear', inputs.purchaseFrequencyPerYear)
  assertNonNegative('clv', 'lifespanYears', inputs.lifespanYears)
  return defined(
    'clv',
    inputs.averagePurchaseValue * inputs.purchaseFrequencyPerYear * inputs.lifespanYears,
    inputs,
  )
}

// ---------------------------------------------------------------------------------------------
// Feedback

export interface NpsInputs {
  readonly promoters: number
  readonly passives: number
  readonly detractors: number
}

const NO_ANSWERS: Messages = { input: 'answers', en: 'No answers', it: 'Nessuna risposta' }

function npsLike(metric: MetricId, inputs: NpsInputs): MetricResult<NpsInputs> {
  counts(metric, inputs, ['promoters', 'passives', 'detractors'])
  const answers = inputs.promoters + inputs.passives + inputs.detractors
  return ratio(metric, (inputs.promoters - inputs.detractors) * 100, answers, inputs, NO_ANSWERS)
}

/**
 * Net Promoter Score = % promoters − % detractors = (promoters − detractors) × 100 / answers,
 * a score from −100 to 100 (promoters 9–10, passives 7–8, detractors 0–6).
 */
export function nps(inputs: NpsInputs): MetricResult<NpsInputs> {
  return npsLike('nps', inputs)
}

/** Employee NPS: eNPS = (promoters − detractors) × 100 / answers, the NPS formula for employees. */
export function enps(inputs: NpsInputs): MetricResult<NpsInputs> {
  return npsLike('enps', inputs)
}

export interface CsatInputs {
  readonly satisfied: number
  readonly answers: number
}

/** CSAT = satisfied answers / all answers (satisfied = 4–5 on 1–5 by default). Fraction. */
export function csat(
  inputs: CsatInputs,
  metric: 'csat' | 'csat_by_channel' = 'csat',
): MetricResult<CsatInputs> {
  counts('csat', inputs, ['satisfied', 'answers'])
  if (inputs.satisfied > inputs.answers) throw new RangeError('csat: satisfied exceeds answers')
  return ratio(metric, inputs.satisfied, inputs.answers, inputs, NO_ANSWERS)
}

export interface CesInputs {
  readonly scoreSum: number
  readonly answers: number
}

/** Customer Effort Score = mean score = scoreSum / answers, on the survey's scale (1–7). */
export function ces(inputs: CesInputs): MetricResult<CesInputs> {
  assertCount('ces', 'answers', inputs.answers)
  assertFinite('ces', 'scoreSum', inputs.scoreSum)
  return ratio('ces', inputs.scoreSum, inputs.answers, inputs, NO_ANSWERS)
}

// ---------------------------------------------------------------------------------------------
// Subscriptions

export interface MrrFromArpcInputs {
  readonly payingCustomers: number
  /** Monthly average revenue per paying customer, minor units. */
  readonly arpc: number
}

/** MRR = paying customers × ARPC, minor units. */
export function mrrFromArpc(inputs: MrrFromArpcInputs): DefinedMetric<MrrFromArpcInputs> {
  assertCount('mrrFromArpc', 'payingCustomers', inputs.payingCustomers)
  assertNonNegative('mrrFromArpc', 'arpc', inputs.arpc)
  return defined('mrr', inputs.payingCustomers * inputs.arpc, inputs)
}

export interface ArpcInputs {
  readonly mrr: number
  readonly payingCustomers: number
}

/** Average revenue per (paying) customer: ARPC = MRR / paying customers, minor units. */
export function arpc(inputs: ArpcInputs): MetricResult<ArpcInputs> {
  counts('arpc', inputs, ['mrr', 'payingCustomers'])
  return ratio('arpc', inputs.mrr, inputs.payingCustomers, inputs, {
    input: 'payingCustomers',
    en: 'No paying customer',
    it: 'Nessun cliente pagante',
  })
}

/** MRR movements of a period, each a non-negative amount in minor units. */
export interface MrrMovementTotals {
  readonly new: number
  readonly expansion: number
  readonly contraction: number
  readonly churn: number
  readonly reactivation: number
}

/** Net new MRR = new + expansion + reactivation − contraction − churn (= end MRR − start MRR). */
export function netNewMrr(inputs: MrrMovementTotals): DefinedMetric<MrrMovementTotals> {
  counts('netNewMrr', inputs, ['new', 'expansion', 'contraction', 'churn', 'reactivation'])
  return defined(
    'net_new_mrr',
    inputs.new + inputs.expansion + inputs.reactivation - inputs.contraction - inputs.churn,
    inputs,
  )
}

const NO_START_MRR: Messages = {
  input: 'startMrr',
  en: 'No MRR at the start of the period',
  it: 'Nessun MRR all’inizio del periodo',
}

export interface GrrInputs {
  readonly startMrr: number
  readonly contraction: number
  readonly churn: number
}

/** Gross revenue retention: GRR = (start MRR − contraction − churn) / start MRR. Fraction ≤ 1. */
export function grr(inputs: GrrInputs): MetricResult<GrrInputs> {
  counts('grr', inputs, ['startMrr', 'contraction', 'churn'])
  return ratio(
    'grr',
    inputs.startMrr - inputs.contraction - inputs.churn,
    inputs.startMrr,
    inputs,
    NO_START_MRR,
  )
}

export interface NrrInputs extends GrrInputs {
  readonly expansion: number
}

/**
 * Net revenue retention: NRR = (start MRR + expansion − contraction − churn) / start MRR. Only
 * customers paying at the start; new and reactivated MRR excluded. Fraction, may exceed 1.
 */
export function nrr(inputs: NrrInputs): MetricResult<NrrInputs> {
  counts('nrr', inputs, ['startMrr', 'expansion', 'contraction', 'churn'])
  return ratio(
    'nrr',
    inputs.startMrr + inputs.expansion - inputs.contraction - inputs.churn,
    inputs.startMrr,
    inputs,
    NO_START_MRR,
  )
}

export interface LogoChurnInputs {
  readonly startCustomers: number
  readonly churnedCustomers: number
}

/** Logo churn = paying customers at start who pay nothing at end / paying customers at start. */
export function logoChurn(inputs: LogoChurnInputs): MetricResult<LogoChurnInputs> {
  counts('logoChurn', inputs, ['startCustomers', 'churnedCustomers'])
  return ratio('logo_churn', inputs.churnedCustomers, inputs.startCustomers, inputs, {
    input: 'startCustomers',
    en: 'No paying customer at the start of the period',
    it: 'Nessun cliente pagante all’inizio del periodo',
  })
}

/** Gross revenue churn = (contraction + churn) / start MRR = 1 − GRR. Fraction. */
export function revenueChurn(inputs: GrrInputs): MetricResult<GrrInputs> {
  counts('revenueChurn', inputs, ['startMrr', 'contraction', 'churn'])
  return ratio(
    'revenue_churn',
    inputs.contraction + inputs.churn,
    inputs.startMrr,
    inputs,
    NO_START_MRR,
  )
}

export interface LtvInputs {
  /** Monthly ARPC, minor units. */
  readonly arpc: number
  /** Trailing monthly logo churn, fraction. */
  readonly churnRate: number
}

/** LTV = ARPC / trailing monthly churn, minor units. Undefined when churn is 0. */
export function ltv(inputs: LtvInputs): MetricResult<LtvInputs> {
  assertNonNegative('ltv', 'arpc', inputs.arpc)
  if (!(inputs.churnRate >= 0 && inputs.churnRate <= 1)) {
    throw new RangeError(`ltv: churnRate must be in [0, 1], got ${inputs.churnRate}`)
  }
  return ratio('ltv', inputs.arpc, inputs.churnRate, inputs, {
    input: 'churnRate',
    en: 'No paying customer churned in the trailing months: LTV is unbounded',
    it: 'Nessun cliente pagante perso negli ultimi mesi: LTV illimitato',
  })
}

// ---------------------------------------------------------------------------------------------
// Cohorts

export interface CohortCellInputs {
  readonly cohortSize: number
  readonly active: number
}

const EMPTY_COHORT: Messages = {
  input: 'cohortSize',
  en: 'The cohort has no customers',
  it: 'La coorte non ha clienti',
}

/**
 * Cohort retention of one cell: active / cohortSize, with `active` counted "on" the period
 * (`cohort_retention`) or "on or after" it (`cohort_retention_on_or_after`). Fraction.
 */
export function cohortRetention(
  inputs: CohortCellInputs,
  metric: 'cohort_retention' | 'cohort_retention_on_or_after' = 'cohort_retention',
): MetricResult<CohortCellInputs> {
  counts('cohortRetention', inputs, ['cohortSize', 'active'])
  if (inputs.active > inputs.cohortSize)
    throw new RangeError('cohortRetention: active exceeds cohortSize')
  return ratio(metric, inputs.active, inputs.cohortSize, inputs, EMPTY_COHORT)
}

export interface RevenueRetentionInputs {
  readonly baseRevenue: number
  readonly revenue: number
}

/** Cohort revenue retention = revenue in period k / revenue in period 0. Fraction. */
export function revenueRetention(
  inputs: RevenueRetentionInputs,
): MetricResult<RevenueRetentionInputs> {
  counts('revenueRetention', inputs, ['baseRevenue', 'revenue'])
  return ratio('cohort_revenue_retention', inputs.revenue, inputs.baseRevenue, inputs, {
    input: 'baseRevenue',
    en: 'The cohort had no revenue in its first period',
    it: 'La coorte non ha avuto ricavi nel primo periodo',
  })
}

export interface CumulativeRevenueInputs {
  readonly cumulativeRevenue: number
  readonly cohortSize: number
}

/** Cumulative revenue per customer = Σ cohort revenue in periods 0..k / cohortSize, minor units. */
export function cumulativeRevenuePerCustomer(
  inputs: CumulativeRevenueInputs,
): MetricResult<CumulativeRevenueInputs> {
  counts('cumulativeRevenuePerCustomer', inputs, ['cumulativeRevenue', 'cohortSize'])
  return ratio(
    'cumulative_revenue_per_customer',
    inputs.cumulativeRevenue,
    inputs.cohortSize,
    inputs,
    EMPTY_COHORT,
  )
}

// ---------------------------------------------------------------------------------------------
// Lifecycle and helpers

export type LifecycleState = 'new' | 'returning' | 'resurrecting' | 'dormant'

export interface LifecycleFacts {
  /** Active (ordered or subscribed) in this period. */
  readonly activeNow: boolean
  /** Active in the previous period. */
  readonly activePrevious: boolean
  /** First activity ever falls in this period. */
  readonly firstActivityNow: boolean
}

/**
 * Lifecycle of a customer in a period: new = first activity in it; returning = active in it and
 * in the previous period; resurrecting = active in it, not in the previous one, not new;
 * dormant = active in the previous period, not in this one; null = active in neither.
 */
export function classifyLifecycle(facts: LifecycleFacts): LifecycleState | null {
  if (facts.activeNow) {
    if (facts.firstActivityNow) return 'new'
    return facts.activePrevious ? 'returning' : 'resurrecting'
  }
  return facts.activePrevious ? 'dormant' : null
}

/**
 * Median: the middle value of the sorted values, or the mean of the two middle values when their
 * count is even (DuckDB's `median`/`quantile_cont(0.5)`); null for no values.
 */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  const upper = sorted[mid] as number
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] as number) + upper) / 2
}
