/**
 * Segments: the RFM grid, custom segment rules (validate → compile → run on the replica), saved
 * segments in the record, their membership snapshots, and the metrics filters `segment` and
 * `rfm_segment`.
 */
import {
  RFM_SEGMENT_GRID,
  RFM_SEGMENT_IDS,
  RFM_SEGMENTS,
  validateSegmentRule,
  type SegmentCondition,
  type SegmentRuleIssue,
} from '@fedele/core/segments'
import {
  metricSettingsOf,
  metricsReplica,
  SegmentError,
  type MetricSettings,
  type MetricsReplica,
  type Segment,
} from '../analytics/metrics/index.ts'
import { getWorkspace } from '../repositories/workspace.repository.ts'
import { AppError } from '../http/app-error.ts'
import type { AppContext } from '../http/context.ts'
import {
  catalogEntries,
  freeAttributesOf,
  memberPredicate,
  membersCtes,
  rfmPredicate,
  rfmQuery,
  segmentCatalog,
  type CatalogEntry,
  type SegmentSqlContext,
} from './segment-sql.ts'
import {
  customerIdentities,
  deleteSegmentRow,
  getSegmentRow,
  hasSnapshot,
  historyRows,
  insertSegmentRow,
  listSegmentRows,
  memberIds,
  segmentNameTaken,
  updateSegmentRow,
  writeSnapshot,
  type SegmentRow,
} from './segments.repository.ts'

type Ctx = Pick<AppContext, 'database' | 'env'> & { analytics?: unknown }

/**
 * Runs segment SQL on the replica binding only the `$names` the text mentions (DuckDB rejects a
 * parameter the statement does not use, and which CTEs a rule needs varies).
 */
function run<T>(
  replica: MetricsReplica,
  text: string,
  params: Record<string, unknown>,
): Promise<T[]> {
  const used = new Set([...text.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]))
  return replica.query<T>(
    text,
    Object.fromEntries(Object.entries(params).filter(([k]) => used.has(k))),
  )
}

/** Whether the replica holds model predictions yet (prediction fields need them). */
async function hasPredictions(replica: MetricsReplica): Promise<boolean> {
  const rows = await replica.query<{ n: number }>(
    "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'customer_predictions'",
  )
  return Number(rows[0]?.n ?? 0) > 0
}

/** Settings, replica and SQL context of a segments request. */
export async function segmentsRequest(
  ctx: Ctx,
  asOf: Date = new Date(),
  settings?: MetricSettings,
): Promise<{ replica: MetricsReplica; sqlCtx: SegmentSqlContext }> {
  const s = settings ?? metricSettingsOf(await getWorkspace(ctx.database.db))
  const replica = await metricsReplica(ctx)
  return { replica, sqlCtx: { settings: s, asOf, hasPredictions: await hasPredictions(replica) } }
}

