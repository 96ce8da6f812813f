import {
  bucketsBetween,
  cohortRetention,
  cumulativeRevenuePerCustomer,
  revenueRetention,
  type Bucket,
  type Grain,
  type MetricResult,
} from '@fedele/core/metrics'
import { dayOf, periodsCte, scopeCtes, type MetricsReplica, type Scope } from './scope.ts'

/**
 * "Active in a bucket" (docs/metrics.md): a completed order in it, or a subscription paying at
 * some instant of it; nothing at or after `$asof` is seen. Which sources count follows the
 * workspace's business model, like `act`. `orderBuckets` names a CTE of distinct
 * (customer_id, pk) with orders before `$asof`, when the query has one already.
 */
function activeInPeriods(scope: Scope, orderBuckets?: string): string {
  const parts: string[] = []
  if (scope.settings.businessModel !== 'subscriptions' && orderBuckets) {
    parts.push(`SELECT customer_id, pk FROM ${orderBuckets}`)
  } else if (scope.settings.businessModel !== 'subscriptions') {
    parts.push(`SELECT DISTINCT o.customer_id, p.pk FROM ord o
      JOIN pdays p ON p.d = ${dayOf('o.placed_at')} AND o.placed_at >= p.ps AND o.placed_at < p.pe
      WHERE o.customer_id IS NOT NULL AND o.placed_at < $asof`)
  }
  if (scope.settings.businessModel !== 'orders') {
    parts.push(`SELECT DISTINCT s.customer_id, p.pk FROM sub s
      JOIN periods p ON s.paid_from < p.pe AND (s.ended_at IS NULL OR s.ended_at > p.ps)
      WHERE s.paid_from < $asof AND (s.ended_at IS NULL OR s.paid_from < s.ended_at)`)
  }
  return parts.join(' UNION ')
}

export type CohortCellResult = {
  offset: number
  key: string
  start: string
  end: string
  complete: boolean
  active: number
  active_on_or_after: number
  revenue: number
  cumulative_revenue: number
  retention: MetricResult<unknown>
  retention_on_or_after: MetricResult<unknown>
  revenue_retention: MetricResult<unknown>
  cumulative_revenue_per_customer: MetricResult<unknown>
}

export type CohortResult = {
  key: string
  start: string
  end: string
  size: number
  cells: CohortCellResult[]
}

/**
 * The cohort table by first-activity bucket: for each cohort and offset k, customers active in
 * bucket k ("on"), active in bucket k or later before asOf ("on or after"), revenue in bucket k
 * and cumulated. The grid of buckets is computed in the workspace zone by core's time helpers and
 * handed to DuckDB as instants, so SQL never does calendar arithmetic.
 */
