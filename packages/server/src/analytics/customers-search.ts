/**
 * The customer list's facts on the analytics replica: per customer its completed orders, spend,
 * last order, and (from `customer_predictions`) churn risk, CLV and value tier; filtered by tags,
 * last-order range, spend range, a segment (the metrics' registry), churn-risk band and CLV range;
 * sorted and paged in DuckDB, so a page of a million customers costs one indexed-free scan of a
 * materialised aggregate rather than a pass over every order.
 *
 * The replica holds no names, e-mails or external ids (replica-schema.ts): a text search is
 * resolved in the record first and arrives here as candidate ids, and sorting by name is done by
 * the record over the ids that match here (`matchingIds`).
 */
import { derived, PER_CUSTOMER } from './derived.ts'
import { compileSegment } from './metrics/segments.ts'
import type { MetricsReplica, Scope } from './metrics/scope.ts'

/**
 * Churn-risk bands over the predicted probability of churn: low below 0.3, high from 0.7.
 * Half-open intervals, so every risk falls in exactly one band.
 */
export const RISK_BANDS = {
  low: [0, 0.3],
  medium: [0.3, 0.7],
  high: [0.7, Number.POSITIVE_INFINITY],
} as const
export type RiskBand = keyof typeof RISK_BANDS

export const FACT_SORTS = ['last_order', 'orders', 'total_spend', 'churn_risk', 'clv'] as const
export type FactSort = (typeof FACT_SORTS)[number]

/** Fixed ORDER BY expressions: a sort key never reaches the SQL text from the request. */
const SORT_SQL: Record<FactSort, string> = {
  last_order: 'a.last_order',
  orders: 'coalesce(a.orders, 0)',
  total_spend: 'coalesce(a.spend, 0)',
  churn_risk: 'p.churn_risk',
  clv: 'p.clv_minor',
}

export type CustomerFilters = {
  /** Candidate ids from a text search in the record; undefined = no text search. */
  ids?: readonly number[]
  /** Any of these tags. */
  tags?: readonly string[]
  lastOrderFrom?: number
  lastOrderTo?: number
  /** Spend in minor units of the reporting currency, inclusive. */
  spendMin?: number
  spendMax?: number
  riskBands?: readonly RiskBand[]
  clvMin?: number
  clvMax?: number
}

export type CustomerFacts = {
  id: number
  country: string | null
  city: string | null
  tags: string[]
  orders: number
  total_spend: number
  last_order_at: string | null
  churn_risk: number | null
  clv: number | null
  value_tier: string | null
}

/**
 * Completed orders per customer in the reporting currency (spend = total − refunds), one pass
 * over the orders kept across syncs: only customers whose facts changed are recomputed.
 */
function orderAggregate(): string {
  return derived(`SELECT customer_id, count(*) AS orders,
      sum(total - coalesce(refunded_amount, 0)) AS spend, max(placed_at) AS last_order
    FROM orders
    WHERE workspace_id = CAST($ws AS INTEGER) AND status = 'completed' AND customer_id IS NOT NULL
      AND currency = $cur ${PER_CUSTOMER}
    GROUP BY customer_id`)
}

function whereOf(
  scope: Scope,
  f: CustomerFilters,
): { from: string; where: string; params: Record<string, unknown> } {
  const segment = compileSegment(scope.segment)
  const params: Record<string, unknown> = {
    ws: scope.settings.workspaceId,
    cur: scope.settings.reportingCurrency,
    ...segment.params,
  }
  const where = ['c.workspace_id = CAST($ws AS INTEGER)']
  if (segment.predicate) where.push(segment.predicate)
  if (f.ids) {
    params.ids = f.ids.length ? [...f.ids] : [-1]
    where.push('c.id IN (SELECT unnest(CAST($ids AS BIGINT[])))')
  }
  if (f.tags?.length) {
    params.tags = [...f.tags]
    where.push('list_has_any(c.tags, CAST($tags AS VARCHAR[]))')
  }
  if (f.lastOrderFrom !== undefined) {
    params.lof = new Date(f.lastOrderFrom)
    where.push('a.last_order >= $lof')
  }
  if (f.lastOrderTo !== undefined) {
    params.lot = new Date(f.lastOrderTo)
    where.push('a.last_order < $lot')
  }
  if (f.spendMin !== undefined) {
    params.smin = f.spendMin
    where.push('coalesce(a.spend, 0) >= CAST($smin AS BIGINT)')
  }
  if (f.spendMax !== undefined) {
    params.smax = f.spendMax
    where.push('coalesce(a.spend, 0) <= CAST($smax AS BIGINT)')
  }
  if (f.riskBands?.length) {
    const bands = f.riskBands.map((b, i) => {
      const [lo, hi] = RISK_BANDS[b]
      params[`rlo${i}`] = lo
      if (Number.isFinite(hi)) params[`rhi${i}`] = hi
      return Number.isFinite(hi)
        ? `(p.churn_risk >= CAST($rlo${i} AS DOUBLE) AND p.churn_risk < CAST($rhi${i} AS DOUBLE))`
        : `p.churn_risk >= CAST($rlo${i} AS DOUBLE)`
    })
    where.push(`(${bands.join(' OR ')})`)
  }
  if (f.clvMin !== undefined) {
    params.cmin = f.clvMin
    where.push('p.clv_minor >= CAST($cmin AS BIGINT)')
  }
  if (f.clvMax !== undefined) {
    params.cmax = f.clvMax
    where.push('p.clv_minor <= CAST($cmax AS BIGINT)')
  }
  return {
    from: `customers c
      LEFT JOIN ${orderAggregate()} a ON a.customer_id = c.id
      LEFT JOIN customer_predictions p ON p.customer_id = c.id
        AND p.workspace_id = CAST($ws AS INTEGER)`,
    where: where.join(' AND '),
    params,
  }
}

