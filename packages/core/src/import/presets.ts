import type { EntityKind } from '../records/schemas.ts'
import type { ImportProfile } from './mapping.ts'
import { normalizeHeaderName } from './mapping.ts'
import type { LocalizedText } from './messages.ts'

/**
 * Presets: import profiles for the exports people actually have, with the rule that recognises
 * each from a header. Column names are those of the real exports; docs/import.md lists them all.
 */

/** How a preset is recognised from a header. */
export interface PresetDetection {
  /** Groups of alternatives: every group must have one column present. */
  all: readonly (readonly string[])[]
  /** Columns that must not be present (to tell two exports of one vendor apart). */
  none?: readonly string[]
  /** Columns typical of the export; the share present is the score. */
  signature: readonly string[]
  /** Generic presets lose ties against vendor presets. */
  generic?: boolean
}

/** A preset: a profile plus its id, label and detection rule. */
export interface ImportPreset extends ImportProfile {
  id: string
  label: LocalizedText
  detect: PresetDetection | null
}

const UTC = 'UTC'
const utc = (...columns: string[]) => ({ columns, timeZone: UTC })

const shopifyOrders: ImportPreset = {
  id: 'shopify-orders',
  label: { it: 'Shopify – esportazione ordini', en: 'Shopify – orders export' },
  entity: 'orders',
  format: { kind: 'delimited', delimiter: ',', header: 'auto' },
  mapping: {
    external_id: 'Name',
    customer_external_id: { columns: ['Email'], transform: 'lower' },
    placed_at: 'Created at',
    status: 'Financial Status',
    cancelled_at: 'Cancelled at',
    refunded_amount: 'Refunded Amount',
    currency: 'Currency',
    total: 'Total',
    discount: 'Discount Amount',
    shipping: 'Shipping',
    tax: 'Taxes',
    channel: 'Source',
    store: 'Location',
    'lines.quantity': 'Lineitem quantity',
    'lines.product_name': 'Lineitem name',
    'lines.unit_price': 'Lineitem price',
    'lines.sku': 'Lineitem sku',
    // The customer, from the order's first row: billing first, shipping when billing is empty.
    'customer.email': 'Email',
    'customer.name': ['Billing Name', 'Shipping Name'],
    'customer.phone': ['Billing Phone', 'Phone', 'Shipping Phone'],
    'customer.address': ['Billing Address1', 'Billing Street', 'Shipping Address1'],
    'customer.city': ['Billing City', 'Shipping City'],
    'customer.region': ['Billing Province Name', 'Billing Province', 'Shipping Province'],
    'customer.postcode': ['Billing Zip', 'Shipping Zip'],
    'customer.country': ['Billing Country', 'Shipping Country'],
    'customer.consent.marketing_email': 'Accepts Marketing',
  },
  values: { decimalSeparator: '.' },
  detect: {
    all: [['Name'], ['Financial Status'], ['Lineitem quantity'], ['Lineitem price']],
    signature: [
      'Name',
      'Email',
      'Financial Status',
      'Paid at',
      'Fulfillment Status',
      'Fulfilled at',
      'Accepts Marketing',
      'Currency',
      'Subtotal',
      'Shipping',
      'Taxes',
      'Total',
      'Discount Code',
      'Discount Amount',
      'Shipping Method',
      'Created at',
      'Lineitem quantity',
      'Lineitem name',
      'Lineitem price',
      'Lineitem sku',
      'Billing Name',
      'Cancelled at',
      'Refunded Amount',
      'Source',
      'Location',
      'Id',
    ],
  },
}

