import {
  annualChurnRate,
  aov,
  averageLifespan,
  bucketOf,
  bucketsBetween,
  catalogueEntry,
  ces,
  churnRate,
  churnRateInverse,
  clv,
  crr,
  csat,
  enps,
  exactRetention,
  explainCrr,
  localToInstant,
  toLocal,
  YEAR_MS,
  nps,
  purchaseFrequency,
  repeatPurchaseRate,
  type Grain,
  type MetricResult,
} from '@fedele/core/metrics'
import {
  CUSTOMER_SETS,
  foreignCurrencies,
  lapsedFigures,
  periodCounts,
  periodOrderFigures,
  type PeriodCounts,
  type PeriodOrderFigures,
  type PeriodSpec,
} from './period-sql.ts'
import { mrrFigures, mrrMetrics, type MrrFigures } from './mrr-sql.ts'
import { scopeCtes, type MetricsReplica, type Scope } from './scope.ts'

/** Amounts in several currencies would be added: the caller turns this into `mixed_currencies`. */
export class MixedCurrenciesError extends Error {
  constructor(
    readonly reportingCurrency: string,
    readonly found: readonly string[],
  ) {
    super(
      `amounts in ${found.join(', ')} besides the reporting currency ${reportingCurrency}; ` +
        'declare a conversion rate or filter them out',
    )
    this.name = 'MixedCurrenciesError'
  }
}

/** A metric with its catalogue explanation (formula, name, unit, notes) attached. */
export type ExplainedMetric = MetricResult<unknown> & {
  formula: string
  name: { en: string; it: string }
  unit: string
  notes: { en: string; it: string }
}

export function explained(result: MetricResult<unknown>): ExplainedMetric {
  const entry = catalogueEntry(result.metric)
  return {
    ...result,
    formula: entry.formula,
    name: entry.name,
    unit: entry.unit,
    notes: entry.notes,
  }
}

const PERIODS_PER_YEAR: Record<Grain, number> = {
  day: 365,
  week: 52,
  month: 12,
  quarter: 4,
  year: 1,
}

/** The calendar grain [start, end) is exactly one bucket of, if any: it fixes periodsPerYear. */
export function grainOf(period: { start: number; end: number }, timeZone: string): Grain | null {
  for (const grain of ['day', 'week', 'month', 'quarter', 'year'] as const) {
    const b = bucketOf(period.start, grain, timeZone)
    if (b.start === period.start && b.end === period.end) return grain
  }
  return null
}

export type PeriodKpis = {
  key: string
  start: string
  end: string
  counts: PeriodCounts
  orders: PeriodOrderFigures
  metrics: Record<string, ExplainedMetric>
  explanation: { en: string; it: string; difference: number | null; differs: boolean }
  /** MRR as of start and end and the movements between them. */
  subscriptions?: MrrFigures
}

function countMetric(
  metric:
    | 'customers_start'
    | 'customers_end'
    | 'new_customers'
    | 'new_customers_end'
    | 'retained_customers'
    | 'reactivated_customers'
    | 'lost_customers'
    | 'active_customers'
    | 'revenue'
    | 'orders'
    | 'ordering_customers',
  value: number,
  inputs: Record<string, number>,
): ExplainedMetric {
  return explained({ metric, defined: true, value, inputs })
}