const issueDetails = (issues: readonly SegmentRuleIssue[], prefix: string) =>
  issues.map((i) => ({
    path: [prefix, ...i.path]
      .map((p) => (typeof p === 'number' ? `[${p}]` : p))
      .join('.')
      .replace(/\.\[/g, '['),
    message: i.message.en,
    code: i.code,
    value: i.message,
  }))

/**
 * Validates an untrusted rule against the catalog of this replica; problems become a
 * validation_failed error whose details name the path (`rule.conditions[1].value`) and carry the
 * Italian and English message.
 */
export function parseRule(
  input: unknown,
  sqlCtx: SegmentSqlContext,
  prefix = 'rule',
): SegmentCondition {
  const { catalog } = segmentCatalog(freeAttributesOf(input), sqlCtx.hasPredictions)
  const result = validateSegmentRule(input, catalog)
  if (!result.ok) throw new AppError('validation_failed', issueDetails(result.error, prefix))
  return result.value
}

function membersOrThrow(rule: SegmentCondition, sqlCtx: SegmentSqlContext) {
  const members = membersCtes(rule, sqlCtx)
  if (!members.ok) throw new AppError('validation_failed', issueDetails(members.error, 'rule'))
  return members.value
}

export type CustomerSample = {
  id: number
  external_id: string | null
  name: string | null
  email: string | null
  orders: number
  total_spend: number
  last_order_at: string | null
}

async function withIdentities(
  ctx: Ctx,
  rows: { id: number; spend: number; orders: number; last_at: Date | null }[],
): Promise<CustomerSample[]> {
  const ids = rows.map((r) => Number(r.id))
  const who = await customerIdentities(ctx.database.db, ids)
  return rows.map((r) => {
    const id = Number(r.id)
    const w = who.get(id)
    return {
      id,
      external_id: w?.external_id ?? null,
      name: w?.name ?? null,
      email: w?.email ?? null,
      orders: Number(r.orders),
      total_spend: Number(r.spend),
      last_order_at: r.last_at ? new Date(r.last_at).toISOString() : null,
    }
  })
}

/** Count, value and the most valuable members of a rule, in one query on the replica. */
export async function previewRule(
  ctx: Ctx,
  input: unknown,
  sampleSize = 10,
): Promise<{
  count: number
  value: number
  currency: string
  sample: CustomerSample[]
  ms: number
}> {
  const started = performance.now()
  const { replica, sqlCtx } = await segmentsRequest(ctx)
  const rule = parseRule(input, sqlCtx)
  const members = membersOrThrow(rule, sqlCtx)
  const [totals] = await run<{ n: number; value: number | null; sample: unknown }>(
    replica,
    `WITH ${members.sql}
     SELECT (SELECT count(*) FROM members) AS n,
       (SELECT sum(spend) FROM members) AS value,
       (SELECT list(struct_pack(id := id, spend := spend, orders := orders, last_at := last_at))
          FROM (SELECT * FROM members ORDER BY spend DESC, id LIMIT CAST($lim AS INTEGER))) AS sample`,
    { ...members.params, lim: sampleSize },
  )
  const sample = (totals?.sample ?? []) as {
    id: number
    spend: number
    orders: number
    last_at: Date | null
  }[]
  return {
    count: Number(totals?.n ?? 0),
    value: Number(totals?.value ?? 0),
    currency: sqlCtx.settings.reportingCurrency,
    sample: await withIdentities(ctx, sample),
    ms: Math.round(performance.now() - started),
  }
}

/** One page of a rule's members, most valuable first. */
export async function ruleMembers(
  ctx: Ctx,
  rule: unknown,
  page: number,
  pageSize: number,
): Promise<{ total: number; value: number; currency: string; customers: CustomerSample[] }> {
  const { replica, sqlCtx } = await segmentsRequest(ctx)
  const parsed = parseRule(rule, sqlCtx)
  const members = membersOrThrow(parsed, sqlCtx)
  const rows = await run<{
    id: number
    spend: number
    orders: number
    last_at: Date | null
    total: number
    value: number
  }>(
    replica,
    `WITH ${members.sql}
     SELECT id, spend, orders, last_at, count(*) OVER () AS total, sum(spend) OVER () AS value
     FROM members ORDER BY spend DESC, id
     LIMIT CAST($lim AS INTEGER) OFFSET CAST($off AS BIGINT)`,
    { ...members.params, lim: pageSize, off: (page - 1) * pageSize },
  )
  let total = Number(rows[0]?.total ?? 0)
  let value = Number(rows[0]?.value ?? 0)
  if (rows.length === 0 && page > 1) {
    const [t] = await run<{ n: number; v: number | null }>(
      replica,
      `WITH ${members.sql} SELECT count(*) AS n, sum(spend) AS v FROM members`,
      members.params,
    )
    total = Number(t?.n ?? 0)
    value = Number(t?.v ?? 0)
  }
  return {
    total,
    value,
    currency: sqlCtx.settings.reportingCurrency,
    customers: await withIdentities(ctx, rows),
  }
}

/** The fields a rule may use on this replica (the builder's pickers). */
export async function segmentCatalogFor(ctx: Ctx): Promise<{
  fields: CatalogEntry[]
  tags: string[]
  rfm_segments: { id: string; name: { it: string; en: string } }[]
  currency: string
}> {
  const { replica, sqlCtx } = await segmentsRequest(ctx)
  const [keys, tags] = await Promise.all([
    replica.query<{ k: string }>(
      `SELECT DISTINCT unnest(json_keys(attributes)) AS k FROM customers
       WHERE workspace_id = CAST($ws AS INTEGER) AND attributes IS NOT NULL ORDER BY k LIMIT 200`,
      { ws: sqlCtx.settings.workspaceId },
    ),
    replica.query<{ t: string }>(
      `SELECT DISTINCT unnest(tags) AS t FROM customers
       WHERE workspace_id = CAST($ws AS INTEGER) ORDER BY t LIMIT 500`,
      { ws: sqlCtx.settings.workspaceId },
    ),
  ])
  const attributeKeys = keys.map((r) => r.k).filter((k) => /^[A-Za-z0-9_-]{1,64}$/.test(k))
  return {
    fields: catalogEntries(sqlCtx.hasPredictions, attributeKeys),
    tags: tags.map((r) => r.t),
    rfm_segments: RFM_SEGMENT_IDS.map((id) => ({ id, name: RFM_SEGMENTS[id].name })),
    currency: sqlCtx.settings.reportingCurrency,
  }
}

export type RfmCell = {
  r: number
  fm: number
  segment: string
  customers: number
  value: number
  active: number
}

/**
 * The RFM grid as of `asOf` (with `cutoff`, orders after it do not count): every (R, FM) cell with its customers and value (their total spend),
 * and every named segment with its totals. Cells without customers are present with zeros.
 */
export async function rfmGrid(ctx: Ctx, asOf: Date, cutoff = false) {
  const { replica, sqlCtx } = await segmentsRequest(ctx, asOf)
  const q = rfmQuery(
    { ...sqlCtx, cutoff },
    `SELECT r, fm, count(*) AS customers, sum(monetary) AS value, count(*) FILTER (WHERE active) AS active
     FROM rfm GROUP BY r, fm`,
  )
  const rows = await run<{
    r: number
    fm: number
    customers: number
    value: number
    active: number
  }>(replica, q.sql, q.params)
  const found = new Map(rows.map((row) => [`${row.r}:${row.fm}`, row]))
  const cells: RfmCell[] = []
  for (let r = 5; r >= 1; r--) {
    for (let fm = 1; fm <= 5; fm++) {
      const row = found.get(`${r}:${fm}`)
      cells.push({
        r,
        fm,
        segment: (RFM_SEGMENT_GRID[r - 1] as readonly string[])[fm - 1] as string,
        customers: Number(row?.customers ?? 0),
        value: Number(row?.value ?? 0),
        active: Number(row?.active ?? 0),
      })
    }
  }
  const segments = RFM_SEGMENT_IDS.map((id) => {
    const mine = cells.filter((c) => c.segment === id)
    return {
      id,
      name: RFM_SEGMENTS[id].name,
      description: RFM_SEGMENTS[id].description,
      customers: mine.reduce((a, c) => a + c.customers, 0),
      value: mine.reduce((a, c) => a + c.value, 0),
      active: mine.reduce((a, c) => a + c.active, 0),
      cells: mine.map((c) => ({ r: c.r, fm: c.fm })),
    }
  })
  return {
    as_of: asOf.toISOString(),
    currency: sqlCtx.settings.reportingCurrency,
    activity_window_days: sqlCtx.settings.activityWindowDays,
    customers: cells.reduce((a, c) => a + c.customers, 0),
    value: cells.reduce((a, c) => a + c.value, 0),
    cells,
    segments,
  }
}

// ─── saved segments ────────────────────────────────────────────────────────────────────────

export type SavedSegment = {
  id: number
  name: string
  description: string | null
  rule: unknown
  created_by: number | null
  created_at: string
  updated_at: string
}

const view = (row: SegmentRow): SavedSegment => ({
  id: Number(row.id),
  name: row.name,
  description: row.description,
  rule: row.rule,
  created_by: row.created_by === null ? null : Number(row.created_by),
  created_at: new Date(row.created_at).toISOString(),
  updated_at: new Date(row.updated_at).toISOString(),
})

export async function listSegments(ctx: Ctx): Promise<SavedSegment[]> {
  return (await listSegmentRows(ctx.database.db)).map(view)
}

export async function getSegment(ctx: Ctx, id: number): Promise<SavedSegment> {
  const row = await getSegmentRow(ctx.database.db, id)
  if (!row)
    throw new AppError('not_found', [{ path: 'id', message: `no segment ${id}`, value: id }])
  return view(row)
}

async function assertNameFree(ctx: Ctx, name: string, exceptId?: number): Promise<void> {
  if (await segmentNameTaken(ctx.database.db, name, exceptId)) {
    throw new AppError('conflict', [
      { path: 'name', message: 'a segment with this name exists', value: name },
    ])
  }
}

export async function createSegment(
  ctx: Ctx,
  input: { name: string; description?: string | null | undefined; rule: unknown },
  createdBy: number | null,
): Promise<SavedSegment> {
  const { sqlCtx } = await segmentsRequest(ctx)
  const rule = parseRule(input.rule, sqlCtx)
  await assertNameFree(ctx, input.name)
  const row = await insertSegmentRow(ctx.database.db, {
    name: input.name,
    description: input.description ?? null,
    rule,
    createdBy,
  })
  return view(row)
}

export async function updateSegment(
  ctx: Ctx,
  id: number,
  patch: { name?: string | undefined; description?: string | null | undefined; rule?: unknown },
): Promise<SavedSegment> {
  await getSegment(ctx, id)
  let rule: SegmentCondition | undefined
  if (patch.rule !== undefined) rule = parseRule(patch.rule, (await segmentsRequest(ctx)).sqlCtx)
  if (patch.name !== undefined) await assertNameFree(ctx, patch.name, id)
  const row = await updateSegmentRow(ctx.database.db, id, {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.description !== undefined ? { description: patch.description } : {}),
    ...(rule !== undefined ? { rule } : {}),
  })
  if (!row)
    throw new AppError('not_found', [{ path: 'id', message: `no segment ${id}`, value: id }])
  return view(row)
}

