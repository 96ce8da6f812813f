import { RECORD_SCHEMAS, type EntityKind } from '@fedele/core'
import { z } from 'zod'
import { withCopyClient } from '../../../db/copy-client.ts'
import { upsertBatch } from '../../../services/ingest.service.ts'
import { defineRoute } from '../../route.ts'
import {
  ENTITY_PATHS,
  MAX_BATCH,
  ZCreateCustomersQuery,
  ZUpsertSummary,
  batchBody,
  fastBatchBody,
} from './contracts.ts'

export function batchUpsertRoute(kind: EntityKind) {
  return defineRoute({
    method: 'POST',
    url: `/api/${ENTITY_PATHS[kind]}/batch`,
    operationId: `batchUpsert_${kind}`,
    summary: `Upsert up to ${MAX_BATCH.toLocaleString('en')} ${kind.replace('_', ' ')} at once, all or nothing`,
    description:
      'Records are matched by external_id: new ones are inserted, changed ones updated, identical ones left alone. ' +
      'Send an Idempotency-Key header to make retries safe: the same key with the same body returns the first answer.',
    tags: [kind],
    access: { permission: 'data:ingest' },
    query: ZCreateCustomersQuery,
    body: batchBody(kind),
    fastBody: fastBatchBody(kind),
    response: ZUpsertSummary.extend({ replayed: z.boolean() }),
    errors: [
      'validation_failed',
      'duplicate_external_id',
      'unknown_reference',
      'idempotency_key_reused',
      'payload_too_large',
      'unauthenticated',
      'forbidden',
    ],
    handler: async ({ body, query, ctx, request }) => {
      const key = request.headers['idempotency-key']
      // On one connection held for the request, whose raw client lets a batch of new orders go
      // in by COPY (db/copy-client.ts); other kinds ignore it.
      const result = await withCopyClient(ctx.database, (db, copy) =>
        upsertBatch(db, kind, body.records, {
          createCustomers: query.create_customers === 'true',
          idempotencyKey: typeof key === 'string' && key.length > 0 ? key.slice(0, 200) : undefined,
          copy,
        }),
      )
      return { ...result.summary, replayed: result.replayed }
    },
  })
}

export function upsertOneRoute(kind: EntityKind) {
  return defineRoute({
    method: 'POST',
    url: `/api/${ENTITY_PATHS[kind]}`,
    operationId: `upsert_${kind}`,
    summary: `Create or update one ${kind.replace(/s$/, '').replace('_', ' ')} by external_id`,
    tags: [kind],
    access: { permission: 'data:ingest' },
    query: ZCreateCustomersQuery,
    body: RECORD_SCHEMAS[kind],
    response: ZUpsertSummary,
    errors: ['validation_failed', 'unknown_reference', 'unauthenticated', 'forbidden'],
    handler: async ({ body, query, ctx }) => {
      const result = await upsertBatch(ctx.database.db, kind, [body], {
        createCustomers: query.create_customers === 'true',
      })
      return result.summary
    },
  })
}
