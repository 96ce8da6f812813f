import type { FastifyRequest } from 'fastify'
import type { AppContext } from './context.ts'
import { AppError } from './app-error.ts'
import { resolveApiKey, resolveSession } from '../services/auth.service.ts'

export type Role = 'owner' | 'admin' | 'analyst' | 'agent'
export type ApiKeyScope = 'read' | 'write' | 'ingest'

/**
 * What a caller may do. Routes name one permission; roles and key scopes grant sets of them.
 * data:ingest is the narrow right of a shop integration: batch and single upserts, nothing else.
 */
export type Permission =
  | 'data:read'
  | 'data:ingest'
  | 'data:gdpr'
  | 'settings:manage'
  | 'users:manage'
  | 'apikeys:manage'
  | 'segments:manage'
  | 'session'

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  owner: ['session', 'data:read', 'data:ingest', 'data:gdpr', 'settings:manage', 'users:manage', 'apikeys:manage', 'segments:manage'],
  admin: ['session', 'data:read', 'data:ingest', 'data:gdpr', 'settings:manage', 'users:manage', 'apikeys:manage', 'segments:manage'],
  analyst: ['session', 'data:read', 'data:ingest', 'segments:manage'],
  agent: ['session', 'data:read'],
}

export const SCOPE_PERMISSIONS: Record<ApiKeyScope, readonly Permission[]> = {
  read: ['data:read'],
  write: ['data:read', 'data:ingest', 'data:gdpr', 'segments:manage'],
  ingest: ['data:ingest'],
}

export type Principal =
  | { kind: 'user'; userId: number; role: Role; email: string; csrfToken: string; sessionHash: string }
  | { kind: 'api_key'; keyId: number; scopes: ApiKeyScope[] }

export const SESSION_COOKIE = 'fedele_session'
export const CSRF_HEADER = 'x-csrf-token'

export async function authenticate(
  request: FastifyRequest,
  ctx: AppContext,
): Promise<Principal | undefined> {
  const header = request.headers.authorization
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header)
    if (!match?.[1]) throw new AppError('unauthenticated')
    const key = await resolveApiKey(ctx.database.db, match[1])
    if (!key) throw new AppError('unauthenticated')
    return { kind: 'api_key', keyId: key.id, scopes: key.scopes }
  }
  const token = request.cookies[SESSION_COOKIE]
  if (!token) return undefined
  const session = await resolveSession(ctx.database.db, token)
  if (!session) return undefined
  return {
    kind: 'user',
    userId: session.userId,
    role: session.role,
    email: session.email,
    csrfToken: session.csrfToken,
    sessionHash: session.sessionHash,
  }
}

export function permissionsOf(principal: Principal): readonly Permission[] {
  if (principal.kind === 'user') return ROLE_PERMISSIONS[principal.role]
  return [...new Set(principal.scopes.flatMap((s) => SCOPE_PERMISSIONS[s]))]
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** Throws 401/403 unless the principal holds the permission; checks CSRF for cookie sessions. */
export function authorize(
  request: FastifyRequest,
  principal: Principal | undefined,
  permission: Permission,
): asserts principal is Principal {
  if (!principal) throw new AppError('unauthenticated')
  if (!permissionsOf(principal).includes(permission)) throw new AppError('forbidden')
  if (principal.kind === 'user' && !SAFE_METHODS.has(request.method)) {
    if (request.headers[CSRF_HEADER] !== principal.csrfToken) throw new AppError('csrf_failed')
  }
}