const wooOrders: ImportPreset = {
  id: 'woocommerce-orders',
  label: { it: 'WooCommerce – esportazione ordini', en: 'WooCommerce – orders export' },
  entity: 'orders',
  format: { kind: 'delimited', header: 'auto' },
  mapping: {
    external_id: ['Order Number', 'Order ID', 'order_number', 'order_id'],
    customer_external_id: {
      columns: [
        'Customer User',
        'Customer ID',
        'customer_id',
        'Billing Email',
        'Email (Billing)',
        'billing_email',
      ],
      empty: ['0'], // a guest checkout has user 0: fall back to the billing e-mail
      transform: 'lower',
    },
    placed_at: ['Order Date', 'order_date', 'Date'],
    status: ['Order Status', 'Status', 'status'],
    currency: ['Order Currency', 'Currency', 'currency'],
    total: ['Order Total', 'Order Total Amount', 'order_total'],
    discount: ['Discount Total', 'Cart Discount', 'Cart Discount Amount', 'discount_total'],
    shipping: ['Shipping Total', 'Order Shipping Amount', 'shipping_total'],
    tax: ['Tax Total', 'Order Total Tax Amount', 'tax_total'],
    refunded_amount: ['Refunded Total', 'Order Refund Amount', 'refunded_total'],
    channel: ['Created Via', 'created_via'],
    'lines.product_name': ['Item Name', 'Product Name', 'item_name'],
    'lines.sku': ['Item SKU', 'SKU', 'item_sku'],
    'lines.quantity': ['Item Quantity', 'Quantity', 'Qty', 'item_quantity'],
    'lines.unit_price': ['Item Cost', 'Item Price', 'item_cost'],
    'lines.line_total': ['Item Total', 'item_total'],
    'customer.email': ['Billing Email', 'Email (Billing)', 'billing_email'],
    'customer.first_name': ['Billing First Name', 'First Name (Billing)', 'billing_first_name'],
    'customer.last_name': ['Billing Last Name', 'Last Name (Billing)', 'billing_last_name'],
    'customer.phone': ['Billing Phone', 'Phone (Billing)', 'billing_phone'],
    'customer.address': ['Billing Address 1', 'Address 1&2 (Billing)', 'billing_address_1'],
    'customer.city': ['Billing City', 'City (Billing)', 'billing_city'],
    'customer.region': ['Billing State', 'State Code (Billing)', 'billing_state'],
    'customer.postcode': ['Billing Postcode', 'Postcode (Billing)', 'billing_postcode'],
    'customer.country': ['Billing Country', 'Country Code (Billing)', 'billing_country'],
  },
  detect: {
    all: [
      ['Order ID', 'Order Number'],
      ['Order Date'],
      ['Order Status'],
      ['Order Total', 'Order Total Amount'],
    ],
    signature: [
      'Order ID',
      'Order Number',
      'Order Date',
      'Order Status',
      'Customer User',
      'Customer ID',
      'Billing Email',
      'Billing First Name',
      'Billing Last Name',
      'Order Total',
      'Order Currency',
      'Payment Method',
      'Shipping Total',
      'Tax Total',
      'Discount Total',
      'Refunded Total',
      'Item Name',
      'Item SKU',
      'Item Quantity',
    ],
  },
}

const stripeSubscriptions: ImportPreset = {
  id: 'stripe-subscriptions',
  label: { it: 'Stripe – esportazione abbonamenti', en: 'Stripe – subscriptions export' },
  entity: 'subscriptions',
  format: { kind: 'delimited', delimiter: ',', header: 'auto' },
  mapping: {
    external_id: 'id',
    customer_external_id: ['Customer ID', 'Customer'],
    plan: ['Plan', 'Plan ID', 'Price ID', 'Product'],
    status: 'Status',
    started_at: utc('Start (UTC)', 'Start Date (UTC)', 'Created (UTC)'),
    trial_end: utc('Trial End (UTC)'),
    canceled_at: utc('Canceled At (UTC)'),
    ended_at: utc('Ended At (UTC)'),
    quantity: 'Quantity',
    interval: ['Interval', 'Plan Interval'],
    interval_count: ['Interval Count', 'Plan Interval Count'],
    unit_amount: ['Amount', 'Plan Amount'],
    currency: ['Currency', 'Plan Currency'],
    cancellation_reason: ['Cancellation Reason', 'Cancellation Feedback'],
  },
  // The dashboard's CSV exports write amounts in the currency (`12.34`, JPY `1500`), unlike the
  // API's integers in Stripe's minor units: read them as major units with the ISO 4217 digits
  // of each row's currency.
  values: { decimalSeparator: '.', amountUnit: 'major' },
  detect: {
    all: [['id'], ['Customer ID', 'Customer'], ['Status'], ['Plan', 'Plan ID', 'Price ID']],
    signature: [
      'id',
      'Customer ID',
      'Customer Description',
      'Customer Email',
      'Plan',
      'Product',
      'Quantity',
      'Currency',
      'Interval',
      'Amount',
      'Status',
      'Created (UTC)',
      'Start (UTC)',
      'Current Period Start (UTC)',
      'Current Period End (UTC)',
      'Trial Start (UTC)',
      'Trial End (UTC)',
      'Canceled At (UTC)',
      'Cancel At Period End',
      'Ended At (UTC)',
    ],
  },
}

