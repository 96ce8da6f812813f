import { z } from 'zod'
import { pendingMigrations, ping } from '../../../db/database.ts'
import { AppError } from '../../app-error.ts'
import { defineRoute } from '../../route.ts'

export const readyRoute = defineRoute({
  method: 'GET',
  url: '/api/ready',
  operationId: 'getReadiness',
  summary: 'Readiness: the database answers and its schema is current',
  tags: ['system'],
  access: 'public',
  errors: ['not_ready'],
  response: z.object({ status: z.literal('ready'), database: z.enum(['pglite', 'postgres']) }),
  handler: async ({ ctx }) => {
    try {
      await ping(ctx.database.db)
      const pending = await pendingMigrations(ctx.database.db)
      if (pending.length > 0) {
        throw new AppError('not_ready', [{ path: 'database', message: `pending migrations: ${pending.join(', ')}` }])
      }
    } catch (e) {
      if (e instanceof AppError) throw e
      throw new AppError('not_ready', [{ path: 'database', message: (e as Error).message }])
    }
    return { status: 'ready' as const, database: ctx.database.kind }
  },
})
