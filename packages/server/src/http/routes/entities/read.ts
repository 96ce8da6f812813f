import { RECORD_SCHEMAS, type EntityKind } from '@fedele/core'
import { z } from 'zod'
import { getEntity, listEntities } from '../../../repositories/entities.repository.ts'
import { AppError } from '../../app-error.ts'
import { defineRoute } from '../../route.ts'
import { ENTITY_PATHS, ZExternalIdParams, ZListQuery, decodeCursor, encodeCursor } from './contracts.ts'

/** The stored record as returned by reads: the ingest shape, loosened (stored values may be null). */
const looseRecord = (kind: EntityKind) =>
  z.object({ external_id: z.string() }).catchall(z.unknown()).describe(`A stored ${kind} record`)

export function getEntityRoute(kind: EntityKind) {
  return defineRoute({
    method: 'GET',
    url: `/api/${ENTITY_PATHS[kind]}/:externalId`,
    operationId: `get_${kind}`,
    summary: `Get one ${kind.replace(/s$/, '').replace('_', ' ')} by external id`,
    tags: [kind],
    access: { permission: 'data:read' },
    params: ZExternalIdParams,
    response: looseRecord(kind),
    errors: ['not_found', 'unauthenticated', 'forbidden'],
    handler: async ({ params, ctx }) => {
      const row = await getEntity(ctx.database.db, kind, params.externalId)
      if (!row) throw new AppError('not_found', [{ path: 'externalId', message: `no ${kind} "${params.externalId}"` }])
      return row as { external_id: string }
    },
  })
}

export function listEntitiesRoute(kind: EntityKind) {
  void RECORD_SCHEMAS
  return defineRoute({
    method: 'GET',
    url: `/api/${ENTITY_PATHS[kind]}`,
    operationId: `list_${kind}`,
    summary: `List ${kind.replace('_', ' ')}, newest last, with cursor paging and filters`,
    tags: [kind],
    access: { permission: 'data:read' },
    query: ZListQuery,
    response: z.object({ items: z.array(looseRecord(kind)), next_cursor: z.string().nullable() }),
    errors: ['validation_failed', 'unauthenticated', 'forbidden'],
    handler: async ({ query, ctx }) => {
      const afterId = decodeCursor(query.cursor)
      if (afterId === undefined) {
        throw new AppError('validation_failed', [{ path: 'cursor', message: 'is not a cursor returned by this endpoint' }])
      }
      const page = await listEntities(ctx.database.db, kind, {
        afterId,
        limit: query.limit,
        filter: {
          customerExternalId: query.customer_external_id,
          updatedSince: query.updated_since,
          from: query.from,
          to: query.to,
        },
      })
      return {
        items: page.items as { external_id: string }[],
        next_cursor: page.nextAfterId === undefined ? null : encodeCursor(page.nextAfterId),
      }
    },
  })
}
