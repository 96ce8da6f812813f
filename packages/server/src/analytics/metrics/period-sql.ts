import { derived } from '../derived.ts'
import {
  dayOf,
  periodsCte,
  scopeCtes,
  SECOND_ORDERS,
  type MetricsReplica,
  type Scope,
} from './scope.ts'

export type PeriodSpec = { key: string; start: number; end: number }

/** The customer sets of a period (docs/metrics.md, "Period customers"). */
export const CUSTOMER_SETS = ['S', 'E', 'N', 'N_end', 'retained', 'reactivated', 'lost'] as const
export type CustomerSet = (typeof CUSTOMER_SETS)[number]

/** The order sets behind the order metrics, for drill-down. */
export const ORDER_SETS = ['ordering', 'repeat'] as const
export type OrderSet = (typeof ORDER_SETS)[number]

export type PeriodCounts = Record<CustomerSet, number>
export type PeriodOrderFigures = {
  revenue: number
  orders: number
  customerOrders: number
  orderingCustomers: number
  repeatCustomers: number
}

/**
 * Per (period, customer): s = active as of start, e = active as of end, n = first activity in the
 * period. Only islands that can touch a boundary of the period are joined (t_from < pe and
 * t_to >= ps); every new customer has such an island, so N is complete. A customer with one
 * island needs no grouping: that island's flags are theirs.
 */
const touching =
  'FROM periods p JOIN act a ON a.t_from < p.pe AND (a.t_to IS NULL OR a.t_to >= p.ps)'
const activeAt = (b: string) => `a.t_from < ${b} AND (a.t_to IS NULL OR a.t_to >= ${b})`
const FLAGS = `
    pc AS (
      SELECT p.pk, a.customer_id, ${activeAt('p.ps')} AS s, ${activeAt('p.pe')} AS e,
        a.first_at, p.ps, p.pe
      ${touching} WHERE a.islands = 1
      UNION ALL
      SELECT p.pk, a.customer_id, bool_or(${activeAt('p.ps')}), bool_or(${activeAt('p.pe')}),
        any_value(a.first_at), any_value(p.ps), any_value(p.pe)
      ${touching} WHERE a.islands > 1
      GROUP BY p.pk, a.customer_id
    ),
    flags AS (
      SELECT pk, customer_id, s, e, (first_at >= ps AND first_at < pe) AS n FROM pc
    )`

/** `pc` alone (s and e) of one period, for the sets that do not depend on first activity. */
const FLAGS_WITHOUT_FIRST = `
    pc AS (
      SELECT a.customer_id, ${activeAt('p.ps')} AS s, ${activeAt('p.pe')} AS e
      ${touching} WHERE a.islands = 1
      UNION ALL
      SELECT a.customer_id, bool_or(${activeAt('p.ps')}), bool_or(${activeAt('p.pe')})
      ${touching} WHERE a.islands > 1
      GROUP BY a.customer_id
    )`

/** The predicate of each set over `flags` (s, e, n). */
const SET_PREDICATE: Record<CustomerSet, string> = {
  S: 's',
  E: 'e',
  N: 'n',
  N_end: 'n AND e',
  retained: 's AND e',
  reactivated: 'e AND NOT s AND NOT n',
  lost: 's AND NOT e',
}

function withScope(scope: Scope, periods: readonly PeriodSpec[]) {
  const base = scopeCtes(scope)
  // pk is the index in `periods`: rows name their period by it.
  const p = periodsCte(periods, true)
  return { ctes: `WITH ${base.sql}, ${p.sql}`, params: { ...base.params, ...p.params } }
}

