import { z } from 'zod'
import { getSegment, ruleMembers, segmentHistory } from '../../../segments/segments.service.ts'
import { defineRoute } from '../../route.ts'
import { READ_ERRORS, ZCustomerSample, ZSegmentId } from './contracts.ts'

export const segmentCustomersRoute = defineRoute({
  method: 'GET',
  url: '/api/segments/:id/customers',
  operationId: 'getSegmentCustomers',
  summary: "A saved segment's customers now, most valuable first, paged",
  tags: ['segments'],
  access: { permission: 'data:read' },
  params: ZSegmentId,
  query: z.object({
    page: z.coerce.number().int().min(1).default(1),
    page_size: z.coerce.number().int().min(1).max(1000).default(50),
  }),
  response: z.object({
    total: z.number(),
    value: z.number(),
    currency: z.string(),
    page: z.number(),
    page_size: z.number(),
    customers: z.array(ZCustomerSample),
  }),
  errors: ['not_found', 'validation_failed', ...READ_ERRORS],
  handler: async ({ ctx, params, query }) => {
    const segment = await getSegment(ctx, params.id)
    const found = await ruleMembers(ctx, segment.rule, query.page, query.page_size)
    return { ...found, page: query.page, page_size: query.page_size }
  },
})

export const segmentHistoryRoute = defineRoute({
  method: 'GET',
  url: '/api/segments/:id/history',
  operationId: 'getSegmentHistory',
  summary: "A saved segment's membership over time (snapshots: daily, after imports, on save)",
  description:
    'entered / exited count the customers who joined or left since the previous snapshot (null on the first).',
  tags: ['segments'],
  access: { permission: 'data:read' },
  params: ZSegmentId,
  query: z.object({ limit: z.coerce.number().int().min(1).max(3660).default(400) }),
  response: z.object({
    snapshots: z.array(
      z.object({
        computed_at: z.string(),
        reason: z.string(),
        count: z.number(),
        value: z.number(),
        currency: z.string(),
        entered: z.number().nullable(),
        exited: z.number().nullable(),
      }),
    ),
  }),
  errors: ['not_found', ...READ_ERRORS],
  handler: async ({ ctx, params, query }) => ({
    snapshots: await segmentHistory(ctx, params.id, query.limit),
  }),
})