function buildKpis(
  period: PeriodSpec,
  counts: PeriodCounts,
  orders: PeriodOrderFigures,
  periodsPerYear: number | null,
): PeriodKpis {
  const churn = churnRate(counts)
  const metrics: Record<string, ExplainedMetric> = {
    customers_start: countMetric('customers_start', counts.S, {}),
    customers_end: countMetric('customers_end', counts.E, {}),
    new_customers: countMetric('new_customers', counts.N, {}),
    new_customers_end: countMetric('new_customers_end', counts.N_end, {}),
    retained_customers: countMetric('retained_customers', counts.retained, {}),
    reactivated_customers: countMetric('reactivated_customers', counts.reactivated, {}),
    lost_customers: countMetric('lost_customers', counts.lost, {}),
    active_customers: countMetric('active_customers', counts.E, {}),
    crr: explained(crr(counts)),
    churn_rate: explained(churn),
    churn_rate_inverse: explained(churnRateInverse(counts)),
    retention_rate: explained(exactRetention(counts)),
    revenue: countMetric('revenue', orders.revenue, {}),
    orders: countMetric('orders', orders.orders, {}),
    ordering_customers: countMetric('ordering_customers', orders.orderingCustomers, {}),
    aov: explained(aov({ revenue: orders.revenue, orders: orders.orders })),
    purchase_frequency: explained(
      purchaseFrequency({
        orders: orders.customerOrders,
        orderingCustomers: orders.orderingCustomers,
      }),
    ),
    repeat_purchase_rate: explained(
      repeatPurchaseRate({
        repeatCustomers: orders.repeatCustomers,
        orderingCustomers: orders.orderingCustomers,
      }),
    ),
  }
  const noYear = {
    code: 'no-data' as const,
    input: 'periodsPerYear',
    en: 'The period is not one calendar day, week, month, quarter or year: state periods_per_year',
    it: 'Il periodo non è un giorno, settimana, mese, trimestre o anno di calendario: indica periods_per_year',
  }
  if (periodsPerYear === null) {
    for (const m of ['annual_churn_rate', 'average_lifespan', 'clv'] as const) {
      metrics[m] = explained({
        metric: m,
        defined: false,
        value: null,
        because: noYear,
        inputs: {},
      })
    }
  } else if (!churn.defined) {
    for (const m of ['annual_churn_rate', 'average_lifespan', 'clv'] as const) {
      metrics[m] = explained({
        metric: m,
        defined: false,
        value: null,
        because: churn.because,
        inputs: {},
      })
    }
  } else {
    const annual = annualChurnRate({ churnRate: churn.value, periodsPerYear })
    const lifespan = averageLifespan({ annualChurnRate: annual.value })
    const apv = metrics.aov
    metrics.annual_churn_rate = explained(annual)
    metrics.average_lifespan = explained(lifespan)
    if (lifespan.defined && apv?.defined && orders.orderingCustomers > 0) {
      metrics.clv = explained(
        clv({
          averagePurchaseValue: apv.value,
          purchaseFrequencyPerYear:
            (orders.customerOrders * periodsPerYear) / orders.orderingCustomers,
          lifespanYears: lifespan.value,
        }),
      )
    } else {
      const because = !lifespan.defined
        ? lifespan.because
        : apv && !apv.defined
          ? apv.because
          : {
              code: 'zero-denominator' as const,
              input: 'orderingCustomers',
              en: 'No customer ordered in the period',
              it: 'Nessun cliente ha ordinato nel periodo',
            }
      metrics.clv = explained({ metric: 'clv', defined: false, value: null, because, inputs: {} })
    }
  }
  const why = explainCrr(counts)
  return {
    key: period.key,
    start: new Date(period.start).toISOString(),
    end: new Date(period.end).toISOString(),
    counts,
    orders,
    metrics,
    explanation: { en: why.en, it: why.it, difference: why.difference, differs: why.differs },
  }
}

async function assertOneCurrency(
  replica: MetricsReplica,
  scope: Scope,
  range: { start: number; end: number },
): Promise<void> {
  const found = await foreignCurrencies(replica, scope, range)
  if (found.length > 0) {
    throw new MixedCurrenciesError(scope.settings.reportingCurrency, [
      scope.settings.reportingCurrency,
      ...found,
    ])
  }
}

