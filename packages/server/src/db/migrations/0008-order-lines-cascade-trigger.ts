import { sql, type Kysely } from 'kysely'

/**
 * `order_lines.order_id → orders` becomes an AFTER DELETE statement trigger (issue 2, measured).
 * The foreign key checked every inserted line with one query per row: on PGlite ~35 ms of the
 * ~230 ms a 5,000-order batch (one line each) costs in SQL. What it gave:
 *
 * - ON DELETE CASCADE, which is behaviour: the trigger keeps it, deleting the lines of the
 *   deleted orders in one statement (and each deleted line still leaves its tombstone for the
 *   replica, as the cascade did);
 * - the check that a line's order exists: the write path takes every order id from the upsert's
 *   own RETURNING or from the orders it just updated, in the same transaction, and fact writes
 *   are serialised by the change lock, so a line cannot name a missing order.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table order_lines drop constraint if exists order_lines_order_id_fkey;

    create function fedele_delete_order_lines() returns trigger language plpgsql as $$
    begin
      delete from order_lines where order_id in (select id from deleted_orders);
      return null;
    end $$;

    create trigger orders_delete_lines after delete on orders
      referencing old table as deleted_orders
      for each statement execute function fedele_delete_order_lines();
  `.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger if exists orders_delete_lines on orders;
    drop function if exists fedele_delete_order_lines();
    alter table order_lines add constraint order_lines_order_id_fkey
      foreign key (order_id) references orders(id) on delete cascade;
  `.execute(db)
}
