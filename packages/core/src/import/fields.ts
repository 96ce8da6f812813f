import type { EntityKind } from '../records/schemas.ts'

/**
 * The importable fields of each entity: what a mapping may target (`--map field=column`), how a
 * cell is parsed, and whether the field is required. Names follow the record schemas in
 * `records/schemas.ts`; order lines are addressed as `lines.<field>`; a few fields are virtual
 * (they feed a record field but are not one), each documented below.
 */

/** How a cell is read. */
export type FieldType =
  | 'id' // trimmed text, ≤ 255
  | 'text' // trimmed text
  | 'email' // trimmed; an invalid one is dropped with a warning
  | 'money' // amount → integer minor units of the record's currency
  | 'instant' // date or date-time → ISO instant in UTC
  | 'date' // calendar date YYYY-MM-DD
  | 'integer'
  | 'enum' // matched through `synonyms`
  | 'boolean' // yes/no in English and Italian
  | 'currency' // ISO 4217, also from €, $, £
  | 'country' // ISO 3166-1 alpha-2
  | 'locale' // it, it-IT, it_IT → it-IT
  | 'list' // tags: split on , ; |
  | 'json' // an object (JSON text in a CSV cell, a value in JSON Lines)
  | 'json-array' // an array of objects, in the record's own shape (JSON Lines)

/** One importable field. */
export interface FieldDef {
  name: string
  type: FieldType
  required?: boolean
  /**
   * A soft field is descriptive: a value that cannot be read is dropped with a warning and the
   * record is kept (a bad phone number must not lose a customer). Other fields reject the row.
   */
  soft?: boolean
  /** For `enum`: accepted spellings (normalised: lower case, spaces and dashes → `_`) → value. */
  synonyms?: Readonly<Record<string, string>>
  /** For orders: whether the field belongs to the order or to each line. */
  level?: 'order' | 'line'
  /** A virtual field's role, in English, for the documentation. */
  note?: string
}

const normEnum = (s: string): string =>
  s
    .trim()
    .toLowerCase()
    .replace(/^wc-/, '')
    .replace(/[\s-]+/g, '_')

/** Normalise an enum spelling as `FieldDef.synonyms` keys are written. */
export const normalizeEnumValue = normEnum

const same = (...values: string[]): Record<string, string> =>
  Object.fromEntries(values.map((v) => [v, v]))

/** Order status spellings: Shopify financial status, WooCommerce status (also Italian labels). */
export const ORDER_STATUS_SYNONYMS: Readonly<Record<string, string>> = {
  ...same('completed', 'cancelled', 'refunded'),
  complete: 'completed',
  paid: 'completed',
  pending: 'completed', // Shopify: order placed, payment pending (a sale, not a cancellation)
  authorized: 'completed',
  partially_paid: 'completed',
  partially_refunded: 'completed', // the refunded part goes in refunded_amount
  processing: 'completed',
  on_hold: 'completed',
  shipped: 'completed',
  delivered: 'completed',
  fulfilled: 'completed',
  succeeded: 'completed', // Stripe charges
  uncaptured: 'completed', // Stripe: authorised, not captured yet (as Shopify's authorized)
  disputed: 'completed', // Stripe: paid; a lost dispute shows as a refund
  blocked: 'cancelled', // Stripe Radar
  incomplete: 'cancelled', // Stripe: never paid
  canceled: 'cancelled',
  voided: 'cancelled',
  failed: 'cancelled',
  checkout_draft: 'cancelled',
  trash: 'cancelled',
  completato: 'completed',
  completata: 'completed',
  pagato: 'completed',
  in_lavorazione: 'completed',
  in_attesa: 'completed',
  spedito: 'completed',
  annullato: 'cancelled',
  annullata: 'cancelled',
  cancellato: 'cancelled',
  fallito: 'cancelled',
  rimborsato: 'refunded',
  rimborsata: 'refunded',
}

