import { RECORD_SCHEMAS, type EntityKind } from '@fedele/core'
import type { OrderInput, SubscriptionInput } from '@fedele/core/metrics'
import type { Kysely } from 'kysely'
import type { DB } from '../../src/db/schema.ts'
import { upsertBatch } from '../../src/services/ingest.service.ts'

type Rec = Record<string, unknown>
export type RecordSet = Partial<Record<EntityKind, Rec[]>>

const ORDER: EntityKind[] = [
  'customers',
  'orders',
  'subscriptions',
  'subscription_changes',
  'tickets',
  'events',
  'survey_answers',
]

/** Loads records through the ingest path (schema parse + upsertBatch), in dependency order. */
export async function loadRecords(db: Kysely<DB>, records: RecordSet, batch = 5000): Promise<void> {
  for (const kind of ORDER) {
    const list = records[kind] ?? []
    for (let i = 0; i < list.length; i += batch) {
      const parsed = list.slice(i, i + batch).map((r) => RECORD_SCHEMAS[kind].parse(r) as Rec)
      await upsertBatch(db, kind, parsed)
    }
  }
}

/** The same records as core reference inputs, keyed by external id. */
export function referenceOrders(orders: readonly Rec[]): OrderInput[] {
  return orders.map((o) => ({
    customerId: (o.customer_external_id as string | null | undefined) ?? null,
    at: o.placed_at as string,
    amount: o.total as number,
    refundedAmount: (o.refunded_amount as number | undefined) ?? 0,
    status: o.status as 'completed' | 'refunded' | 'cancelled',
  }))
}

export function referenceSubscriptions(
  subs: readonly Rec[],
  changes: readonly Rec[] = [],
): SubscriptionInput[] {
  return subs.map((s) => ({
    interval: (s.interval as 'day' | 'week' | 'month' | 'year' | undefined) ?? 'month',
    intervalCount: (s.interval_count as number | undefined) ?? 1,
    changes: changes
      .filter((c) => c.subscription_external_id === s.external_id)
      .map((c) => ({ at: c.changed_at as string, amount: (c.amount as number | null) ?? null })),
    customerId: s.customer_external_id as string,
    startedAt: s.started_at as string,
    endedAt: (s.ended_at as string | null | undefined) ?? null,
    trialEndsAt: (s.trial_end as string | null | undefined) ?? null,
    amount: s.amount as number,
  }))
}
