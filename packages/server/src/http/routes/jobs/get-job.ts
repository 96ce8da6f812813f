import { z } from 'zod'
import { AppError } from '../../app-error.ts'
import { defineRoute } from '../../route.ts'

export const getJobRoute = defineRoute({
  method: 'GET',
  url: '/api/jobs/:id',
  operationId: 'getJob',
  summary: 'Status, progress and result of a background job',
  tags: ['jobs'],
  access: { permission: 'data:read' },
  params: z.object({ id: z.coerce.number().int().positive() }),
  response: z.object({
    id: z.number(),
    name: z.string(),
    status: z.string(),
    attempts: z.number(),
    progress: z.unknown(),
    result: z.unknown(),
    error: z.string().nullable(),
    created_at: z.date(),
    finished_at: z.date().nullable(),
  }),
  errors: ['not_found', 'unauthenticated', 'forbidden'],
  handler: async ({ ctx, params }) => {
    const job = await ctx.jobs.get(params.id)
    if (!job) throw new AppError('not_found')
    return job
  },
})