/** Subscription status spellings (Stripe's included). */
export const SUBSCRIPTION_STATUS_SYNONYMS: Readonly<Record<string, string>> = {
  ...same('trialing', 'active', 'past_due', 'paused', 'canceled', 'ended'),
  trial: 'trialing',
  in_trial: 'trialing',
  unpaid: 'past_due', // Stripe: payment retries exhausted, subscription kept
  incomplete: 'past_due', // Stripe: first payment not completed yet
  incomplete_expired: 'ended', // Stripe: first payment never completed
  cancelled: 'canceled',
  expired: 'ended',
  inactive: 'ended',
  attivo: 'active',
  attiva: 'active',
  prova: 'trialing',
  in_prova: 'trialing',
  sospeso: 'paused',
  sospesa: 'paused',
  annullato: 'canceled',
  annullata: 'canceled',
  disdetto: 'canceled',
  disdetta: 'canceled',
  scaduto: 'ended',
  scaduta: 'ended',
  terminato: 'ended',
  insoluto: 'past_due',
}

const INTERVAL_SYNONYMS = {
  ...same('day', 'week', 'month', 'year'),
  daily: 'day',
  weekly: 'week',
  monthly: 'month',
  yearly: 'year',
  annual: 'year',
  annually: 'year',
  giorno: 'day',
  settimana: 'week',
  mese: 'month',
  mensile: 'month',
  anno: 'year',
  annuale: 'year',
}

const TICKET_CHANNEL_SYNONYMS = {
  ...same('email', 'chat', 'phone', 'social', 'messaging', 'video', 'chatbot'),
  mail: 'email',
  'e-mail': 'email',
  web: 'email',
  form: 'email',
  live_chat: 'chat',
  livechat: 'chat',
  telephone: 'phone',
  call: 'phone',
  voice: 'phone',
  telefono: 'phone',
  whatsapp: 'messaging',
  sms: 'messaging',
  telegram: 'messaging',
  messenger: 'messaging',
  facebook: 'social',
  instagram: 'social',
  twitter: 'social',
  x: 'social',
  bot: 'chatbot',
  videochiamata: 'video',
}

const TICKET_STATUS_SYNONYMS = {
  ...same('open', 'pending', 'resolved', 'closed'),
  new: 'open',
  solved: 'resolved',
  on_hold: 'pending',
  waiting: 'pending',
  aperto: 'open',
  nuovo: 'open',
  in_attesa: 'pending',
  risolto: 'resolved',
  chiuso: 'closed',
}

const PRIORITY_SYNONYMS = {
  ...same('low', 'normal', 'high', 'urgent'),
  medium: 'normal',
  bassa: 'low',
  normale: 'normal',
  media: 'normal',
  alta: 'high',
  urgente: 'urgent',
}

const SURVEY_KIND_SYNONYMS = same('nps', 'csat', 'ces', 'enps', 'custom')

const customers: FieldDef[] = [
  { name: 'external_id', type: 'id', required: true },
  { name: 'email', type: 'email', soft: true },
  { name: 'name', type: 'text' },
  {
    name: 'first_name',
    type: 'text',
    note: 'virtual: joined with last_name into name when name is empty',
  },
  { name: 'last_name', type: 'text', note: 'virtual: see first_name' },
  { name: 'phone', type: 'text', soft: true },
  { name: 'locale', type: 'locale', soft: true },
  { name: 'country', type: 'country', soft: true },
  { name: 'region', type: 'text' },
  { name: 'city', type: 'text' },
  { name: 'postcode', type: 'text' },
  { name: 'birthday', type: 'date', soft: true },
  { name: 'acquisition_channel', type: 'text' },
  { name: 'tags', type: 'list' },
  { name: 'attributes', type: 'json' },
  { name: 'consent.marketing_email', type: 'boolean', soft: true },
  { name: 'consent.profiling', type: 'boolean', soft: true },
  { name: 'consent.surveys', type: 'boolean', soft: true },
  { name: 'created_at', type: 'instant' },
]

