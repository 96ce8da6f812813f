import { createHash } from 'node:crypto'
import { z } from 'zod'
import { eraseCustomer, exportCustomer } from '../../../repositories/entities.repository.ts'
import { AppError } from '../../app-error.ts'
import { defineRoute } from '../../route.ts'
import { ZExternalIdParams } from '../entities/contracts.ts'

export const exportCustomerRoute = defineRoute({
  method: 'GET',
  url: '/api/customers/:externalId/export',
  operationId: 'exportCustomer',
  summary: 'GDPR access: everything Fedele holds about one customer, as JSON',
  tags: ['customers', 'gdpr'],
  access: { permission: 'data:gdpr' },
  params: ZExternalIdParams,
  response: z.record(z.string(), z.unknown()),
  errors: ['not_found', 'unauthenticated', 'forbidden'],
  handler: async ({ params, ctx, reply }) => {
    const data = await exportCustomer(ctx.database.db, params.externalId)
    if (!data) throw new AppError('not_found')
    reply.header('content-disposition', `attachment; filename="customer-export.json"`)
    return { exported_at: new Date().toISOString(), ...data }
  },
})

export const eraseCustomerRoute = defineRoute({
  method: 'POST',
  url: '/api/customers/:externalId/erase',
  operationId: 'eraseCustomer',
  summary: 'GDPR erasure: remove personal fields, keep the facts anonymised',
  description:
    'Name, email, phone, address details, birthday, attributes, tags, consents and free text written by the ' +
    'customer are removed; orders, subscriptions and tickets stay, linked to an anonymous customer, so totals ' +
    'do not change. The external id is replaced by an opaque one. The analytics replica follows on its next sync.',
  tags: ['customers', 'gdpr'],
  access: { permission: 'data:gdpr' },
  params: ZExternalIdParams,
  response: z.object({ erased: z.literal(true), anonymous_id: z.string() }),
  errors: ['not_found', 'unauthenticated', 'forbidden', 'csrf_failed'],
  handler: async ({ params, ctx }) => {
    const anonymousId = `erased-${createHash('sha256').update(`${params.externalId}:${Date.now()}`).digest('hex').slice(0, 16)}`
    const id = await ctx.database.db
      .transaction()
      .execute((trx) => eraseCustomer(trx, params.externalId, anonymousId))
    if (id === undefined) throw new AppError('not_found')
    await ctx.analytics?.sync()
    return { erased: true as const, anonymous_id: anonymousId }
  },
})
