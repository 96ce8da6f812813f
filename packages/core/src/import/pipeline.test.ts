import { readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  fixture,
  prepare,
  recordsOf,
  runImport,
  runPlan,
  type RunResult,
} from './fixtures/test-harness.ts'
import { planImport } from './pipeline.ts'

/** Every row ends in exactly one place. */
function expectAccounted(r: RunResult): void {
  const s = r.summary
  expect(s.rowsInRecords + s.rowsInRefunds + s.rowsRejected).toBe(s.rows)
  expect(s.rows).toBe(s.reader.dataRows)
}

const byId = (rows: Record<string, unknown>[]) =>
  Object.fromEntries(rows.map((r) => [String(r['external_id']), r]))

describe('every fixture', () => {
  const files = readdirSync(new URL('./fixtures/', import.meta.url)).filter(
    (f) => !f.endsWith('.ts'),
  )
  it.each(files)('%s gives the same outputs whatever the chunk size', (name) => {
    const bytes = fixture(name)
    const p = prepare(bytes, { dateOrder: 'dmy' })
    if (!p.ok) {
      expect(['non-adjacent-lines.csv']).toContain(name) // refused on purpose, tested below
      return
    }
    const whole = runPlan(p.plan, bytes, bytes.length)
    expectAccounted(whole)
    for (const size of [1, 2, 3, 7, 64]) {
      const r = runPlan(p.plan, bytes, size)
      // Records, refunds and rejections come in file order; file-level issues may come before
      // the records of earlier lines (each carries its line), so they are compared by line.
      expect(r.outputs.filter((o) => o.type !== 'issue')).toEqual(
        whole.outputs.filter((o) => o.type !== 'issue'),
      )
      expect(r.issues).toEqual(whole.issues)
      expect(r.summary).toEqual(whole.summary)
    }
  })
})

describe('Italian Excel: ";" + decimal comma + dd/mm/yyyy + Windows-1252 + CRLF', () => {
  const r = runImport(fixture('italian-excel-orders.csv'))

  it('detects the format and the conventions', () => {
    expect(r.plan.format).toMatchObject({
      kind: 'delimited',
      encoding: 'windows-1252',
      encodingSource: 'invalid-utf8',
      delimiter: ';',
      headerLine: 1,
    })
    expect(r.plan.preset?.id).toBe('generic-orders')
    expect(r.plan.converter.values).toMatchObject({ decimalSeparator: ',', dateOrder: 'dmy' })
  })

  it('reads amounts, dates and accents', () => {
    const o = byId(recordsOf(r, 'orders'))
    expect(o['1001']).toMatchObject({
      total: 123456,
      currency: 'EUR',
      placed_at: '2024-02-02T23:00:00Z', // 03/02/2024 at midnight in Rome
      store: 'Città di Castello',
      customer_external_id: 'C001',
    })
    expect(o['1002']).toMatchObject({
      total: 1250,
      placed_at: '2024-02-15T17:30:00Z',
      store: 'Forlì',
    })
  })

  it('keeps an anonymous sale with customer_external_id null and counts it', () => {
    expect(byId(recordsOf(r, 'orders'))['1003']).toMatchObject({
      customer_external_id: null,
      total: 700,
    })
    expect(r.summary.anonymous).toMatchObject({ records: 1, rows: 1, firstLines: [4] })
  })

  it('turns a negative total into a refund, not negative revenue', () => {
    expect(r.refunds.map((x) => x.refund)).toEqual([
      {
        external_id: '1004',
        order_external_id: null,
        customer_external_id: 'C001',
        kind: 'refund',
        refunded_at: '2024-02-28T23:00:00Z',
        amount: 300,
        currency: 'EUR',
        lines: [],
      },
    ])
    for (const o of recordsOf(r, 'orders')) expect(o['total']).toBeGreaterThanOrEqual(0)
  })

  it('rejects 31/04/2024 naming line, column, value and reason in both languages', () => {
    expect(r.rejected).toHaveLength(1)
    const issue = r.rejected[0]!.issues[0]!
    expect(issue).toMatchObject({
      code: 'invalid_date',
      severity: 'error',
      line: 6,
      column: 'data_ordine',
      field: 'placed_at',
      value: '31/04/2024',
    })
    expect(issue.message.it).toContain('non è una data valida')
    expect(issue.message.en).toContain('is not a valid date')
    expectAccounted(r)
  })

  it('imports Italian customers with consent, birthday and a bad e-mail kept as a warning', () => {
    const c = runImport(fixture('italian-excel-customers.csv'))
    const cs = byId(recordsOf(c, 'customers'))
    expect(cs['C001']).toEqual({
      external_id: 'C001',
      email: 'nicolo.bianchi@example.it',
      name: 'Nicolò Bianchi',
      phone: '+39 075 1234567',
      city: 'Città di Castello',
      postcode: '06012',
      birthday: '1985-03-07',
      consent: { marketing_email: { granted: true } },
    })
    expect(cs['C003']).not.toHaveProperty('email')
    const w = c.records.find((x) => x.record.external_id === 'C003')!.warnings
    expect(w.map((i) => [i.code, i.column, i.value])).toEqual([
      ['invalid_value', 'e-mail', 'non-una-email'],
    ])
  })

  it('reports replacement characters when the encoding is forced wrong', () => {
    const wrong = runImport(fixture('italian-excel-orders.csv'), {
      encoding: 'utf-8',
      dateOrder: 'dmy',
    })
    expect(wrong.issues.map((i) => i.code)).toContain('encoding_replacement')
    expect(wrong.summary.reader.replacements).toBeGreaterThan(0)
  })
})