/**
 * The customer as an order export writes it (Shopify, WooCommerce: e-mail, billing name, phone
 * and address on the order's first row). When any is mapped, the converter emits a customer
 * record (`derived: true`) with the order's `customer_external_id` before the order itself; the
 * server merges it into the existing customer field by field (see docs/import.md).
 */
const ORDER_CUSTOMER_FIELDS: FieldDef[] = [
  {
    name: 'customer.email',
    type: 'email',
    soft: true,
    level: 'order',
    note: 'virtual: the customer record derived from the order',
  },
  {
    name: 'customer.name',
    type: 'text',
    level: 'order',
    note: 'virtual: customer; else first + last name',
  },
  { name: 'customer.first_name', type: 'text', level: 'order', note: 'virtual: customer' },
  { name: 'customer.last_name', type: 'text', level: 'order', note: 'virtual: customer' },
  { name: 'customer.phone', type: 'text', soft: true, level: 'order', note: 'virtual: customer' },
  {
    name: 'customer.country',
    type: 'country',
    soft: true,
    level: 'order',
    note: 'virtual: customer',
  },
  { name: 'customer.region', type: 'text', level: 'order', note: 'virtual: customer' },
  { name: 'customer.city', type: 'text', level: 'order', note: 'virtual: customer' },
  { name: 'customer.postcode', type: 'text', level: 'order', note: 'virtual: customer' },
  {
    name: 'customer.address',
    type: 'text',
    level: 'order',
    note: 'virtual: customer attribute "address" (the record has no street field)',
  },
  {
    name: 'customer.consent.marketing_email',
    type: 'boolean',
    soft: true,
    level: 'order',
    note: 'virtual: customer consent (Shopify "Accepts Marketing")',
  },
]

const orders: FieldDef[] = [
  { name: 'external_id', type: 'id', required: true, level: 'order' },
  {
    name: 'customer_external_id',
    type: 'id',
    level: 'order',
    note: 'empty → an anonymous sale (customer_external_id null), counted in the summary',
  },
  { name: 'placed_at', type: 'instant', required: true, level: 'order' },
  { name: 'status', type: 'enum', synonyms: ORDER_STATUS_SYNONYMS, level: 'order' },
  {
    name: 'cancelled_at',
    type: 'instant',
    level: 'order',
    note: 'virtual: a value makes the order cancelled (Shopify "Cancelled at")',
  },
  { name: 'refunded_amount', type: 'money', level: 'order' },
  {
    name: 'currency',
    type: 'currency',
    required: true,
    level: 'order',
    note: 'may come from the profile default currency instead of a column',
  },
  {
    name: 'total',
    type: 'money',
    level: 'order',
    note: 'when not mapped or empty: the sum of the line totals',
  },
  { name: 'discount', type: 'money', level: 'order' },
  { name: 'shipping', type: 'money', level: 'order' },
  { name: 'tax', type: 'money', level: 'order' },
  { name: 'channel', type: 'text', level: 'order' },
  { name: 'store', type: 'text', level: 'order' },
  {
    name: 'refund_of',
    type: 'id',
    level: 'order',
    note: 'virtual: the order a credit note or refund row refunds; a row with it is a refund whatever its sign',
  },
  ...ORDER_CUSTOMER_FIELDS,
  {
    name: 'lines',
    type: 'json-array',
    level: 'order',
    note: 'the lines in the record shape (JSON Lines, or JSON text in a cell); amounts in minor units',
  },
  { name: 'lines.sku', type: 'text', level: 'line' },
  { name: 'lines.product_name', type: 'text', level: 'line' },
  { name: 'lines.category', type: 'text', level: 'line' },
  { name: 'lines.quantity', type: 'integer', level: 'line' },
  { name: 'lines.unit_price', type: 'money', level: 'line' },
  {
    name: 'lines.line_total',
    type: 'money',
    level: 'line',
    note: 'when not mapped: quantity × unit_price',
  },
]

