import type { ReplicatedTable } from '../db/schema.ts'

/**
 * What the analytics replica keeps of each fact table, and how a column travels from the record
 * (PostgreSQL/PGlite) through CSV into DuckDB.
 *
 * Left out on purpose:
 * - direct identifiers (customers.email, name, phone) and ticket messages: analytics never needs
 *   them, and a copy that does not hold them cannot leak them;
 * - external_id and content_hash: bookkeeping of the import, not business facts (a customer's
 *   external id is often an email address);
 * - created_at/updated_at: when a row was imported or last touched, not when the business event
 *   happened. customers.created_at stays, as the "first seen" date when the source gives no
 *   source_created_at.
 *
 * Types: ids, money (integer minor units) and change_seq are BIGINT; timestamps are TIMESTAMPTZ,
 * i.e. UTC instants with microsecond precision (the replica's session time zone is UTC, so casts
 * and date_trunc without AT TIME ZONE work in UTC; periods in the workspace zone need
 * `AT TIME ZONE`); jsonb becomes JSON, text[] becomes VARCHAR[].
 */

/** Bump on any change below: a replica built by another version is rebuilt from nothing. */
export const REPLICA_SCHEMA_VERSION = 2

export type ColumnKind =
  | 'bigint'
  | 'integer'
  | 'smallint'
  | 'double'
  | 'text'
  | 'boolean'
  | 'timestamptz'
  | 'date'
  | 'text[]'
  | 'jsonb'

export type ReplicaColumn = { name: string; kind: ColumnKind }
export type ReplicaTable = { name: ReplicatedTable; columns: readonly ReplicaColumn[] }

const col = (name: string, kind: ColumnKind): ReplicaColumn => ({ name, kind })
const id = col('id', 'bigint')
const workspace = col('workspace_id', 'integer')
const seq = col('change_seq', 'bigint')

/**
 * In FACT_TABLES then DERIVED_TABLES order; each table has `id` first and `change_seq` last.
 * customer_predictions (migration 0002) is the latest prediction per customer: its `id` is the
 * customer's id; churn_reasons stay in the record (read per customer by the API).
 */
export const REPLICA_TABLES: readonly ReplicaTable[] = [
  {
    name: 'customers',
    columns: [
      id,
      workspace,
      col('locale', 'text'),
      col('country', 'text'),
      col('region', 'text'),
      col('city', 'text'),
      col('postcode', 'text'),
      col('birthday', 'date'),
      col('acquisition_channel', 'text'),
      col('tags', 'text[]'),
      col('attributes', 'jsonb'),
      col('consent_marketing_email', 'boolean'),
      col('consent_marketing_email_at', 'timestamptz'),
      col('consent_profiling', 'boolean'),
      col('consent_profiling_at', 'timestamptz'),
      col('consent_surveys', 'boolean'),
      col('consent_surveys_at', 'timestamptz'),
      col('source_created_at', 'timestamptz'),
      col('erased_at', 'timestamptz'),
      col('created_at', 'timestamptz'),
      seq,
    ],
  },
  {
    name: 'orders',
    columns: [
      id,
      workspace,
      col('customer_id', 'bigint'),
      col('placed_at', 'timestamptz'),
      col('status', 'text'),
      col('refunded_amount', 'bigint'),
      col('currency', 'text'),
      col('total', 'bigint'),
      col('discount', 'bigint'),
      col('shipping', 'bigint'),
      col('tax', 'bigint'),
      col('channel', 'text'),
      col('store', 'text'),
      seq,
    ],
  },
  {
    name: 'order_lines',
    columns: [
      id,
      workspace,
      col('order_id', 'bigint'),
      col('line_no', 'integer'),
      col('sku', 'text'),
      col('product_name', 'text'),
      col('category', 'text'),
      col('quantity', 'integer'),
      col('unit_price', 'bigint'),
      col('line_total', 'bigint'),
      seq,
    ],
  },
  {
    name: 'subscriptions',
    columns: [
      id,
      workspace,
      col('customer_id', 'bigint'),
      col('plan', 'text'),
      col('status', 'text'),
      col('started_at', 'timestamptz'),
      col('trial_end', 'timestamptz'),
      col('canceled_at', 'timestamptz'),
      col('ended_at', 'timestamptz'),
      col('billing_interval', 'text'),
      col('interval_count', 'integer'),
      col('quantity', 'integer'),
      col('amount', 'bigint'),
      col('currency', 'text'),
      col('cancellation_reason', 'text'),
      seq,
    ],
  },
  {
    name: 'subscription_changes',
    columns: [
      id,
      workspace,
      col('subscription_id', 'bigint'),
      col('changed_at', 'timestamptz'),
      col('plan', 'text'),
      col('quantity', 'integer'),
      col('amount', 'bigint'),
      col('currency', 'text'),
      seq,
    ],
  },
  {
    name: 'tickets',
    columns: [
      id,
      workspace,
      col('customer_id', 'bigint'),
      col('channel', 'text'),
      col('subject', 'text'),
      col('opened_at', 'timestamptz'),
      col('first_response_at', 'timestamptz'),
      col('resolved_at', 'timestamptz'),
      col('status', 'text'),
      col('priority', 'text'),
      col('assignee', 'text'),
      col('satisfaction', 'smallint'),
      seq,
    ],
  },
  {
    name: 'events',
    columns: [
      id,
      workspace,
      col('customer_id', 'bigint'),
      col('name', 'text'),
      col('occurred_at', 'timestamptz'),
      col('properties', 'jsonb'),
      seq,
    ],
  },
  {
    name: 'survey_answers',
    columns: [
      id,
      workspace,
      col('customer_id', 'bigint'),
      col('survey', 'text'),
      col('kind', 'text'),
      col('score', 'smallint'),
      col('comment', 'text'),
      col('answered_at', 'timestamptz'),
      seq,
    ],
  },
  {
    name: 'customer_predictions',
    columns: [
      id,
      workspace,
      col('customer_id', 'bigint'),
      col('run_id', 'bigint'),
      col('model_version', 'text'),
      col('scored_at', 'timestamptz'),
      col('p_alive', 'double'),
      col('expected_purchases_30', 'double'),
      col('expected_purchases_90', 'double'),
      col('expected_purchases_365', 'double'),
      col('expected_aov_minor', 'bigint'),
      col('clv_minor', 'bigint'),
      col('clv_method', 'text'),
      col('next_order_at', 'timestamptz'),
      col('churn_risk', 'double'),
      col('value_tier', 'text'),
      seq,
    ],
  },
]

/** The record's deletions, exported like a table and applied before the upserts. */
export const TOMBSTONE_COLUMNS: readonly ReplicaColumn[] = [
  col('change_seq', 'bigint'),
  col('table_name', 'text'),
  col('row_id', 'bigint'),
]

/** Replica bookkeeping: one row. */
export const STATE_TABLE = 'replica_state'
