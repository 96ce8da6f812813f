import { bucketFromKey, parseBucketKey, shiftBucket } from '@fedele/core/metrics'
import { z } from 'zod'
import { cohortCellIds } from '../../../analytics/metrics/index.ts'
import { externalIdsOf } from '../../../repositories/customer-keys.repository.ts'
import { AppError } from '../../app-error.ts'
import { defineRoute } from '../../route.ts'
import { guard, METRIC_ERRORS, metricsRequest, ZInstant, ZSegmentQuery } from './common.ts'
import { customersCsv } from './csv.ts'

export const metricsCohortDrilldownRoute = defineRoute({
  method: 'GET',
  url: '/api/metrics/cohorts/drilldown',
  operationId: 'getMetricsCohortDrilldown',
  summary:
    'The customers of one cohort cell (active on, or on or after, bucket k), paged or as CSV',
  tags: ['metrics'],
  access: { permission: 'data:read' },
  query: z.object({
    cohort: z.string().describe('Bucket key of the cohort, e.g. 2025-03, 2025-Q1, 2025-W10'),
    offset: z.coerce.number().int().min(0).default(0),
    mode: z.enum(['on', 'on_or_after', 'members']).default('on'),
    as_of: ZInstant.optional(),
    segment: ZSegmentQuery,
    page: z.coerce.number().int().min(1).default(1),
    page_size: z.coerce.number().int().min(1).max(1000).default(100),
    format: z.enum(['json', 'csv']).default('json'),
  }),
  response: z.union([z.record(z.string(), z.unknown()), z.string()]),
  errors: [...METRIC_ERRORS],
  handler: async ({ ctx, query, reply }) => {
    const { scope, replica } = await metricsRequest(ctx, query.segment)
    const zone = scope.settings.timeZone
    let cohort
    try {
      parseBucketKey(query.cohort)
      cohort = bucketFromKey(query.cohort, zone)
    } catch (e) {
      throw new AppError('validation_failed', [{ path: 'cohort', message: (e as Error).message }])
    }
    const asOf = query.as_of ?? Date.now()
    const k = shiftBucket(query.cohort, query.offset, zone)
    const active =
      query.mode === 'members'
        ? { start: cohort.start, end: asOf }
        : { start: k.start, end: query.mode === 'on' ? Math.min(k.end, asOf) : asOf }
    const csv = query.format === 'csv'
    const page = csv
      ? { limit: 1_000_000, offset: 0 }
      : { limit: query.page_size, offset: (query.page - 1) * query.page_size }
    const found = await guard(() => cohortCellIds(replica, scope, { cohort, active }, asOf, page))
    const keys = await externalIdsOf(ctx.database.db, found.ids)
    const customers = found.ids.map((id) => ({ id, external_id: keys.get(id) ?? null }))
    if (csv) return customersCsv(reply, `cohort-${query.cohort}-${query.offset}`, customers)
    return {
      cohort: cohort.key,
      bucket: k.key,
      mode: query.mode,
      total: found.total,
      page: query.page,
      page_size: query.page_size,
      customers,
    }
  },
})
