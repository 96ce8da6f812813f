import { z } from 'zod'
import { lifecycleSql, seriesPeriods } from '../../../analytics/metrics/index.ts'
import type { AppContext } from '../../context.ts'
import { defineRoute } from '../../route.ts'
import {
  assertPeriod,
  guard,
  METRIC_ERRORS,
  metricsRequest,
  ZGrain,
  ZPeriodQuery,
} from './common.ts'

export const ZLifecycleQuery = ZPeriodQuery.extend({ granularity: ZGrain.default('month') })

/** The answer to GET /api/metrics/lifecycle (also asked ahead by services/prewarm.ts). */
export async function lifecycleAnswer(ctx: AppContext, query: z.infer<typeof ZLifecycleQuery>) {
  assertPeriod(query.from, query.to)
  const { scope, replica } = await metricsRequest(ctx, query.segment)
  const zone = scope.settings.timeZone
  const periods = seriesPeriods(query.from, query.to, query.granularity, zone)
  const first = periods[0]
  if (!first) return { time_zone: zone, granularity: query.granularity, periods: [] }
  const before = seriesPeriods(first.start - 1, first.start, query.granularity, zone)
  return guard(async () => {
    const { counts } = await lifecycleSql(replica, scope, [...before.slice(-1), ...periods])
    return {
      time_zone: zone,
      granularity: query.granularity,
      periods: periods.map((p) => ({
        key: p.key,
        start: new Date(p.start).toISOString(),
        end: new Date(p.end).toISOString(),
        counts: counts.get(p.key) ?? { new: 0, returning: 0, resurrecting: 0, dormant: 0 },
      })),
    }
  })
}

export const metricsLifecycleRoute = defineRoute({
  method: 'GET',
  url: '/api/metrics/lifecycle',
  operationId: 'getMetricsLifecycle',
  summary: 'New, returning, resurrecting and dormant customers per calendar bucket',
  description:
    'Each bucket is compared with the one before it; "active in a bucket" = a completed order in it or a ' +
    'subscription paying at some instant of it.',
  tags: ['metrics'],
  access: { permission: 'data:read' },
  query: ZLifecycleQuery,
  response: z.record(z.string(), z.unknown()),
  errors: [...METRIC_ERRORS],
  handler: ({ ctx, query }) => lifecycleAnswer(ctx, query),
})