export async function deleteSegment(ctx: Ctx, id: number): Promise<void> {
  if (!(await deleteSegmentRow(ctx.database.db, id))) {
    throw new AppError('not_found', [{ path: 'id', message: `no segment ${id}`, value: id }])
  }
}

export async function segmentHistory(ctx: Ctx, id: number, limit: number) {
  await getSegment(ctx, id)
  const rows = await historyRows(ctx.database.db, id, limit)
  return rows.reverse().map((r) => ({
    computed_at: new Date(r.computed_at).toISOString(),
    reason: r.reason,
    count: Number(r.count),
    value: Number(r.value_minor),
    currency: r.currency,
    entered: r.entered === null ? null : Number(r.entered),
    exited: r.exited === null ? null : Number(r.exited),
  }))
}

/**
 * Snapshots every saved segment: its members now, their count and value, and who entered and
 * left since the previous snapshot. A segment whose rule no longer validates (e.g. a prediction
 * field before predictions exist) is skipped and reported. Safe to repeat.
 */
export async function snapshotSegments(
  ctx: Ctx,
  reason: string,
  at: Date = new Date(),
): Promise<{ segments: number; skipped: { id: number; reason: string }[] }> {
  const rows = await listSegmentRows(ctx.database.db)
  if (rows.length === 0) return { segments: 0, skipped: [] }
  const { replica, sqlCtx } = await segmentsRequest(ctx, at)
  const skipped: { id: number; reason: string }[] = []
  let done = 0
  for (const row of rows) {
    const id = Number(row.id)
    const { catalog } = segmentCatalog(freeAttributesOf(row.rule), sqlCtx.hasPredictions)
    const valid = validateSegmentRule(row.rule, catalog)
    const members = valid.ok ? membersCtes(valid.value, sqlCtx) : valid
    if (!members.ok) {
      skipped.push({ id, reason: members.error.map((i) => i.message.en).join('; ') })
      continue
    }
    const now = await run<{ id: number; spend: number }>(
      replica,
      `WITH ${members.value.sql} SELECT id, spend FROM members`,
      members.value.params,
    )
    const current = new Set(now.map((r) => Number(r.id)))
    const first = !(await hasSnapshot(ctx.database.db, id))
    const before = new Set(await memberIds(ctx.database.db, id))
    await writeSnapshot(ctx.database.db, {
      segmentId: id,
      computedAt: at,
      reason,
      count: current.size,
      valueMinor: now.reduce((a, r) => a + Number(r.spend), 0),
      currency: sqlCtx.settings.reportingCurrency,
      entered: [...current].filter((c) => !before.has(c)),
      exited: [...before].filter((c) => !current.has(c)),
      first,
    })
    done++
  }
  return { segments: done, skipped }
}

