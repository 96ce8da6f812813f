/**
 * Reference implementations of the period customer metrics from raw activity: S, E, N, N_end, the
 * retained / reactivated / lost split, CRR, both churn rates, retention, active customers and the
 * observed lifespan. Written to be obviously correct (sets of customers, no cleverness): the
 * server's SQL is tested against them.
 *
 * A boundary b is read "as of b", the instant just before it (see `activeAsOf`), so the end of one
 * period and the start of the next agree: S of a month is E of the month before.
 */
import { activeAsOf, activitySpans, firstActivity, sortIds, toInstant, toPeriod } from './inputs.ts'
import type { ActivityOptions, ActivitySource, CustomerId, Instant, PeriodInput } from './inputs.ts'
import { churnRate, churnRateInverse, crr, exactRetention, explainCrr } from './formulas.ts'
import type { ChurnInputs, CrrExplanation, CrrInputs, ExactRetentionInputs } from './formulas.ts'
import { ratio } from './result.ts'
import type { MetricResult } from './result.ts'
import type { Period } from './time.ts'

/** The customer sets of a period. */
export interface PeriodCustomerSets<T> {
  /** Active as of start. */
  readonly S: T
  /** Active as of end. */
  readonly E: T
  /** First activity in [start, end). */
  readonly N: T
  /** N ∩ E. */
  readonly N_end: T
  /** S ∩ E. */
  readonly retained: T
  /** E \ S \ N: lapsed before the start, back during the period. */
  readonly reactivated: T
  /** S \ E. */
  readonly lost: T
}

export interface PeriodCustomers {
  readonly period: Period
  readonly counts: PeriodCustomerSets<number>
  /** The customers behind each count, sorted, for drill-down. */
  readonly customers: PeriodCustomerSets<CustomerId[]>
  /** (E − N) / S, the brief's formula. */
  readonly crr: MetricResult<CrrInputs>
  /** lost / S. */
  readonly churnRate: MetricResult<ChurnInputs>
  /** 1 − CRR = (S − E + N) / S, the brief's inverse form. */
  readonly churnRateInverse: MetricResult<CrrInputs>
  /** 1 − churn = retained / S (exact retention). */
  readonly retentionRate: MetricResult<ExactRetentionInputs>
  /** CRR next to exact retention and why they differ. */
  readonly explanation: CrrExplanation
}

/**
 * Period customer metrics for `[start, end)` from raw orders and/or subscriptions:
 * S = |active as of start|, E = |active as of end|, N = |first activity in [start, end)|,
 * N_end = |N ∩ E|, retained = |S ∩ E|, reactivated = E − retained − N_end, lost = S − retained;
 * CRR = (E − N) / S, churn = lost / S, churn (inverse) = 1 − CRR, retention = retained / S.
 */
export function periodCustomers(
  source: ActivitySource,
  period: PeriodInput,
  options: ActivityOptions = {},
): PeriodCustomers {
  const { start, end } = toPeriod(period)
  const sets = {
    S: new Set<CustomerId>(),
    E: new Set<CustomerId>(),
    N: new Set<CustomerId>(),
    N_end: new Set<CustomerId>(),
    retained: new Set<CustomerId>(),
    reactivated: new Set<CustomerId>(),
    lost: new Set<CustomerId>(),
  }
  for (const [customerId, spans] of activitySpans(source, options)) {
    const atStart = activeAsOf(spans, start)
    const atEnd = activeAsOf(spans, end)
    const first = firstActivity(spans)
    const isNew = start <= first && first < end
    if (atStart) sets.S.add(customerId)
    if (atEnd) sets.E.add(customerId)
    if (isNew) sets.N.add(customerId)
    if (isNew && atEnd) sets.N_end.add(customerId)
    if (atStart && atEnd) sets.retained.add(customerId)
    if (atEnd && !atStart && !isNew) sets.reactivated.add(customerId)
    if (atStart && !atEnd) sets.lost.add(customerId)
  }
  const counts = {
    S: sets.S.size,
    E: sets.E.size,
    N: sets.N.size,
    N_end: sets.N_end.size,
    retained: sets.retained.size,
    reactivated: sets.reactivated.size,
    lost: sets.lost.size,
  }
  return {
    period: { start, end },
    counts,
    customers: {
      S: sortIds(sets.S),
      E: sortIds(sets.E),
      N: sortIds(sets.N),
      N_end: sortIds(sets.N_end),
      retained: sortIds(sets.retained),
      reactivated: sortIds(sets.reactivated),
      lost: sortIds(sets.lost),
    },
    crr: crr(counts),
    churnRate: churnRate(counts),
    churnRateInverse: churnRateInverse(counts),
    retentionRate: exactRetention(counts),
    explanation: explainCrr(counts),
  }
}

/** Customers active as of `asOf` (at the instant just before it), e.g. E for a period ending there. */
export function activeCustomers(
  source: ActivitySource,
  asOf: Instant,
  options: ActivityOptions = {},
): { readonly count: number; readonly customers: CustomerId[] } {
  const b = toInstant(asOf, 'asOf')
  const customers: CustomerId[] = []
  for (const [customerId, spans] of activitySpans(source, options)) {
    if (activeAsOf(spans, b)) customers.push(customerId)
  }
  return { count: customers.length, customers: sortIds(customers) }
}

/** Milliseconds in a year of 365.25 days. */
export const YEAR_MS = 365.25 * 86_400_000

export interface ObservedLifespanInputs {
  readonly lapsedCustomers: number
  /** Σ (lapse − first activity) in years. */
  readonly totalYears: number
}

/**
 * Observed average lifespan of lapsed customers, in years of 365.25 days:
 * mean over customers not active as of `asOf` (with activity before it) of
 * (lapse − first activity), where lapse = end of the last activity before `asOf` (last order +
 * window, or the end of the last subscription).
 */
export function observedLifespan(
  source: ActivitySource,
  asOf: Instant,
  options: ActivityOptions = {},
): MetricResult<ObservedLifespanInputs> & { readonly customers: CustomerId[] } {
  const b = toInstant(asOf, 'asOf')
  let lapsed = 0
  let totalMs = 0
  const customers: CustomerId[] = []
  for (const [customerId, spans] of activitySpans(source, options)) {
    const before = spans.filter((s) => s.from < b)
    if (before.length === 0 || activeAsOf(spans, b)) continue
    const lapse = before.reduce((last, s) => Math.max(last, s.to), Number.NEGATIVE_INFINITY)
    totalMs += lapse - firstActivity(before)
    lapsed += 1
    customers.push(customerId)
  }
  const inputs = { lapsedCustomers: lapsed, totalYears: totalMs / YEAR_MS }
  const result = ratio('observed_lifespan', totalMs / YEAR_MS, lapsed, inputs, {
    input: 'lapsedCustomers',
    en: 'No customer has lapsed yet',
    it: 'Nessun cliente è ancora decaduto',
  })
  return { ...result, customers: sortIds(customers) }
}
