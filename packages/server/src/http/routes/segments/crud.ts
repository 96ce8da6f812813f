import { z } from 'zod'
import {
  createSegment,
  deleteSegment,
  getSegment,
  listSegments,
  updateSegment,
} from '../../../segments/segments.service.ts'
import { SEGMENTS_SNAPSHOT_JOB } from '../../../jobs/segments.job.ts'
import { defineRoute } from '../../route.ts'
import {
  inCallerLanguage,
  READ_ERRORS,
  WRITE_ERRORS,
  ZRuleInput,
  ZSavedSegment,
  ZSegmentDescription,
  ZSegmentId,
  ZSegmentName,
} from './contracts.ts'

export const listSegmentsRoute = defineRoute({
  method: 'GET',
  url: '/api/segments',
  operationId: 'listSegments',
  summary: 'Saved custom segments',
  tags: ['segments'],
  access: { permission: 'data:read' },
  response: z.object({ segments: z.array(ZSavedSegment) }),
  errors: [...READ_ERRORS],
  handler: async ({ ctx }) => ({ segments: await listSegments(ctx) }),
})

export const getSegmentRoute = defineRoute({
  method: 'GET',
  url: '/api/segments/:id',
  operationId: 'getSegment',
  summary: 'One saved segment',
  tags: ['segments'],
  access: { permission: 'data:read' },
  params: ZSegmentId,
  response: ZSavedSegment,
  errors: ['not_found', ...READ_ERRORS],
  handler: ({ ctx, params }) => getSegment(ctx, params.id),
})

export const createSegmentRoute = defineRoute({
  method: 'POST',
  url: '/api/segments',
  operationId: 'createSegment',
  summary: 'Save a custom segment',
  description:
    'The rule is validated against the catalog; every problem names its path (rule.conditions[0].value).',
  tags: ['segments'],
  access: { permission: 'segments:manage' },
  body: z.object({ name: ZSegmentName, description: ZSegmentDescription, rule: ZRuleInput }),
  response: ZSavedSegment,
  successStatus: 201,
  errors: ['conflict', ...WRITE_ERRORS],
  handler: async ({ ctx, body, principal }) => {
    const saved = await createSegment(
      ctx,
      body,
      principal?.kind === 'user' ? principal.userId : null,
    )
    // The first point of its membership history (and the daily chain, see segments.job.ts).
    await ctx.jobs.enqueue(SEGMENTS_SNAPSHOT_JOB, { reason: 'saved' })
    return saved
  },
})

export const updateSegmentRoute = defineRoute({
  method: 'PATCH',
  url: '/api/segments/:id',
  operationId: 'updateSegment',
  summary: 'Rename, describe or change the rule of a saved segment',
  tags: ['segments'],
  access: { permission: 'segments:manage' },
  params: ZSegmentId,
  body: z.object({
    name: ZSegmentName.optional(),
    description: ZSegmentDescription,
    rule: ZRuleInput.optional(),
  }),
  response: ZSavedSegment,
  errors: ['not_found', 'conflict', ...WRITE_ERRORS],
  handler: async ({ ctx, params, body, request }) => {
    const saved = await inCallerLanguage(request, () => updateSegment(ctx, params.id, body))
    if (body.rule !== undefined) await ctx.jobs.enqueue(SEGMENTS_SNAPSHOT_JOB, { reason: 'saved' })
    return saved
  },
})

export const deleteSegmentRoute = defineRoute({
  method: 'DELETE',
  url: '/api/segments/:id',
  operationId: 'deleteSegment',
  summary: 'Delete a saved segment and its history',
  tags: ['segments'],
  access: { permission: 'segments:manage' },
  params: ZSegmentId,
  response: z.object({ deleted: z.literal(true) }),
  errors: ['not_found', 'unauthenticated', 'forbidden', 'csrf_failed'],
  handler: async ({ ctx, params }) => {
    await deleteSegment(ctx, params.id)
    return { deleted: true as const }
  },
})
