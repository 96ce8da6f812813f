import { z } from 'zod'
import { metricsReplica } from '../../../analytics/metrics/replica-for.ts'
import { distribution, latestRuns } from '../../../predictions/predictions.repository.ts'
import { defineRoute } from '../../route.ts'

const ZRun = z.object({
  id: z.number(),
  kind: z.enum(['clv', 'churn']),
  model: z.string(),
  model_version: z.string(),
  status: z.string(),
  started_at: z.date(),
  finished_at: z.date().nullable(),
  cutoff: z.date(),
  unit: z.string().nullable(),
  parameters: z.unknown(),
  validation: z.unknown(),
  diagnostics: z.unknown(),
  data_summary: z.unknown(),
  fallback_reason: z.string().nullable(),
  error: z.string().nullable(),
})

export const predictionsSummaryRoute = defineRoute({
  method: 'GET',
  url: '/api/predictions/summary',
  operationId: 'getPredictionsSummary',
  summary: 'Model health: latest runs, parameters with standard errors, validation, distributions',
  description:
    'clv: the customer-base model (BG/NBD or Pareto/NBD) and Gamma-Gamma parameters with standard errors and ' +
    'log-likelihood, the data summary, the holdout check (validation) or, when the data were too thin, ' +
    'fallback_reason and the formula CLV. churn: the logistic model, its out-of-time validation (ROC AUC, PR AUC, ' +
    'Brier, calibration curve, top-decile lift). Distributions: churn risk by decile and customers by value tier.',
  tags: ['predictions'],
  access: { permission: 'data:read' },
  response: z.object({
    runs: z.object({ clv: ZRun.nullable(), churn: ZRun.nullable() }),
    customers: z.number(),
    scored_at: z.date().nullable(),
    risk_histogram: z.array(z.object({ from: z.number(), to: z.number(), customers: z.number() })),
    value_tiers: z.array(
      z.object({
        tier: z.string().nullable(),
        customers: z.number(),
        clv_minor: z.number().nullable(),
      }),
    ),
  }),
  errors: ['unauthenticated', 'forbidden'],
  handler: async ({ ctx }) => {
    const db = ctx.database.db
    const runs = await latestRuns(db)
    const replica = await metricsReplica(ctx)
    const d = await distribution((text) => replica.query(text))
    const pick = (kind: 'clv' | 'churn') => {
      const run = runs.find((r) => r.kind === kind)
      if (!run) return null
      // The churn model's coefficients are bulky and internal: the summary keeps its size only.
      if (kind === 'churn' && run.parameters && typeof run.parameters === 'object') {
        const p = run.parameters as { model?: { coefficients?: unknown[]; training?: unknown } }
        return {
          ...run,
          parameters: {
            features: p.model?.coefficients?.length ?? 0,
            training: p.model?.training ?? null,
          },
        }
      }
      return run
    }
    return {
      runs: { clv: pick('clv'), churn: pick('churn') },
      customers: d.customers,
      scored_at: d.scoredAt,
      risk_histogram: d.riskHistogram,
      value_tiers: d.valueTiers.map((t) => ({
        tier: t.tier,
        customers: t.customers,
        clv_minor: t.clvMinor,
      })),
    }
  },
})
