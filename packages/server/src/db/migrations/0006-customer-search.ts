import { sql, type Kysely } from 'kysely'

/**
 * Indexes for the customer list (GET /api/search/customers, repositories/customer-search.ts):
 *
 * - trigram GIN indexes (pg_trgm) on name, e-mail and external id, so "contains" searches
 *   (`ILIKE '%rossi%'`) use a bitmap index scan instead of reading every customer; pg_trgm is a
 *   trusted extension (PostgreSQL ≥ 13), so the database owner may create it, and PGlite loads
 *   it from its contrib bundle (db/database.ts);
 * - a b-tree on (name, id) for the list sorted by name, unnamed customers last.
 *
 * `fastupdate` (the default) keeps GIN maintenance cheap on bulk customer upserts: new entries
 * go to a pending list merged in batches.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists pg_trgm`.execute(db)
  await sql`create index customers_name_trgm on customers using gin (name gin_trgm_ops)`.execute(db)
  await sql`create index customers_email_trgm on customers using gin (email gin_trgm_ops)`.execute(
    db,
  )
  await sql`create index customers_external_id_trgm on customers using gin (external_id gin_trgm_ops)`.execute(
    db,
  )
  await sql`create index customers_name_id on customers (name asc nulls last, id)`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists customers_name_id`.execute(db)
  await sql`drop index if exists customers_external_id_trgm`.execute(db)
  await sql`drop index if exists customers_email_trgm`.execute(db)
  await sql`drop index if exists customers_name_trgm`.execute(db)
}
