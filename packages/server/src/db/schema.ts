import type { ColumnType, Generated, Insertable, Selectable } from 'kysely'

/** Kysely's view of the system of record (see migrations/). int8 columns arrive as numbers. */
type Id = ColumnType<number, number | undefined, never>
type Stamp = ColumnType<Date, Date | string | undefined, Date | string>
type Seq = ColumnType<number, never, never>
type Ws = ColumnType<number, number | undefined, never>

export type FactBase = {
  id: Id
  workspace_id: Ws
  external_id: string
  content_hash: string
  created_at: Stamp
  updated_at: Stamp
  change_seq: Seq
}

export type CustomersTable = FactBase & {
  email: string | null
  name: string | null
  phone: string | null
  locale: string | null
  country: string | null
  region: string | null
  city: string | null
  postcode: string | null
  birthday: ColumnType<string | null, string | null | undefined, string | null>
  acquisition_channel: string | null
  tags: ColumnType<string[], string[] | undefined, string[]>
  attributes: ColumnType<Record<string, unknown>, string | undefined, string>
  consent_marketing_email: boolean | null
  consent_marketing_email_at: Date | null
  consent_marketing_email_source: string | null
  consent_profiling: boolean | null
  consent_profiling_at: Date | null
  consent_profiling_source: string | null
  consent_surveys: boolean | null
  consent_surveys_at: Date | null
  consent_surveys_source: string | null
  source_created_at: Date | null
  erased_at: Date | null
}

export type OrdersTable = FactBase & {
  customer_id: number | null
  placed_at: Date
  status: 'completed' | 'cancelled' | 'refunded'
  refunded_amount: number
  currency: string
  total: number
  discount: number
  shipping: number
  tax: number
  channel: string | null
  store: string | null
}

export type OrderLinesTable = {
  id: Id
  workspace_id: Ws
  order_id: number
  line_no: number
  sku: string | null
  product_name: string | null
  category: string | null
  quantity: number
  unit_price: number
  line_total: number
  updated_at: Stamp
  change_seq: Seq
}

export type SubscriptionsTable = FactBase & {
  customer_id: number
  plan: string
  status: string
  started_at: Date
  trial_end: Date | null
  canceled_at: Date | null
  ended_at: Date | null
  billing_interval: 'day' | 'week' | 'month' | 'year'
  interval_count: number
  quantity: number
  amount: number
  currency: string
  cancellation_reason: string | null
}

export type SubscriptionChangesTable = FactBase & {
  subscription_id: number
  changed_at: Date
  plan: string | null
  quantity: number | null
  amount: number | null
  currency: string | null
}

export type TicketsTable = FactBase & {
  customer_id: number | null
  channel: string
  subject: string | null
  opened_at: Date
  first_response_at: Date | null
  resolved_at: Date | null
  status: string
  priority: string
  assignee: string | null
  satisfaction: number | null
  messages: ColumnType<unknown, string | null | undefined, string | null>
}

export type EventsTable = FactBase & {
  customer_id: number
  name: string
  occurred_at: Date
  properties: ColumnType<Record<string, unknown>, string | undefined, string>
}

export type SurveyAnswersTable = FactBase & {
  customer_id: number | null
  survey: string
  kind: string
  score: number
  comment: string | null
  answered_at: Date
}

export type WorkspacesTable = {
  id: Generated<number>
  name: string
  time_zone: string
  reporting_currency: string
  business_model: 'orders' | 'subscriptions' | 'both'
  activity_window_days: number
  default_locale: 'it' | 'en'
  created_at: Stamp
  updated_at: Stamp
}

export type UsersTable = {
  id: Id
  workspace_id: Ws
  email: string
  name: string | null
  password_hash: string
  role: 'owner' | 'admin' | 'analyst' | 'agent'
  locale: 'it' | 'en' | null
  created_at: Stamp
  updated_at: Stamp
  last_login_at: Date | null
  disabled_at: Date | null
}

export type SessionsTable = {
  id_hash: string
  user_id: number
  csrf_token: string
  created_at: Stamp
  expires_at: Date
  last_seen_at: Stamp
}

export type ApiKeysTable = {
  id: Id
  workspace_id: Ws
  name: string
  prefix: string
  secret_hash: string
  scopes: string[]
  created_by: number | null
  created_at: Stamp
  last_used_at: Date | null
  revoked_at: Date | null
}

export type IdempotencyKeysTable = {
  workspace_id: Ws
  key: string
  request_hash: string
  status_code: number
  response: ColumnType<unknown, string, string>
  created_at: Stamp
}