/** Every KPI for each of `periods` in one pass per query. */
export async function kpisFor(
  replica: MetricsReplica,
  scope: Scope,
  periods: readonly PeriodSpec[],
  periodsPerYear?: number,
): Promise<PeriodKpis[]> {
  if (periods.length === 0) return []
  const range = {
    start: Math.min(...periods.map((p) => p.start)),
    end: Math.max(...periods.map((p) => p.end)),
  }
  await assertOneCurrency(replica, scope, range)
  // LTV's trailing churn pools the calendar months of a period of a month or more. MRR figures
  // are keyed by span, so a month of a monthly series is computed once, not again as a trailing month.
  const span = (p: { start: number; end: number }) => `${p.start}/${p.end}`
  const trailing = new Map<string, PeriodSpec[]>()
  for (const p of periods) {
    const grain = grainOf(p, scope.settings.timeZone)
    const months =
      grain === 'month' || grain === 'quarter' || grain === 'year'
        ? seriesPeriods(p.start, p.end, 'month', scope.settings.timeZone)
        : [p]
    trailing.set(p.key, months)
  }
  const mrrPeriods = new Map<string, PeriodSpec>()
  for (const p of [...periods, ...[...trailing.values()].flat()]) {
    mrrPeriods.set(span(p), { key: span(p), start: p.start, end: p.end })
  }
  const [counts, orders, mrr, lapsed] = await Promise.all([
    periodCounts(replica, scope, periods),
    periodOrderFigures(replica, scope, periods),
    mrrFigures(replica, scope, [...mrrPeriods.values()]),
    lapsedFigures(replica, scope, periods),
  ])
  return periods.map((p) => {
    const grain = grainOf(p, scope.settings.timeZone)
    const kpis = buildKpis(
      p,
      counts.get(p.key) ?? emptyCounts(),
      orders.get(p.key) ?? emptyOrders(),
      periodsPerYear ?? (grain ? PERIODS_PER_YEAR[grain] : null),
    )
    const lapse = lapsed.get(p.key) ?? { lapsedCustomers: 0, totalMs: 0 }
    const totalYears = lapse.totalMs / YEAR_MS
    const lifespanInputs = { lapsedCustomers: lapse.lapsedCustomers, totalYears }
    // As core's observedLifespan: the mean over customers lapsed as of the period's end.
    kpis.metrics.observed_lifespan = explained(
      lapse.lapsedCustomers > 0
        ? {
            metric: 'observed_lifespan',
            defined: true,
            value: totalYears / lapse.lapsedCustomers,
            inputs: lifespanInputs,
          }
        : {
            metric: 'observed_lifespan',
            defined: false,
            value: null,
            because: {
              code: 'zero-denominator',
              input: 'lapsedCustomers',
              en: 'No customer has lapsed yet',
              it: 'Nessun cliente è ancora decaduto',
            },
            inputs: lifespanInputs,
          },
    )
    const figures = mrr.get(span(p))
    if (figures) {
      const months = (trailing.get(p.key) ?? []).flatMap((m) => mrr.get(span(m)) ?? [])
      kpis.subscriptions = figures
      Object.assign(kpis.metrics, mrrMetrics(figures, months))
    }
    return kpis
  })
}

function emptyCounts(): PeriodCounts {
  return Object.fromEntries(CUSTOMER_SETS.map((s) => [s, 0])) as PeriodCounts
}
function emptyOrders(): PeriodOrderFigures {
  return { revenue: 0, orders: 0, customerOrders: 0, orderingCustomers: 0, repeatCustomers: 0 }
}

/** The period, the one before it (same length, or the previous bucket) and a year before. */
export function comparisonPeriods(
  period: { start: number; end: number },
  timeZone: string,
): { current: PeriodSpec; previous: PeriodSpec; yearBefore: PeriodSpec } {
  const grain = grainOf(period, timeZone)
  const current = { key: 'current', ...period }
  if (grain) {
    const b = bucketOf(period.start, grain, timeZone)
    const prev = bucketOf(b.start - 1, grain, timeZone)
    const year = shiftYear(period, timeZone)
    return {
      current,
      previous: { key: 'previous', start: prev.start, end: prev.end },
      yearBefore: { key: 'year_before', ...year },
    }
  }
  const length = period.end - period.start
  return {
    current,
    previous: { key: 'previous', start: period.start - length, end: period.start },
    yearBefore: { key: 'year_before', ...shiftYear(period, timeZone) },
  }
}

