import { z } from 'zod'
import { createUser } from '../../../services/auth.service.ts'
import { usersRepository } from '../../../repositories/users.repository.ts'
import { AppError } from '../../app-error.ts'
import { defineRoute } from '../../route.ts'
import { ZLocale, ZPassword, ZRole, ZUser } from '../auth/contracts.ts'

export const listUsersRoute = defineRoute({
  method: 'GET',
  url: '/api/users',
  operationId: 'listUsers',
  summary: 'Users of the workspace and their roles',
  tags: ['users'],
  access: { permission: 'users:manage' },
  response: z.object({ items: z.array(ZUser.extend({ last_login_at: z.date().nullable() })) }),
  errors: ['unauthenticated', 'forbidden'],
  handler: async ({ ctx }) => ({ items: await usersRepository(ctx.database.db).listUsers() }),
})

export const createUserRoute = defineRoute({
  method: 'POST',
  url: '/api/users',
  operationId: 'createUser',
  summary: 'Invite a user with a role (owner, admin, analyst, agent)',
  tags: ['users'],
  access: { permission: 'users:manage' },
  body: z.strictObject({
    email: z.email(),
    password: ZPassword,
    name: z.string().max(200).optional(),
    role: ZRole.exclude(['owner']),
    locale: ZLocale.optional(),
  }),
  response: ZUser,
  successStatus: 201,
  errors: ['validation_failed', 'conflict', 'unauthenticated', 'forbidden', 'csrf_failed'],
  handler: async ({ ctx, body }) => {
    if (await usersRepository(ctx.database.db).findUserByEmail(body.email)) {
      throw new AppError('conflict', [{ path: 'email', message: 'a user with this email exists' }])
    }
    const u = await createUser(ctx.database.db, body)
    return { ...u, locale: u.locale ?? null }
  },
})