const subscriptions: FieldDef[] = [
  { name: 'external_id', type: 'id', required: true },
  { name: 'customer_external_id', type: 'id', required: true },
  { name: 'plan', type: 'text', required: true },
  { name: 'status', type: 'enum', required: true, synonyms: SUBSCRIPTION_STATUS_SYNONYMS },
  { name: 'started_at', type: 'instant', required: true },
  { name: 'trial_end', type: 'instant' },
  { name: 'canceled_at', type: 'instant' },
  { name: 'ended_at', type: 'instant' },
  { name: 'interval', type: 'enum', synonyms: INTERVAL_SYNONYMS },
  { name: 'interval_count', type: 'integer' },
  { name: 'quantity', type: 'integer' },
  { name: 'amount', type: 'money' },
  {
    name: 'unit_amount',
    type: 'money',
    note: 'virtual: price of one unit; amount = unit_amount × quantity when amount is not mapped',
  },
  { name: 'currency', type: 'currency', required: true },
  { name: 'cancellation_reason', type: 'text' },
]

const subscriptionChanges: FieldDef[] = [
  {
    name: 'external_id',
    type: 'id',
    note: 'when not mapped: derived from the row content (see docs/import.md)',
  },
  { name: 'subscription_external_id', type: 'id', required: true },
  { name: 'changed_at', type: 'instant', required: true },
  { name: 'plan', type: 'text' },
  { name: 'quantity', type: 'integer' },
  { name: 'amount', type: 'money' },
  { name: 'currency', type: 'currency' },
]

const tickets: FieldDef[] = [
  { name: 'external_id', type: 'id', required: true },
  { name: 'customer_external_id', type: 'id' },
  { name: 'channel', type: 'enum', required: true, synonyms: TICKET_CHANNEL_SYNONYMS },
  { name: 'subject', type: 'text' },
  { name: 'opened_at', type: 'instant', required: true },
  { name: 'first_response_at', type: 'instant' },
  { name: 'resolved_at', type: 'instant' },
  { name: 'status', type: 'enum', required: true, synonyms: TICKET_STATUS_SYNONYMS },
  { name: 'priority', type: 'enum', synonyms: PRIORITY_SYNONYMS },
  { name: 'assignee', type: 'text' },
  { name: 'satisfaction', type: 'integer' },
  {
    name: 'messages',
    type: 'json-array',
    note: 'the conversation in the record shape [{ at, author, body }] (JSON Lines)',
  },
]

const events: FieldDef[] = [
  {
    name: 'external_id',
    type: 'id',
    note: 'when not mapped: derived from the row content (see docs/import.md)',
  },
  { name: 'customer_external_id', type: 'id', required: true },
  { name: 'name', type: 'text', required: true },
  { name: 'occurred_at', type: 'instant', required: true },
  { name: 'properties', type: 'json' },
]

const surveyAnswers: FieldDef[] = [
  {
    name: 'external_id',
    type: 'id',
    note: 'when not mapped: derived from the row content (see docs/import.md)',
  },
  { name: 'customer_external_id', type: 'id' },
  { name: 'survey', type: 'text', required: true },
  { name: 'kind', type: 'enum', required: true, synonyms: SURVEY_KIND_SYNONYMS },
  { name: 'score', type: 'integer', required: true },
  { name: 'comment', type: 'text' },
  { name: 'answered_at', type: 'instant', required: true },
]

/** The importable fields of every entity. */
export const ENTITY_FIELDS: Readonly<Record<EntityKind, readonly FieldDef[]>> = {
  customers,
  orders,
  subscriptions,
  subscription_changes: subscriptionChanges,
  tickets,
  events,
  survey_answers: surveyAnswers,
}

/** Entities whose external_id may be derived from the row when no column gives it. */
export const DERIVABLE_ID_ENTITIES: readonly EntityKind[] = [
  'events',
  'survey_answers',
  'subscription_changes',
]

/** The definition of one field of an entity, or undefined. */
export function fieldDef(entity: EntityKind, name: string): FieldDef | undefined {
  return ENTITY_FIELDS[entity].find((f) => f.name === name)
}