/**
 * Stripe's payments export (Payments → Export): one row per charge, with the refunded part in
 * `Amount Refunded`, so a refund arrives as a later export of the same charge id (an update),
 * never as negative revenue. Failed and canceled charges are kept as cancelled orders.
 */
const stripePayments: ImportPreset = {
  id: 'stripe-payments',
  label: { it: 'Stripe – esportazione pagamenti', en: 'Stripe – payments export' },
  entity: 'orders',
  format: { kind: 'delimited', delimiter: ',', header: 'auto' },
  mapping: {
    external_id: 'id',
    customer_external_id: 'Customer ID',
    placed_at: utc('Created (UTC)', 'Created date (UTC)'),
    status: 'Status',
    currency: 'Currency',
    total: 'Amount',
    refunded_amount: 'Amount Refunded',
    'customer.email': 'Customer Email',
    'customer.name': ['Customer Name', 'Card Name'],
    'customer.city': 'Card Address City',
    'customer.postcode': 'Card Address Zip',
    'customer.country': 'Card Address Country',
  },
  values: { decimalSeparator: '.', amountUnit: 'major' },
  detect: {
    all: [
      ['id'],
      ['Created (UTC)', 'Created date (UTC)'],
      ['Amount'],
      ['Currency'],
      ['Amount Refunded', 'Converted Amount', 'Fee'],
    ],
    none: ['Plan', 'Plan ID', 'Price ID', 'Email'],
    signature: [
      'id',
      'Description',
      'Created (UTC)',
      'Amount',
      'Amount Refunded',
      'Currency',
      'Converted Amount',
      'Converted Amount Refunded',
      'Fee',
      'Tax',
      'Converted Currency',
      'Status',
      'Customer ID',
      'Customer Email',
      'Captured',
      'Card ID',
      'Invoice ID',
    ],
  },
}

const stripeCustomers: ImportPreset = {
  id: 'stripe-customers',
  label: { it: 'Stripe – esportazione clienti', en: 'Stripe – customers export' },
  entity: 'customers',
  format: { kind: 'delimited', delimiter: ',', header: 'auto' },
  mapping: {
    external_id: 'id',
    email: 'Email',
    name: 'Name',
    phone: ['Phone', 'Shipping Phone'],
    created_at: utc('Created (UTC)'),
    city: 'Address City',
    region: 'Address State',
    country: 'Address Country',
    postcode: ['Address Zip', 'Address Postal Code'],
    locale: 'Preferred Locales',
  },
  detect: {
    all: [['id'], ['Email'], ['Created (UTC)']],
    none: ['Customer ID', 'Customer'],
    signature: [
      'id',
      'Description',
      'Email',
      'Name',
      'Created (UTC)',
      'Phone',
      'Address Line1',
      'Address Line2',
      'Address City',
      'Address State',
      'Address Country',
      'Address Zip',
      'Delinquent',
      'Preferred Locales',
      'Tax Exempt',
      'Total Spend',
      'Payment Count',
    ],
  },
}

const cdnow: ImportPreset = {
  id: 'cdnow',
  label: {
    it: 'CDNOW (transazioni, separate da spazi)',
    en: 'CDNOW (transactions, whitespace separated)',
  },
  entity: 'orders',
  format: { kind: 'whitespace', header: 'auto' },
  mapping: {
    customer_external_id: { position: 1 },
    placed_at: { position: 2 },
    'lines.quantity': { position: 3 },
    'lines.line_total': { position: 4 },
  },
  values: { currency: 'USD', decimalSeparator: '.' },
  orders: { syntheticId: 'customer-date-sequence', mergeSameDay: false },
  detect: {
    all: [['customer_id'], ['date'], ['number_of_cds'], ['dollar_value']],
    signature: ['customer_id', 'date', 'number_of_cds', 'dollar_value'],
  },
}

