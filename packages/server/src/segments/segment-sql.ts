/**
 * Segments as DuckDB SQL over the analytics replica: the per-customer metrics every rule and RFM
 * score start from, RFM quintile scores with core's segment map, and custom rules compiled by
 * core's `compileSegmentRule` against the catalog below.
 *
 * Conventions (shared with analytics/metrics/scope.ts): orders count when `status = 'completed'`,
 * revenue = total − refunded, only orders in the workspace's reporting currency are summed (a
 * different currency cannot be added without a rate), and customers erased under the GDPR are
 * left out. Every value is a bound, named parameter; the only SQL text is the fixed fragments of
 * this file. Parameter names carry a prefix so the same query can be nested inside a metrics
 * query (`$p_ws`…) or run on its own (`$ws`…).
 */
import {
  compileSegmentRule,
  RFM_SEGMENT_GRID,
  type SegmentCondition,
  type SegmentField,
  type SegmentFieldCatalog,
  type SegmentRuleIssue,
} from '@fedele/core/segments'
import type { Result } from '@fedele/core'
import { derived } from '../analytics/derived.ts'
import type { MetricSettings } from '../analytics/metrics/index.ts'

/** What a segment query needs to know of the workspace and the moment it is computed for. */
export type SegmentSqlContext = {
  settings: MetricSettings
  /** Recency, tenure and "days ago" are measured to this instant. */
  asOf: Date
  /**
   * Count only orders placed up to asOf (a past as-of). Without it every order counts, which for
   * "now" is the same apart from orders dated in the future, and the per-customer figures and
   * RFM scores are materialised once per replica generation instead of per query.
   */
  cutoff?: boolean
  /** Whether the replica has `customer_predictions` (prediction fields join it when it does). */
  hasPredictions: boolean
}

/** A SQL text with its named parameters (names without `$`). */
export type SqlPart = { sql: string; params: Record<string, unknown> }

type FieldInfo = SegmentField & {
  /** 'money' values are minor units of the reporting currency. */
  unit?: 'money' | 'days' | 'probability'
  /** Known values offered by the builder (e.g. value tiers). */
  values?: readonly string[]
}

const label = (en: string, it: string) => ({ en, it })

/** Customer columns of the replica. */
const ATTRIBUTES: Record<string, FieldInfo> = {
  country: { sql: 'c.country', type: 'string', label: label('Country', 'Paese') },
  region: { sql: 'c.region', type: 'string', label: label('Region', 'Regione') },
  city: { sql: 'c.city', type: 'string', label: label('City', 'Città') },
  postcode: { sql: 'c.postcode', type: 'string', label: label('Postcode', 'CAP') },
  locale: { sql: 'c.locale', type: 'string', label: label('Language', 'Lingua') },
  acquisition_channel: {
    sql: 'c.acquisition_channel',
    type: 'string',
    label: label('Acquisition channel', 'Canale di acquisizione'),
  },
  birthday: { sql: 'c.birthday', type: 'date', label: label('Birthday', 'Compleanno') },
  first_seen: {
    sql: 'CAST(timezone(§tz, coalesce(c.source_created_at, c.created_at)) AS DATE)',
    type: 'date',
    label: label('Customer since', 'Cliente dal'),
  },
  consent_marketing_email: {
    sql: 'c.consent_marketing_email',
    type: 'boolean',
    label: label('Marketing email consent', 'Consenso email marketing'),
  },
  consent_profiling: {
    sql: 'c.consent_profiling',
    type: 'boolean',
    label: label('Profiling consent', 'Consenso profilazione'),
  },
  consent_surveys: {
    sql: 'c.consent_surveys',
    type: 'boolean',
    label: label('Survey consent', 'Consenso sondaggi'),
  },
}

