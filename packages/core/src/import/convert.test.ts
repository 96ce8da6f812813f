import { describe, expect, it } from 'vitest'
import { ZOrderRecord } from '../records/schemas.ts'
import { recordsOf, runImport } from './fixtures/test-harness.ts'
import type { ImportProfile } from './mapping.ts'
import { applyRefund } from './refunds.ts'
import { HashSet53, hash53 } from './convert.ts'

const utf8 = (s: string) => new TextEncoder().encode(s)

describe('tickets and subscription changes (generic presets)', () => {
  it('maps channel, status and priority words in both languages; anonymous tickets kept', () => {
    const r = runImport(
      utf8(
        'ticket_id,customer_id,channel,subject,opened_at,resolved_at,status,priority,satisfaction\n' +
          't1,c1,WhatsApp,Reso,2024-05-01 09:00,2024-05-01 10:30,risolto,alta,5\n' +
          't2,,live chat,Info,2024-05-02 09:00,,new,,\n' +
          't3,c2,piccione,?,2024-05-03 09:00,,open,,\n',
      ),
    )
    expect(r.plan.preset?.id).toBe('generic-tickets')
    expect(recordsOf(r, 'tickets')).toEqual([
      {
        external_id: 't1',
        customer_external_id: 'c1',
        channel: 'messaging',
        subject: 'Reso',
        opened_at: '2024-05-01T07:00:00Z',
        resolved_at: '2024-05-01T08:30:00Z',
        status: 'resolved',
        priority: 'high',
        satisfaction: 5,
      },
      {
        external_id: 't2',
        customer_external_id: null,
        channel: 'chat',
        subject: 'Info',
        opened_at: '2024-05-02T07:00:00Z',
        status: 'open',
        priority: 'normal',
      },
    ])
    expect(r.summary.anonymous.records).toBe(1)
    expect(r.rejected[0]!.issues[0]).toMatchObject({
      code: 'invalid_enum',
      column: 'channel',
      value: 'piccione',
    })
    expect(r.rejected[0]!.issues[0]!.message.it).toContain('valori ammessi: email, chat')
  })

  it('derives stable ids for subscription changes without one', () => {
    const text =
      'subscription_id,changed_at,plan,quantity,amount,currency\nsub1,2024-02-01,Pro,3,"59,70",EUR\n'
    const a = recordsOf(runImport(utf8(text)), 'subscription_changes')
    const b = recordsOf(runImport(utf8(text)), 'subscription_changes')
    expect(a[0]).toMatchObject({
      subscription_external_id: 'sub1',
      quantity: 3,
      amount: 5970,
      plan: 'Pro',
    })
    expect(a[0]?.['external_id']).toBe(b[0]?.['external_id'])
  })

  it('events take unmapped columns as properties', () => {
    const r = runImport(
      utf8('customer_id,event,timestamp,page,device\nc1,view,2024-01-01T10:00:00Z,/home,ios\n'),
    )
    expect(recordsOf(r, 'events')[0]).toMatchObject({
      properties: { page: '/home', device: 'ios' },
    })
  })

  it('an event without a customer is rejected (events need one)', () => {
    const r = runImport(utf8('customer_id,event,timestamp\n,view,2024-01-01T10:00:00Z\n'))
    expect(r.rejected[0]!.issues[0]!.code).toBe('value_required')
  })
})

