import { z } from 'zod'
import { resolveIds } from '../../../repositories/facts.repository.ts'
import { renderChurnReasons } from '../../../predictions/models.ts'
import { customerPrediction } from '../../../predictions/predictions.repository.ts'
import { AppError } from '../../app-error.ts'
import { defineRoute } from '../../route.ts'
import { ZExternalIdParams } from '../entities/contracts.ts'

const ZReason = z.object({
  column: z.string(),
  contribution: z.number(),
  it: z.string(),
  en: z.string(),
})

export const customerPredictionsRoute = defineRoute({
  method: 'GET',
  url: '/api/customers/:externalId/predictions',
  operationId: 'getCustomerPredictions',
  summary: "A customer's latest prediction, its reasons (it/en) and the history of their scores",
  description:
    'latest is null when the customer has not been scored (no order yet, erased, profiling refused, or no run ' +
    'since they arrived). Amounts are minor units of the reporting currency; churn_risk and p_alive are 0–1.',
  tags: ['predictions', 'customers'],
  access: { permission: 'data:read' },
  params: ZExternalIdParams,
  response: z.object({
    customer_id: z.number(),
    latest: z
      .object({
        model_version: z.string(),
        scored_at: z.date(),
        p_alive: z.number().nullable(),
        expected_purchases_30: z.number().nullable(),
        expected_purchases_90: z.number().nullable(),
        expected_purchases_365: z.number().nullable(),
        expected_aov_minor: z.number().nullable(),
        clv_minor: z.number().nullable(),
        clv_method: z.enum(['model', 'formula']).nullable(),
        next_order_at: z.date().nullable(),
        churn_risk: z.number().nullable(),
        churn_reasons: z.array(ZReason),
        value_tier: z.string().nullable(),
      })
      .nullable(),
    history: z.array(
      z.object({
        scored_at: z.date(),
        model_version: z.string(),
        churn_risk: z.number().nullable(),
        clv_minor: z.number().nullable(),
        p_alive: z.number().nullable(),
      }),
    ),
  }),
  errors: ['not_found', 'unauthenticated', 'forbidden'],
  handler: async ({ ctx, params }) => {
    const db = ctx.database.db
    const id = (await resolveIds(db, 'customers', [params.externalId])).get(params.externalId)
    if (id === undefined) throw new AppError('not_found')
    const { latest, history } = await customerPrediction(db, id)
    return {
      customer_id: id,
      latest: latest
        ? {
            model_version: latest.model_version,
            scored_at: new Date(latest.scored_at),
            p_alive: latest.p_alive,
            expected_purchases_30: latest.expected_purchases_30,
            expected_purchases_90: latest.expected_purchases_90,
            expected_purchases_365: latest.expected_purchases_365,
            expected_aov_minor: latest.expected_aov_minor,
            clv_minor: latest.clv_minor,
            clv_method: latest.clv_method,
            next_order_at: latest.next_order_at,
            churn_risk: latest.churn_risk,
            churn_reasons: renderChurnReasons(latest.churn_reasons),
            value_tier: latest.value_tier,
          }
        : null,
      history: history.map((h) => ({ ...h, scored_at: new Date(h.scored_at) })),
    }
  },
})
