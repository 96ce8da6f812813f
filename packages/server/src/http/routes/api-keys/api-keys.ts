import { z } from 'zod'
import { createApiKey } from '../../../services/auth.service.ts'
import { usersRepository } from '../../../repositories/users.repository.ts'
import { AppError } from '../../app-error.ts'
import { defineRoute } from '../../route.ts'

const ZScope = z.enum(['read', 'write', 'ingest'])
const ZApiKey = z.object({
  id: z.number(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()),
  created_at: z.date(),
  last_used_at: z.date().nullable().optional(),
  revoked_at: z.date().nullable().optional(),
})

export const listApiKeysRoute = defineRoute({
  method: 'GET',
  url: '/api/api-keys',
  operationId: 'listApiKeys',
  summary: 'API keys (never their secrets)',
  tags: ['api keys'],
  access: { permission: 'apikeys:manage' },
  response: z.object({ items: z.array(ZApiKey) }),
  errors: ['unauthenticated', 'forbidden'],
  handler: async ({ ctx }) => ({ items: await usersRepository(ctx.database.db).listApiKeys() }),
})

export const createApiKeyRoute = defineRoute({
  method: 'POST',
  url: '/api/api-keys',
  operationId: 'createApiKey',
  summary: 'Create an API key; the secret is shown in this answer only',
  tags: ['api keys'],
  access: { permission: 'apikeys:manage' },
  body: z.strictObject({ name: z.string().min(1).max(100), scopes: z.array(ZScope).min(1) }),
  response: ZApiKey.extend({ key: z.string() }),
  successStatus: 201,
  errors: ['validation_failed', 'unauthenticated', 'forbidden', 'csrf_failed'],
  handler: async ({ ctx, body, principal }) =>
    createApiKey(ctx.database.db, {
      name: body.name,
      scopes: [...new Set(body.scopes)],
      createdBy: principal?.kind === 'user' ? principal.userId : null,
    }),
})

export const revokeApiKeyRoute = defineRoute({
  method: 'DELETE',
  url: '/api/api-keys/:id',
  operationId: 'revokeApiKey',
  summary: 'Revoke an API key',
  tags: ['api keys'],
  access: { permission: 'apikeys:manage' },
  params: z.object({ id: z.coerce.number().int().positive() }),
  response: z.object({ revoked: z.literal(true) }),
  errors: ['not_found', 'unauthenticated', 'forbidden', 'csrf_failed'],
  handler: async ({ ctx, params }) => {
    const r = await usersRepository(ctx.database.db).revokeApiKey(params.id, new Date())
    if (!r.numUpdatedRows) throw new AppError('not_found')
    return { revoked: true as const }
  },
})