export async function cohortTableSql(
  replica: MetricsReplica,
  scope: Scope,
  options: { grain: Grain; asOf: number; firstActivityIn?: { start: number; end: number } },
): Promise<CohortResult[]> {
  const base = scopeCtes(scope)
  const asof = new Date(options.asOf)
  const range = options.firstActivityIn
  const firstRows = await replica.query<{ first_at: Date | null }>(
    `WITH ${base.sql} SELECT min(first_at) AS first_at FROM act
    WHERE first_at < $asof ${range ? 'AND first_at >= $rs AND first_at < $re' : ''}`,
    {
      ...base.params,
      asof,
      ...(range ? { rs: new Date(range.start), re: new Date(range.end) } : {}),
    },
  )
  const earliest = firstRows[0]?.first_at
  if (!earliest) return []
  const grid = bucketsBetween(
    earliest.getTime(),
    options.asOf,
    options.grain,
    scope.settings.timeZone,
  )
  // Periods by their index in the grid (ck and pk below are grid indices).
  const periods = periodsCte(
    grid.map((b) => ({ key: b.key, start: b.start, end: b.end })),
    true,
  )
  // Aggregates per (cohort, bucket) only, never a cohort × bucket × customer grid: customers
  // active in a bucket, revenue in it, and customers whose last active bucket it is ("on or
  // after" bucket k is the sum of the last ones from k on, added up below).
  const rows = await replica.query<{
    kind: 'size' | 'on' | 'last' | 'revenue'
    ck: number
    pk: number | null
    n: number
  }>(
    `WITH ${base.sql}, ${periods.sql},
    firsts AS (
      SELECT customer_id, first_at FROM act
      WHERE t_from = first_at AND first_at < $asof
        ${range ? 'AND first_at >= $rs AND first_at < $re' : ''}
    ),
    cohort AS MATERIALIZED (
      SELECT f.customer_id, p.pk AS ck FROM firsts f
      JOIN pdays p ON p.d = ${dayOf('f.first_at')} AND f.first_at >= p.ps AND f.first_at < p.pe
    ),
    revenue AS MATERIALIZED (
      SELECT o.customer_id, p.pk, sum(o.revenue) AS revenue FROM ord o
      JOIN pdays p ON p.d = ${dayOf('o.placed_at')} AND o.placed_at >= p.ps AND o.placed_at < p.pe
      WHERE o.customer_id IS NOT NULL AND o.placed_at < $asof GROUP BY o.customer_id, p.pk
    ),
    active AS MATERIALIZED (${activeInPeriods(scope, 'revenue')}),
    last_active AS (
      SELECT a.customer_id, arg_max(p.pk, p.ps) AS pk FROM active a JOIN periods p USING (pk) GROUP BY a.customer_id
    )
    SELECT 'size' AS kind, ck, NULL AS pk, CAST(count(*) AS BIGINT) AS n FROM cohort GROUP BY ck
    UNION ALL
    SELECT 'on', c.ck, a.pk, CAST(count(*) AS BIGINT) FROM cohort c JOIN active a USING (customer_id) GROUP BY c.ck, a.pk
    UNION ALL
    SELECT 'last', c.ck, l.pk, CAST(count(*) AS BIGINT) FROM cohort c JOIN last_active l USING (customer_id) GROUP BY c.ck, l.pk
    UNION ALL
    SELECT 'revenue', c.ck, r.pk, CAST(sum(r.revenue) AS BIGINT) FROM cohort c JOIN revenue r USING (customer_id) GROUP BY c.ck, r.pk`,
    {
      ...base.params,
      ...periods.params,
      asof,
      ...(range ? { rs: new Date(range.start), re: new Date(range.end) } : {}),
    },
  )
  type Figures = { size: number; on: number[]; last: number[]; revenue: number[] }
  const byCohort = new Map<number, Figures>()
  for (const row of rows) {
    const ck = Number(row.ck)
    let f = byCohort.get(ck)
    if (!f) {
      const zeros = () => grid.map(() => 0)
      byCohort.set(ck, (f = { size: 0, on: zeros(), last: zeros(), revenue: zeros() }))
    }
    if (row.kind === 'size') f.size = Number(row.n)
    else if (row.pk !== null) {
      const i = Number(row.pk)
      if (i >= 0 && i < grid.length) f[row.kind][i] = Number(row.n)
    }
  }
  return [...byCohort.keys()]
    .sort((a, b) => a - b)
    .map((ck) => {
      const first = ck
      const f = byCohort.get(ck) as Figures
      const own = grid[first] as Bucket
      const size = f.size
      // Customers whose last active bucket is k or later.
      const onOrAfter = grid.map(() => 0)
      for (let i = grid.length - 1, sum = 0; i >= first; i--) {
        sum += f.last[i] ?? 0
        onOrAfter[i] = sum
      }
      let baseRevenue = 0
      let cumulative = 0
      const out: CohortCellResult[] = []
      for (const [offset, bucket] of grid.slice(first).entries()) {
        const i = first + offset
        const active = f.on[i] ?? 0
        const activeOnOrAfter = onOrAfter[i] ?? 0
        const revenue = f.revenue[i] ?? 0
        if (offset === 0) baseRevenue = revenue
        cumulative += revenue
        out.push({
          offset,
          key: bucket.key,
          start: new Date(bucket.start).toISOString(),
          end: new Date(bucket.end).toISOString(),
          complete: bucket.end <= options.asOf,
          active,
          active_on_or_after: activeOnOrAfter,
          revenue,
          cumulative_revenue: cumulative,
          retention: cohortRetention({ cohortSize: size, active }),
          retention_on_or_after: cohortRetention(
            { cohortSize: size, active: activeOnOrAfter },
            'cohort_retention_on_or_after',
          ),
          revenue_retention: revenueRetention({ baseRevenue, revenue }),
          cumulative_revenue_per_customer: cumulativeRevenuePerCustomer({
            cumulativeRevenue: cumulative,
            cohortSize: size,
          }),
        })
      }
      return {
        key: own.key,
        start: new Date(own.start).toISOString(),
        end: new Date(own.end).toISOString(),
        size,
        cells: out,
      }
    })
}

export type LifecycleCounts = {
  new: number
  returning: number
  resurrecting: number
  dormant: number
}
export type LifecycleState = keyof LifecycleCounts

/**
 * Lifecycle of each bucket against the one before (docs/metrics.md, "Lifecycle"): new = first
 * activity in the bucket; returning = active in both; resurrecting = active now, not before, not
 * new; dormant = active before, not now. `periods` must be consecutive; the first one's
 * `previous` is given separately.
 */
