/**
 * Reference implementations of the order metrics of a period — revenue, orders, ordering
 * customers, AOV, purchase frequency, repeat purchase rate — and of CLV by the brief's formula.
 * Only completed orders count (see `validOrders`).
 */
import { sortIds, toPeriod, validOrders } from './inputs.ts'
import type {
  ActivityOptions,
  ActivitySource,
  CustomerId,
  OrderInput,
  PeriodInput,
} from './inputs.ts'
import {
  annualChurnRate,
  aov,
  averageLifespan,
  clv,
  purchaseFrequency,
  repeatPurchaseRate,
} from './formulas.ts'
import type {
  AnnualChurnInputs,
  AovInputs,
  ClvInputs,
  LifespanInputs,
  PurchaseFrequencyInputs,
  RepeatPurchaseInputs,
} from './formulas.ts'
import { periodCustomers } from './customers.ts'
import type { PeriodCustomers } from './customers.ts'
import { defined, notDefined } from './result.ts'
import type { DefinedMetric, MetricResult, UndefinedMetric } from './result.ts'
import type { Period } from './time.ts'

export interface PeriodOrders {
  readonly period: Period
  /** Σ (amount − refundedAmount) of completed orders in [start, end), minor units. */
  readonly revenue: number
  /** Completed orders in [start, end), anonymous sales included. */
  readonly orders: number
  /** Of them, orders of identified customers (the numerator of purchase frequency). */
  readonly customerOrders: number
  /** Distinct customers with a completed order in [start, end). */
  readonly orderingCustomers: number
  /** Ordering customers with ≥ 2 completed orders placed before `end` (lifetime). */
  readonly repeatCustomers: number
  readonly aov: MetricResult<AovInputs>
  readonly purchaseFrequency: MetricResult<PurchaseFrequencyInputs>
  readonly repeatPurchaseRate: MetricResult<RepeatPurchaseInputs>
  readonly customers: { readonly ordering: CustomerId[]; readonly repeat: CustomerId[] }
}

/**
 * Order metrics of `[start, end)`: revenue = Σ (amount − refunded), orders = count,
 * AOV = revenue / orders (anonymous sales included in all three), purchase frequency =
 * customer orders / ordering customers, repeat purchase rate = ordering customers with ≥ 2
 * lifetime orders (as of end) / ordering customers.
 */
export function periodOrders(orders: readonly OrderInput[], period: PeriodInput): PeriodOrders {
  const { start, end } = toPeriod(period)
  let revenue = 0
  let count = 0
  let customerOrders = 0
  const ordering = new Set<CustomerId>()
  const lifetimeOrders = new Map<CustomerId, number>()
  for (const order of validOrders(orders)) {
    if (order.at >= end) continue
    const id = order.customerId
    if (id !== null) lifetimeOrders.set(id, (lifetimeOrders.get(id) ?? 0) + 1)
    if (order.at < start) continue
    revenue += order.revenue
    count += 1
    if (id === null) continue
    customerOrders += 1
    ordering.add(id)
  }
  const repeat = [...ordering].filter((id) => (lifetimeOrders.get(id) ?? 0) >= 2)
  return {
    period: { start, end },
    revenue,
    orders: count,
    customerOrders,
    orderingCustomers: ordering.size,
    repeatCustomers: repeat.length,
    aov: aov({ revenue, orders: count }),
    purchaseFrequency: purchaseFrequency({
      orders: customerOrders,
      orderingCustomers: ordering.size,
    }),
    repeatPurchaseRate: repeatPurchaseRate({
      repeatCustomers: repeat.length,
      orderingCustomers: ordering.size,
    }),
    customers: { ordering: sortIds(ordering), repeat: sortIds(repeat) },
  }
}

export interface ClvFromHistoryOptions extends ActivityOptions {
  /** How many such periods make a year: 1 for a year, 4 for a quarter, 12 for a month. */
  readonly periodsPerYear: number
}

/** The inputs of CLV, null where a component is undefined. */
export interface ClvComponents {
  readonly averagePurchaseValue: number | null
  readonly purchaseFrequencyPerYear: number | null
  readonly lifespanYears: number | null
}

export interface ClvFromHistory {
  readonly orders: PeriodOrders
  readonly customers: PeriodCustomers
  /** APV: the period's AOV. */
  readonly averagePurchaseValue: MetricResult<AovInputs>
  /** APF: customer orders × periodsPerYear / ordering customers. */
  readonly purchaseFrequencyPerYear: MetricResult<
    PurchaseFrequencyInputs & { periodsPerYear: number }
  >
  readonly annualChurnRate: DefinedMetric<AnnualChurnInputs> | null
  /** ACL: 1 / annual churn. */
  readonly averageLifespan: MetricResult<LifespanInputs> | null
  readonly clv: MetricResult<ClvInputs> | UndefinedMetric<ClvComponents>
}

/**
 * CLV by the brief's formula from one period of history: CLV = APV × APF × ACL with
 * APV = revenue / orders, APF = orders / ordering customers × periodsPerYear,
 * ACL = 1 / annual churn, annual churn = 1 − (1 − lost / S)^periodsPerYear.
 */
export function clvFromHistory(
  source: ActivitySource,
  period: PeriodInput,
  options: ClvFromHistoryOptions,
): ClvFromHistory {
  if (!(options.periodsPerYear > 0 && Number.isFinite(options.periodsPerYear))) {
    throw new RangeError(
      `clvFromHistory: periodsPerYear must be > 0, got ${options.periodsPerYear}`,
    )
  }
  const orders = periodOrders(source.orders ?? [], period)
  const customers = periodCustomers(source, period, options)
  const frequencyInputs = {
    orders: orders.customerOrders,
    orderingCustomers: orders.orderingCustomers,
    periodsPerYear: options.periodsPerYear,
  }
  const perPeriod = orders.purchaseFrequency
  const frequency: ClvFromHistory['purchaseFrequencyPerYear'] = perPeriod.defined
    ? defined(
        'purchase_frequency',
        (orders.customerOrders * options.periodsPerYear) / orders.orderingCustomers,
        frequencyInputs,
      )
    : notDefined('purchase_frequency', perPeriod.because, frequencyInputs)
  const churn = customers.churnRate
  const annual = churn.defined
    ? annualChurnRate({ churnRate: churn.value, periodsPerYear: options.periodsPerYear })
    : null
  const lifespan = annual === null ? null : averageLifespan({ annualChurnRate: annual.value })
  // ACL, or (lifespan null ⇔ churn undefined) the undefined churn that prevented it.
  const acl = lifespan ?? churn
  const components: ClvComponents = {
    averagePurchaseValue: orders.aov.value,
    purchaseFrequencyPerYear: frequency.value,
    lifespanYears: lifespan?.value ?? null,
  }
  let result: ClvFromHistory['clv']
  if (!orders.aov.defined) result = notDefined('clv', orders.aov.because, components)
  else if (!frequency.defined) result = notDefined('clv', frequency.because, components)
  else if (!acl.defined) result = notDefined('clv', acl.because, components)
  else {
    result = clv({
      averagePurchaseValue: orders.aov.value,
      purchaseFrequencyPerYear: frequency.value,
      lifespanYears: acl.value,
    })
  }
  return {
    orders,
    customers,
    averagePurchaseValue: orders.aov,
    purchaseFrequencyPerYear: frequency,
    annualChurnRate: annual,
    averageLifespan: lifespan,
    clv: result,
  }
}