describe('order grouping', () => {
  it('continuation rows without the order id join the open order', () => {
    const r = runImport(
      utf8(
        'order_id,date,customer_id,sku,quantity,unit_price,currency\n' +
          'O1,2024-06-01,C1,A,1,10.00,EUR\n' +
          ',,,B,2,2.50,\n' +
          'O2,2024-06-02,C2,A,1,10.00,EUR\n',
      ),
    )
    const o = recordsOf(r, 'orders')
    expect(o.map((x) => [x['external_id'], x['total'], (x['lines'] as unknown[]).length])).toEqual([
      ['O1', 1500, 2],
      ['O2', 1000, 1],
    ])
    expect(r.summary.groupedRows).toBe(1)
  })

  it('a bad line rejects the whole order (its totals would be wrong), with every problem', () => {
    const r = runImport(
      utf8(
        'order_id,date,customer_id,sku,quantity,unit_price,currency\n' +
          'O1,2024-06-01,C1,A,1,10.00,EUR\n' +
          'O1,2024-06-01,C1,B,due,abc,EUR\n' +
          'O2,2024-06-02,C2,A,1,10.00,EUR\n',
      ),
    )
    expect(recordsOf(r, 'orders').map((x) => x['external_id'])).toEqual(['O2'])
    expect(r.rejected[0]).toMatchObject({ line: 2, lastLine: 3, rows: 2 })
    expect(r.rejected[0]!.issues.map((i) => [i.code, i.line, i.column])).toEqual([
      ['invalid_number', 3, 'quantity'],
      ['invalid_number', 3, 'unit_price'],
    ])
  })

  it('a missing order id is rejected, not merged into the previous order', () => {
    const r = runImport(
      utf8(
        'order_id,date,customer_id,total,currency\nO1,2024-06-01,C1,10,EUR\n,2024-06-01,C1,5,EUR\n',
      ),
    )
    expect(r.rejected[0]!.issues[0]).toMatchObject({
      code: 'value_required',
      field: 'external_id',
      line: 3,
    })
  })

  it('refunded_amount above the total is refused by the schema, in both languages', () => {
    const r = runImport(
      utf8('order_id,date,total,refunded_amount,currency\nO1,2024-06-01,10,12,EUR\n'),
    )
    const issue = r.rejected[0]!.issues[0]!
    expect(issue).toMatchObject({
      code: 'invalid_value',
      field: 'refunded_amount',
      column: 'refunded_amount',
    })
    expect(issue.message.it).toContain('non può superare il totale')
  })
})

describe('applying refunds', () => {
  const order = ZOrderRecord.parse({
    external_id: '536365',
    customer_external_id: '17850',
    placed_at: '2010-12-01T07:26:00Z',
    currency: 'GBP',
    total: 5764,
  })

  it('a partial refund raises refunded_amount; a full cancellation cancels the order', () => {
    const base = {
      order_external_id: '536365',
      customer_external_id: '17850',
      refunded_at: '2010-12-02T00:00:00Z',
      currency: 'GBP',
      lines: [],
    }
    const part = applyRefund(order, { ...base, external_id: 'C1', kind: 'refund', amount: 1000 })
    expect(part).toEqual({
      ok: true,
      value: { order: { ...order, refunded_amount: 1000 }, excess: 0 },
    })
    if (!part.ok) return
    const rest = applyRefund(part.value.order, {
      ...base,
      external_id: 'C2',
      kind: 'cancellation',
      amount: 5000,
    })
    expect(rest).toEqual({
      ok: true,
      value: { order: { ...order, refunded_amount: 5764, status: 'cancelled' }, excess: 236 },
    })
    expect(
      applyRefund(order, {
        ...base,
        external_id: 'C3',
        kind: 'refund',
        amount: 1,
        currency: 'EUR',
      }),
    ).toEqual({
      ok: false,
      error: 'currency_mismatch',
    })
  })
})