/** Per-customer figures from completed orders (the `m` CTE) and tickets. */
const METRICS: Record<string, FieldInfo> = {
  orders_count: {
    sql: 'coalesce(m.orders_count, 0)',
    type: 'number',
    label: label('Orders', 'Ordini'),
  },
  total_spend: {
    sql: 'coalesce(m.total_spend, 0)',
    type: 'number',
    unit: 'money',
    label: label('Total spend', 'Spesa totale'),
  },
  aov: {
    sql: 'CAST(m.total_spend AS DOUBLE) / m.orders_count',
    type: 'number',
    unit: 'money',
    label: label('Average order value', 'Valore medio ordine'),
  },
  last_order_days_ago: {
    sql: 'm.recency_days',
    type: 'number',
    unit: 'days',
    label: label('Days since last order', 'Giorni dall’ultimo ordine'),
  },
  tenure_days: {
    sql: 'm.tenure_days',
    type: 'number',
    unit: 'days',
    label: label('Days since first order', 'Giorni dal primo ordine'),
  },
  first_order_date: {
    sql: 'CAST(timezone(§tz, m.first_at) AS DATE)',
    type: 'date',
    label: label('First order date', 'Data del primo ordine'),
  },
  last_order_date: {
    sql: 'CAST(timezone(§tz, m.last_at) AS DATE)',
    type: 'date',
    label: label('Last order date', 'Data dell’ultimo ordine'),
  },
  tickets_count: {
    sql: '(SELECT count(*) FROM tickets t WHERE t.customer_id = c.id AND t.opened_at <= §asof)',
    type: 'number',
    label: label('Support tickets', 'Ticket di assistenza'),
  },
  open_tickets: {
    sql: '(SELECT count(*) FROM tickets t WHERE t.customer_id = c.id AND t.opened_at <= §asof AND t.resolved_at IS NULL)',
    type: 'number',
    label: label('Unresolved tickets', 'Ticket non risolti'),
  },
}

/** Columns of `customer_predictions` (joined as `p`), present once predictions have run. */
const PREDICTIONS: Record<string, FieldInfo> = {
  churn_risk: {
    sql: 'p.churn_risk',
    type: 'number',
    unit: 'probability',
    label: label('Churn risk', 'Rischio di abbandono'),
  },
  p_alive: {
    sql: 'p.p_alive',
    type: 'number',
    unit: 'probability',
    label: label('Probability still a customer', 'Probabilità che sia ancora cliente'),
  },
  clv: {
    sql: 'p.clv_minor',
    type: 'number',
    unit: 'money',
    label: label('Predicted CLV', 'CLV prevista'),
  },
  expected_purchases_90: {
    sql: 'p.expected_purchases_90',
    type: 'number',
    label: label('Expected orders, next 90 days', 'Ordini attesi nei prossimi 90 giorni'),
  },
  value_tier: {
    sql: 'p.value_tier',
    type: 'string',
    values: ['platinum', 'gold', 'silver', 'standard'],
    label: label('Value tier', 'Fascia di valore'),
  },
}

/** Free attributes: `attributes.<key>`, read from the customer's JSON as text. */
export const FREE_ATTRIBUTE = /^attributes\.([A-Za-z0-9_-]{1,64})$/

/** The catalog as the builder sees it: ids, types, labels and units, never SQL. */
export type CatalogEntry = {
  kind: 'attribute' | 'metric' | 'prediction'
  field: string
  type: SegmentField['type']
  label: { en: string; it: string }
  unit?: FieldInfo['unit']
  values?: readonly string[]
}

export function catalogEntries(
  hasPredictions: boolean,
  attributeKeys: readonly string[],
): CatalogEntry[] {
  const list = (kind: CatalogEntry['kind'], fields: Record<string, FieldInfo>): CatalogEntry[] =>
    Object.entries(fields).map(([field, f]) => ({
      kind,
      field,
      type: f.type,
      label: f.label ?? label(field, field),
      ...(f.unit ? { unit: f.unit } : {}),
      ...(f.values ? { values: f.values } : {}),
    }))
  return [
    ...list('attribute', ATTRIBUTES),
    ...attributeKeys.map((key) => ({
      kind: 'attribute' as const,
      field: `attributes.${key}`,
      type: 'string' as const,
      label: label(key, key),
    })),
    ...list('metric', METRICS),
    ...(hasPredictions ? list('prediction', PREDICTIONS) : []),
  ]
}