const onlineRetail: ImportPreset = {
  id: 'online-retail',
  label: {
    it: 'Online Retail (UCI): righe di fattura',
    en: 'Online Retail (UCI): invoice lines',
  },
  entity: 'orders',
  format: { kind: 'delimited', header: 'auto' },
  mapping: {
    external_id: ['InvoiceNo', 'Invoice'],
    customer_external_id: { columns: ['CustomerID', 'Customer ID'], transform: 'integer-id' },
    placed_at: 'InvoiceDate',
    'lines.sku': 'StockCode',
    'lines.product_name': 'Description',
    'lines.quantity': 'Quantity',
    'lines.unit_price': ['UnitPrice', 'Price'],
  },
  // Prices such as 0.001 exist in the data set: rounded half-even to the penny.
  values: { currency: 'GBP', decimalSeparator: '.', rounding: 'half-even' },
  orders: { cancelPrefix: 'C' },
  detect: {
    all: [['InvoiceNo', 'Invoice'], ['StockCode'], ['Quantity'], ['InvoiceDate']],
    signature: [
      'InvoiceNo',
      'Invoice',
      'StockCode',
      'Description',
      'Quantity',
      'InvoiceDate',
      'UnitPrice',
      'Price',
      'CustomerID',
      'Customer ID',
      'Country',
    ],
  },
}

// --- generic presets: the record field names, plus common English and Italian aliases --------

const g = (
  id: string,
  entity: EntityKind,
  label: LocalizedText,
  mapping: Record<string, string[]>,
  required: string[],
  extra: Partial<ImportPreset> = {},
): ImportPreset => ({
  id,
  label,
  entity,
  format: { header: 'auto' },
  mapping,
  detect: {
    all: required.map((f) => mapping[f] ?? [f]),
    signature: Object.values(mapping).flat(),
    generic: true,
  },
  ...extra,
})

const ORDER_FIELDS: Record<string, string[]> = {
  external_id: [
    'external_id',
    'order_external_id',
    'order_id',
    'order_number',
    'numero_ordine',
    'id_ordine',
  ],
  customer_external_id: ['customer_external_id', 'customer_id', 'id_cliente', 'codice_cliente'],
  placed_at: ['placed_at', 'order_date', 'date', 'data_ordine', 'data'],
  status: ['status', 'stato'],
  cancelled_at: ['cancelled_at', 'canceled_at'],
  refunded_amount: ['refunded_amount', 'rimborsato'],
  currency: ['currency', 'valuta'],
  total: ['total', 'totale', 'importo'],
  discount: ['discount', 'sconto'],
  shipping: ['shipping', 'spedizione'],
  tax: ['tax', 'iva', 'tasse'],
  channel: ['channel', 'canale'],
  store: ['store', 'negozio', 'punto_vendita'],
  refund_of: ['refund_of', 'original_order', 'ordine_originale'],
  lines: ['lines'],
}
const LINE_FIELDS: Record<string, string[]> = {
  'lines.sku': ['sku', 'codice_articolo', 'articolo'],
  'lines.product_name': ['product_name', 'product', 'prodotto', 'descrizione'],
  'lines.category': ['category', 'categoria'],
  'lines.quantity': ['quantity', 'qty', 'quantità', 'quantita'],
  'lines.unit_price': ['unit_price', 'price', 'prezzo', 'prezzo_unitario'],
  'lines.line_total': ['line_total', 'totale_riga'],
}

