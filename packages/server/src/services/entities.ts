import { hash } from 'node:crypto'
import type {
  EntityKind,
  TCustomerRecord,
  TEventRecord,
  TOrderRecord,
  TSubscriptionChangeRecord,
  TSubscriptionRecord,
  TSurveyAnswerRecord,
  TTicketRecord,
} from '@fedele/core'
import type { Column, UpsertTable } from '../repositories/facts.repository.ts'

/**
 * How each ingested record maps onto its table: the columns (with their SQL types for unnest),
 * which external reference it resolves (a customer, a subscription), and the row it becomes.
 */
export type Reference = { field: string; table: 'customers' | 'subscriptions'; nullable: boolean }

export type EntityMapping<R> = {
  kind: EntityKind
  table: UpsertTable
  reference?: Reference
  toRow: (record: R, refId: number | null, hash: string) => Record<string, unknown>
}

const c = (name: string, type: string, expr?: string): Column =>
  expr ? { name, type, expr } : { name, type }
const jsonb = (name: string) => c(name, 'text', `u.${name}::jsonb`)

/**
 * Content hash of a record, to tell "unchanged" from "updated". Records reaching the database
 * have been parsed by their zod schema, which emits keys in schema order, so plain
 * JSON.stringify is already canonical for them (and 5× cheaper than sorting keys); free-form
 * maps inside (attributes, properties) keep the sender's order, so re-sending one with its keys
 * shuffled counts as an update, which is harmless. The one-shot `crypto.hash` gives the same
 * digest as createHash/update/digest at about half the cost for inputs this small.
 */
export function contentHash(value: unknown): string {
  return hash('sha256', JSON.stringify(value) ?? 'null', 'base64url').slice(0, 32)
}


const customers: EntityMapping<TCustomerRecord> = {
  kind: 'customers',
  table: {
    table: 'customers',
    columns: [
      c('external_id', 'text'),
      c('email', 'text'),
      c('name', 'text'),
      c('phone', 'text'),
      c('locale', 'text'),
      c('country', 'text'),
      c('region', 'text'),
      c('city', 'text'),
      c('postcode', 'text'),
      c('birthday', 'date'),
      c('acquisition_channel', 'text'),
      c('tags', 'text', `coalesce(array(select jsonb_array_elements_text(u.tags::jsonb)), '{}')`),
      jsonb('attributes'),
      c('consent_marketing_email', 'bool'),
      c('consent_marketing_email_at', 'timestamptz'),
      c('consent_marketing_email_source', 'text'),
      c('consent_profiling', 'bool'),
      c('consent_profiling_at', 'timestamptz'),
      c('consent_profiling_source', 'text'),
      c('consent_surveys', 'bool'),
      c('consent_surveys_at', 'timestamptz'),
      c('consent_surveys_source', 'text'),
      c('source_created_at', 'timestamptz'),
      c('content_hash', 'text'),
    ],
  },
  toRow: (r, _ref, hash) => ({
    external_id: r.external_id,
    email: r.email?.toLowerCase() ?? null,
    name: r.name ?? null,
    phone: r.phone ?? null,
    locale: r.locale ?? null,
    country: r.country ?? null,
    region: r.region ?? null,
    city: r.city ?? null,
    postcode: r.postcode ?? null,
    birthday: r.birthday ?? null,
    acquisition_channel: r.acquisition_channel ?? null,
    tags: JSON.stringify(r.tags ?? []),
    attributes: JSON.stringify(r.attributes ?? {}),
    consent_marketing_email: r.consent?.marketing_email?.granted ?? null,
    consent_marketing_email_at: r.consent?.marketing_email?.at ?? null,
    consent_marketing_email_source: r.consent?.marketing_email?.source ?? null,
    consent_profiling: r.consent?.profiling?.granted ?? null,
    consent_profiling_at: r.consent?.profiling?.at ?? null,
    consent_profiling_source: r.consent?.profiling?.source ?? null,
    consent_surveys: r.consent?.surveys?.granted ?? null,
    consent_surveys_at: r.consent?.surveys?.at ?? null,
    consent_surveys_source: r.consent?.surveys?.source ?? null,
    source_created_at: r.created_at ?? null,
    content_hash: hash,
  }),
}

const orders: EntityMapping<TOrderRecord> = {
  kind: 'orders',
  reference: { field: 'customer_external_id', table: 'customers', nullable: true },
  table: {
    table: 'orders',
    columns: [
      c('external_id', 'text'),
      c('customer_id', 'int8'),
      c('placed_at', 'timestamptz'),
      c('status', 'text'),
      c('refunded_amount', 'int8'),
      c('currency', 'text'),
      c('total', 'int8'),
      c('discount', 'int8'),
      c('shipping', 'int8'),
      c('tax', 'int8'),
      c('channel', 'text'),
      c('store', 'text'),
      c('content_hash', 'text'),
    ],
  },
  toRow: (r, ref, hash) => ({
    external_id: r.external_id,
    customer_id: ref,
    placed_at: r.placed_at,
    status: r.status,
    refunded_amount: r.refunded_amount,
    currency: r.currency,
    total: r.total,
    discount: r.discount,
    shipping: r.shipping,
    tax: r.tax,
    channel: r.channel ?? null,
    store: r.store ?? null,
    content_hash: hash,
  }),
}

