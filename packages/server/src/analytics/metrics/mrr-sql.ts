import {
  arpc,
  grr,
  logoChurn,
  ltv,
  netNewMrr,
  nrr,
  revenueChurn,
  type MetricResult,
} from '@fedele/core/metrics'
import { explained, type ExplainedMetric } from './kpis.ts'
import type { PeriodSpec } from './period-sql.ts'
import { scopeCtes, type MetricsReplica, type Scope } from './scope.ts'

/**
 * Monthly amount of a price per billing interval, in integers: round half up of
 * amount × periods per year / (12 × interval count) = floor((2·a·p + 12·c) / (24·c)).
 */
const monthly = (amount: string) => `
  ((${amount}) * (CASE billing_interval WHEN 'day' THEN 365 WHEN 'week' THEN 52 WHEN 'year' THEN 1 ELSE 12 END) * 2
    + 12 * coalesce(interval_count, 1)) // (24 * coalesce(interval_count, 1))`

/**
 * Price segments as docs/metrics.md: a subscription pays from `pays_from` (trial excluded) to
 * `ended_at`; the price in force just before an instant b is the last change with an amount
 * placed before b (changes at or before the start apply from the start), else the
 * subscription's amount. MRR as of b sums subscriptions with pays_from < b ≤ ended_at.
 */
const MRR_CTES = `
    subp AS (SELECT * FROM sub WHERE ended_at IS NULL OR pays_from < ended_at),
    chg AS (
      SELECT c.subscription_id, c.changed_at, c.amount FROM subscription_changes c
      WHERE c.workspace_id = CAST($ws AS INTEGER) AND c.amount IS NOT NULL
    ),
    snap AS (
      SELECT b, customer_id, sum(m) AS mrr FROM (
        SELECT x.b, s.customer_id, s.id,
          ${monthly('coalesce(arg_max(c.amount, c.changed_at), any_value(s.amount))')} AS m
        FROM bounds x
        JOIN subp s ON s.pays_from < x.b AND (s.ended_at IS NULL OR s.ended_at >= x.b)
        LEFT JOIN chg c ON c.subscription_id = s.id AND c.changed_at < x.b
        GROUP BY x.b, s.customer_id, s.id, s.billing_interval, s.interval_count
      ) GROUP BY b, customer_id HAVING sum(m) > 0
    ),
    start_price AS (
      SELECT s.id, s.customer_id, s.pays_from, s.billing_interval, s.interval_count,
        coalesce(arg_max(c.amount, c.changed_at), any_value(s.amount)) AS amount
      FROM subp s LEFT JOIN chg c ON c.subscription_id = s.id AND c.changed_at <= s.pays_from
      GROUP BY s.id, s.customer_id, s.pays_from, s.billing_interval, s.interval_count
    ),
    first_paid AS (
      SELECT customer_id, min(paid_at) AS first_paid FROM (
        SELECT customer_id, pays_from AS paid_at FROM start_price WHERE ${monthly('amount')} > 0
        UNION ALL
        SELECT s.customer_id, c.changed_at FROM subp s JOIN chg c ON c.subscription_id = s.id
        WHERE c.changed_at > s.pays_from AND (s.ended_at IS NULL OR c.changed_at < s.ended_at)
          AND ${monthly('c.amount').replaceAll('billing_interval', 's.billing_interval').replaceAll('interval_count', 's.interval_count')} > 0
      ) GROUP BY customer_id
    )`

/**
 * Per (period, customer): MRR as of start (s) and as of end (e), from `snap`. Snapshots are taken
 * once per distinct instant: in a series the end of one period is the start of the next.
 */
