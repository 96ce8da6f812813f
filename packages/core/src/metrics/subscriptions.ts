/**
 * Reference implementations of the subscription metrics: MRR, paying customers, ARPC, MRR
 * movements (new, expansion, contraction, churn, reactivation), GRR, NRR, logo and revenue churn,
 * and LTV = ARPC / trailing churn.
 *
 * MRR "as of b" sums the monthly amounts in force at the instant just before b (segments with
 * from < b ≤ to), the same boundary reading as the customer metrics. A period's movements compare
 * each customer's MRR as of its start with their MRR as of its end.
 */
import { mrrSegments, sortIds, toInstant, toPeriod } from './inputs.ts'
import type { CustomerId, Instant, MrrSegment, PeriodInput, SubscriptionInput } from './inputs.ts'
import { arpc, grr, logoChurn, ltv, netNewMrr, nrr, revenueChurn } from './formulas.ts'
import type {
  ArpcInputs,
  GrrInputs,
  LogoChurnInputs,
  LtvInputs,
  MrrMovementTotals,
  NrrInputs,
} from './formulas.ts'
import { notDefined } from './result.ts'
import type { DefinedMetric, MetricResult, UndefinedMetric } from './result.ts'
import type { Period } from './time.ts'

/** Each customer's MRR as of boundary `b` (customers with MRR 0 are absent). */
function mrrByCustomer(segments: readonly MrrSegment[], b: number): Map<CustomerId, number> {
  const byCustomer = new Map<CustomerId, number>()
  for (const s of segments) {
    if (s.from < b && b <= s.to && s.monthly > 0) {
      byCustomer.set(s.customerId, (byCustomer.get(s.customerId) ?? 0) + s.monthly)
    }
  }
  return byCustomer
}

const sum = (values: Iterable<number>): number => {
  let total = 0
  for (const v of values) total += v
  return total
}

export interface MrrSnapshot {
  readonly asOf: number
  /** Σ monthly amounts of paid subscriptions active as of `asOf`, minor units. */
  readonly mrr: number
  /** Customers with MRR > 0. */
  readonly payingCustomers: number
  /** MRR / paying customers. */
  readonly arpc: MetricResult<ArpcInputs>
  /** Each paying customer's MRR, sorted by id. */
  readonly customers: ReadonlyArray<{ readonly customerId: CustomerId; readonly mrr: number }>
}

/**
 * MRR as of `asOf`: MRR = Σ over active paid subscriptions of their monthly amount (annual / 12,
 * weekly × 52 / 12, …, see `monthlyAmount`) = paying customers × ARPC. Trials pay nothing.
 */
export function mrrAsOf(subscriptions: readonly SubscriptionInput[], asOf: Instant): MrrSnapshot {
  const b = toInstant(asOf, 'asOf')
  const byCustomer = mrrByCustomer(mrrSegments(subscriptions), b)
  const mrr = sum(byCustomer.values())
  return {
    asOf: b,
    mrr,
    payingCustomers: byCustomer.size,
    arpc: arpc({ mrr, payingCustomers: byCustomer.size }),
    customers: sortIds(byCustomer.keys()).map((customerId) => ({
      customerId,
      mrr: byCustomer.get(customerId) ?? 0,
    })),
  }
}

export type MrrMovementKind = 'new' | 'expansion' | 'contraction' | 'churn' | 'reactivation'

export interface CustomerMovement {
  readonly customerId: CustomerId
  readonly kind: MrrMovementKind
  readonly startMrr: number
  readonly endMrr: number
}

export interface MrrMovements {
  readonly period: Period
  readonly startMrr: number
  readonly endMrr: number
  /** Non-negative amounts; contraction and churn are reductions. */
  readonly totals: MrrMovementTotals
  /** new + expansion + reactivation − contraction − churn = endMrr − startMrr. */
  readonly netNew: DefinedMetric<MrrMovementTotals>
  readonly grr: MetricResult<GrrInputs>
  readonly nrr: MetricResult<NrrInputs>
  readonly logoChurn: MetricResult<LogoChurnInputs>
  readonly revenueChurn: MetricResult<GrrInputs>
  /** Paying customers as of start. */
  readonly startCustomers: number
  /** Of them, those paying nothing as of end. */
  readonly churnedCustomers: number
  /** One entry per customer whose MRR changed, sorted by id; unchanged customers have none. */
  readonly customers: readonly CustomerMovement[]
}