/**
 * The free attribute fields (`attributes.<key>`) a rule refers to, read from untrusted JSON
 * before it is validated, so the validation catalog can include exactly those keys.
 */
export function freeAttributesOf(input: unknown): string[] {
  const found: string[] = []
  const walk = (v: unknown, depth: number): void => {
    if (depth > 40 || typeof v !== 'object' || v === null) return
    if (Array.isArray(v)) {
      for (const x of v) walk(x, depth + 1)
      return
    }
    const o = v as Record<string, unknown>
    if (o.kind === 'attribute' && typeof o.field === 'string' && FREE_ATTRIBUTE.test(o.field)) {
      if (!found.includes(o.field)) found.push(o.field)
    }
    walk(o.conditions, depth + 1)
    walk(o.condition, depth + 1)
  }
  walk(input, 0)
  return found
}

/**
 * The catalog the compiler resolves field ids against, with parameter names prefixed. Free
 * attribute keys are bound (`$<prefix>attr<i>` = '$."key"'), never written into the SQL.
 */
export function segmentCatalog(
  freeAttributes: readonly string[],
  hasPredictions: boolean,
  prefix = '',
): { catalog: SegmentFieldCatalog; params: Record<string, unknown> } {
  const params: Record<string, unknown> = {}
  const attribute: Record<string, SegmentField> = {}
  for (const [id, f] of Object.entries(ATTRIBUTES))
    attribute[id] = { ...f, sql: named(f.sql, prefix) }
  freeAttributes.forEach((field, i) => {
    const key = FREE_ATTRIBUTE.exec(field)?.[1] ?? ''
    params[`attr${i}`] = `$."${key}"`
    attribute[field] = {
      sql: `json_extract_string(c.attributes, $${prefix}attr${i})`,
      type: 'string',
    }
  })
  const metric = Object.fromEntries(
    Object.entries(METRICS).map(([id, f]) => [id, { ...f, sql: named(f.sql, prefix) }]),
  )
  return {
    catalog: {
      attribute,
      metric,
      ...(hasPredictions ? { prediction: PREDICTIONS } : {}),
      tag: (p) => `list_contains(c.tags, ${p})`,
      rfmSegment: 'm.segment',
    },
    params,
  }
}

/** Which optional joins a rule needs. */
function uses(rule: SegmentCondition): { predictions: boolean; rfm: boolean } {
  const out = { predictions: false, rfm: false }
  const walk = (c: SegmentCondition): void => {
    if (c.kind === 'and' || c.kind === 'or') c.conditions.forEach(walk)
    else if (c.kind === 'not') walk(c.condition)
    else if (c.kind === 'rfm_segment') out.rfm = true
    else if (c.kind === 'prediction') out.predictions = true
  }
  walk(rule)
  return out
}

/**
 * Replaces the `§name` markers of fixed SQL with prefixed parameter names. A marker is the only
 * way a fragment refers to a parameter, so one fragment serves both prefixes.
 */
const named = (text: string, prefix: string): string =>
  text.replace(/§([a-z_][a-z0-9_]*)/g, (_, n: string) => `$${prefix}${n}`)

/**
 * Per customer, from completed orders in the reporting currency: orders_count, total_spend,
 * first_at, last_at. With `cutoff`, only orders placed up to as-of count.
 */
function ordersPerCustomer(cutoff: boolean): string {
  return `SELECT customer_id, count(*) AS orders_count,
      sum(total - coalesce(refunded_amount, 0)) AS total_spend,
      min(placed_at) AS first_at, max(placed_at) AS last_at
    FROM orders
    WHERE workspace_id = CAST(§ws AS INTEGER) AND status = 'completed' AND customer_id IS NOT NULL
      AND currency = CAST(§cur AS VARCHAR)${cutoff ? ' AND placed_at <= CAST(§asof AS TIMESTAMPTZ)' : ''}
    GROUP BY customer_id`
}

