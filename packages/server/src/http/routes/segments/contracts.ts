import type { FastifyRequest } from 'fastify'
import { z } from 'zod'
import { AppError } from '../../app-error.ts'
import { requestLocale } from '../../app.ts'

/** Shared shapes of the segments endpoints. Money is in minor units of `currency`. */
export const ZSegmentId = z.object({ id: z.coerce.number().int().positive() })

/** The rule is validated by the service (catalog, operators, values) to report every issue. */
export const ZRuleInput = z
  .unknown()
  .describe(
    'A segment rule: and / or / not groups of attribute, metric, prediction, tag and rfm_segment ' +
      'conditions (docs/segments.md); the fields are listed by GET /api/segments/catalog',
  )

export const ZLocalized = z.object({ it: z.string(), en: z.string() })

export const ZCustomerSample = z.object({
  id: z.number(),
  external_id: z.string().nullable(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  orders: z.number(),
  total_spend: z.number(),
  last_order_at: z.string().nullable(),
})

export const ZSavedSegment = z.object({
  id: z.number(),
  name: z.string(),
  description: z.string().nullable(),
  rule: z.unknown(),
  created_by: z.number().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
})

export const ZSegmentName = z.string().trim().min(1).max(120)
export const ZSegmentDescription = z.string().trim().max(2000).nullable().optional()

export const READ_ERRORS = ['unauthenticated', 'forbidden'] as const
export const WRITE_ERRORS = [
  'validation_failed',
  'unauthenticated',
  'forbidden',
  'csrf_failed',
] as const

/**
 * Runs a segments service call, answering rule problems in the caller's language: the service
 * puts each problem's Italian and English message in the detail's `value`.
 */
export async function inCallerLanguage<T>(
  request: FastifyRequest,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run()
  } catch (e) {
    if (!(e instanceof AppError) || requestLocale(request) !== 'it') throw e
    const details = e.details.map((d) => {
      const v = d.value as { it?: unknown } | undefined
      return typeof v?.it === 'string' ? { ...d, message: v.it } : d
    })
    throw new AppError(e.code, details, e.message)
  }
}
