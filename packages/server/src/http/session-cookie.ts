import type { FastifyReply, FastifyRequest } from 'fastify'
import { SESSION_COOKIE } from './auth.ts'
import type { AppContext } from './context.ts'

/** HttpOnly, SameSite=Lax, Secure when the request came over HTTPS (or when forced). */
export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  ctx: AppContext,
  token: string,
  expires: Date,
) {
  const mode = ctx.env.FEDELE_SECURE_COOKIES
  const secure = mode === 'true' || (mode === 'auto' && request.protocol === 'https')
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    expires,
  })
}

export function clearSessionCookie(reply: FastifyReply) {
  reply.clearCookie(SESSION_COOKIE, { path: '/' })
}
