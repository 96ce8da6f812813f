import type { EventRecord, Order, SurveyAnswer, Ticket } from '../../lib/api/types.ts'

/** One line of a customer's history, from whichever record it came. */
export type TimelineEntry =
  | { kind: 'order'; at: string; record: Order }
  | { kind: 'ticket'; at: string; record: Ticket }
  | { kind: 'survey'; at: string; record: SurveyAnswer }
  | { kind: 'event'; at: string; record: EventRecord }

/** Merges the four histories, newest first; ties keep a stable order by kind and id. */
export function buildTimeline(input: {
  orders?: Order[]
  tickets?: Ticket[]
  answers?: SurveyAnswer[]
  events?: EventRecord[]
}): TimelineEntry[] {
  const all: TimelineEntry[] = [
    ...(input.orders ?? []).map((r) => ({ kind: 'order' as const, at: r.placed_at, record: r })),
    ...(input.tickets ?? []).map((r) => ({ kind: 'ticket' as const, at: r.opened_at, record: r })),
    ...(input.answers ?? []).map((r) => ({
      kind: 'survey' as const,
      at: r.answered_at,
      record: r,
    })),
    ...(input.events ?? []).map((r) => ({ kind: 'event' as const, at: r.occurred_at, record: r })),
  ]
  return all.sort(
    (a, b) =>
      Date.parse(b.at) - Date.parse(a.at) ||
      a.kind.localeCompare(b.kind) ||
      a.record.external_id.localeCompare(b.record.external_id),
  )
}

/**
 * Net spend per currency: totals of orders that were not cancelled, less refunds, in minor
 * units. Currencies are never added together (that needs a rate).
 */
export function netSpent(orders: Order[]): { currency: string; minor: number }[] {
  const by = new Map<string, number>()
  for (const o of orders) {
    if (o.status === 'cancelled') continue
    by.set(o.currency, (by.get(o.currency) ?? 0) + o.total - (o.refunded_amount ?? 0))
  }
  return [...by].map(([currency, minor]) => ({ currency, minor }))
}