describe('file quirks', () => {
  it('UTF-8 BOM + CRLF: the first column is found, a DST-gap time moves forward', () => {
    const r = runImport(fixture('bom-crlf-customers.csv'))
    expect(r.plan.format.encodingSource).toBe('bom')
    expect(r.plan.header?.[0]).toBe('external_id')
    const cs = byId(recordsOf(r, 'customers'))
    expect(cs['cus-1']).toMatchObject({ tags: ['vip', 'newsletter'], country: 'IT' })
    expect(cs['cus-2']).toMatchObject({ name: 'Lucía Gómez', created_at: '2024-02-10T08:30:00Z' })
    expect(cs['cus-3']).toMatchObject({ created_at: '2024-03-31T01:30:00Z' })
  })

  it('quoted newlines and doubled quotes keep their physical line numbers', () => {
    const r = runImport(fixture('quoted-newlines-survey.csv'))
    expect(r.records.map((x) => x.line)).toEqual([2, 5, 6])
    const a = byId(recordsOf(r, 'survey_answers'))
    expect(a['a1']?.['comment']).toBe('Ottimo servizio,\nconsegna veloce.\nGrazie!')
    expect(a['a2']?.['comment']).toBe('Il prodotto era "rotto" all\'arrivo')
    expect(a['a3']).toMatchObject({ customer_external_id: null }) // an anonymous answer
    // The zod refinement (CSAT is 1–5) comes back with the column and in Italian too.
    expect(r.rejected[0]).toMatchObject({ line: 7 })
    expect(r.rejected[0]!.issues[0]).toMatchObject({
      code: 'invalid_value',
      column: 'score',
      value: '7',
    })
    expect(r.rejected[0]!.issues[0]!.message.it).toContain('CSAT va da 1 a 5')
  })

  it('duplicate header names become name_2 and are reported', () => {
    const r = runImport(fixture('duplicate-headers.csv'))
    expect(r.plan.header).toEqual(['external_id', 'email', 'name', 'email_2', 'phone', 'phone_2'])
    expect(r.issues.map((i) => [i.code, i.column])).toEqual([
      ['duplicate_header', 'email_2'],
      ['duplicate_header', 'phone_2'],
    ])
    expect(byId(recordsOf(r, 'customers'))['c1']).toMatchObject({
      email: 'primary@example.com',
      phone: '111',
    })
  })

  it('trailing empty columns are ignored and blank lines skipped', () => {
    const r = runImport(fixture('trailing-empty-columns.csv'))
    expect(r.plan.header).toEqual(['external_id', 'email', 'name'])
    expect(r.records).toHaveLength(3)
    expect(r.issues).toEqual([])
    expect(r.summary.reader).toMatchObject({ blankLines: 2, dataRows: 3 })
  })

  it('a header on a later line: preamble lines are skipped (detected or given)', () => {
    const bytes = fixture('preamble-header.csv')
    const r = runImport(bytes)
    expect(r.plan.format.headerLine).toBe(4)
    expect(r.summary.reader.preambleLines).toBe(3)
    expect(recordsOf(r, 'orders').map((o) => o['total'])).toEqual([1000, 2050, 525])
    expect(runImport(bytes, { headerLine: 4 }).outputs).toEqual(r.outputs)
    const bad = planImport(bytes, { headerLine: 40 }, true)
    expect(!bad.ok && bad.error[0]!.code).toBe('header_line_out_of_range')
  })

  it('extra non-empty values beyond the header are reported, not silently lost', () => {
    const text = 'external_id,email\nc1,a@b.it,surprise\n'
    const r = runImport(new TextEncoder().encode(text), { entity: 'customers' })
    expect(r.issues.map((i) => [i.code, i.line])).toEqual([['extra_fields', 2]])
  })

  it('tab-separated with old Mac CR line ends and Italian status words', () => {
    const r = runImport(fixture('subscriptions-tab-cr.tsv'))
    expect(r.plan.format.delimiter).toBe('\t')
    const s = byId(recordsOf(r, 'subscriptions'))
    expect(s['s1']).toMatchObject({ status: 'active', interval: 'month', amount: 990 })
    expect(s['s2']).toMatchObject({ status: 'canceled', interval: 'year', amount: 19900 })
    expect(r.rejected[0]!.issues[0]).toMatchObject({
      code: 'value_required',
      line: 4,
      field: 'customer_external_id',
    })
  })

  it('JSON Lines: API-shaped records, derived ids, bad lines reported', () => {
    const r = runImport(fixture('events.jsonl'))
    expect(r.plan.format.kind).toBe('jsonl')
    expect(r.plan.converter.values.amountUnit).toBe('minor')
    const ev = recordsOf(r, 'events')
    expect(ev[0]?.['external_id']).toMatch(/^row-[0-9a-f]{24}$/)
    expect(ev[0]?.['occurred_at']).toBe('2024-06-01T06:00:00Z')
    expect(ev[1]).toMatchObject({ external_id: 'evt-2', properties: { path: '/prezzi' } })
    expect(ev[2]?.['external_id']).toBe(ev[0]?.['external_id']) // the same line twice: one event
    expect(r.issues.map((i) => [i.code, i.line])).toEqual([
      ['invalid_json', 5],
      ['json_not_object', 6],
    ])
    expect(r.rejected[0]).toMatchObject({ line: 4 })
  })
})