/**
 * RFM scores with core's tie-aware quintiles (`quintileScores`): score = 1 + ⌊5·b/n⌋ where b is
 * the number of scored customers strictly worse, i.e. rank() − 1 ordered worst first. R ranks
 * the last order instant (earlier = worse, which is the same order as more days since it), F the
 * order count, M the total spend. FM = ⌈(F + M) / 2⌉ and the segment is RFM_SEGMENT_GRID[R][FM],
 * written out as a CASE from core's table so the two cannot disagree. Scored: every customer
 * (not erased) with at least one completed order in the reporting currency. Ranks do not depend
 * on as-of, so without a cutoff the scores are one derived table per replica generation.
 */
function rfmScores(cutoff: boolean): string {
  const cases: string[] = []
  RFM_SEGMENT_GRID.forEach((row, r) =>
    row.forEach((segment, fm) =>
      cases.push(`WHEN r = ${r + 1} AND fm = ${fm + 1} THEN '${segment}'`),
    ),
  )
  return `SELECT customer_id, monetary, frequency, monetary AS total_spend,
      frequency AS orders_count, first_at, last_at, r, f, m, fm,
      CASE ${cases.join(' ')} END AS segment
    FROM (
      SELECT *, CAST((f + m + 1) // 2 AS INTEGER) AS fm FROM (
        SELECT o.customer_id, o.total_spend AS monetary, o.orders_count AS frequency, o.first_at,
          o.last_at,
          CAST(1 + (5 * (rank() OVER (ORDER BY o.last_at) - 1)) // count(*) OVER () AS INTEGER) AS r,
          CAST(1 + (5 * (rank() OVER (ORDER BY o.orders_count) - 1)) // count(*) OVER () AS INTEGER) AS f,
          CAST(1 + (5 * (rank() OVER (ORDER BY o.total_spend) - 1)) // count(*) OVER () AS INTEGER) AS m
        FROM (${ordersPerCustomer(cutoff)}) o JOIN customers c ON c.id = o.customer_id
        WHERE c.workspace_id = CAST(§ws AS INTEGER) AND c.erased_at IS NULL
      )
    )`
}

/**
 * The CTEs every segment query starts from (names prefixed so they cannot collide with an
 * enclosing metrics query): `<x>m` per customer orders_count, total_spend, first_at, last_at,
 * recency_days, tenure_days; with RFM, `<x>rfm` (customer_id, r, f, m, fm, segment, monetary,
 * frequency, recency_days, active = last order within the activity window before as-of).
 * Without a cutoff the two expensive relations are `derived` (materialised once per replica
 * generation, analytics/derived.ts); only the as-of arithmetic runs per query.
 */
function baseCtes(x: string, withRfm: boolean, cutoff: boolean): string {
  const rel = (select: string) => (cutoff ? `(${select})` : derived(select))
  const asOf = 'CAST(§asof AS TIMESTAMPTZ)'
  // With RFM, `m` reads the scores table too (it carries the order figures and the segment of
  // every customer with orders who is not erased), so a rule joins one table, not two.
  const ctes = [
    `${x}m AS (
      SELECT *, date_diff('day', last_at, ${asOf}) AS recency_days,
        date_diff('day', first_at, ${asOf}) AS tenure_days
      FROM ${rel(withRfm ? rfmScores(cutoff) : ordersPerCustomer(cutoff))}
    )`,
  ]
  if (withRfm) {
    ctes.push(`${x}rfm AS (
      SELECT *, date_diff('day', last_at, ${asOf}) AS recency_days,
        last_at > ${asOf} - to_days(CAST(§wdays AS INTEGER)) AS active
      FROM ${rel(rfmScores(cutoff))}
    )`)
  }
  return ctes.join(',\n')
}

