import { z } from 'zod'
import {
  metricsReplica,
  MixedCurrenciesError,
  parseSegment,
  SegmentError,
  type MetricSettings,
  type MetricsReplica,
  type Scope,
  metricSettingsOf,
} from '../../../analytics/metrics/index.ts'
import { getWorkspace } from '../../../repositories/workspace.repository.ts'
import { resolveSegmentFilters } from '../../../segments/segments.service.ts'
import { AppError } from '../../app-error.ts'
import type { AppContext } from '../../context.ts'

/** An instant with Z or an offset: a bare date-time would be read in the server's zone. */
export const ZInstant = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})$/i,
    'an ISO 8601 date-time with Z or an offset',
  )
  .transform((v) => Date.parse(v))
  .refine((v) => Number.isFinite(v), 'not a valid instant')

export const ZGrain = z.enum(['day', 'week', 'month', 'quarter', 'year'])

export const ZSegmentQuery = z
  .string()
  .optional()
  .describe(
    'Segment filter "field:v1|v2;field2:v": fields country, region, city, locale, acquisition_channel, ' +
      'tag, plan, order_channel, store, category, cohort ("from/to" instants), attribute.<key>, ' +
      'segment (saved segment ids), rfm_segment (RFM segment ids, as of now)',
  )

export const ZPeriodQuery = z.object({
  from: ZInstant.describe('Start of the period (inclusive), ISO 8601 with zone'),
  to: ZInstant.describe('End of the period (exclusive), ISO 8601 with zone'),
  segment: ZSegmentQuery,
})

export const METRIC_ERRORS = [
  'validation_failed',
  'mixed_currencies',
  'unauthenticated',
  'forbidden',
] as const

export async function settingsOf(ctx: AppContext): Promise<MetricSettings> {
  return metricSettingsOf(await getWorkspace(ctx.database.db))
}

export function assertPeriod(from: number, to: number): void {
  if (!(from < to)) {
    throw new AppError('validation_failed', [{ path: 'to', message: 'must be after from' }])
  }
}

/** Settings, segment and replica of a metrics request, with its errors mapped to the registry. */
export async function metricsRequest(
  ctx: AppContext,
  segment: string | undefined,
): Promise<{ scope: Scope; replica: MetricsReplica }> {
  const settings = await settingsOf(ctx)
  // Saved segments and RFM segments need the record and the settings to become predicates.
  const parsed = await guard(() => resolveSegmentFilters(ctx, settings, parseSegment(segment)))
  return { scope: { settings, segment: parsed }, replica: await metricsReplica(ctx) }
}

/** Runs a metrics computation, turning its expected failures into registry errors. */
export async function guard<T>(run: () => T | Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (e) {
    if (e instanceof MixedCurrenciesError) {
      throw new AppError(
        'mixed_currencies',
        [{ path: 'currency', message: e.message, value: e.found }],
        e.message,
      )
    }
    if (e instanceof SegmentError) {
      throw new AppError('validation_failed', [
        { path: 'segment', message: e.message, value: e.field },
      ])
    }
    throw e
  }
}