const subscriptions: EntityMapping<TSubscriptionRecord> = {
  kind: 'subscriptions',
  reference: { field: 'customer_external_id', table: 'customers', nullable: false },
  table: {
    table: 'subscriptions',
    columns: [
      c('external_id', 'text'),
      c('customer_id', 'int8'),
      c('plan', 'text'),
      c('status', 'text'),
      c('started_at', 'timestamptz'),
      c('trial_end', 'timestamptz'),
      c('canceled_at', 'timestamptz'),
      c('ended_at', 'timestamptz'),
      c('billing_interval', 'text'),
      c('interval_count', 'int4'),
      c('quantity', 'int4'),
      c('amount', 'int8'),
      c('currency', 'text'),
      c('cancellation_reason', 'text'),
      c('content_hash', 'text'),
    ],
  },
  toRow: (r, ref, hash) => ({
    external_id: r.external_id,
    customer_id: ref,
    plan: r.plan,
    status: r.status,
    started_at: r.started_at,
    trial_end: r.trial_end ?? null,
    canceled_at: r.canceled_at ?? null,
    ended_at: r.ended_at ?? null,
    billing_interval: r.interval,
    interval_count: r.interval_count,
    quantity: r.quantity,
    amount: r.amount,
    currency: r.currency,
    cancellation_reason: r.cancellation_reason ?? null,
    content_hash: hash,
  }),
}

const subscriptionChanges: EntityMapping<TSubscriptionChangeRecord> = {
  kind: 'subscription_changes',
  reference: { field: 'subscription_external_id', table: 'subscriptions', nullable: false },
  table: {
    table: 'subscription_changes',
    columns: [
      c('external_id', 'text'),
      c('subscription_id', 'int8'),
      c('changed_at', 'timestamptz'),
      c('plan', 'text'),
      c('quantity', 'int4'),
      c('amount', 'int8'),
      c('currency', 'text'),
      c('content_hash', 'text'),
    ],
  },
  toRow: (r, ref, hash) => ({
    external_id: r.external_id,
    subscription_id: ref,
    changed_at: r.changed_at,
    plan: r.plan ?? null,
    quantity: r.quantity ?? null,
    amount: r.amount ?? null,
    currency: r.currency ?? null,
    content_hash: hash,
  }),
}

const tickets: EntityMapping<TTicketRecord> = {
  kind: 'tickets',
  reference: { field: 'customer_external_id', table: 'customers', nullable: true },
  table: {
    table: 'tickets',
    columns: [
      c('external_id', 'text'),
      c('customer_id', 'int8'),
      c('channel', 'text'),
      c('subject', 'text'),
      c('opened_at', 'timestamptz'),
      c('first_response_at', 'timestamptz'),
      c('resolved_at', 'timestamptz'),
      c('status', 'text'),
      c('priority', 'text'),
      c('assignee', 'text'),
      c('satisfaction', 'int2'),
      jsonb('messages'),
      c('content_hash', 'text'),
    ],
  },
  toRow: (r, ref, hash) => ({
    external_id: r.external_id,
    customer_id: ref,
    channel: r.channel,
    subject: r.subject ?? null,
    opened_at: r.opened_at,
    first_response_at: r.first_response_at ?? null,
    resolved_at: r.resolved_at ?? null,
    status: r.status,
    priority: r.priority,
    assignee: r.assignee ?? null,
    satisfaction: r.satisfaction ?? null,
    messages: r.messages ? JSON.stringify(r.messages) : null,
    content_hash: hash,
  }),
}

const events: EntityMapping<TEventRecord> = {
  kind: 'events',
  reference: { field: 'customer_external_id', table: 'customers', nullable: false },
  table: {
    table: 'events',
    columns: [
      c('external_id', 'text'),
      c('customer_id', 'int8'),
      c('name', 'text'),
      c('occurred_at', 'timestamptz'),
      jsonb('properties'),
      c('content_hash', 'text'),
    ],
  },
  toRow: (r, ref, hash) => ({
    external_id: r.external_id,
    customer_id: ref,
    name: r.name,
    occurred_at: r.occurred_at,
    properties: JSON.stringify(r.properties ?? {}),
    content_hash: hash,
  }),
}

const surveyAnswers: EntityMapping<TSurveyAnswerRecord> = {
  kind: 'survey_answers',
  reference: { field: 'customer_external_id', table: 'customers', nullable: true },
  table: {
    table: 'survey_answers',
    columns: [
      c('external_id', 'text'),
      c('customer_id', 'int8'),
      c('survey', 'text'),
      c('kind', 'text'),
      c('score', 'int2'),
      c('comment', 'text'),
      c('answered_at', 'timestamptz'),
      c('content_hash', 'text'),
    ],
  },
  toRow: (r, ref, hash) => ({
    external_id: r.external_id,
    customer_id: ref,
    survey: r.survey,
    kind: r.kind,
    score: r.score,
    comment: r.comment ?? null,
    answered_at: r.answered_at,
    content_hash: hash,
  }),
}

export const ENTITY_MAPPINGS = {
  customers,
  orders,
  subscriptions,
  subscription_changes: subscriptionChanges,
  tickets,
  events,
  survey_answers: surveyAnswers,
} as unknown as Record<EntityKind, EntityMapping<Record<string, unknown>>>