const FACT_COLUMNS = `c.id, c.country, c.city, c.tags,
  CAST(coalesce(a.orders, 0) AS BIGINT) AS orders,
  CAST(coalesce(a.spend, 0) AS BIGINT) AS total_spend,
  a.last_order AS last_order_at, p.churn_risk, p.clv_minor AS clv, p.value_tier`

function factsOfRow(r: Record<string, unknown>): CustomerFacts {
  const last = r.last_order_at
  return {
    id: Number(r.id),
    country: (r.country as string | null) ?? null,
    city: (r.city as string | null) ?? null,
    tags: (r.tags as string[] | null) ?? [],
    orders: Number(r.orders),
    total_spend: Number(r.total_spend),
    last_order_at: last instanceof Date ? last.toISOString() : null,
    churn_risk: r.churn_risk === null || r.churn_risk === undefined ? null : Number(r.churn_risk),
    clv: r.clv === null || r.clv === undefined ? null : Number(r.clv),
    value_tier: (r.value_tier as string | null) ?? null,
  }
}

/** One page of customers matching the filters, sorted by a fact (ties by id), and the total. */
export async function searchCustomerFacts(
  replica: MetricsReplica,
  scope: Scope,
  filters: CustomerFilters,
  order: { sort: FactSort; dir: 'asc' | 'desc' },
  page: { limit: number; offset: number },
): Promise<{ total: number; rows: CustomerFacts[] }> {
  const q = whereOf(scope, filters)
  const dir = order.dir === 'asc' ? 'ASC' : 'DESC'
  const rows = await replica.query(
    `SELECT ${FACT_COLUMNS}, count(*) OVER () AS total
    FROM ${q.from} WHERE ${q.where}
    ORDER BY ${SORT_SQL[order.sort]} ${dir} NULLS LAST, c.id ${dir}
    LIMIT CAST($limit AS INTEGER) OFFSET CAST($offset AS INTEGER)`,
    { ...q.params, limit: page.limit, offset: page.offset },
  )
  if (rows.length === 0 && page.offset > 0) {
    // Past the last page: the window count came with no row, so count on its own.
    const [c] = await replica.query<{ n: number }>(
      `SELECT CAST(count(*) AS BIGINT) AS n FROM ${q.from} WHERE ${q.where}`,
      q.params,
    )
    return { total: Number(c?.n ?? 0), rows: [] }
  }
  return { total: Number(rows[0]?.total ?? 0), rows: rows.map(factsOfRow) }
}

/** Ids of every customer matching the filters, up to `cap` (+1 to tell that there are more). */
export async function matchingIds(
  replica: MetricsReplica,
  scope: Scope,
  filters: CustomerFilters,
  cap: number,
): Promise<number[]> {
  const q = whereOf(scope, filters)
  const rows = await replica.query<{ id: number }>(
    `SELECT c.id FROM ${q.from} WHERE ${q.where} LIMIT CAST($cap AS INTEGER)`,
    { ...q.params, cap: cap + 1 },
  )
  return rows.map((r) => Number(r.id))
}

/** The facts of the given customers (a page sorted elsewhere). */
export async function factsOf(
  replica: MetricsReplica,
  scope: Scope,
  ids: readonly number[],
): Promise<Map<number, CustomerFacts>> {
  const out = new Map<number, CustomerFacts>()
  if (ids.length === 0) return out
  const q = whereOf(scope, { ids })
  const rows = await replica.query(
    `SELECT ${FACT_COLUMNS} FROM ${q.from} WHERE ${q.where}`,
    q.params,
  )
  for (const r of rows) out.set(Number(r.id), factsOfRow(r))
  return out
}

/** Whether any customer has a prediction: the list offers risk and CLV only then. */
export async function hasPredictions(replica: MetricsReplica, scope: Scope): Promise<boolean> {
  const rows = await replica.query(
    'SELECT 1 AS x FROM customer_predictions WHERE workspace_id = CAST($ws AS INTEGER) LIMIT 1',
    { ws: scope.settings.workspaceId },
    { sync: false },
  )
  return rows.length > 0
}
