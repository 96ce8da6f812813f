import { describe, expect, it } from 'vitest'
import { fixture, recordsOf, runImport } from './fixtures/test-harness.ts'

describe('Stripe amounts: in the currency, with the ISO 4217 digits of each row', () => {
  const r = runImport(fixture('stripe-subscriptions-currencies.csv'))

  it('converts EUR (2 digits), JPY and CLP (0), KWD (3) to minor units; Amount is per unit', () => {
    expect(r.plan.preset?.id).toBe('stripe-subscriptions')
    expect(r.plan.converter.values.amountUnit).toBe('major')
    expect(recordsOf(r, 'subscriptions').map((s) => [s['external_id'], s['currency'], s['quantity'], s['amount']])).toEqual([
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
