import { sql, type Kysely } from 'kysely'

/**
 * The write path's foreign keys that cost more than they protect (issues 2 and 3, measured):
 * PostgreSQL checks a foreign key with one SPI query per inserted row, and on PGlite (WASM,
 * single-threaded) the `workspace_id → workspaces` and `customer_id → customers` checks took
 * ~40% of a 5,000-order upsert (CPU 283–337 ms → 179–215 ms without them).
 *
 * - `workspace_id → workspaces` on the fact tables: there is one workspace (id 1, the column
 *   default); the check re-proves a constant on every row.
 * - `customer_id → customers` on the fact tables: the write path takes every customer id from a
 *   lookup in the same transaction (`services/ingest.service.ts`), and the record never deletes a
 *   customer (GDPR erasure anonymises the row and keeps it), so a reference cannot dangle.
 *
 * Kept: `order_lines.order_id` and `subscription_changes.subscription_id`, whose ON DELETE CASCADE
 * is behaviour, not just a check; the users/sessions/keys/jobs keys (not on the bulk path).
 */
const DROPPED: [table: string, column: string, references: string][] = [
  ['customers', 'workspace_id', 'workspaces(id)'],
  ['orders', 'workspace_id', 'workspaces(id)'],
  ['orders', 'customer_id', 'customers(id)'],
  ['order_lines', 'workspace_id', 'workspaces(id)'],
  ['subscriptions', 'workspace_id', 'workspaces(id)'],
  ['subscriptions', 'customer_id', 'customers(id)'],
  ['subscription_changes', 'workspace_id', 'workspaces(id)'],
  ['tickets', 'workspace_id', 'workspaces(id)'],
  ['tickets', 'customer_id', 'customers(id)'],
  ['events', 'workspace_id', 'workspaces(id)'],
  ['events', 'customer_id', 'customers(id)'],
  ['survey_answers', 'workspace_id', 'workspaces(id)'],
  ['survey_answers', 'customer_id', 'customers(id)'],
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [table, column] of DROPPED) {
    await sql
      .raw(`alter table ${table} drop constraint if exists ${table}_${column}_fkey`)
      .execute(db)
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const [table, column, references] of DROPPED) {
    await sql
      .raw(
        `alter table ${table} add constraint ${table}_${column}_fkey foreign key (${column}) references ${references}`,
      )
      .execute(db)
  }
}
