import { z } from 'zod'

/**
 * The records Fedele ingests, one schema per entity. They are the single source of truth for the
 * REST API bodies, the CSV/JSONL importer's output and the demo generator's output. Field names are
 * snake_case on the wire, in files and in the database, so one name follows a value everywhere.
 *
 * Money is always integer minor units (cents for EUR) beside an ISO 4217 code; never a float.
 */

const externalId = z
  .string()
  .min(1)
  .max(255)
  .describe('Identifier in the source system; unique per workspace and entity')
const instant = z.iso
  .datetime({ offset: true })
  .describe('ISO 8601 date-time with Z or an offset, e.g. 2025-03-31T23:30:00Z')
const date = z.iso.date().describe('Calendar date YYYY-MM-DD')
const minor = z
  .number()
  .int()
  .min(-1e15)
  .max(1e15)
  .describe('Integer amount in minor units of the currency (cents for EUR)')
const nonNegativeMinor = minor.min(0)
export const ZCurrency = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code in upper case, e.g. EUR')
  .describe('ISO 4217 currency code')
const text = (max = 500) => z.string().max(max)

export const ZConsentFlag = z.strictObject({
  granted: z.boolean(),
  at: instant.optional(),
  source: text(100).optional().describe('Where the consent was collected, e.g. checkout, form'),
})
export type TConsentFlag = z.infer<typeof ZConsentFlag>

export const ZCustomerRecord = z.strictObject({
  external_id: externalId,
  email: z.email().max(320).nullish(),
  name: text(200).nullish(),
  phone: text(50).nullish(),
  locale: z
    .string()
    .regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'must be a locale such as it or it-IT')
    .nullish(),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code, e.g. IT')
    .nullish(),
  region: text(100).nullish(),
  city: text(100).nullish(),
  postcode: text(20).nullish(),
  birthday: date.nullish(),
  acquisition_channel: text(100).nullish(),
  tags: z.array(text(100)).max(100).optional(),
  attributes: z.record(z.string().max(100), z.unknown()).optional(),
  consent: z
    .strictObject({
      marketing_email: ZConsentFlag.optional(),
      profiling: ZConsentFlag.optional(),
      surveys: ZConsentFlag.optional(),
    })
    .optional(),
  created_at: instant.optional().describe('When the customer was created in the source system'),
})
export type TCustomerRecord = z.infer<typeof ZCustomerRecord>

export const ZOrderStatus = z.enum(['completed', 'cancelled', 'refunded'])
export type TOrderStatus = z.infer<typeof ZOrderStatus>

export const ZOrderLineRecord = z.strictObject({
  sku: text(100).nullish(),
  product_name: text(300).nullish(),
  category: text(200).nullish(),
  quantity: z.number().int().min(0).max(1e9),
  unit_price: nonNegativeMinor,
  line_total: nonNegativeMinor,
})
export type TOrderLineRecord = z.infer<typeof ZOrderLineRecord>

export const ZOrderRecord = z
  .strictObject({
    external_id: externalId,
    customer_external_id: externalId
      .nullable()
      .describe('The customer; null for an anonymous sale (counted, never dropped)'),
    placed_at: instant,
    status: ZOrderStatus.default('completed'),
    refunded_amount: nonNegativeMinor
      .default(0)
      .describe('Refunded part of the total; equal to total for a full refund'),
    currency: ZCurrency,
    total: nonNegativeMinor.describe('Amount paid, minor units, taxes and shipping included'),
    discount: nonNegativeMinor.default(0),
    shipping: nonNegativeMinor.default(0),
    tax: nonNegativeMinor.default(0),
    channel: text(100).nullish(),
    store: text(100).nullish().describe('Store or location'),
    lines: z.array(ZOrderLineRecord).max(1000).optional(),
  })
  .refine((o) => o.refunded_amount <= o.total, {
    message: 'refunded_amount cannot exceed total',
    path: ['refunded_amount'],
  })
export type TOrderRecord = z.infer<typeof ZOrderRecord>
export type TOrderRecordInput = z.input<typeof ZOrderRecord>

export const ZBillingInterval = z.enum(['day', 'week', 'month', 'year'])
export const ZSubscriptionStatus = z.enum([
  'trialing',
  'active',
  'past_due',
  'paused',
  'canceled',
  'ended',
])
export type TSubscriptionStatus = z.infer<typeof ZSubscriptionStatus>