/**
 * MRR movements of `[start, end)`, comparing each customer's MRR as of start (s) and as of end (e):
 * s = 0 < e: new if the customer never paid before `start`, else reactivation; 0 < s < e:
 * expansion e − s; 0 < e < s: contraction s − e; s > 0 = e: churn s. Each customer falls in
 * exactly one (or none when e = s), so new + expansion + reactivation − contraction − churn = E − S.
 * GRR = (S − contraction − churn) / S, NRR = (S + expansion − contraction − churn) / S,
 * logo churn = churned customers / paying customers at start, revenue churn = (contraction + churn) / S.
 */
export function mrrMovements(
  subscriptions: readonly SubscriptionInput[],
  period: PeriodInput,
): MrrMovements {
  return movementsOf(mrrSegments(subscriptions), toPeriod(period))
}

function movementsOf(segments: readonly MrrSegment[], period: Period): MrrMovements {
  const { start, end } = period
  const before = mrrByCustomer(segments, start)
  const after = mrrByCustomer(segments, end)
  const firstPaid = new Map<CustomerId, number>()
  for (const s of segments) {
    if (s.monthly > 0)
      firstPaid.set(s.customerId, Math.min(firstPaid.get(s.customerId) ?? s.from, s.from))
  }
  const totals = { new: 0, expansion: 0, contraction: 0, churn: 0, reactivation: 0 }
  const customers: CustomerMovement[] = []
  let churnedCustomers = 0
  for (const customerId of sortIds(new Set([...before.keys(), ...after.keys()]))) {
    const s = before.get(customerId) ?? 0
    const e = after.get(customerId) ?? 0
    let kind: MrrMovementKind
    if (s === e) continue
    if (s === 0) {
      kind = (firstPaid.get(customerId) ?? start) >= start ? 'new' : 'reactivation'
      totals[kind] += e
    } else if (e === 0) {
      kind = 'churn'
      totals.churn += s
      churnedCustomers += 1
    } else if (e > s) {
      kind = 'expansion'
      totals.expansion += e - s
    } else {
      kind = 'contraction'
      totals.contraction += s - e
    }
    customers.push({ customerId, kind, startMrr: s, endMrr: e })
  }
  const startMrr = sum(before.values())
  const grrInputs = { startMrr, contraction: totals.contraction, churn: totals.churn }
  return {
    period,
    startMrr,
    endMrr: sum(after.values()),
    totals,
    netNew: netNewMrr(totals),
    grr: grr(grrInputs),
    nrr: nrr({ ...grrInputs, expansion: totals.expansion }),
    logoChurn: logoChurn({ startCustomers: before.size, churnedCustomers }),
    revenueChurn: revenueChurn(grrInputs),
    startCustomers: before.size,
    churnedCustomers,
    customers,
  }
}

export interface LtvFromSubscriptions {
  /** ARPC as of the end of the last period. */
  readonly arpc: MetricResult<ArpcInputs>
  /** Σ churned paying customers / Σ paying customers at each period's start. */
  readonly trailingChurn: MetricResult<LogoChurnInputs>
  readonly ltv:
    | MetricResult<LtvInputs>
    | UndefinedMetric<{ readonly arpc: number | null; readonly churnRate: number | null }>
  readonly periods: readonly MrrMovements[]
}

/**
 * LTV = ARPC / trailing churn: ARPC as of the end of the last of `periods` (normally the trailing
 * months), trailing churn = Σ churned paying customers / Σ paying customers at each period's start
 * (pooled monthly logo churn). With monthly periods, the LTV is monthly ARPC over monthly churn.
 */
export function ltvFromSubscriptions(
  subscriptions: readonly SubscriptionInput[],
  periods: readonly PeriodInput[],
): LtvFromSubscriptions {
  if (periods.length === 0) throw new RangeError('ltvFromSubscriptions: periods must not be empty')
  const segments = mrrSegments(subscriptions)
  const movements = periods.map((p, i) => movementsOf(segments, toPeriod(p, `periods[${i}]`)))
  const lastEnd = Math.max(...movements.map((m) => m.period.end))
  const paying = mrrByCustomer(segments, lastEnd)
  const arpcResult = arpc({ mrr: sum(paying.values()), payingCustomers: paying.size })
  const churn = logoChurn({
    startCustomers: sum(movements.map((m) => m.startCustomers)),
    churnedCustomers: sum(movements.map((m) => m.churnedCustomers)),
  })
  const parts = { arpc: arpcResult.value, churnRate: churn.value }
  let ltvResult: LtvFromSubscriptions['ltv']
  if (!arpcResult.defined) ltvResult = notDefined('ltv', arpcResult.because, parts)
  else if (!churn.defined) ltvResult = notDefined('ltv', churn.because, parts)
  else ltvResult = ltv({ arpc: arpcResult.value, churnRate: churn.value })
  return { arpc: arpcResult, trailingChurn: churn, ltv: ltvResult, periods: movements }
}
