import { sql, type Kysely } from 'kysely'

/**
 * Refunds and cancellations that imports applied to orders of another file or batch (issue 3):
 * a Shopify/Stripe refund row, a credit note, a refunds file imported after the orders. An order
 * row has only `status` and `refunded_amount`, so without this ledger a refund file imported
 * twice would refund twice, and re-importing the orders file would wipe the refund.
 *
 * - one row per refund id (the credit note's number, `<order>:refund`, the export's refund id):
 *   a refund is applied once, whatever the number of imports;
 * - keyed by the order's external id, not its row id, so a refund that arrives before its order
 *   waits here and is applied when the order is imported;
 * - the import replays an order's refunds (in `seq` order) on the order record read from a file
 *   before writing it, so the stored order stays "file + refunds" and an unchanged file is
 *   unchanged.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table order_refunds (
      workspace_id integer not null default 1,
      external_id text not null,
      order_external_id text not null,
      kind text not null check (kind in ('cancellation', 'refund')),
      amount bigint not null check (amount >= 0),
      currency char(3) not null,
      refunded_at timestamptz not null,
      seq bigint generated always as identity,
      created_at timestamptz not null default now(),
      primary key (workspace_id, external_id)
    );
    create index order_refunds_order on order_refunds (workspace_id, order_external_id, seq);
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table order_refunds`.execute(db)
}
