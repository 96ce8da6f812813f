import { describe, expect, it } from 'vitest'
import { fixture, recordsOf, runImport } from './fixtures/test-harness.ts'

describe('Stripe amounts: in the currency, with the ISO 4217 digits of each row', () => {
  const r = runImport(fixture('stripe-subscriptions-currencies.csv'))

  it('converts EUR (2 digits), JPY and CLP (0), KWD (3) to minor units; Amount is per unit', () => {
    expect(r.plan.preset?.id).toBe('stripe-subscriptions')
    expect(r.plan.converter.values.amountUnit).toBe('major')
    expect(
      recordsOf(r, 'subscriptions').map((s) => [
        s['external_id'],
        s['currency'],
        s['quantity'],
        s['amount'],
      ]),
    ).toEqual([
      ['sub_jpy1', 'JPY', 1, 1500], // ¥1,500 is 1500 minor units: the yen has no subunit
      ['sub_jpy2', 'JPY', 3, 3600], // 1200.00 × 3: trailing zeros are not decimals
      ['sub_kwd1', 'KWD', 1, 5125], // 5.125 KWD = 5125 fils
      ['sub_eur1', 'EUR', 2, 2468], // 12.34 × 2
      ['sub_clp1', 'CLP', 1, 9990], // "9,990": thousands comma in a dot-decimal export
    ])
  })

  it('rejects a fraction of a yen instead of reading 1500.50 as 150050', () => {
    expect(r.rejected).toHaveLength(1)
    expect(r.rejected[0]!.issues[0]).toMatchObject({
      code: 'too_many_decimals',
      line: 7,
      column: 'Amount',
      value: '1500.50',
    })
  })

  it('reads integers as minor units only when told (amountUnit minor, e.g. API or Sigma exports)', () => {
    const text =
      'id,Customer ID,Status,Plan,Quantity,Currency,Interval,Amount,Created (UTC)\n' +
      'sub_a,cus_a,active,Pro,1,eur,month,1234,2024-01-10 09:12\n' +
      'sub_b,cus_b,active,Pro,1,jpy,month,1500,2024-01-10 09:12\n'
    const minor = runImport(new TextEncoder().encode(text), { amountUnit: 'minor' })
    expect(recordsOf(minor, 'subscriptions').map((s) => s['amount'])).toEqual([1234, 1500])
    const major = runImport(new TextEncoder().encode(text))
    expect(recordsOf(major, 'subscriptions').map((s) => s['amount'])).toEqual([123_400, 1500])
  })
})

describe('order exports also describe their customers (customer.* fields)', () => {
  const customersOf = (r: ReturnType<typeof runImport>) =>
    r.records
      .filter((o) => o.entity === 'customers')
      .map((o) => ({ derived: o.derived, ...o.record }))

  it('Shopify: e-mail as id, billing data (shipping when billing is empty), Accepts Marketing', () => {
    const r = runImport(fixture('shopify-orders-customers.csv'))
    expect(r.plan.preset?.id).toBe('shopify-orders')
    // Each derived customer comes just before its order; the POS sale (#2002) has none.
    expect(r.records.map((o) => `${o.entity}:${String(o.record.external_id)}`)).toEqual([
      'customers:giulia.neri@example.it',
      'orders:#2001',
      'orders:#2002',
      'customers:marco.rossi@example.it',
      'orders:#2003',
      'customers:giulia.neri@example.it',
      'orders:#2004',
    ])
    expect(customersOf(r)[0]).toEqual({
      derived: true,
      external_id: 'giulia.neri@example.it',
      email: 'Giulia.Neri@example.it',
      name: 'Giulia Neri',
      phone: '+39 051 123456',
      country: 'IT',
      region: 'BO',
      city: 'Bologna',
      postcode: '40121',
      attributes: { address: 'Via Indipendenza 12' },
      consent: { marketing_email: { granted: true } },
    })
    expect(customersOf(r)[1]).toMatchObject({
      name: 'Marco Rossi',
      city: 'Torino',
      consent: { marketing_email: { granted: false } },
    })
    expect(customersOf(r)[2]).toMatchObject({ city: 'Milano', postcode: '20124' })
    // Rows are counted once, by the orders: derived customers are extra outputs.
    expect(r.summary).toMatchObject({ rows: 5, records: 4, rowsInRecords: 5, derivedCustomers: 3 })
    expect(r.summary.anonymous.records).toBe(1)
    expect(r.plan.unmappedColumns).not.toContain('Billing City')
  })

  it('WooCommerce: customer user id, or the e-mail for a guest; first + last name', () => {
    const r = runImport(fixture('woocommerce-orders-customers.csv'))
    expect(customersOf(r).map((c) => [c.external_id, c.name, c.city, c.country])).toEqual([
      ['17', 'Sara Colombo', 'Milano', 'IT'],
      ['paolo.ricci@example.it', 'Paolo Ricci', 'Napoli', 'IT'],
      ['17', 'Sara Colombo-Bianchi', 'Milano', 'IT'], // "Italia" read as IT
    ])
    expect(r.summary.records).toBe(3)
  })

  it('a generic orders file gets the same with --map customer.city=…', () => {
    const text =
      'order_id,date,customer_id,total,currency,città,email\nA1,2024-01-02,C1,10.00,EUR,Pisa,c1@example.it\n'
    const r = runImport(new TextEncoder().encode(text), {
      map: { 'customer.city': 'città', 'customer.email': 'email' },
    })
    expect(customersOf(r)).toEqual([
      { derived: true, external_id: 'C1', city: 'Pisa', email: 'c1@example.it' },
    ])
  })
})

describe('Stripe payments export', () => {
  const r = runImport(fixture('stripe-payments.csv'))

  it('is detected, and every charge becomes an order with its refunded part; failed ones are not sales', () => {
    expect(r.plan.preset).toMatchObject({ id: 'stripe-payments', detected: true })
    expect(
      recordsOf(r, 'orders').map((o) => [
        o['external_id'],
        o['customer_external_id'],
        o['status'],
        o['total'],
        o['refunded_amount'],
        o['currency'],
      ]),
    ).toEqual([
      ['ch_3OaA1', 'cus_PqR1', 'completed', 6390, 0, 'EUR'],
      ['ch_3OaA2', 'cus_PqR2', 'completed', 2500, 1000, 'EUR'], // partially refunded
      ['ch_3OaA3', 'cus_PqR1', 'refunded', 4000, 4000, 'EUR'],
      ['ch_3OaA4', 'cus_PqR3', 'cancelled', 1990, 0, 'EUR'], // failed
      ['ch_3OaA5', null, 'completed', 1500, 0, 'JPY'], // ¥1,500; no customer: anonymous
    ])
    expect(recordsOf(r, 'orders')[0]!['placed_at']).toBe('2024-03-09T09:15:00Z') // (UTC) column
    expect(r.summary.anonymous.records).toBe(1)
    expect(recordsOf(r, 'customers')[0]).toMatchObject({
      external_id: 'cus_PqR1',
      email: 'anna@example.it',
      name: 'Anna Bianchi',
      city: 'Bologna',
    })
  })

  it('does not take the other Stripe exports', () => {
    expect(runImport(fixture('stripe-subscriptions.csv')).plan.preset?.id).toBe(
      'stripe-subscriptions',
    )
    expect(runImport(fixture('stripe-customers.csv')).plan.preset?.id).toBe('stripe-customers')
  })
})
