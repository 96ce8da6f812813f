import { z } from 'zod'
import { previewRule } from '../../../segments/segments.service.ts'
import { defineRoute } from '../../route.ts'
import { inCallerLanguage, WRITE_ERRORS, ZCustomerSample, ZRuleInput } from './contracts.ts'

export const previewSegmentRoute = defineRoute({
  method: 'POST',
  url: '/api/segments/preview',
  operationId: 'previewSegment',
  summary: 'Live count, value and the most valuable customers of a rule, without saving it',
  tags: ['segments'],
  access: { permission: 'data:read' },
  body: z.object({
    rule: ZRuleInput,
    sample_size: z.number().int().min(0).max(100).default(10),
  }),
  response: z.object({
    count: z.number(),
    value: z.number(),
    currency: z.string(),
    sample: z.array(ZCustomerSample),
    ms: z.number(),
  }),
  errors: [...WRITE_ERRORS],
  handler: ({ ctx, body, request }) =>
    inCallerLanguage(request, () => previewRule(ctx, body.rule, body.sample_size)),
})