/**
 * The same local wall-clock dates one year earlier; 29 February falls back to 28 February
 * (civil date arithmetic in the workspace zone, not 365 × 24 h).
 */
function shiftYear(period: { start: number; end: number }, timeZone: string) {
  const back = (t: number) => {
    const local = toLocal(t, timeZone)
    const day = local.month === 2 && local.day === 29 ? 28 : local.day
    return localToInstant({ ...local, year: local.year - 1, day }, timeZone)
  }
  return { start: back(period.start), end: back(period.end) }
}

/** The buckets of a series in the workspace zone. */
export function seriesPeriods(
  from: number,
  to: number,
  grain: Grain,
  timeZone: string,
): PeriodSpec[] {
  return bucketsBetween(from, to, grain, timeZone).map((b) => ({
    key: b.key,
    start: b.start,
    end: b.end,
  }))
}

// ---------------------------------------------------------------------------------------------
// Surveys and customer service

export async function feedbackFor(
  replica: MetricsReplica,
  scope: Scope,
  period: { start: number; end: number },
): Promise<Record<string, ExplainedMetric>> {
  const base = scopeCtes(scope)
  // eNPS answers come from employees: a customer segment never narrows them.
  const inSegment = scope.segment.length
    ? "AND (kind = 'enps' OR customer_id IN (SELECT id FROM seg))"
    : ''
  const rows = await replica.query<{
    kind: string
    promoters: number
    passives: number
    detractors: number
    satisfied: number
    answers: number
    score_sum: number
  }>(
    `WITH ${base.sql}
    SELECT kind,
      CAST(count(*) FILTER (WHERE score >= 9) AS INTEGER) AS promoters,
      CAST(count(*) FILTER (WHERE score BETWEEN 7 AND 8) AS INTEGER) AS passives,
      CAST(count(*) FILTER (WHERE score <= 6) AS INTEGER) AS detractors,
      CAST(count(*) FILTER (WHERE score >= 4) AS INTEGER) AS satisfied,
      CAST(count(*) AS INTEGER) AS answers,
      CAST(coalesce(sum(score), 0) AS BIGINT) AS score_sum
    FROM survey_answers
    WHERE workspace_id = CAST($ws AS INTEGER) AND answered_at >= $from AND answered_at < $to
      ${inSegment}
    GROUP BY kind`,
    { ...base.params, from: new Date(period.start), to: new Date(period.end) },
  )
  const of = (kind: string) => rows.find((r) => r.kind === kind)
  const npsRow = of('nps')
  const enpsRow = of('enps')
  const csatRow = of('csat')
  const cesRow = of('ces')
  const npsInputs = (r: typeof npsRow) => ({
    promoters: Number(r?.promoters ?? 0),
    passives: Number(r?.passives ?? 0),
    detractors: Number(r?.detractors ?? 0),
  })
  return {
    nps: explained(nps(npsInputs(npsRow))),
    enps: explained(enps(npsInputs(enpsRow))),
    csat: explained(
      csat({ satisfied: Number(csatRow?.satisfied ?? 0), answers: Number(csatRow?.answers ?? 0) }),
    ),
    ces: explained(
      ces({ scoreSum: Number(cesRow?.score_sum ?? 0), answers: Number(cesRow?.answers ?? 0) }),
    ),
  }
}

export type ServiceKpis = {
  open: number
  overdue: number
  median_first_response_ms: ExplainedMetric
  median_resolution_ms: ExplainedMetric
  satisfaction_by_channel: { channel: string; csat: ExplainedMetric }[]
}

/**
 * Customer service from tickets (docs/metrics.md, "Customer service"): open as of end, overdue
 * (open for more than `overdueHours`), medians over tickets opened in the period (DuckDB's
 * quantile_cont, like core's `median`), satisfaction (≥ 4 of 1–5) by channel.
 */