export const ZSubscriptionRecord = z.strictObject({
  external_id: externalId,
  customer_external_id: externalId,
  plan: text(200),
  status: ZSubscriptionStatus,
  started_at: instant,
  trial_end: instant.nullish(),
  canceled_at: instant.nullish().describe('When the cancellation was requested'),
  ended_at: instant.nullish().describe('When the service stopped'),
  interval: ZBillingInterval.default('month'),
  interval_count: z.number().int().min(1).max(120).default(1),
  quantity: z.number().int().min(0).max(1e9).default(1),
  amount: nonNegativeMinor.describe('Price per interval for the whole quantity, minor units'),
  currency: ZCurrency,
  cancellation_reason: text(500).nullish(),
})
export type TSubscriptionRecord = z.infer<typeof ZSubscriptionRecord>

export const ZSubscriptionChangeRecord = z.strictObject({
  external_id: externalId,
  subscription_external_id: externalId,
  changed_at: instant,
  plan: text(200).nullish(),
  quantity: z.number().int().min(0).max(1e9).nullish(),
  amount: nonNegativeMinor.nullish().describe('New price per interval after the change'),
  currency: ZCurrency.nullish(),
})
export type TSubscriptionChangeRecord = z.infer<typeof ZSubscriptionChangeRecord>

export const ZTicketChannel = z.enum([
  'email',
  'chat',
  'phone',
  'social',
  'messaging',
  'video',
  'chatbot',
])
export const ZTicketStatus = z.enum(['open', 'pending', 'resolved', 'closed'])
export const ZTicketPriority = z.enum(['low', 'normal', 'high', 'urgent'])

export const ZTicketRecord = z.strictObject({
  external_id: externalId,
  customer_external_id: externalId.nullable(),
  channel: ZTicketChannel,
  subject: text(500).nullish(),
  opened_at: instant,
  first_response_at: instant.nullish(),
  resolved_at: instant.nullish(),
  status: ZTicketStatus,
  priority: ZTicketPriority.default('normal'),
  assignee: text(200).nullish(),
  satisfaction: z.number().int().min(1).max(5).nullish().describe('CSAT 1–5 given on the ticket'),
  messages: z
    .array(
      z.strictObject({
        at: instant,
        author: z.enum(['customer', 'agent', 'bot']),
        body: text(20_000),
      }),
    )
    .max(500)
    .optional(),
})
export type TTicketRecord = z.infer<typeof ZTicketRecord>

export const ZEventRecord = z.strictObject({
  external_id: externalId,
  customer_external_id: externalId,
  name: text(200).min(1),
  occurred_at: instant,
  properties: z.record(z.string().max(100), z.unknown()).optional(),
})
export type TEventRecord = z.infer<typeof ZEventRecord>

export const ZSurveyKind = z.enum(['nps', 'csat', 'ces', 'enps', 'custom'])
export const ZSurveyAnswerRecord = z
  .strictObject({
    external_id: externalId,
    customer_external_id: externalId.nullable(),
    survey: text(200).min(1).describe('Survey identifier, e.g. nps-2025-q1'),
    kind: ZSurveyKind,
    score: z.number().int().min(0).max(10),
    comment: text(5000).nullish(),
    answered_at: instant,
  })
  .refine((a) => (a.kind === 'csat' ? a.score >= 1 && a.score <= 5 : true), {
    message: 'a CSAT score is 1–5',
    path: ['score'],
  })
  .refine((a) => (a.kind === 'ces' ? a.score >= 1 && a.score <= 7 : true), {
    message: 'a CES score is 1–7',
    path: ['score'],
  })
export type TSurveyAnswerRecord = z.infer<typeof ZSurveyAnswerRecord>

/** Every entity that can be ingested, by the name used in URLs, CLI commands and the DB. */
export const RECORD_SCHEMAS = {
  customers: ZCustomerRecord,
  orders: ZOrderRecord,
  subscriptions: ZSubscriptionRecord,
  subscription_changes: ZSubscriptionChangeRecord,
  tickets: ZTicketRecord,
  events: ZEventRecord,
  survey_answers: ZSurveyAnswerRecord,
} as const
export type EntityKind = keyof typeof RECORD_SCHEMAS
export const ENTITY_KINDS = Object.keys(RECORD_SCHEMAS) as EntityKind[]