const GENERIC: ImportPreset[] = [
  g(
    'generic-customers',
    'customers',
    { it: 'Clienti (colonne standard)', en: 'Customers (standard columns)' },
    {
      external_id: ['external_id', 'customer_id', 'id', 'id_cliente', 'codice_cliente'],
      email: ['email', 'e-mail', 'mail'],
      name: ['name', 'full_name', 'nome_completo', 'ragione_sociale'],
      first_name: ['first_name', 'nome'],
      last_name: ['last_name', 'cognome'],
      phone: ['phone', 'telefono', 'cellulare'],
      locale: ['locale', 'lingua'],
      country: ['country', 'nazione', 'paese'],
      region: ['region', 'provincia', 'regione'],
      city: ['city', 'città', 'citta', 'comune'],
      postcode: ['postcode', 'zip', 'postal_code', 'cap'],
      birthday: ['birthday', 'birth_date', 'data_di_nascita', 'data_nascita', 'compleanno'],
      acquisition_channel: ['acquisition_channel', 'canale_acquisizione'],
      tags: ['tags', 'etichette'],
      attributes: ['attributes'],
      // Flat columns in CSV; the record's own nesting in JSON Lines.
      'consent.marketing_email': [
        'consent_marketing_email',
        'consenso_marketing',
        'consent.marketing_email.granted',
      ],
      'consent.profiling': [
        'consent_profiling',
        'consenso_profilazione',
        'consent.profiling.granted',
      ],
      'consent.surveys': ['consent_surveys', 'consenso_sondaggi', 'consent.surveys.granted'],
      created_at: ['created_at', 'data_registrazione', 'data_creazione'],
    },
    ['external_id'],
  ),
  g(
    'generic-orders',
    'orders',
    { it: 'Ordini, una riga per ordine', en: 'Orders, one row per order' },
    ORDER_FIELDS,
    ['external_id', 'placed_at', 'total'],
  ),
  g(
    'generic-order-lines',
    'orders',
    {
      it: 'Righe d’ordine, più righe per ordine',
      en: 'Order lines, several rows per order',
    },
    { ...ORDER_FIELDS, ...LINE_FIELDS },
    ['external_id', 'placed_at', 'lines.quantity'],
  ),
  g(
    'generic-subscriptions',
    'subscriptions',
    { it: 'Abbonamenti (colonne standard)', en: 'Subscriptions (standard columns)' },
    {
      external_id: ['external_id', 'subscription_id', 'id', 'id_abbonamento'],
      customer_external_id: ['customer_external_id', 'customer_id', 'id_cliente'],
      plan: ['plan', 'piano'],
      status: ['status', 'stato'],
      started_at: ['started_at', 'start_date', 'data_inizio'],
      trial_end: ['trial_end', 'fine_prova'],
      canceled_at: ['canceled_at', 'cancelled_at', 'data_disdetta'],
      ended_at: ['ended_at', 'end_date', 'data_fine'],
      interval: ['interval', 'intervallo', 'periodicità'],
      interval_count: ['interval_count'],
      quantity: ['quantity', 'quantità', 'quantita'],
      amount: ['amount', 'importo', 'canone'],
      unit_amount: ['unit_amount'],
      currency: ['currency', 'valuta'],
      cancellation_reason: ['cancellation_reason', 'motivo_disdetta'],
    },
    ['external_id', 'customer_external_id', 'plan', 'status', 'started_at'],
  ),
  g(
    'generic-subscription-changes',
    'subscription_changes',
    { it: 'Modifiche di abbonamento', en: 'Subscription changes' },
    {
      external_id: ['external_id', 'change_id', 'id'],
      subscription_external_id: ['subscription_external_id', 'subscription_id', 'id_abbonamento'],
      changed_at: ['changed_at', 'date', 'data'],
      plan: ['plan', 'piano'],
      quantity: ['quantity', 'quantità'],
      amount: ['amount', 'importo'],
      currency: ['currency', 'valuta'],
    },
    ['subscription_external_id', 'changed_at'],
  ),
  g(
    'generic-tickets',
    'tickets',
    { it: 'Ticket di assistenza', en: 'Support tickets' },
    {
      external_id: ['external_id', 'ticket_id', 'id'],
      customer_external_id: ['customer_external_id', 'customer_id', 'id_cliente'],
      channel: ['channel', 'canale'],
      subject: ['subject', 'oggetto'],
      opened_at: ['opened_at', 'created_at', 'data_apertura'],
      first_response_at: ['first_response_at', 'prima_risposta'],
      resolved_at: ['resolved_at', 'data_risoluzione'],
      status: ['status', 'stato'],
      priority: ['priority', 'priorità', 'priorita'],
      assignee: ['assignee', 'assegnatario', 'operatore'],
      satisfaction: ['satisfaction', 'csat', 'soddisfazione'],
      messages: ['messages'],
    },
    ['external_id', 'channel', 'opened_at', 'status'],
  ),
  g(
    'generic-events',
    'events',
    { it: 'Eventi', en: 'Events' },
    {
      external_id: ['external_id', 'event_id', 'id'],
      customer_external_id: ['customer_external_id', 'customer_id', 'id_cliente'],
      name: ['name', 'event', 'evento'],
      occurred_at: ['occurred_at', 'timestamp', 'date', 'data'],
      properties: ['properties'],
    },
    ['customer_external_id', 'name', 'occurred_at'],
    { extraColumns: 'properties' },
  ),
  g(
    'generic-survey-answers',
    'survey_answers',
    { it: 'Risposte ai sondaggi', en: 'Survey answers' },
    {
      external_id: ['external_id', 'answer_id', 'response_id', 'id'],
      customer_external_id: ['customer_external_id', 'customer_id', 'id_cliente'],
      survey: ['survey', 'sondaggio'],
      kind: ['kind', 'tipo'],
      score: ['score', 'punteggio', 'voto'],
      comment: ['comment', 'commento'],
      answered_at: ['answered_at', 'date', 'data'],
    },
    ['survey', 'kind', 'score', 'answered_at'],
  ),
]

