import { z } from 'zod'
import { enqueuePredictionsRefresh } from '../../../jobs/predictions.job.ts'
import { defineRoute } from '../../route.ts'

export const refreshPredictionsRoute = defineRoute({
  method: 'POST',
  url: '/api/predictions/refresh',
  operationId: 'refreshPredictions',
  summary: 'Refit the models and rescore every customer in the background',
  description:
    'Enqueues the predictions.refresh job (a refresh already waiting is reused). Poll GET /api/jobs/{id}: ' +
    'progress by step while running, then the report (model version, CLV method, fallback reason, timings). ' +
    'Options override the defaults for this run only.',
  tags: ['predictions'],
  access: { permission: 'data:ingest' },
  body: z
    .object({
      as_of: z.iso.datetime({ offset: true }).optional().describe('Scoring instant; default now'),
      clv_model: z.enum(['bgnbd', 'pareto-nbd']).optional(),
      unit: z.enum(['day', 'week']).optional(),
      churn_horizon_days: z.number().int().min(7).max(730).optional(),
      clv_horizon_days: z.number().int().min(30).max(3650).optional(),
      annual_discount_rate: z.number().min(0).lt(1).optional(),
      margin: z.number().gt(0).max(1).optional(),
    })
    .strict()
    .default({}),
  response: z.object({ job_id: z.number(), status_url: z.string() }),
  successStatus: 202,
  errors: ['validation_failed', 'unauthenticated', 'forbidden', 'csrf_failed'],
  handler: async ({ ctx, body }) => {
    const jobId = await enqueuePredictionsRefresh(ctx, {
      reason: 'manual',
      ...(body.as_of ? { asOf: body.as_of } : {}),
      ...(body.clv_model ? { clvModel: body.clv_model } : {}),
      ...(body.unit ? { unit: body.unit } : {}),
      ...(body.churn_horizon_days ? { churnHorizonDays: body.churn_horizon_days } : {}),
      ...(body.clv_horizon_days ? { clvHorizonDays: body.clv_horizon_days } : {}),
      ...(body.annual_discount_rate !== undefined
        ? { annualDiscountRate: body.annual_discount_rate }
        : {}),
      ...(body.margin !== undefined ? { margin: body.margin } : {}),
    })
    return { job_id: jobId, status_url: `/api/jobs/${jobId}` }
  },
})
