import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs'
import { join } from 'node:path'
import { once } from 'node:events'
import { generateDemo } from '@fedele/core/demo'
import type { DemoSpec } from './demo.service.ts'

/**
 * Writes the demo business as the files people actually export: a Shopify orders export (one
 * row per line item, order fields on the first row), and Stripe customers and subscriptions
 * exports. `fedele import` detects each preset from its header, so the demo doubles as a
 * rehearsal of a real import. Streams customer by customer: constant memory at any size.
 */
export const DEMO_EXPORT_FILES = {
  orders: 'shopify-orders.csv',
  customers: 'stripe-customers.csv',
  subscriptions: 'stripe-subscriptions.csv',
} as const

const SHOPIFY = ['Name', 'Email', 'Financial Status', 'Paid at', 'Currency', 'Subtotal', 'Shipping', 'Taxes', 'Total', 'Discount Amount', 'Created at', 'Lineitem quantity', 'Lineitem name', 'Lineitem price', 'Lineitem sku', 'Billing City', 'Billing Country', 'Cancelled at', 'Refunded Amount', 'Location', 'Id', 'Source']
const STRIPE_CUSTOMERS = ['id', 'Email', 'Name', 'Created (UTC)', 'Address City', 'Address Country', 'Address Zip', 'Phone', 'Preferred Locales']
const STRIPE_SUBSCRIPTIONS = ['id', 'Customer ID', 'Customer Email', 'Plan', 'Quantity', 'Currency', 'Interval', 'Amount', 'Status', 'Created (UTC)', 'Start (UTC)', 'Trial End (UTC)', 'Canceled At (UTC)', 'Ended At (UTC)']

const cell = (v: string | number | boolean | null | undefined): string => {
  if (v === null || v === undefined) return ''
  const s = String(v)
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}
const money = (minor: number) => (minor / 100).toFixed(2)
const shopifyTime = (iso: string | null | undefined) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} +0000` : '')
const stripeTime = (iso: string | null | undefined) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : '')

export async function exportDemo(
  spec: DemoSpec,
  dir: string,
): Promise<{ customers: number; orders: number; order_rows: number; subscriptions: number }> {
  mkdirSync(dir, { recursive: true })
  const open = (name: string, header: string[]) => {
    const s = createWriteStream(join(dir, name))
    s.write(`${header.join(',')}\n`)
    return s
  }
  const orders = open(DEMO_EXPORT_FILES.orders, SHOPIFY)
  const customers = open(DEMO_EXPORT_FILES.customers, STRIPE_CUSTOMERS)
  const subscriptions = open(DEMO_EXPORT_FILES.subscriptions, STRIPE_SUBSCRIPTIONS)
  const counts = { customers: 0, orders: 0, order_rows: 0, subscriptions: 0 }
  const write = async (s: WriteStream, values: (string | number | boolean | null | undefined)[]) => {
    if (!s.write(`${values.map(cell).join(',')}\n`)) await once(s, 'drain')
  }
  for (const b of generateDemo({ seed: spec.seed, now: spec.now, customers: spec.customers })) {
    const c = b.customer
    counts.customers++
    await write(customers, [c.external_id, c.email, c.name, stripeTime(c.created_at), c.city, c.country, c.postcode, c.phone, c.locale])
    for (const o of b.orders) {
      if (!c.email) continue
      counts.orders++
      const lines = o.lines?.length ? o.lines : [{ sku: null, product_name: 'Articolo', quantity: 1, unit_price: o.total, line_total: o.total }]
      const subtotal = lines.reduce((n, l) => n + l.line_total, 0)
      const financial = o.status === 'cancelled' ? 'voided' : o.status === 'refunded' ? (o.refunded_amount >= o.total ? 'refunded' : 'partially_refunded') : o.refunded_amount > 0 ? 'partially_refunded' : 'paid'
      lines.forEach((l, i) => {
        counts.order_rows++
        const first = i === 0
        void write(orders, [
          `#${o.external_id}`,
          c.email,
          first ? financial : '',
          first && o.status !== 'cancelled' ? shopifyTime(o.placed_at) : '',
          first ? o.currency : '',
          first ? money(subtotal) : '',
          first ? money(o.shipping) : '',
          first ? money(o.tax) : '',
          first ? money(o.total) : '',
          first ? money(o.discount) : '',
          first ? shopifyTime(o.placed_at) : '',
          l.quantity,
          l.product_name,
          money(l.unit_price),
          l.sku,
          first ? c.city : '',
          first ? c.country : '',
          first && o.status === 'cancelled' ? shopifyTime(o.placed_at) : '',
          first ? money(o.refunded_amount) : '',
          first ? (o.store ?? '') : '',
          first ? o.external_id.replace(/\D/g, '') || o.external_id : '',
          first ? (o.channel ?? 'web') : '',
        ])
      })
    }
    for (const s of b.subscriptions) {
      counts.subscriptions++
      const status = s.status === 'ended' ? 'canceled' : s.status
      await write(subscriptions, [
        s.external_id,
        s.customer_external_id,
        c.email,
        s.plan,
        s.quantity,
        s.currency.toLowerCase(),
        s.interval,
        money(Math.round(s.amount / Math.max(1, s.quantity))),
        status,
        stripeTime(s.started_at),
        stripeTime(s.started_at),
        stripeTime(s.trial_end),
        stripeTime(s.canceled_at),
        stripeTime(s.ended_at),
      ])
    }
  }
  await Promise.all([orders, customers, subscriptions].map(async (s) => {
    s.end()
    await once(s, 'finish')
  }))
  return counts
}