export async function serviceFor(
  replica: MetricsReplica,
  scope: Scope,
  period: { start: number; end: number },
  overdueHours = 48,
): Promise<ServiceKpis> {
  const base = scopeCtes(scope)
  const inSegment = scope.segment.length ? 'AND customer_id IN (SELECT id FROM seg)' : ''
  const params = {
    ...base.params,
    from: new Date(period.start),
    to: new Date(period.end),
    overdue: new Date(period.end - overdueHours * 3_600_000),
  }
  const t = `t AS (SELECT * FROM tickets WHERE workspace_id = CAST($ws AS INTEGER) ${inSegment})`
  const [totals] = await replica.query<{
    open: number
    overdue: number
    frt: number | null
    frt_n: number
    frt_pending: number
    res: number | null
    res_n: number
    res_pending: number
  }>(
    `WITH ${base.sql}, ${t}
    SELECT
      CAST(count(*) FILTER (WHERE opened_at < $to AND (resolved_at IS NULL OR resolved_at >= $to)) AS INTEGER) AS open,
      CAST(count(*) FILTER (WHERE opened_at < $overdue AND (resolved_at IS NULL OR resolved_at >= $to)) AS INTEGER) AS overdue,
      quantile_cont(epoch_ms(first_response_at) - epoch_ms(opened_at), 0.5) FILTER (WHERE opened_at >= $from AND opened_at < $to AND first_response_at IS NOT NULL) AS frt,
      CAST(count(*) FILTER (WHERE opened_at >= $from AND opened_at < $to AND first_response_at IS NOT NULL) AS INTEGER) AS frt_n,
      CAST(count(*) FILTER (WHERE opened_at >= $from AND opened_at < $to AND first_response_at IS NULL) AS INTEGER) AS frt_pending,
      quantile_cont(epoch_ms(resolved_at) - epoch_ms(opened_at), 0.5) FILTER (WHERE opened_at >= $from AND opened_at < $to AND resolved_at IS NOT NULL) AS res,
      CAST(count(*) FILTER (WHERE opened_at >= $from AND opened_at < $to AND resolved_at IS NOT NULL) AS INTEGER) AS res_n,
      CAST(count(*) FILTER (WHERE opened_at >= $from AND opened_at < $to AND resolved_at IS NULL) AS INTEGER) AS res_pending
    FROM t`,
    params,
  )
  const channels = await replica.query<{ channel: string; satisfied: number; answers: number }>(
    `WITH ${base.sql}, ${t}
    SELECT channel, CAST(count(*) FILTER (WHERE satisfaction >= 4) AS INTEGER) AS satisfied,
      CAST(count(*) AS INTEGER) AS answers
    FROM t WHERE opened_at >= $from AND opened_at < $to AND satisfaction IS NOT NULL
    GROUP BY channel ORDER BY channel`,
    params,
  )
  const median = (
    metric: 'median_first_response_time' | 'median_resolution_time',
    value: number | null | undefined,
    measured: number,
    pending: number,
  ): ExplainedMetric =>
    explained(
      value === null || value === undefined
        ? {
            metric,
            defined: false,
            value: null,
            because: {
              code: 'no-data',
              input: 'measured',
              en: 'No ticket opened in the period has the event yet',
              it: 'Nessun ticket aperto nel periodo ha ancora l’evento',
            },
            inputs: { measured, pending },
          }
        : { metric, defined: true, value: Number(value), inputs: { measured, pending } },
    )
  return {
    open: Number(totals?.open ?? 0),
    overdue: Number(totals?.overdue ?? 0),
    median_first_response_ms: median(
      'median_first_response_time',
      totals?.frt,
      Number(totals?.frt_n ?? 0),
      Number(totals?.frt_pending ?? 0),
    ),
    median_resolution_ms: median(
      'median_resolution_time',
      totals?.res,
      Number(totals?.res_n ?? 0),
      Number(totals?.res_pending ?? 0),
    ),
    satisfaction_by_channel: channels.map((c) => ({
      channel: c.channel,
      csat: explained(
        csat({ satisfied: Number(c.satisfied), answers: Number(c.answers) }, 'csat_by_channel'),
      ),
    })),
  }
}