function movementCtes(scope: Scope, periods: readonly PeriodSpec[]) {
  const base = scopeCtes(scope)
  const instants = [...new Set(periods.flatMap((p) => [p.start, p.end]))]
  return {
    ctes: `WITH ${base.sql},
    bounds AS (SELECT unnest($bs) AS b),
    periods AS (
      SELECT unnest(CAST($pidx AS INTEGER[])) AS pk, unnest($pstarts) AS ps, unnest($pends) AS pe
    ),
    ${MRR_CTES},
    mv AS (
      SELECT pk, any_value(ps) AS ps, customer_id, sum(s) AS s, sum(e) AS e FROM (
        SELECT p.pk, p.ps, x.customer_id, x.mrr AS s, 0 AS e FROM periods p JOIN snap x ON x.b = p.ps
        UNION ALL
        SELECT p.pk, p.ps, x.customer_id, 0, x.mrr FROM periods p JOIN snap x ON x.b = p.pe
      ) GROUP BY pk, customer_id
    )`,
    params: {
      ...base.params,
      bs: instants.map((t) => new Date(t)),
      // Periods by their index (an integer groups faster than the key text).
      pidx: periods.map((_, i) => i),
      pstarts: periods.map((p) => new Date(p.start)),
      pends: periods.map((p) => new Date(p.end)),
    },
  }
}

export const MRR_MOVEMENTS = [
  'mrr_new',
  'mrr_expansion',
  'mrr_contraction',
  'mrr_churn',
  'mrr_reactivation',
] as const
export type MrrMovement = (typeof MRR_MOVEMENTS)[number]

const MOVEMENT_PREDICATE: Record<MrrMovement, string> = {
  mrr_new: 's = 0 AND e > 0 AND NOT coalesce(f.first_paid < mv.ps, FALSE)',
  mrr_reactivation: 's = 0 AND e > 0 AND f.first_paid < mv.ps',
  mrr_expansion: 's > 0 AND e > s',
  mrr_contraction: 'e > 0 AND e < s',
  mrr_churn: 's > 0 AND e = 0',
}

/** The customers behind one MRR movement of a period, with their MRR at start and end. */
export async function mrrMovementIds(
  replica: MetricsReplica,
  scope: Scope,
  period: PeriodSpec,
  movement: MrrMovement,
  page: { limit: number; offset: number },
): Promise<{ total: number; ids: number[] }> {
  const { ctes, params } = movementCtes(scope, [period])
  const rows = await replica.query<{ customer_id: number; total: number }>(
    `${ctes}
    SELECT mv.customer_id, CAST(count(*) OVER () AS INTEGER) AS total
    FROM mv LEFT JOIN first_paid f USING (customer_id)
    WHERE ${MOVEMENT_PREDICATE[movement]}
    ORDER BY mv.customer_id LIMIT CAST($limit AS INTEGER) OFFSET CAST($offset AS INTEGER)`,
    { ...params, limit: page.limit, offset: page.offset },
  )
  return { total: Number(rows[0]?.total ?? 0), ids: rows.map((r) => Number(r.customer_id)) }
}

export type MrrFigures = {
  startMrr: number
  endMrr: number
  startCustomers: number
  endCustomers: number
  new: number
  expansion: number
  contraction: number
  churn: number
  reactivation: number
  churnedCustomers: number
}

