import { sql } from 'kysely'
import type { TestDatabase } from './databases.ts'

/** What the write paths store, for comparing two of them (COPY against the upsert). */
export type OrdersSnapshot = { orders: unknown[]; lines: unknown[]; customers: unknown[] }

/** Every stored order, line and customer, without the ids and instants that differ between databases. */
export async function ordersSnapshot(db: TestDatabase): Promise<OrdersSnapshot> {
  const orders = await sql`
    select o.external_id, c.external_id as customer, o.placed_at, o.status, o.refunded_amount, o.currency,
      o.total, o.discount, o.shipping, o.tax, o.channel, o.store, o.content_hash
    from orders o left join customers c on c.id = o.customer_id order by o.external_id`.execute(
    db.db,
  )
  const lines = await sql`
    select o.external_id, l.line_no, l.sku, l.product_name, l.category, l.quantity, l.unit_price, l.line_total
    from order_lines l join orders o on o.id = l.order_id order by o.external_id, l.line_no`.execute(
    db.db,
  )
  const customers =
    await sql`select external_id, content_hash from customers order by external_id`.execute(db.db)
  return { orders: orders.rows, lines: lines.rows, customers: customers.rows }
}

/** external id:change_seq of every order, in one string. */
export async function orderChangeSeqs(db: TestDatabase): Promise<string> {
  const r = await sql<{ s: string }>`
    select string_agg(external_id || ':' || change_seq, ',' order by external_id) as s from orders`.execute(
    db.db,
  )
  return r.rows[0]?.s ?? ''
}

/** Draws the next order id (to compare how many ids two write paths used). */
export async function nextOrderId(db: TestDatabase): Promise<number> {
  const r = await sql<{
    n: number
  }>`select nextval(pg_get_serial_sequence('orders', 'id'))::int8 as n`.execute(db.db)
  return r.rows[0]!.n
}
