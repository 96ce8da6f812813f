import type { EntityKind } from '@fedele/core'
import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'
import { renderChurnReasons } from '../predictions/models.ts'

/**
 * Reading entities back in their record shape (external ids instead of internal ones), by
 * external id or as keyset-paged lists. The SELECT lists are per kind and fixed; list filters
 * are a closed set of named parameters, never SQL from the caller.
 */
type Db = Kysely<DB> | Transaction<DB>

const ts = (col: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`

const SELECTS: Record<EntityKind, { from: string; columns: string }> = {
  customers: {
    from: 'customers t',
    columns: `t.external_id, t.email, t.name, t.phone, t.locale, t.country, t.region, t.city, t.postcode,
      to_char(t.birthday, 'YYYY-MM-DD') as birthday, t.acquisition_channel, t.tags, t.attributes,
      json_build_object(
        'marketing_email', case when t.consent_marketing_email is null then null else json_build_object('granted', t.consent_marketing_email, 'at', ${ts('t.consent_marketing_email_at')}, 'source', t.consent_marketing_email_source) end,
        'profiling', case when t.consent_profiling is null then null else json_build_object('granted', t.consent_profiling, 'at', ${ts('t.consent_profiling_at')}, 'source', t.consent_profiling_source) end,
        'surveys', case when t.consent_surveys is null then null else json_build_object('granted', t.consent_surveys, 'at', ${ts('t.consent_surveys_at')}, 'source', t.consent_surveys_source) end
      ) as consent,
      ${ts('t.source_created_at')} as created_at, ${ts('t.erased_at')} as erased_at`,
  },
  orders: {
    from: 'orders t left join customers c on c.id = t.customer_id',
    columns: `t.external_id, c.external_id as customer_external_id, ${ts('t.placed_at')} as placed_at, t.status,
      t.refunded_amount, t.currency, t.total, t.discount, t.shipping, t.tax, t.channel, t.store,
      coalesce((select json_agg(json_build_object('sku', l.sku, 'product_name', l.product_name, 'category', l.category,
        'quantity', l.quantity, 'unit_price', l.unit_price, 'line_total', l.line_total) order by l.line_no)
        from order_lines l where l.order_id = t.id), '[]'::json) as lines`,
  },
  subscriptions: {
    from: 'subscriptions t join customers c on c.id = t.customer_id',
    columns: `t.external_id, c.external_id as customer_external_id, t.plan, t.status, ${ts('t.started_at')} as started_at,
      ${ts('t.trial_end')} as trial_end, ${ts('t.canceled_at')} as canceled_at, ${ts('t.ended_at')} as ended_at,
      t.billing_interval as interval, t.interval_count, t.quantity, t.amount, t.currency, t.cancellation_reason`,
  },
  subscription_changes: {
    from: 'subscription_changes t join subscriptions s on s.id = t.subscription_id',
    columns: `t.external_id, s.external_id as subscription_external_id, ${ts('t.changed_at')} as changed_at,
      t.plan, t.quantity, t.amount, t.currency`,
  },
  tickets: {
    from: 'tickets t left join customers c on c.id = t.customer_id',
    columns: `t.external_id, c.external_id as customer_external_id, t.channel, t.subject, ${ts('t.opened_at')} as opened_at,
      ${ts('t.first_response_at')} as first_response_at, ${ts('t.resolved_at')} as resolved_at, t.status, t.priority,
      t.assignee, t.satisfaction, t.messages`,
  },
  events: {
    from: 'events t join customers c on c.id = t.customer_id',
    columns: `t.external_id, c.external_id as customer_external_id, t.name, ${ts('t.occurred_at')} as occurred_at, t.properties`,
  },
  survey_answers: {
    from: 'survey_answers t left join customers c on c.id = t.customer_id',
    columns: `t.external_id, c.external_id as customer_external_id, t.survey, t.kind, t.score, t.comment,
      ${ts('t.answered_at')} as answered_at`,
  },
}

export type ListFilter = {
  customerExternalId?: string | undefined
  updatedSince?: string | undefined
  from?: string | undefined
  to?: string | undefined
}

const TIME_COLUMN: Record<EntityKind, string | undefined> = {
  customers: undefined,
  orders: 't.placed_at',
  subscriptions: 't.started_at',
  subscription_changes: 't.changed_at',
  tickets: 't.opened_at',
  events: 't.occurred_at',
  survey_answers: 't.answered_at',
}

export async function getEntity(db: Db, kind: EntityKind, externalId: string) {
  const s = SELECTS[kind]
  const res = await sql<Record<string, unknown>>`
    select ${sql.raw(s.columns)} from ${sql.raw(s.from)}
    where t.workspace_id = 1 and t.external_id = ${externalId}`.execute(db)
  return res.rows[0]
}

/** Keyset paging on the internal id: stable under concurrent inserts, O(limit) per page. */
export async function listEntities(
  db: Db,
  kind: EntityKind,
  opts: { afterId: number; limit: number; filter: ListFilter },
) {
  const s = SELECTS[kind]
  const where = [sql`t.workspace_id = 1`, sql`t.id > ${opts.afterId}`]
  const f = opts.filter
  if (f.customerExternalId !== undefined) {
    where.push(
      kind === 'customers'
        ? sql`t.external_id = ${f.customerExternalId}`
        : kind === 'subscription_changes'
          ? sql`s.customer_id = (select id from customers where external_id = ${f.customerExternalId})`
          : sql`c.external_id = ${f.customerExternalId}`,
    )
  }
  if (f.updatedSince) where.push(sql`t.updated_at >= ${f.updatedSince}::timestamptz`)
  const timeCol = TIME_COLUMN[kind]
  if (timeCol && f.from) where.push(sql`${sql.raw(timeCol)} >= ${f.from}::timestamptz`)
  if (timeCol && f.to) where.push(sql`${sql.raw(timeCol)} < ${f.to}::timestamptz`)
  const res = await sql<Record<string, unknown> & { _id: number }>`
    select t.id as _id, ${sql.raw(s.columns)} from ${sql.raw(s.from)}
    where ${sql.join(where, sql` and `)}
    order by t.id limit ${opts.limit + 1}`.execute(db)
  const rows = res.rows.slice(0, opts.limit)
  const last = rows.at(-1)
  return {
    items: rows.map(({ _id, ...rest }) => rest),
    nextAfterId: res.rows.length > opts.limit && last ? last._id : undefined,
  }
}

/** Everything Fedele holds about one customer, for a GDPR access request. */
export async function exportCustomer(db: Db, externalId: string) {
  const customer = await getEntity(db, 'customers', externalId)
  if (!customer) return undefined
  const idRow = await db
    .selectFrom('customers')
    .select('id')
    .where('workspace_id', '=', 1)
    .where('external_id', '=', externalId)
    .executeTakeFirstOrThrow()
  const out: Record<string, unknown> = { customer }
  for (const kind of ['orders', 'subscriptions', 'tickets', 'events', 'survey_answers'] as const) {
    const s = SELECTS[kind]
    const res = await sql`select ${sql.raw(s.columns)} from ${sql.raw(s.from)}
      where t.customer_id = ${idRow.id} order by t.id`.execute(db)
    out[kind] = res.rows
  }
  const changes = await sql`select ${sql.raw(SELECTS.subscription_changes.columns)}
    from ${sql.raw(SELECTS.subscription_changes.from)} where s.customer_id = ${idRow.id} order by t.id`.execute(
    db,
  )
  out.subscription_changes = changes.rows
  // Profiling results are personal data too (GDPR art. 15): the latest scores and their history.
  const latest = await db
    .selectFrom('customer_predictions')
    .selectAll()
    .where('id', '=', idRow.id)
    .executeTakeFirst()
  // The reasons as the person reads them (the record keeps what they are made of).
  out.predictions = latest
    ? { ...latest, churn_reasons: renderChurnReasons(latest.churn_reasons) }
    : null
  out.prediction_history = await db
    .selectFrom('customer_prediction_history')
    .selectAll()
    .where('customer_id', '=', idRow.id)
    .orderBy('scored_at')
    .execute()
  return out
}

/**
 * GDPR erasure: personal fields go, facts stay (anonymised) so the business's numbers do not
 * change. The external id is replaced by an opaque one, because source systems often use the
 * email as the customer id. Free text written by the customer (ticket subjects and messages,
 * survey comments, event properties) is removed too, and so are the customer's predictions.
 */
export async function eraseCustomer(db: Db, externalId: string, replacementId: string) {
  const row = await db
    .updateTable('customers')
    .set({
      external_id: replacementId,
      email: null,
      name: null,
      phone: null,
      postcode: null,
      birthday: null,
      city: null,
      attributes: '{}',
      tags: [],
      consent_marketing_email: null,
      consent_marketing_email_at: null,
      consent_marketing_email_source: null,
      consent_profiling: null,
      consent_profiling_at: null,
      consent_profiling_source: null,
      consent_surveys: null,
      consent_surveys_at: null,
      consent_surveys_source: null,
      erased_at: new Date(),
      content_hash: 'erased',
    })
    .where('workspace_id', '=', 1)
    .where('external_id', '=', externalId)
    .returning('id')
    .executeTakeFirst()
  if (!row) return undefined
  await db
    .updateTable('tickets')
    .set({ subject: null, messages: null, content_hash: 'erased' })
    .where('customer_id', '=', row.id)
    .execute()
  await db
    .updateTable('survey_answers')
    .set({ comment: null, content_hash: 'erased' })
    .where('customer_id', '=', row.id)
    .execute()
  await db
    .updateTable('events')
    .set({ properties: '{}', content_hash: 'erased' })
    .where('customer_id', '=', row.id)
    .execute()
  // Scores are profiling of the person, not the business's facts: they go (the replica gets
  // the tombstone), and an erased customer is never scored again.
  await db.deleteFrom('customer_prediction_history').where('customer_id', '=', row.id).execute()
  await db.deleteFrom('customer_predictions').where('id', '=', row.id).execute()
  return row.id
}
