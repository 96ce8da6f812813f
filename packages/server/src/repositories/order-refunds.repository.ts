import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'

type Db = Kysely<DB> | Transaction<DB>

/** A refund as the ledger keeps it (see migration 0005). */
export type StoredRefund = {
  external_id: string
  order_external_id: string
  kind: 'cancellation' | 'refund'
  amount: number
  currency: string
  refunded_at: string
}

/** The ids among `ids` that the ledger already holds (applied, or waiting for their order). */
export async function storedRefundIds(db: Db, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set()
  const r = await sql<{ external_id: string }>`
    select external_id from order_refunds
    where workspace_id = 1 and external_id = any(${ids}::text[])`.execute(db)
  return new Set(r.rows.map((x) => x.external_id))
}

/** The stored refunds of these orders, by order external id, in the order they were stored. */
export async function storedRefundsOf(
  db: Db,
  orderExternalIds: string[],
): Promise<Map<string, StoredRefund[]>> {
  const out = new Map<string, StoredRefund[]>()
  if (orderExternalIds.length === 0) return out
  const r = await sql<StoredRefund>`
    select external_id, order_external_id, kind, amount, currency,
      to_char(refunded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as refunded_at
    from order_refunds
    where workspace_id = 1 and order_external_id = any(${orderExternalIds}::text[])
    order by seq`.execute(db)
  for (const row of r.rows) {
    const list = out.get(row.order_external_id)
    if (list) list.push(row)
    else out.set(row.order_external_id, [row])
  }
  return out
}

/** Add refunds to the ledger; an id already there is left as it is. */
export async function storeRefunds(db: Db, refunds: StoredRefund[]): Promise<void> {
  if (refunds.length === 0) return
  const col = <K extends keyof StoredRefund>(k: K) => refunds.map((r) => r[k])
  await sql`
    insert into order_refunds (external_id, order_external_id, kind, amount, currency, refunded_at)
    select * from unnest(${col('external_id')}::text[], ${col('order_external_id')}::text[],
      ${col('kind')}::text[], ${col('amount')}::int8[], ${col('currency')}::text[],
      ${col('refunded_at')}::timestamptz[])
    on conflict (workspace_id, external_id) do nothing`.execute(db)
}

/**
 * The order an unlinked credit note (Online Retail) most likely refunds: the customer's latest
 * order placed before it, in the same currency. Null when there is none.
 */
export async function latestOrderBefore(
  db: Db,
  customerExternalId: string,
  at: string,
  currency: string,
): Promise<string | null> {
  const r = await sql<{ external_id: string }>`
    select o.external_id from orders o join customers c on c.id = o.customer_id
    where c.external_id = ${customerExternalId} and o.placed_at <= ${at}::timestamptz
      and o.currency = ${currency}
    order by o.placed_at desc limit 1`.execute(db)
  return r.rows[0]?.external_id ?? null
}
