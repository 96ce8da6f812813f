import { z } from 'zod'
import { cohortTableSql } from '../../../analytics/metrics/index.ts'
import type { AppContext } from '../../context.ts'
import { defineRoute } from '../../route.ts'
import { guard, METRIC_ERRORS, metricsRequest, ZInstant, ZSegmentQuery } from './common.ts'

const MODE_FIELD = {
  on: 'retention',
  on_or_after: 'retention_on_or_after',
  revenue: 'revenue_retention',
  cumulative_revenue: 'cumulative_revenue_per_customer',
} as const

export const ZCohortsQuery = z.object({
  grain: z.enum(['week', 'month', 'quarter']).default('month'),
  mode: z.enum(['on', 'on_or_after', 'revenue', 'cumulative_revenue']).default('on'),
  as_of: ZInstant.optional().describe('Data at or after this instant is ignored; default now'),
  from: ZInstant.optional().describe('Only cohorts whose first activity is at or after this'),
  to: ZInstant.optional().describe('Only cohorts whose first activity is before this'),
  segment: ZSegmentQuery,
})

/** The answer to GET /api/metrics/cohorts (also asked ahead by services/prewarm.ts). */
export async function cohortsAnswer(ctx: AppContext, query: z.infer<typeof ZCohortsQuery>) {
  const { scope, replica } = await metricsRequest(ctx, query.segment)
  const asOf = query.as_of ?? Date.now()
  const range =
    query.from !== undefined || query.to !== undefined
      ? { start: query.from ?? 0, end: query.to ?? asOf }
      : undefined
  return guard(async () => {
    const cohorts = await cohortTableSql(replica, scope, {
      grain: query.grain,
      asOf,
      ...(range ? { firstActivityIn: range } : {}),
    })
    const field = MODE_FIELD[query.mode]
    // An as_of later than now (the dashboard asks up to the end of today, so its request is the
    // same all day) does not make a bucket that is still under way complete.
    const now = Date.now()
    return {
      time_zone: scope.settings.timeZone,
      grain: query.grain,
      mode: query.mode,
      as_of: new Date(asOf).toISOString(),
      cohorts: cohorts.map((c) => ({
        ...c,
        cells: c.cells.map((cell) => ({
          ...cell,
          complete: cell.complete && Date.parse(cell.end) <= now,
          value: cell[field].value,
        })),
      })),
    }
  })
}

export const metricsCohortsRoute = defineRoute({
  method: 'GET',
  url: '/api/metrics/cohorts',
  operationId: 'getMetricsCohorts',
  summary:
    'Cohorts by first-activity week, month or quarter: retention, revenue retention, cumulative revenue',
  description:
    'mode picks the value of each cell: on (active in bucket k), on_or_after (in k or later), revenue ' +
    '(revenue in k / in bucket 0), cumulative_revenue (revenue in 0..k / cohort size). Every cell carries all four.',
  tags: ['metrics'],
  access: { permission: 'data:read' },
  query: ZCohortsQuery,
  response: z.record(z.string(), z.unknown()),
  errors: [...METRIC_ERRORS],
  handler: ({ ctx, query }) => cohortsAnswer(ctx, query),
})