/** S, E, N, N_end, retained, reactivated and lost for each period, keyed by period key. */
export async function periodCounts(
  replica: MetricsReplica,
  scope: Scope,
  periods: readonly PeriodSpec[],
): Promise<Map<string, PeriodCounts>> {
  const out = new Map<string, PeriodCounts>()
  for (const p of periods) {
    out.set(p.key, { S: 0, E: 0, N: 0, N_end: 0, retained: 0, reactivated: 0, lost: 0 })
  }
  if (periods.length === 0) return out
  const { ctes, params } = withScope(scope, periods)
  const columns = CUSTOMER_SETS.map(
    (set) => `CAST(count(*) FILTER (WHERE ${SET_PREDICATE[set]}) AS INTEGER) AS "${set}"`,
  ).join(', ')
  const rows = await replica.query<{ pk: number } & PeriodCounts>(
    `${ctes}, ${FLAGS} SELECT pk, ${columns} FROM flags GROUP BY pk`,
    params,
  )
  for (const row of rows) {
    const counts = out.get(periods[Number(row.pk)]?.key ?? '')
    if (counts) for (const set of CUSTOMER_SETS) counts[set] = Number(row[set])
  }
  return out
}

/** Revenue, orders, ordering and repeat customers for each period. */
export async function periodOrderFigures(
  replica: MetricsReplica,
  scope: Scope,
  periods: readonly PeriodSpec[],
): Promise<Map<string, PeriodOrderFigures>> {
  const out = new Map<string, PeriodOrderFigures>()
  for (const p of periods) {
    out.set(p.key, {
      revenue: 0,
      orders: 0,
      customerOrders: 0,
      orderingCustomers: 0,
      repeatCustomers: 0,
    })
  }
  if (periods.length === 0) return out
  const { ctes, params } = withScope(scope, periods)
  // A customer repeats as of end when their second completed order ever is before end. Orders are
  // first summed per (period, customer), anonymous ones in one row per period.
  const rows = await replica.query<{ pk: number } & PeriodOrderFigures>(
    `${ctes},
    second AS (SELECT customer_id, second_at FROM ${derived(SECOND_ORDERS)}),
    pcust AS (
      SELECT p.pk, any_value(p.pe) AS pe, o.customer_id, sum(o.revenue) AS revenue, count(*) AS n
      FROM pdays p JOIN ord o
        ON p.d = ${dayOf('o.placed_at')} AND o.placed_at >= p.ps AND o.placed_at < p.pe
      GROUP BY p.pk, o.customer_id
    )
    SELECT c.pk,
      CAST(coalesce(sum(c.revenue), 0) AS BIGINT) AS revenue,
      CAST(sum(c.n) AS INTEGER) AS orders,
      CAST(coalesce(sum(c.n) FILTER (WHERE c.customer_id IS NOT NULL), 0) AS INTEGER) AS "customerOrders",
      CAST(count(c.customer_id) AS INTEGER) AS "orderingCustomers",
      CAST(count(*) FILTER (WHERE s.second_at < c.pe) AS INTEGER) AS "repeatCustomers"
    FROM pcust c LEFT JOIN second s USING (customer_id)
    GROUP BY c.pk`,
    params,
  )
  for (const row of rows) {
    const key = periods[Number(row.pk)]?.key
    if (key === undefined) continue
    out.set(key, {
      revenue: Number(row.revenue),
      orders: Number(row.orders),
      customerOrders: Number(row.customerOrders),
      orderingCustomers: Number(row.orderingCustomers),
      repeatCustomers: Number(row.repeatCustomers),
    })
  }
  return out
}

/** Customers active as of each instant (E of a period ending there). */
export async function customerIdsOf(
  replica: MetricsReplica,
  scope: Scope,
  period: PeriodSpec,
  set: CustomerSet | OrderSet,
  page: { limit: number; offset: number },
): Promise<{ total: number; ids: number[] }> {
  const { ctes, params } = withScope(scope, [period])
  const selection =
    set === 'ordering' || set === 'repeat'
      ? `second AS (SELECT customer_id, second_at FROM ${derived(SECOND_ORDERS)}),
        chosen AS (
          SELECT DISTINCT o.customer_id FROM pdays p
          JOIN ord o ON p.d = ${dayOf('o.placed_at')} AND o.placed_at >= p.ps AND o.placed_at < p.pe
            AND o.customer_id IS NOT NULL
          ${set === 'repeat' ? 'JOIN second s ON s.customer_id = o.customer_id AND s.second_at < p.pe' : ''}
        )`
      : set === 'N' || set === 'N_end' || set === 'reactivated'
        ? `${FLAGS}, chosen AS (SELECT customer_id FROM flags WHERE ${SET_PREDICATE[set]})`
        : // S, E, retained and lost need no first activity: skip that pass over every span.
          `${FLAGS_WITHOUT_FIRST}, chosen AS (SELECT customer_id FROM pc WHERE ${SET_PREDICATE[set]})`
  const rows = await replica.query<{ customer_id: number; total: number }>(
    `${ctes}, ${selection}
    SELECT customer_id, CAST(count(*) OVER () AS INTEGER) AS total FROM chosen
    ORDER BY customer_id LIMIT CAST($limit AS INTEGER) OFFSET CAST($offset AS INTEGER)`,
    { ...params, limit: page.limit, offset: page.offset },
  )
  if (rows.length === 0 && page.offset > 0) {
    const all = await replica.query<{ total: number }>(
      `${ctes}, ${selection} SELECT CAST(count(*) AS INTEGER) AS total FROM chosen`,
      params,
    )
    return { total: Number(all[0]?.total ?? 0), ids: [] }
  }
  return { total: Number(rows[0]?.total ?? 0), ids: rows.map((r) => Number(r.customer_id)) }
}

