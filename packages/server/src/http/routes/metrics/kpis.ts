import { z } from 'zod'
import {
  comparisonPeriods,
  feedbackFor,
  kpisFor,
  serviceFor,
} from '../../../analytics/metrics/index.ts'
import type { AppContext } from '../../context.ts'
import { defineRoute } from '../../route.ts'
import { assertPeriod, guard, METRIC_ERRORS, metricsRequest, ZPeriodQuery } from './common.ts'

export const ZKpisQuery = ZPeriodQuery.extend({
  periods_per_year: z.coerce
    .number()
    .positive()
    .optional()
    .describe('For lifespan and CLV when the period is not one calendar bucket'),
  compare: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
})

/** The answer to GET /api/metrics/kpis (also asked ahead by services/prewarm.ts). */
export async function kpisAnswer(ctx: AppContext, query: z.infer<typeof ZKpisQuery>) {
  assertPeriod(query.from, query.to)
  const { scope, replica } = await metricsRequest(ctx, query.segment)
  const zone = scope.settings.timeZone
  const periods = comparisonPeriods({ start: query.from, end: query.to }, zone)
  const wanted = query.compare
    ? [periods.current, periods.previous, periods.yearBefore]
    : [periods.current]
  return guard(async () => {
    const results = await kpisFor(replica, scope, wanted, query.periods_per_year)
    const [current, previous, yearBefore] = results
    const period = { start: query.from, end: query.to }
    const [feedback, service] = await Promise.all([
      feedbackFor(replica, scope, period),
      serviceFor(replica, scope, period),
    ])
    return {
      time_zone: zone,
      currency: scope.settings.reportingCurrency,
      business_model: scope.settings.businessModel,
      segment: scope.segment,
      period: current,
      previous: previous ?? null,
      year_before: yearBefore ?? null,
      feedback,
      service,
    }
  })
}

export const metricsKpisRoute = defineRoute({
  method: 'GET',
  url: '/api/metrics/kpis',
  operationId: 'getMetricsKpis',
  summary:
    'Every KPI of a period, compared with the previous period and the same period a year before',
  description:
    'Periods are [from, to) instants; calendar buckets are in the workspace time zone. Each metric carries its ' +
    'formula, inputs and notes from the catalogue, or the reason it is undefined. Amounts in a currency other ' +
    'than the reporting one fail with mixed_currencies.',
  tags: ['metrics'],
  access: { permission: 'data:read' },
  query: ZKpisQuery,
  response: z.record(z.string(), z.unknown()),
  errors: [...METRIC_ERRORS],
  handler: ({ ctx, query }) => kpisAnswer(ctx, query),
})