function contextParams(ctx: SegmentSqlContext): Record<string, unknown> {
  return {
    ws: ctx.settings.workspaceId,
    cur: ctx.settings.reportingCurrency,
    asof: ctx.asOf,
    tz: ctx.settings.timeZone,
    wdays: ctx.settings.activityWindowDays,
  }
}

const prefixed = (params: Record<string, unknown>, prefix: string): Record<string, unknown> =>
  Object.fromEntries(Object.entries(params).map(([k, v]) => [`${prefix}${k}`, v]))

/** The RFM query: `WITH … SELECT … FROM rfm` plus its parameters (prefix ''). */
export function rfmQuery(ctx: SegmentSqlContext, select: string): SqlPart {
  return {
    sql: `WITH ${named(baseCtes('', true, ctx.cutoff === true), '')}\n${select}`,
    params: contextParams(ctx),
  }
}

/**
 * The customers matching a rule, as `WITH … <x>members AS (SELECT c.id, spend …)` where spend is
 * the customer's total spend in the reporting currency (0 without orders). Returns the rule's
 * problems (unknown field, bad value…) as values.
 */
export function membersCtes(
  rule: SegmentCondition,
  ctx: SegmentSqlContext,
  prefix = '',
): Result<SqlPart, SegmentRuleIssue[]> {
  const need = uses(rule)
  const x = prefix
  const { catalog, params: extra } = segmentCatalog(
    freeAttributesOf(rule),
    ctx.hasPredictions,
    prefix,
  )
  const compiled = compileSegmentRule(rule, catalog)
  if (!compiled.ok) return compiled
  // core numbers its placeholders $1…$n; here every parameter is named, so $k becomes $<x>rk.
  const where = compiled.value.sql.replace(/\$(\d+)/g, (_, n: string) => `$${prefix}r${n}`)
  compiled.value.params.forEach((v, i) => {
    extra[`r${i + 1}`] = v
  })
  const joins = [
    `LEFT JOIN ${x}m m ON m.customer_id = c.id`,
    need.predictions ? 'LEFT JOIN customer_predictions p ON p.id = c.id' : '',
  ].filter((j) => j !== '')
  const sql = `${named(baseCtes(x, need.rfm, ctx.cutoff === true), prefix)},
    ${x}members AS MATERIALIZED (
      SELECT c.id, coalesce(m.total_spend, 0) AS spend, coalesce(m.orders_count, 0) AS orders,
        m.last_at
      FROM customers c ${joins.join(' ')}
      WHERE c.workspace_id = CAST($${prefix}ws AS INTEGER) AND c.erased_at IS NULL AND ${where}
    )`
  return {
    ok: true,
    value: { sql, params: { ...prefixed(contextParams(ctx), prefix), ...prefixed(extra, prefix) } },
  }
}

/**
 * A predicate over `customers c` for the metrics engine: the customer is a member of the rule's
 * segment. Parameters are named `p_…` so analytics/metrics/segments.ts can rename them per
 * condition.
 */
export function memberPredicate(
  rule: SegmentCondition,
  ctx: SegmentSqlContext,
  prefix = 'p_',
): Result<SqlPart, SegmentRuleIssue[]> {
  const members = membersCtes(rule, ctx, prefix)
  if (!members.ok) return members
  return {
    ok: true,
    value: {
      sql: `c.id IN (WITH ${members.value.sql} SELECT id FROM ${prefix}members)`,
      params: members.value.params,
    },
  }
}

/** A predicate over `customers c`: the customer's RFM segment (as of ctx.asOf) is one of `segments`. */
export function rfmPredicate(segments: readonly string[], ctx: SegmentSqlContext): SqlPart {
  return {
    sql: `c.id IN (WITH ${named(baseCtes('p_', true, ctx.cutoff === true), 'p_')} SELECT customer_id FROM p_rfm WHERE segment = ANY($p_segs))`,
    params: { ...prefixed(contextParams(ctx), 'p_'), p_segs: [...segments] },
  }
}