/**
 * Currencies other than the reporting one among the amounts a computation would add: completed
 * orders placed in [from, to) and subscriptions in scope overlapping it. Empty = safe to add.
 */
export async function foreignCurrencies(
  replica: MetricsReplica,
  scope: Scope,
  range: { start: number; end: number },
): Promise<string[]> {
  const base = scopeCtes(scope)
  // MRR adds subscription amounts whatever the business model says about activity.
  const useSubs = true
  const rows = await replica.query<{ currency: string }>(
    `WITH ${base.sql}
    SELECT DISTINCT currency FROM (
      SELECT currency FROM ord WHERE placed_at >= $from AND placed_at < $to
      ${useSubs ? 'UNION ALL SELECT currency FROM sub WHERE started_at < $to AND (ended_at IS NULL OR ended_at >= $from)' : ''}
    ) WHERE currency IS NOT NULL AND currency <> $currency ORDER BY currency`,
    {
      ...base.params,
      from: new Date(range.start),
      to: new Date(range.end),
      currency: scope.settings.reportingCurrency,
    },
  )
  return rows.map((r) => r.currency.trim())
}

export type LapsedFigures = { lapsedCustomers: number; totalMs: number }

/**
 * Observed lifespan inputs as of each period's end (docs/metrics.md, "Lifespan and CLV"):
 * customers with activity before the end and not active as of it; Σ (end of their last activity
 * − first activity) in milliseconds, summed as integers.
 */
export async function lapsedFigures(
  replica: MetricsReplica,
  scope: Scope,
  periods: readonly PeriodSpec[],
): Promise<Map<string, LapsedFigures>> {
  const out = new Map<string, LapsedFigures>()
  for (const p of periods) out.set(p.key, { lapsedCustomers: 0, totalMs: 0 })
  if (periods.length === 0) return out
  const { ctes, params } = withScope(scope, periods)
  const rows = await replica.query<{ pk: number; lapsed: number; total_ms: number }>(
    `${ctes},
    pc AS (
      SELECT p.pk, a.t_to IS NULL OR a.t_to >= p.pe AS active, a.first_at, a.t_to AS lapse_at
      FROM periods p JOIN act a ON a.t_from < p.pe WHERE a.islands = 1
      UNION ALL
      SELECT p.pk, bool_or(a.t_to IS NULL OR a.t_to >= p.pe), min(a.t_from), max(a.t_to)
      FROM periods p JOIN act a ON a.t_from < p.pe WHERE a.islands > 1
      GROUP BY p.pk, a.customer_id
    )
    SELECT pk, CAST(count(*) AS INTEGER) AS lapsed,
      CAST(sum(epoch_ms(lapse_at) - epoch_ms(first_at)) AS BIGINT) AS total_ms
    FROM pc WHERE NOT active GROUP BY pk`,
    params,
  )
  for (const row of rows) {
    const key = periods[Number(row.pk)]?.key
    if (key !== undefined) {
      out.set(key, { lapsedCustomers: Number(row.lapsed), totalMs: Number(row.total_ms) })
    }
  }
  return out
}