/** Every preset, vendor ones first. */
export const PRESETS: readonly ImportPreset[] = [
  shopifyOrders,
  wooOrders,
  stripeSubscriptions,
  stripeCustomers,
  stripePayments,
  onlineRetail,
  cdnow,
  ...GENERIC,
]

/** The preset with this id, or undefined. */
export function getPreset(id: string): ImportPreset | undefined {
  return PRESETS.find((p) => p.id === id)
}

/** What `detectPreset` found. */
export interface PresetMatch {
  preset: ImportPreset
  /** Share of the preset's signature columns present, 0–1. */
  score: number
  matched: string[]
}

/**
 * Recognise a preset from a header. Every `all` group must be present and no `none` column; then
 * the highest share of signature columns wins, vendor presets before generic ones. Restrict to
 * one entity with `entity`. Null when nothing fits.
 */
export function detectPreset(
  header: readonly string[],
  options: { entity?: EntityKind } = {},
): PresetMatch | null {
  const present = new Set(header.map(normalizeHeaderName))
  const has = (c: string): boolean => present.has(normalizeHeaderName(c))
  let best: PresetMatch | null = null
  for (const preset of PRESETS) {
    const d = preset.detect
    if (!d || (options.entity && preset.entity !== options.entity)) continue
    if (!d.all.every((group) => group.some(has))) continue
    if (d.none?.some(has)) continue
    const matched = d.signature.filter(has)
    const score = matched.length / d.signature.length
    const better =
      best === null ||
      (best.preset.detect?.generic && !d.generic) ||
      (!!best.preset.detect?.generic === !!d.generic && score > best.score)
    if (better) best = { preset, score, matched }
  }
  return best
}

/**
 * Recognise the CDNOW layout without a header: four whitespace-separated numeric fields
 * (customer id, yyyymmdd date, quantity, amount) in every sampled row.
 */
export function looksLikeCdnow(rows: readonly (readonly string[])[]): boolean {
  const data = rows.filter((r) => r.length > 1 || (r[0] ?? '') !== '')
  return (
    data.length > 0 &&
    data.every(
      (r) =>
        r.length === 4 &&
        /^\d+$/.test(r[0] ?? '') &&
        /^(19|20)\d{6}$/.test(r[1] ?? '') &&
        /^-?\d+$/.test(r[2] ?? '') &&
        /^-?\d+(\.\d+)?$/.test(r[3] ?? ''),
    )
  )
}