type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled'
export type JobsTable = {
  id: Id
  workspace_id: Ws
  name: string
  payload: ColumnType<unknown, string | undefined, string>
  status: ColumnType<JobStatus, JobStatus | undefined, JobStatus>
  run_at: Stamp
  attempts: ColumnType<number, number | undefined, number>
  max_attempts: number
  dedupe_key: string | null
  locked_by: string | null
  locked_until: Date | null
  progress: ColumnType<unknown, string | null | undefined, string | null>
  result: ColumnType<unknown, string | null | undefined, string | null>
  error: string | null
  created_at: Stamp
  updated_at: Stamp
  finished_at: Date | null
}

export type TombstonesTable = {
  change_seq: number
  table_name: string
  row_id: number
  deleted_at: Stamp
}

export type ModelRunsTable = {
  id: Id
  workspace_id: Ws
  kind: 'clv' | 'churn'
  model: string
  model_version: string
  status: 'running' | 'succeeded' | 'failed'
  started_at: Stamp
  finished_at: Date | null
  cutoff: Date | string
  unit: string | null
  parameters: ColumnType<unknown, string | undefined, string>
  validation: ColumnType<unknown, string | null | undefined, string | null>
  diagnostics: ColumnType<unknown, string | null | undefined, string | null>
  data_summary: ColumnType<unknown, string | null | undefined, string | null>
  fallback_reason: string | null
  error: string | null
  job_id: number | null
}

/** One row per customer: `id` is the customer's id, `customer_id` the same value (generated). */
export type CustomerPredictionsTable = {
  id: ColumnType<number, number, never>
  customer_id: ColumnType<number, never, never>
  workspace_id: Ws
  run_id: number
  churn_run_id: number | null
  model_version: string
  scored_at: Date | string
  p_alive: number | null
  expected_purchases_30: number | null
  expected_purchases_90: number | null
  expected_purchases_365: number | null
  expected_aov_minor: number | null
  clv_minor: number | null
  clv_method: 'model' | 'formula' | null
  next_order_at: Date | null
  churn_risk: number | null
  churn_reasons: ColumnType<unknown, string | undefined, string>
  value_tier: 'platinum' | 'gold' | 'silver' | 'standard' | null
  updated_at: Stamp
  change_seq: Seq
}

export type CustomerPredictionHistoryTable = {
  workspace_id: Ws
  customer_id: number
  scored_at: Date | string
  model_version: string
  run_id: number
  churn_risk: number | null
  clv_minor: number | null
  p_alive: number | null
}

export type SegmentsTable = {
  id: Generated<number>
  workspace_id: Ws
  name: string
  description: string | null
  /** A rule of core's segmentConditionSchema (validated before it is stored). */
  rule: ColumnType<unknown, string, string>
  created_by: number | null
  created_at: Stamp
  updated_at: Stamp
}

export type SegmentMembershipHistoryTable = {
  segment_id: number
  computed_at: Date | string
  reason: string
  count: number
  value_minor: number
  currency: string
  entered: number | null
  exited: number | null
}

export type SegmentMembersTable = { segment_id: number; customer_id: number }

export type DB = {
  fedele_meta: { key: string; value: string }
  workspaces: WorkspacesTable
  customers: CustomersTable
  orders: OrdersTable
  order_lines: OrderLinesTable
  subscriptions: SubscriptionsTable
  subscription_changes: SubscriptionChangesTable
  tickets: TicketsTable
  events: EventsTable
  survey_answers: SurveyAnswersTable
  tombstones: TombstonesTable
  users: UsersTable
  sessions: SessionsTable
  api_keys: ApiKeysTable
  idempotency_keys: IdempotencyKeysTable
  jobs: JobsTable
  model_runs: ModelRunsTable
  customer_predictions: CustomerPredictionsTable
  customer_prediction_history: CustomerPredictionHistoryTable
  segments: SegmentsTable
  segment_membership_history: SegmentMembershipHistoryTable
  segment_members: SegmentMembersTable
  order_refunds: OrderRefundsTable
}

/** Refunds applied by imports, once per id (migration 0005). */
export type OrderRefundsTable = {
  workspace_id: Ws
  external_id: string
  order_external_id: string
  kind: 'cancellation' | 'refund'
  amount: number
  currency: string
  refunded_at: ColumnType<Date, Date | string, Date | string>
  seq: ColumnType<number, never, never>
  created_at: Stamp
}

export type Workspace = Selectable<WorkspacesTable>
export type User = Selectable<UsersTable>
export type NewUser = Insertable<UsersTable>

/** The fact tables mirrored into the analytics replica, in dependency order. */
export const FACT_TABLES = [
  'customers',
  'orders',
  'order_lines',
  'subscriptions',
  'subscription_changes',
  'tickets',
  'events',
  'survey_answers',
] as const
export type FactTable = (typeof FACT_TABLES)[number]

/** Derived tables with change_seq, mirrored into the replica after the fact tables. */
export const DERIVED_TABLES = ['customer_predictions'] as const
export type ReplicatedTable = FactTable | (typeof DERIVED_TABLES)[number]