describe('dates over the whole file', () => {
  it('an ambiguous day/month order is reported so the caller can require --date-format', () => {
    const bytes = fixture('ambiguous-dates.csv')
    const p = prepare(bytes)
    expect(p.ok).toBe(false)
    if (p.ok) return
    expect(p.errors[0]).toMatchObject({ code: 'date_order_ambiguous', column: 'date', line: 2 })
    expect(p.errors[0]!.message.it).toContain('--date-format')
    const r = runImport(bytes, { dateOrder: 'dmy' })
    expect(recordsOf(r, 'orders').map((o) => o['placed_at'])).toEqual([
      '2024-01-31T23:00:00Z',
      '2024-04-02T22:00:00Z',
      '2024-05-04T22:00:00Z',
      '2024-11-11T23:00:00Z',
    ])
  })

  it('a value with day > 12 anywhere settles it (mm/dd in the Online Retail file)', () => {
    const r = runImport(fixture('online-retail.csv'))
    expect(r.plan.converter.values.dateOrder).toBe('mdy')
  })
})

describe('Online Retail: credit notes, negative quantities, anonymous sales', () => {
  const r = runImport(fixture('online-retail.csv'))
  const orders = byId(recordsOf(r, 'orders'))
  const refunds = Object.fromEntries(r.refunds.map((x) => [x.refund.external_id, x.refund]))

  it('groups the lines of an invoice into one order', () => {
    expect(orders['536365']).toMatchObject({
      customer_external_id: '17850', // "17850.0" from a float column
      placed_at: '2010-12-01T07:26:00Z',
      currency: 'GBP',
      total: 5764,
    })
    expect((orders['536365']?.['lines'] as unknown[]).length).toBe(3)
  })

  it('C invoices become cancellations, never negative revenue', () => {
    expect(refunds['C536379']).toMatchObject({
      kind: 'cancellation',
      amount: 2750,
      customer_external_id: '14527',
    })
    expect(refunds['C536383']?.lines).toEqual([
      {
        sku: '35004C',
        product_name: 'SET OF 3 COLOURED  FLYING DUCKS',
        quantity: 1,
        unit_price: 465,
        line_total: 465,
      },
    ])
    expect(r.summary.cancellations).toBe(2)
    for (const o of Object.values(orders)) expect(o['total']).toBeGreaterThanOrEqual(0)
  })

  it('a negative line inside an invoice refunds that same order', () => {
    expect(orders['537000']).toMatchObject({ total: 1485 })
    expect(refunds['537000:refund']).toMatchObject({
      order_external_id: '537000',
      kind: 'refund',
      amount: 495,
    })
  })

  it('a negative price without customer is an anonymous refund', () => {
    expect(refunds['A563186']).toMatchObject({
      customer_external_id: null,
      amount: 1106206,
      kind: 'refund',
    })
    expect(refunds['A563186']?.lines[0]).toMatchObject({ quantity: 1, line_total: 1106206 })
  })

  it('anonymous rows are counted, not dropped', () => {
    expect(orders['536414']).toMatchObject({ customer_external_id: null })
    expect(orders['536544']).toMatchObject({ customer_external_id: null, total: 753 })
    expect(r.summary.anonymous).toEqual({ records: 2, refunds: 1, rows: 4, firstLines: [8, 9, 14] })
  })

  it('rounds the 0.001 price as the preset says, and counts it', () => {
    expect(r.summary.roundedAmounts).toBe(1)
    expectAccounted(r)
  })
})

