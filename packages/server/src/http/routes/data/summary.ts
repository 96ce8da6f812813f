import { sql } from 'kysely'
import { z } from 'zod'
import { metricsReplica } from '../../../analytics/metrics/replica-for.ts'
import { defineRoute } from '../../route.ts'

/** Each kind of record and the instant its "latest" is read from. */
const KINDS = [
  ['customers', 'created_at'],
  ['orders', 'placed_at'],
  ['subscriptions', 'started_at'],
  ['tickets', 'opened_at'],
  ['survey_answers', 'answered_at'],
  ['events', 'occurred_at'],
] as const

const NEWEST = 8

const ZCount = z.object({ count: z.number().int(), latest: z.date().nullable() })

export const dataSummaryRoute = defineRoute({
  method: 'GET',
  url: '/api/data/summary',
  operationId: 'getDataSummary',
  summary:
    'How many records of each kind the workspace holds, the latest of each, the newest orders',
  description:
    'count: every record of the kind (erased customers included: their rows stay, emptied). latest: the most ' +
    'recent created_at (customers), placed_at (orders), started_at (subscriptions), opened_at (tickets), ' +
    'answered_at (survey answers) or occurred_at (events). newest_orders: the 8 orders placed last. Read from ' +
    'the analytics replica, brought up to date first.',
  tags: ['entities'],
  access: { permission: 'data:read' },
  response: z.object({
    customers: ZCount,
    orders: ZCount,
    subscriptions: ZCount,
    tickets: ZCount,
    survey_answers: ZCount,
    events: ZCount,
    newest_orders: z.array(
      z.object({
        external_id: z.string(),
        customer_external_id: z.string().nullable(),
        placed_at: z.date(),
        status: z.string(),
        currency: z.string(),
        total: z.number(),
      }),
    ),
  }),
  errors: ['unauthenticated', 'forbidden'],
  handler: async ({ ctx }) => {
    const replica = await metricsReplica(ctx)
    const counts = await replica.query<{ kind: string; n: number; latest: Date | string | null }>(
      KINDS.map(
        ([table, at]) =>
          `select '${table}' as kind, count(*)::INTEGER as n, max(${at}) as latest from ${table}`,
      ).join(' union all '),
    )
    const newest = await replica.query<{ id: number }>(
      `select id from orders order by placed_at desc, id desc limit ${NEWEST}`,
    )
    const ids = newest.map((r) => Number(r.id))
    // External ids are the record's (the replica keeps business facts only).
    const orders =
      ids.length === 0
        ? []
        : (
            await sql<{
              external_id: string
              customer_external_id: string | null
              placed_at: Date
              status: string
              currency: string
              total: number
            }>`
              select o.external_id, c.external_id as customer_external_id, o.placed_at, o.status,
                o.currency, o.total
              from orders o left join customers c on c.id = o.customer_id
              where o.id in (${sql.join(ids)})
              order by o.placed_at desc, o.id desc`.execute(ctx.database.db)
          ).rows
    const of = (kind: string) => {
      const row = counts.find((c) => c.kind === kind)
      return {
        count: Number(row?.n ?? 0),
        latest: row?.latest == null ? null : new Date(row.latest),
      }
    }
    return {
      customers: of('customers'),
      orders: of('orders'),
      subscriptions: of('subscriptions'),
      tickets: of('tickets'),
      survey_answers: of('survey_answers'),
      events: of('events'),
      newest_orders: orders.map((o) => ({
        ...o,
        currency: o.currency.trim(),
        total: Number(o.total),
        placed_at: new Date(o.placed_at),
      })),
    }
  },
})