describe('profiles and options', () => {
  it('a saved profile drives a file no preset knows (gestionale export, header on line 3)', () => {
    const profile: ImportProfile = {
      name: 'Gestionale',
      entity: 'orders',
      format: { delimiter: ';', header: 3 },
      mapping: {
        external_id: 'N. doc.',
        placed_at: 'Data doc.',
        customer_external_id: { columns: ['Cod. cliente'], transform: 'upper' },
        total: 'Tot. documento',
      },
      values: { decimalSeparator: ',', dateOrder: 'dmy', currency: 'EUR' },
    }
    const text =
      'Ditta Rossi srl;;;\nStampa del 01/07/2024;;;\nN. doc.;Data doc.;Cod. cliente;Tot. documento\n77;01/07/2024;c9;1.000,00\n'
    const r = runImport(utf8(text), { profile })
    expect(recordsOf(r, 'orders')).toEqual([
      {
        external_id: '77',
        customer_external_id: 'C9',
        placed_at: '2024-06-30T22:00:00Z',
        status: 'completed',
        refunded_amount: 0,
        currency: 'EUR',
        total: 100000,
        discount: 0,
        shipping: 0,
        tax: 0,
      },
    ])
  })

  it('a profile with conventions only still gets a detected preset', () => {
    const text = 'numero_ordine;data_ordine;totale\n1;03/04/2024;1.000\n'
    const r = runImport(utf8(text), {
      profile: {
        entity: 'orders',
        values: { dateOrder: 'dmy', decimalSeparator: ',', currency: 'EUR' },
      },
    })
    expect(r.plan.preset?.id).toBe('generic-orders')
    expect(recordsOf(r, 'orders')[0]).toMatchObject({
      total: 100000,
      placed_at: '2024-04-02T22:00:00Z',
    })
  })

  it('rounding can be asked for, and is counted', () => {
    const text = 'order_id,date,total,currency\nO1,2024-06-01,10.005,EUR\n'
    expect(runImport(utf8(text)).rejected[0]!.issues[0]!.code).toBe('too_many_decimals')
    const r = runImport(utf8(text), { rounding: 'half-up' })
    expect(recordsOf(r, 'orders')[0]?.['total']).toBe(1001)
    expect(r.summary.roundedAmounts).toBe(1)
  })

  it('amounts already in minor units', () => {
    const r = runImport(utf8('order_id,date,total,currency\nO1,2024-06-01,1250,EUR\n'), {
      amountUnit: 'minor',
    })
    expect(recordsOf(r, 'orders')[0]?.['total']).toBe(1250)
  })

  it('JSON Lines in the API shape: amounts in cents, nested lines, consent and messages kept', () => {
    const lines = [{ sku: 'A', quantity: 2, unit_price: 495, line_total: 990 }]
    const order = {
      external_id: 'J1',
      customer_external_id: 'c1',
      placed_at: '2024-01-01T10:00:00Z',
      currency: 'EUR',
      total: 990,
      lines,
    }
    const r = runImport(utf8(`${JSON.stringify(order)}\n`), { entity: 'orders' })
    expect(recordsOf(r, 'orders')[0]).toMatchObject({ external_id: 'J1', total: 990, lines })
    const customer = {
      external_id: 'c1',
      email: 'a@b.it',
      consent: { marketing_email: { granted: true } },
    }
    const c = runImport(utf8(`${JSON.stringify(customer)}\n`), { entity: 'customers' })
    expect(recordsOf(c, 'customers')[0]).toEqual(customer)
    const messages = [{ at: '2024-01-01T10:00:00Z', author: 'customer', body: 'Ciao' }]
    const ticket = {
      external_id: 't1',
      customer_external_id: 'c1',
      channel: 'chat',
      opened_at: '2024-01-01T10:00:00Z',
      status: 'open',
      messages,
    }
    const t = runImport(utf8(`${JSON.stringify(ticket)}\n`), { entity: 'tickets' })
    expect(recordsOf(t, 'tickets')[0]).toMatchObject({ messages })
  })

  it('lists the columns or keys no field reads', () => {
    const r = runImport(utf8('order_id,date,total,currency,nota\nO1,2024-06-01,10,EUR,x\n'))
    expect(r.plan.unmappedColumns).toEqual(['nota'])
    const j = runImport(utf8('{"external_id":"c1","colore":"blu"}\n'), { entity: 'customers' })
    expect(j.plan.unmappedColumns).toEqual(['colore'])
  })
})

describe('refund rows that name their order', () => {
  it('are refunds whatever the sign of the amount (refund exports write positive amounts)', () => {
    const r = runImport(
      utf8(
        'order_id,refund_of,date,customer_id,total,currency\n' +
          're_1,ch_1,2024-04-05 09:00,cus_1,12.50,EUR\n' +
          're_2,ch_2,2024-04-06 09:00,cus_2,-3.00,EUR\n' +
          'ch_3,,2024-04-07 09:00,cus_3,20.00,EUR\n',
      ),
    )
    expect(
      r.refunds.map((x) => [x.refund.external_id, x.refund.order_external_id, x.refund.amount]),
    ).toEqual([
      ['re_1', 'ch_1', 1250],
      ['re_2', 'ch_2', 300],
    ])
    expect(recordsOf(r, 'orders').map((o) => [o['external_id'], o['total']])).toEqual([
      ['ch_3', 2000],
    ])
    expect(r.summary).toMatchObject({ rows: 3, rowsInRefunds: 2, rowsInRecords: 1 })
  })
})

describe('HashSet53 (the scan pass order-id set)', () => {
  it('answers "seen before" exactly across growth, including the hash 0', () => {
    const set = new HashSet53()
    const ids = Array.from({ length: 50_000 }, (_, i) => hash53(`order-${i}`))
    expect(set.add(0)).toBe(false)
    expect(set.add(0)).toBe(true)
    for (const h of ids) expect(set.add(h)).toBe(false)
    for (const h of ids) expect(set.add(h)).toBe(true)
    expect(set.add(hash53('order-50000'))).toBe(false)
  })
})