/** MRR snapshots at each period's start and end, and the movements between them. */
export async function mrrFigures(
  replica: MetricsReplica,
  scope: Scope,
  periods: readonly PeriodSpec[],
): Promise<Map<string, MrrFigures>> {
  const out = new Map<string, MrrFigures>()
  if (periods.length === 0) return out
  const { ctes, params } = movementCtes(scope, periods)
  const rows = await replica.query<{ pk: number } & MrrFigures>(
    `${ctes}
    SELECT pk,
      CAST(sum(s) AS BIGINT) AS "startMrr",
      CAST(sum(e) AS BIGINT) AS "endMrr",
      CAST(count(*) FILTER (WHERE s > 0) AS INTEGER) AS "startCustomers",
      CAST(count(*) FILTER (WHERE e > 0) AS INTEGER) AS "endCustomers",
      CAST(coalesce(sum(e) FILTER (WHERE s = 0 AND e > 0 AND NOT coalesce(f.first_paid < mv.ps, FALSE)), 0) AS BIGINT) AS new,
      CAST(coalesce(sum(e) FILTER (WHERE s = 0 AND e > 0 AND f.first_paid < mv.ps), 0) AS BIGINT) AS reactivation,
      CAST(coalesce(sum(e - s) FILTER (WHERE s > 0 AND e > s), 0) AS BIGINT) AS expansion,
      CAST(coalesce(sum(s - e) FILTER (WHERE e > 0 AND e < s), 0) AS BIGINT) AS contraction,
      CAST(coalesce(sum(s) FILTER (WHERE s > 0 AND e = 0), 0) AS BIGINT) AS churn,
      CAST(count(*) FILTER (WHERE s > 0 AND e = 0) AS INTEGER) AS "churnedCustomers"
    FROM mv LEFT JOIN first_paid f USING (customer_id)
    GROUP BY pk`,
    params,
  )
  for (const p of periods) {
    out.set(p.key, {
      startMrr: 0,
      endMrr: 0,
      startCustomers: 0,
      endCustomers: 0,
      new: 0,
      expansion: 0,
      contraction: 0,
      churn: 0,
      reactivation: 0,
      churnedCustomers: 0,
    })
  }
  for (const row of rows) {
    const f = out.get(periods[Number(row.pk)]?.key ?? '')
    if (!f) continue
    for (const k of Object.keys(f) as (keyof MrrFigures)[]) f[k] = Number(row[k])
  }
  return out
}

/** MRR metrics of one period from its figures, and LTV from the trailing periods' figures. */
export function mrrMetrics(
  figures: MrrFigures,
  trailing: readonly MrrFigures[],
): Record<string, ExplainedMetric> {
  const totals = {
    new: figures.new,
    expansion: figures.expansion,
    contraction: figures.contraction,
    churn: figures.churn,
    reactivation: figures.reactivation,
  }
  const grrInputs = {
    startMrr: figures.startMrr,
    contraction: figures.contraction,
    churn: figures.churn,
  }
  const amount = (
    metric:
      | 'mrr'
      | 'paying_customers'
      | 'mrr_new'
      | 'mrr_expansion'
      | 'mrr_contraction'
      | 'mrr_churn'
      | 'mrr_reactivation',
    value: number,
  ) => explained({ metric, defined: true, value, inputs: {} })
  const arpcEnd = arpc({ mrr: figures.endMrr, payingCustomers: figures.endCustomers })
  const churn = logoChurn({
    startCustomers: trailing.reduce((s, f) => s + f.startCustomers, 0),
    churnedCustomers: trailing.reduce((s, f) => s + f.churnedCustomers, 0),
  })
  const parts = { arpc: arpcEnd.value, churnRate: churn.value }
  let ltvResult: MetricResult<unknown>
  if (!arpcEnd.defined) {
    ltvResult = {
      metric: 'ltv',
      defined: false,
      value: null,
      because: arpcEnd.because,
      inputs: parts,
    }
  } else if (!churn.defined) {
    ltvResult = {
      metric: 'ltv',
      defined: false,
      value: null,
      because: churn.because,
      inputs: parts,
    }
  } else {
    ltvResult = ltv({ arpc: arpcEnd.value, churnRate: churn.value })
  }
  return {
    mrr: amount('mrr', figures.endMrr),
    paying_customers: amount('paying_customers', figures.endCustomers),
    arpc: explained(arpcEnd),
    mrr_new: amount('mrr_new', figures.new),
    mrr_expansion: amount('mrr_expansion', figures.expansion),
    mrr_contraction: amount('mrr_contraction', figures.contraction),
    mrr_churn: amount('mrr_churn', figures.churn),
    mrr_reactivation: amount('mrr_reactivation', figures.reactivation),
    net_new_mrr: explained(netNewMrr(totals)),
    grr: explained(grr(grrInputs)),
    nrr: explained(nrr({ ...grrInputs, expansion: figures.expansion })),
    logo_churn: explained(
      logoChurn({
        startCustomers: figures.startCustomers,
        churnedCustomers: figures.churnedCustomers,
      }),
    ),
    revenue_churn: explained(revenueChurn(grrInputs)),
    ltv: explained(ltvResult),
  }
}