describe('shop exports', () => {
  it('Shopify: one row per line item, order fields on the first row', () => {
    const r = runImport(fixture('shopify-orders.csv'))
    expect(r.plan.preset).toMatchObject({ id: 'shopify-orders', detected: true })
    const o = byId(recordsOf(r, 'orders'))
    expect(o['#1001']).toEqual({
      external_id: '#1001',
      customer_external_id: 'giulia.neri@example.it',
      placed_at: '2024-03-09T09:15:42Z',
      status: 'completed',
      refunded_amount: 0,
      currency: 'EUR',
      total: 6390,
      discount: 0,
      shipping: 490,
      tax: 1152,
      channel: 'web',
      lines: [
        {
          sku: 'TSHIRT-BLU-M',
          product_name: 'T-shirt blu - M',
          quantity: 2,
          unit_price: 1950,
          line_total: 3900,
        },
        {
          sku: 'MUG-01',
          product_name: 'Tazza, edizione "limitata"',
          quantity: 1,
          unit_price: 2000,
          line_total: 2000,
        },
      ],
    })
    expect(o['#1002']).toMatchObject({ status: 'refunded', refunded_amount: 2500, total: 2500 })
    expect(o['#1003']).toMatchObject({ status: 'completed', refunded_amount: 3000, discount: 1000 })
    expect((o['#1003']?.['lines'] as unknown[]).length).toBe(3)
    expect(o['#1004']).toMatchObject({ status: 'cancelled' })
    expect(o['#1005']).toMatchObject({
      customer_external_id: null,
      channel: 'pos',
      store: 'Negozio Milano',
    })
    expect(r.summary).toMatchObject({ rows: 8, records: 5, groupedRows: 3 })
    expect(r.records.find((x) => x.record.external_id === '#1003')).toMatchObject({
      line: 5,
      lastLine: 7,
      rows: 3,
    })
  })

  it('WooCommerce: guests fall back to the billing e-mail, statuses mapped', () => {
    const r = runImport(fixture('woocommerce-orders.csv'))
    expect(r.plan.preset?.id).toBe('woocommerce-orders')
    const o = byId(recordsOf(r, 'orders'))
    expect(o['2001']).toMatchObject({
      customer_external_id: '17',
      status: 'completed',
      total: 3990,
    })
    expect(o['2002']).toMatchObject({
      customer_external_id: 'paolo.ricci@example.it',
      discount: 500,
    })
    expect(o['2003']).toMatchObject({ status: 'cancelled' })
    expect(o['2004']).toMatchObject({ status: 'refunded', refunded_amount: 2000 })
    expect((o['2005']?.['lines'] as unknown[]).length).toBe(2)
    expect(o['2006']).toMatchObject({ status: 'cancelled', customer_external_id: null })
  })

  it('Stripe subscriptions: UTC columns, amount × quantity, statuses mapped', () => {
    const r = runImport(fixture('stripe-subscriptions.csv'), { timeZone: 'Europe/Rome' })
    const s = byId(recordsOf(r, 'subscriptions'))
    expect(s['sub_1OaBcDeFgHiJkL01']).toEqual({
      external_id: 'sub_1OaBcDeFgHiJkL01',
      customer_external_id: 'cus_PqR1',
      plan: 'price_1OaPro',
      status: 'active',
      started_at: '2024-01-10T09:12:00Z',
      interval: 'month',
      interval_count: 1,
      quantity: 1,
      amount: 2900,
      currency: 'EUR',
    })
    expect(s['sub_1OaBcDeFgHiJkL02']).toMatchObject({
      status: 'trialing',
      quantity: 5,
      amount: 6250,
      trial_end: '2024-04-08T23:30:00Z',
    })
    expect(s['sub_1OaBcDeFgHiJkL03']).toMatchObject({
      status: 'canceled',
      interval: 'year',
      canceled_at: '2024-02-15T08:00:00Z',
    })
    expect(s['sub_1OaBcDeFgHiJkL05']).toMatchObject({ status: 'past_due' }) // unpaid
    expect(s['sub_1OaBcDeFgHiJkL06']).toMatchObject({ status: 'ended' }) // incomplete_expired
    expect(r.rejected[0]!.issues[0]).toMatchObject({
      code: 'invalid_enum',
      column: 'Interval',
      value: 'fortnight',
    })
  })

  it('Stripe customers: address, locale, bad e-mail dropped with a warning', () => {
    const r = runImport(fixture('stripe-customers.csv'))
    expect(r.plan.preset?.id).toBe('stripe-customers')
    const c = byId(recordsOf(r, 'customers'))
    expect(c['cus_PqR1']).toMatchObject({
      locale: 'it-IT',
      city: 'Torino',
      country: 'IT',
      postcode: '10121',
      created_at: '2024-01-10T09:11:00Z',
    })
    expect(c['cus_PqR2']).toMatchObject({ locale: 'en' })
    expect(c['cus_PqR3']).not.toHaveProperty('email')
    expect(r.summary.warnings).toBe(1)
  })
})

