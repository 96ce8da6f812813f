import { isValidTimeZone } from '@fedele/core/import'
import type { QueryParams } from '../replica.ts'
import { compileSegment, type Segment } from './segments.ts'

/** What the metric SQL needs of the replica: `AnalyticsReplica` satisfies it. */
export type MetricsReplica = {
  query<T = Record<string, unknown>>(
    text: string,
    params?: QueryParams,
    options?: { sync?: boolean },
  ): Promise<T[]>
}

export type BusinessModel = 'orders' | 'subscriptions' | 'both'

/** The workspace settings every metric depends on (workspaces row of the record). */
export type MetricSettings = {
  workspaceId: number
  timeZone: string
  reportingCurrency: string
  businessModel: BusinessModel
  activityWindowDays: number
  includeTrials: boolean
}

export type Scope = { settings: MetricSettings; segment: Segment }

/**
 * The metric settings of a workspace row; an invalid stored zone falls back to Europe/Rome.
 * Shared by the HTTP routes and `fedele report`, so both compute with the same settings.
 */
export function metricSettingsOf(w: {
  time_zone: string
  reporting_currency: string
  business_model: BusinessModel
  activity_window_days: number
}): MetricSettings {
  return {
    workspaceId: 1,
    timeZone: isValidTimeZone(w.time_zone) ? w.time_zone : 'Europe/Rome',
    reportingCurrency: w.reporting_currency.trim(),
    businessModel: w.business_model,
    activityWindowDays: w.activity_window_days,
    includeTrials: false,
  }
}

/**
 * The CTEs every metric starts from, with their bound parameters:
 * - `ord`: completed orders in scope (revenue = total − refunded); with a segment, anonymous
 *   orders drop out because they belong to no customer of the segment;
 * - `sub`: subscriptions in scope with `paid_from` (trial time excluded unless trials count);
 * - `act`: activity spans [t_from, t_to) per customer, from orders (window W) and/or
 *   subscriptions by the business model (docs/metrics.md, "For the SQL").
 * Only the fixed fragments below and the segment registry's fragments reach the text.
 */
export function scopeCtes(scope: Scope): { sql: string; params: Record<string, unknown> } {
  const { settings } = scope
  const segment = compileSegment(scope.segment)
  // `seg` always exists (every customer without a segment) so surveys and tickets can use it too.
  const segCte = `seg AS (SELECT c.id FROM customers c WHERE c.workspace_id = CAST($ws AS INTEGER)${
    segment.predicate ? ` AND ${segment.predicate}` : ''
  })`
  const inSegment = segment.predicate ? ' AND customer_id IN (SELECT id FROM seg)' : ''
  const paidFrom = settings.includeTrials
    ? 'started_at'
    : 'CASE WHEN trial_end IS NOT NULL AND trial_end > started_at THEN trial_end ELSE started_at END'
  const useOrders = settings.businessModel !== 'subscriptions'
  const useSubs = settings.businessModel !== 'orders'
  const spans: string[] = []
  if (useOrders) {
    spans.push(
      'SELECT customer_id, placed_at AS t_from, placed_at + to_days(CAST($wdays AS INTEGER)) AS t_to FROM ord WHERE customer_id IS NOT NULL',
    )
  }
  if (useSubs) {
    spans.push(
      'SELECT customer_id, paid_from AS t_from, ended_at AS t_to FROM sub WHERE ended_at IS NULL OR paid_from < ended_at',
    )
  }
  const sql = `
    ${segCte},
    ord AS (
      SELECT id, customer_id, placed_at, total - coalesce(refunded_amount, 0) AS revenue, currency
      FROM orders WHERE workspace_id = CAST($ws AS INTEGER) AND status = 'completed'${inSegment}
    ),
    sub AS (
      SELECT id, customer_id, started_at, ${paidFrom} AS paid_from, ended_at, currency, amount,
        billing_interval, interval_count,
        -- MRR never counts trial time, whatever activity does.
        CASE WHEN trial_end IS NOT NULL AND trial_end > started_at THEN trial_end ELSE started_at END AS pays_from
      FROM subscriptions WHERE workspace_id = CAST($ws AS INTEGER)${inSegment}
    ),
    act AS (${spans.join(' UNION ALL ')})`
  return {
    sql,
    params: { ws: settings.workspaceId, wdays: settings.activityWindowDays, ...segment.params },
  }
}

/** A list of periods as a CTE `periods(pk, ps, pe)` over bound arrays. */
export function periodsCte(periods: readonly { key: string; start: number; end: number }[]): {
  sql: string
  params: Record<string, unknown>
} {
  return {
    sql: `periods AS (
      SELECT unnest(CAST($pkeys AS VARCHAR[])) AS pk, unnest($pstarts) AS ps, unnest($pends) AS pe
    )`,
    params: {
      pkeys: periods.map((p) => p.key),
      pstarts: periods.map((p) => new Date(p.start)),
      pends: periods.map((p) => new Date(p.end)),
    },
  }
}
