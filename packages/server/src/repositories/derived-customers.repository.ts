import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'

type Db = Kysely<DB> | Transaction<DB>

/** A customer as an order export describes it: only the fields the export carries. */
export type DerivedCustomerRow = {
  external_id: string
  email: string | null
  name: string | null
  phone: string | null
  country: string | null
  region: string | null
  city: string | null
  postcode: string | null
  /** JSON object text; merged key by key into the existing attributes. */
  attributes: string
  consent_marketing_email: boolean | null
  content_hash: string
}

/**
 * Merge customers read from order rows into the customers table, in one statement per batch:
 * a new customer is inserted with its hash; an existing one takes the fields the order export
 * has (non-null values win, attributes are merged, other columns are kept: a customers file's
 * birthday or tags are never erased by an orders file) and keeps its content hash, so that
 * re-importing the customers file it came from still finds it unchanged. Rows whose merge
 * changes nothing are not touched (change sequence kept), and erased customers are never
 * written to. Returns the ids that were inserted or changed.
 */
export async function mergeDerivedCustomers(
  db: Db,
  rows: DerivedCustomerRow[],
): Promise<{ external_id: string; inserted: boolean }[]> {
  if (rows.length === 0) return []
  const col = <K extends keyof DerivedCustomerRow>(k: K) => rows.map((r) => r[k])
  const merged = (c: string) => sql.raw(`coalesce(excluded.${c}, customers.${c})`)
  const mergedColumns = ['email', 'name', 'phone', 'country', 'region', 'city', 'postcode']
  const consentChanges = sql`excluded.consent_marketing_email is not null
    and excluded.consent_marketing_email is distinct from customers.consent_marketing_email`
  const result = await sql<{ external_id: string; inserted: boolean }>`
    insert into customers (external_id, email, name, phone, country, region, city, postcode,
      attributes, consent_marketing_email, content_hash)
    select u.external_id, u.email, u.name, u.phone, u.country, u.region, u.city, u.postcode,
      u.attributes::jsonb, u.consent, u.content_hash
    from unnest(${col('external_id')}::text[], ${col('email')}::text[], ${col('name')}::text[],
      ${col('phone')}::text[], ${col('country')}::text[], ${col('region')}::text[],
      ${col('city')}::text[], ${col('postcode')}::text[], ${col('attributes')}::text[],
      ${col('consent_marketing_email')}::bool[], ${col('content_hash')}::text[])
      as u(external_id, email, name, phone, country, region, city, postcode, attributes, consent, content_hash)
    on conflict (workspace_id, external_id) do update set
      ${sql.join(mergedColumns.map((c) => sql`${sql.ref(c)} = ${merged(c)}`))},
      attributes = customers.attributes || excluded.attributes,
      consent_marketing_email = ${merged('consent_marketing_email')},
      consent_marketing_email_at = case when ${consentChanges} then null else customers.consent_marketing_email_at end,
      consent_marketing_email_source = case when ${consentChanges} then 'import' else customers.consent_marketing_email_source end
    where customers.erased_at is null
      and (${sql.join(mergedColumns.map((c) => sql.ref(`customers.${c}`)))},
           customers.attributes, customers.consent_marketing_email)
        is distinct from
          (${sql.join(mergedColumns.map(merged))},
           customers.attributes || excluded.attributes, ${merged('consent_marketing_email')})
    returning external_id, (xmax = 0) as inserted`.execute(db)
  return result.rows
}