export async function lifecycleSql(
  replica: MetricsReplica,
  scope: Scope,
  periods: readonly { key: string; start: number; end: number }[],
  options: { state?: LifecycleState; key?: string; limit?: number; offset?: number } = {},
): Promise<{ counts: Map<string, LifecycleCounts>; ids: number[]; total: number }> {
  const base = scopeCtes(scope)
  const p = periodsCte(periods)
  const asof = new Date(periods[periods.length - 1]?.end ?? 0)
  const sql = `WITH ${base.sql}, ${p.sql},
    ordered AS (SELECT pk, ps, pe, row_number() OVER (ORDER BY ps) AS i FROM periods),
    active AS (${activeInPeriods(scope)}),
    ai AS (SELECT a.customer_id, o.i FROM active a JOIN ordered o USING (pk)),
    firsts AS (SELECT customer_id, min(t_from) AS first_at FROM act GROUP BY customer_id),
    states AS (
      SELECT o.pk, x.customer_id,
        CASE
          WHEN now.customer_id IS NOT NULL AND f.first_at >= o.ps AND f.first_at < o.pe THEN 'new'
          WHEN now.customer_id IS NOT NULL AND prev.customer_id IS NOT NULL THEN 'returning'
          WHEN now.customer_id IS NOT NULL THEN 'resurrecting'
          ELSE 'dormant'
        END AS state
      FROM ordered o
      JOIN (SELECT DISTINCT customer_id, i FROM ai UNION SELECT DISTINCT customer_id, i + 1 FROM ai) x ON x.i = o.i
      LEFT JOIN ai now ON now.customer_id = x.customer_id AND now.i = o.i
      LEFT JOIN ai prev ON prev.customer_id = x.customer_id AND prev.i = o.i - 1
      JOIN firsts f ON f.customer_id = x.customer_id
      WHERE o.i > 1
    )`
  const params = { ...base.params, ...p.params, asof }
  const counts = new Map<string, LifecycleCounts>()
  for (const period of periods.slice(1)) {
    counts.set(period.key, { new: 0, returning: 0, resurrecting: 0, dormant: 0 })
  }
  if (options.state && options.key) {
    const rows = await replica.query<{ customer_id: number; total: number }>(
      `${sql} SELECT customer_id, CAST(count(*) OVER () AS INTEGER) AS total FROM states
      WHERE pk = $key AND state = $state ORDER BY customer_id
      LIMIT CAST($limit AS INTEGER) OFFSET CAST($offset AS INTEGER)`,
      {
        ...params,
        key: options.key,
        state: options.state,
        limit: options.limit ?? 100,
        offset: options.offset ?? 0,
      },
    )
    return {
      counts,
      ids: rows.map((r) => Number(r.customer_id)),
      total: Number(rows[0]?.total ?? 0),
    }
  }
  const rows = await replica.query<{ pk: string; state: LifecycleState; n: number }>(
    `${sql} SELECT pk, state, CAST(count(*) AS INTEGER) AS n FROM states GROUP BY pk, state`,
    params,
  )
  for (const row of rows) {
    const c = counts.get(row.pk)
    if (c) c[row.state] = Number(row.n)
  }
  return { counts, ids: [], total: 0 }
}

/**
 * The customers behind one cohort cell: the cohort `cohortKey` (first activity in that bucket,
 * before asOf) active in [start, end) — bucket k for "on", bucket k up to asOf for "on or after".
 */
export async function cohortCellIds(
  replica: MetricsReplica,
  scope: Scope,
  cell: { cohort: { start: number; end: number }; active: { start: number; end: number } },
  asOf: number,
  page: { limit: number; offset: number },
): Promise<{ total: number; ids: number[] }> {
  const base = scopeCtes(scope)
  const periods = periodsCte([{ key: 'k', start: cell.active.start, end: cell.active.end }])
  const rows = await replica.query<{ customer_id: number; total: number }>(
    `WITH ${base.sql}, ${periods.sql},
    firsts AS (
      SELECT customer_id FROM act GROUP BY customer_id
      HAVING min(t_from) >= $cs AND min(t_from) < $ce AND min(t_from) < $asof
    ),
    active AS (${activeInPeriods(scope)})
    SELECT f.customer_id, CAST(count(*) OVER () AS INTEGER) AS total
    FROM firsts f WHERE f.customer_id IN (SELECT customer_id FROM active)
    ORDER BY f.customer_id LIMIT CAST($limit AS INTEGER) OFFSET CAST($offset AS INTEGER)`,
    {
      ...base.params,
      ...periods.params,
      cs: new Date(cell.cohort.start),
      ce: new Date(cell.cohort.end),
      asof: new Date(asOf),
      limit: page.limit,
      offset: page.offset,
    },
  )
  return { total: Number(rows[0]?.total ?? 0), ids: rows.map((r) => Number(r.customer_id)) }
}