// ─── metrics filters ───────────────────────────────────────────────────────────────────────

/**
 * Fills in the predicates of the metrics filter fields that need the record or the settings:
 * `segment:<id>|<id>` (member of any of these saved segments, rules evaluated now) and
 * `rfm_segment:<id>|<id>` (RFM segment now). Other conditions pass through unchanged.
 */
export async function resolveSegmentFilters(
  ctx: Ctx,
  settings: MetricSettings,
  segment: Segment,
): Promise<Segment> {
  if (!segment.some((c) => c.field === 'segment' || c.field === 'rfm_segment')) return segment
  const { sqlCtx } = await segmentsRequest(ctx, new Date(), settings)
  const out = []
  for (const condition of segment) {
    if (condition.field === 'rfm_segment') {
      const unknown = condition.values.filter(
        (v) => !(RFM_SEGMENT_IDS as readonly string[]).includes(v),
      )
      if (unknown.length > 0) {
        throw new SegmentError(
          'rfm_segment',
          `unknown RFM segment ${unknown.join(', ')}; expected ${RFM_SEGMENT_IDS.join(', ')}`,
        )
      }
      out.push({ ...condition, resolved: rfmPredicate(condition.values, sqlCtx) })
    } else if (condition.field === 'segment') {
      const parts: string[] = []
      const params: Record<string, unknown> = {}
      for (const [i, value] of condition.values.entries()) {
        const id = Number(value)
        if (!/^\d{1,15}$/.test(value))
          throw new SegmentError('segment', `segment must be a saved segment id, got "${value}"`)
        const row = await getSegmentRow(ctx.database.db, id)
        if (!row) throw new SegmentError('segment', `no saved segment ${id}`)
        const { catalog } = segmentCatalog(freeAttributesOf(row.rule), sqlCtx.hasPredictions)
        const valid = validateSegmentRule(row.rule, catalog)
        const predicate = valid.ok ? memberPredicate(valid.value, sqlCtx, `p${i}_`) : valid
        if (!predicate.ok) {
          throw new SegmentError(
            'segment',
            `segment ${id}: ${predicate.error.map((e) => e.message.en).join('; ')}`,
          )
        }
        parts.push(predicate.value.sql)
        Object.assign(params, predicate.value.params)
      }
      out.push({ ...condition, resolved: { sql: parts.join(' OR '), params } })
    } else {
      out.push(condition)
    }
  }
  return out
}
