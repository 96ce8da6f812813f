import { z } from 'zod'
import { kpisFor, seriesPeriods } from '../../../analytics/metrics/index.ts'
import { AppError } from '../../app-error.ts'
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

/** A year of days is the longest series worth drawing; longer asks for a coarser grain. */
const MAX_POINTS = 1000

export const ZSeriesQuery = ZPeriodQuery.extend({
  granularity: ZGrain.default('month'),
  metric: z
    .string()
    .optional()
    .describe('Comma-separated metric ids (e.g. crr,revenue); default all'),
})

/** The answer to GET /api/metrics/series (also asked ahead by services/prewarm.ts). */
export async function seriesAnswer(ctx: AppContext, query: z.infer<typeof ZSeriesQuery>) {
  assertPeriod(query.from, query.to)
  const { scope, replica } = await metricsRequest(ctx, query.segment)
  const periods = seriesPeriods(query.from, query.to, query.granularity, scope.settings.timeZone)
  if (periods.length > MAX_POINTS) {
    throw new AppError('validation_failed', [
      { path: 'granularity', message: `more than ${MAX_POINTS} buckets: choose a coarser one` },
    ])
  }
  const wanted = query.metric
    ?.split(',')
    .map((m) => m.trim())
    .filter(Boolean)
  return guard(async () => {
    const results = await kpisFor(replica, scope, periods)
    if (wanted) {
      const known = Object.keys(results[0]?.metrics ?? {})
      const unknown = wanted.filter((m) => !known.includes(m))
      if (results.length && unknown.length) {
        throw new AppError('validation_failed', [
          { path: 'metric', message: `unknown metric ${unknown.join(', ')}`, value: known },
        ])
      }
    }
    return {
      time_zone: scope.settings.timeZone,
      currency: scope.settings.reportingCurrency,
      granularity: query.granularity,
      points: results.map((r) => ({
        key: r.key,
        start: r.start,
        end: r.end,
        complete: Date.parse(r.end) <= Date.now(),
        metrics: wanted ? Object.fromEntries(wanted.map((m) => [m, r.metrics[m]])) : r.metrics,
        ...(wanted ? {} : { counts: r.counts, orders: r.orders, explanation: r.explanation }),
      })),
    }
  })
}

export const metricsSeriesRoute = defineRoute({
  method: 'GET',
  url: '/api/metrics/series',
  operationId: 'getMetricsSeries',
  summary:
    'KPIs per calendar bucket (day, ISO week, month, quarter, year) in the workspace time zone',
  tags: ['metrics'],
  access: { permission: 'data:read' },
  query: ZSeriesQuery,
  response: z.record(z.string(), z.unknown()),
  errors: [...METRIC_ERRORS],
  handler: ({ ctx, query }) => seriesAnswer(ctx, query),
})
