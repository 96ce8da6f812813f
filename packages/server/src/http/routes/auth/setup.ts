import { z } from 'zod'
import { createUser, startSession } from '../../../services/auth.service.ts'
import { usersRepository } from '../../../repositories/users.repository.ts'
import { AppError } from '../../app-error.ts'
import { defineRoute } from '../../route.ts'
import { setSessionCookie } from '../../session-cookie.ts'
import { ZLocale, ZPassword, ZSessionInfo } from './contracts.ts'

export const setupRoute = defineRoute({
  method: 'POST',
  url: '/api/setup',
  operationId: 'setupOwner',
  summary: 'First run: create the owner account (only while no user exists) and sign in',
  tags: ['auth'],
  access: 'public',
  rateLimit: { max: 10, timeWindowMs: 60_000 },
  errors: ['validation_failed', 'already_set_up', 'rate_limited'],
  body: z.strictObject({
    email: z.email(),
    password: ZPassword,
    name: z.string().max(200).optional(),
    locale: ZLocale.optional(),
    workspace_name: z.string().min(1).max(200).optional(),
  }),
  response: ZSessionInfo,
  successStatus: 201,
  handler: async ({ body, ctx, request, reply }) => {
    const db = ctx.database.db
    const user = await db.transaction().execute(async (trx) => {
      if ((await usersRepository(trx).countUsers()) > 0) throw new AppError('already_set_up')
      if (body.workspace_name) {
        await trx.updateTable('workspaces').set({ name: body.workspace_name }).where('id', '=', 1).execute()
      }
      return createUser(trx, { ...body, role: 'owner' })
    })
    const session = await startSession(db, user.id, new Date())
    setSessionCookie(request, reply, ctx, session.token, session.expiresAt)
    return { user: { ...user, role: 'owner' as const, locale: user.locale ?? null }, csrf_token: session.csrfToken }
  },
})

export const setupStatusRoute = defineRoute({
  method: 'GET',
  url: '/api/setup',
  operationId: 'getSetupStatus',
  summary: 'Whether the first-run owner still has to be created',
  tags: ['auth'],
  access: 'public',
  rateLimit: { max: 60, timeWindowMs: 60_000 },
  response: z.object({ needs_setup: z.boolean() }),
  handler: async ({ ctx }) => ({
    needs_setup: (await usersRepository(ctx.database.db).countUsers()) === 0,
  }),
})
