import { z } from 'zod'
import {
  comparisonPeriods,
  CUSTOMER_SETS,
  customerIdsOf,
  lifecycleSql,
  MRR_MOVEMENTS,
  mrrMovementIds,
  ORDER_SETS,
} from '../../../analytics/metrics/index.ts'
import { externalIdsOf } from '../../../repositories/customer-keys.repository.ts'
import { defineRoute } from '../../route.ts'
import { customersCsv } from './csv.ts'
import { assertPeriod, guard, METRIC_ERRORS, metricsRequest, ZPeriodQuery } from './common.ts'

const LIFECYCLE_INPUTS = [
  'lifecycle_new',
  'lifecycle_returning',
  'lifecycle_resurrecting',
  'lifecycle_dormant',
] as const
const INPUTS = [...CUSTOMER_SETS, ...ORDER_SETS, ...LIFECYCLE_INPUTS, ...MRR_MOVEMENTS] as const

/** A CSV export holds every customer of the input, up to this many. */
const CSV_LIMIT = 1_000_000

export const metricsDrilldownRoute = defineRoute({
  method: 'GET',
  url: '/api/metrics/drilldown',
  operationId: 'getMetricsDrilldown',
  summary: 'The customers behind a metric input (who churned, who came back), paged or as CSV',
  description:
    'input: S, E, N, N_end, retained, reactivated, lost (period customers), ordering, repeat (ordering and ' +
    'repeat customers), mrr_new, mrr_expansion, mrr_contraction, mrr_churn, mrr_reactivation (MRR movements), ' +
    'lifecycle_* (against the previous period of the same length or calendar bucket). ' +
    'format=csv returns every customer of the input as text/csv.',
  tags: ['metrics'],
  access: { permission: 'data:read' },
  query: ZPeriodQuery.extend({
    input: z.enum(INPUTS),
    page: z.coerce.number().int().min(1).default(1),
    page_size: z.coerce.number().int().min(1).max(1000).default(100),
    format: z.enum(['json', 'csv']).default('json'),
  }),
  response: z.union([
    z.object({
      input: z.string(),
      total: z.number(),
      page: z.number(),
      page_size: z.number(),
      customers: z.array(z.object({ id: z.number(), external_id: z.string().nullable() })),
    }),
    z.string().describe('text/csv when format=csv'),
  ]),
  errors: [...METRIC_ERRORS],
  handler: async ({ ctx, query, reply }) => {
    assertPeriod(query.from, query.to)
    const { scope, replica } = await metricsRequest(ctx, query.segment)
    const csv = query.format === 'csv'
    const page = csv
      ? { limit: CSV_LIMIT, offset: 0 }
      : { limit: query.page_size, offset: (query.page - 1) * query.page_size }
    const period = { key: 'current', start: query.from, end: query.to }
    const found = await guard(async () => {
      if ((LIFECYCLE_INPUTS as readonly string[]).includes(query.input)) {
        const { previous } = comparisonPeriods(period, scope.settings.timeZone)
        const state = query.input.slice('lifecycle_'.length) as
          'new' | 'returning' | 'resurrecting' | 'dormant'
        const r = await lifecycleSql(replica, scope, [previous, period], {
          state,
          key: 'current',
          ...page,
        })
        return { total: r.total, ids: r.ids }
      }
      if ((MRR_MOVEMENTS as readonly string[]).includes(query.input)) {
        return mrrMovementIds(
          replica,
          scope,
          period,
          query.input as (typeof MRR_MOVEMENTS)[number],
          page,
        )
      }
      return customerIdsOf(
        replica,
        scope,
        period,
        query.input as (typeof CUSTOMER_SETS)[number] | (typeof ORDER_SETS)[number],
        page,
      )
    })
    const keys = await externalIdsOf(ctx.database.db, found.ids)
    const customers = found.ids.map((id) => ({ id, external_id: keys.get(id) ?? null }))
    if (csv) return customersCsv(reply, query.input, customers)
    return {
      input: query.input,
      total: found.total,
      page: query.page,
      page_size: query.page_size,
      customers,
    }
  },
})
