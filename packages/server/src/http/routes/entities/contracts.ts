import { RECORD_SCHEMAS, type EntityKind } from '@fedele/core'
import { z } from 'zod'
import { fastOrderBatch } from './order-fast-path.ts'

export const MAX_BATCH = 10_000

export const ZUpsertSummary = z.object({
  kind: z.string(),
  received: z.number().int(),
  inserted: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  customers_created: z.number().int(),
})

export const ZExternalIdParams = z.object({ externalId: z.string().min(1).max(255) })

export const ZCreateCustomersQuery = z.object({
  create_customers: z
    .enum(['true', 'false'])
    .optional()
    .describe('Create bare customers for unknown customer_external_id values instead of rejecting'),
})

/** A batch body as zod parses it; also what the OpenAPI document describes. */
export function zodBatchBody(kind: EntityKind) {
  return z.strictObject({
    records: z.array(RECORD_SCHEMAS[kind]).min(1).max(MAX_BATCH),
  })
}

/** A batch route's body schema. */
export function batchBody(kind: EntityKind) {
  return zodBatchBody(kind)
}

/**
 * The batch route's fast body recogniser (RouteSpec.fastBody): for orders, the hot ingest path,
 * the hand-written recogniser of order-fast-path.ts, which vouches only for bodies it can prove
 * valid and builds zod's exact output for them. Measured: zod took 20–35 ms per 5,000-order batch.
 */
export function fastBatchBody(kind: EntityKind) {
  return kind === 'orders' ? (value: unknown) => fastOrderBatch(value, MAX_BATCH) : undefined
}

export const ZListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(100).optional().describe('next_cursor of the previous page'),
  customer_external_id: z.string().max(255).optional(),
  updated_since: z.iso.datetime({ offset: true }).optional(),
  from: z.iso.datetime({ offset: true }).optional().describe('Event time ≥ from'),
  to: z.iso.datetime({ offset: true }).optional().describe('Event time < to'),
})

export const ENTITY_PATHS: Record<EntityKind, string> = {
  customers: 'customers',
  orders: 'orders',
  subscriptions: 'subscriptions',
  subscription_changes: 'subscription-changes',
  tickets: 'tickets',
  events: 'events',
  survey_answers: 'survey-answers',
}

export const encodeCursor = (id: number) => Buffer.from(`id:${id}`).toString('base64url')
export function decodeCursor(cursor: string | undefined): number | undefined {
  if (!cursor) return 0
  const m = /^id:(\d{1,18})$/.exec(Buffer.from(cursor, 'base64url').toString())
  return m?.[1] ? Number(m[1]) : undefined
}
