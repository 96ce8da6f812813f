import { z } from 'zod'
import { defineRoute } from '../../route.ts'

export const healthRoute = defineRoute({
  method: 'GET',
  url: '/api/health',
  operationId: 'getHealth',
  summary: 'Liveness: the process is up and serving HTTP',
  tags: ['system'],
  access: 'public',
  response: z.object({ status: z.literal('ok'), version: z.string(), uptime_s: z.number() }),
  handler: ({ ctx }) => ({
    status: 'ok' as const,
    version: ctx.version,
    uptime_s: Math.round((Date.now() - ctx.startedAt.getTime()) / 1000),
  }),
})
