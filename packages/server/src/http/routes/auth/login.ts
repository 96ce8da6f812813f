import { z } from 'zod'
import { checkCredentials, endSession, startSession } from '../../../services/auth.service.ts'
import { usersRepository } from '../../../repositories/users.repository.ts'
import { AppError } from '../../app-error.ts'
import { defineRoute } from '../../route.ts'
import { clearSessionCookie, setSessionCookie } from '../../session-cookie.ts'
import { ZLocale, ZSessionInfo } from './contracts.ts'

export const loginRoute = defineRoute({
  method: 'POST',
  url: '/api/auth/login',
  operationId: 'login',
  summary: 'Sign in with email and password; sets the session cookie',
  tags: ['auth'],
  access: 'public',
  rateLimit: { max: 10, timeWindowMs: 60_000 },
  errors: ['validation_failed', 'invalid_credentials', 'rate_limited'],
  body: z.strictObject({ email: z.email(), password: z.string().min(1).max(200) }),
  response: ZSessionInfo,
  handler: async ({ body, ctx, request, reply }) => {
    const user = await checkCredentials(ctx.database.db, body.email, body.password)
    if (!user) throw new AppError('invalid_credentials')
    const session = await startSession(ctx.database.db, user.id, new Date())
    setSessionCookie(request, reply, ctx, session.token, session.expiresAt)
    return {
      user: { id: user.id, email: user.email, name: user.name, role: user.role, locale: user.locale },
      csrf_token: session.csrfToken,
    }
  },
})

export const logoutRoute = defineRoute({
  method: 'POST',
  url: '/api/auth/logout',
  operationId: 'logout',
  summary: 'Sign out: ends the session',
  tags: ['auth'],
  access: { permission: 'session' },
  errors: ['unauthenticated', 'csrf_failed'],
  response: z.object({ ok: z.literal(true) }),
  handler: async ({ ctx, principal, reply }) => {
    if (principal?.kind === 'user') await endSession(ctx.database.db, principal.sessionHash)
    clearSessionCookie(reply)
    return { ok: true as const }
  },
})

export const meRoute = defineRoute({
  method: 'GET',
  url: '/api/auth/me',
  operationId: 'getMe',
  summary: 'The signed-in user and the CSRF token to send with writes',
  tags: ['auth'],
  access: { permission: 'session' },
  errors: ['unauthenticated'],
  response: ZSessionInfo,
  handler: async ({ ctx, principal }) => {
    if (principal?.kind !== 'user') throw new AppError('unauthenticated')
    const user = await usersRepository(ctx.database.db).findUserById(principal.userId)
    if (!user) throw new AppError('unauthenticated')
    return {
      user: { id: user.id, email: user.email, name: user.name, role: user.role, locale: user.locale },
      csrf_token: principal.csrfToken,
    }
  },
})

export const updateMeRoute = defineRoute({
  method: 'PATCH',
  url: '/api/auth/me',
  operationId: 'updateMe',
  summary: "Change the signed-in user's interface language",
  tags: ['auth'],
  access: { permission: 'session' },
  errors: ['unauthenticated', 'csrf_failed', 'validation_failed'],
  body: z.strictObject({ locale: ZLocale }),
  response: z.object({ locale: ZLocale }),
  handler: async ({ ctx, principal, body }) => {
    if (principal?.kind !== 'user') throw new AppError('unauthenticated')
    await usersRepository(ctx.database.db).updateUserLocale(principal.userId, body.locale)
    return { locale: body.locale }
  },
})