describe('grouping assumption: the rows of one order are adjacent', () => {
  const bytes = fixture('non-adjacent-lines.csv')

  it('the scan refuses a file whose order rows are not adjacent', () => {
    const p = prepare(bytes)
    expect(p.ok).toBe(false)
    if (!p.ok)
      expect(p.errors[0]).toMatchObject({ code: 'rows_not_adjacent', value: 'O1', line: 4 })
  })

  it('forced through, the late rows are rejected, the rest imported', () => {
    const plan = planImport(bytes, {}, true)
    if (!plan.ok) throw new Error('plan')
    const r = runPlan(plan.value, bytes)
    expect(recordsOf(r, 'orders').map((o) => o['external_id'])).toEqual(['O1', 'O2', 'O3'])
    expect(r.rejected[0]).toMatchObject({ line: 4 })
    expect(r.rejected[0]!.issues[0]).toMatchObject({ code: 'rows_not_adjacent', value: 'O1' })
    expectAccounted(r)
  })
})

describe('the plan is plain data', () => {
  it('survives JSON (stored with the import job) and imports the same', () => {
    const bytes = fixture('woocommerce-orders.csv')
    const p = prepare(bytes)
    if (!p.ok) throw new Error('plan')
    const copy = JSON.parse(JSON.stringify(p.plan)) as typeof p.plan
    expect(copy).toEqual(p.plan)
    expect(runPlan(copy, bytes).outputs).toEqual(runPlan(p.plan, bytes).outputs)
  })
})

describe('options', () => {
  it('an explicit mapping overrides the preset and a missing column is an error', () => {
    const bytes = fixture('italian-excel-orders.csv')
    const r = runImport(bytes, { map: { store: null, channel: 'cliente' }, dateOrder: 'dmy' })
    const o = byId(recordsOf(r, 'orders'))['1001']
    expect(o).toMatchObject({ channel: 'Nicolò Bianchi' })
    expect(o).not.toHaveProperty('store')
    const bad = planImport(bytes, { map: { store: 'Filiale' } })
    expect(!bad.ok && bad.error.map((e) => [e.code, e.column])).toEqual([
      ['missing_column', 'Filiale'],
    ])
  })

  it('an unknown preset, time zone or an undetectable file are errors', () => {
    const bytes = fixture('duplicate-headers.csv')
    expect(planImport(bytes, { preset: 'sap' }).ok).toBe(false)
    const tz = planImport(bytes, { timeZone: 'Europe/Roma' })
    expect(!tz.ok && tz.error[0]!.code).toBe('invalid_time_zone')
    const unknown = planImport(new TextEncoder().encode('foo,bar\n1,2\n'), {}, true)
    expect(!unknown.ok && unknown.error[0]!.code).toBe('preset_not_detected')
    expect(planImport('', {}, true).ok).toBe(false)
  })
})
