import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importFile } from '../../src/services/import.service.ts'
import { DIALECTS, freshDatabase, type TestDatabase } from '../databases.ts'
import { TEST_TMP } from '../paths.ts'

const FIXTURES = fileURLToPath(new URL('../../../core/src/import/fixtures/', import.meta.url))
const ORDERS = `${FIXTURES}refunds-later-orders.csv`
const REFUNDS = `${FIXTURES}refunds-later-refunds.csv`
const ORDERS_2 = `${FIXTURES}refunds-later-orders-2.csv`

type OrderState = { external_id: string; status: string; total: number; refunded_amount: number; change_seq: number }

async function orders(db: TestDatabase): Promise<Record<string, OrderState>> {
  const r = await sql<OrderState>`
    select external_id, status, total, refunded_amount, change_seq from orders order by external_id`.execute(db.db)
  return Object.fromEntries(r.rows.map((o) => [o.external_id, o]))
}

const state = (o: Record<string, OrderState>) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, `${v.status} ${v.refunded_amount}/${v.total}`]))

describe.each(DIALECTS)('refunds in a later file on %s', (kind) => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await freshDatabase(kind)
  })
  afterAll(() => db.close())

  it('update their orders once, survive re-imports of either file, and wait for an order not yet imported', async () => {
    const o = await importFile(db.db, { path: ORDERS, entity: 'orders', options: {} })
    expect(o).toMatchObject({ committed: true, inserted: 3 })

    const r = await importFile(db.db, { path: REFUNDS, entity: 'orders', options: {} })
    expect(r).toMatchObject({ committed: true, records: 0, inserted: 0 })
    expect(r.refunds).toEqual({ found: 3, applied: 2, unmatched: 0, already_applied: 0, pending: 1 })
    const afterRefunds = await orders(db)
    // Never negative revenue: the refund rows are not orders, they change the orders they name.
    expect(state(afterRefunds)).toEqual({
      '5001': 'completed 1000/3000', // partial refund
      '5002': 'refunded 2000/2000', // full refund
      '5003': 'completed 0/5000',
    })

    // The same refunds file again: nothing is refunded twice.
    const r2 = await importFile(db.db, { path: REFUNDS, entity: 'orders', options: {} })
    expect(r2.refunds).toEqual({ found: 3, applied: 0, unmatched: 0, already_applied: 3, pending: 0 })
    expect(await orders(db)).toEqual(afterRefunds)

    // The orders file again: its rows say nothing of the refunds, which are kept; nothing changes.
    const o2 = await importFile(db.db, { path: ORDERS, entity: 'orders', options: {} })
    expect(o2).toMatchObject({ inserted: 0, updated: 0, unchanged: 3 })
    expect(await orders(db)).toEqual(afterRefunds)

    // The order the third refund names arrives later: the waiting refund is applied to it.
    const late = await importFile(db.db, { path: ORDERS_2, entity: 'orders', options: {} })
    expect(late).toMatchObject({ inserted: 1 })
    expect(state(await orders(db))['5009']).toBe('completed 500/1500')
    const lateAgain = await importFile(db.db, { path: ORDERS_2, entity: 'orders', options: {} })
    expect(lateAgain).toMatchObject({ inserted: 0, updated: 0, unchanged: 1 })

    const ledger = await sql<{ n: number }>`select count(*)::int as n from order_refunds`.execute(db.db)
    expect(ledger.rows[0]!.n).toBe(3)
    const negative = await sql<{ n: number }>`select count(*)::int as n from orders where total < 0 or refunded_amount > total`.execute(db.db)
    expect(negative.rows[0]!.n).toBe(0)
  })

  it('a file holding an order and, in a later batch-independent row, its refund, applies it once', async () => {
    // The refund and its order in the same file (applied in memory), then a second refund of the
    // same order in another file (applied in the database), then the first file again.
    const both = `${TEST_TMP}refund-both-${kind}-${process.pid}.csv`
    writeFileSync(
      both,
      'order_id,refund_of,date,customer_id,total,currency\n' +
        '6001,,2024-05-01 10:00,C6,40.00,EUR\n' +
        'R-6001a,6001,2024-05-02 10:00,C6,-5.00,EUR\n',
    )
    const more = `${TEST_TMP}refund-more-${kind}-${process.pid}.csv`
    writeFileSync(more, 'order_id,refund_of,date,customer_id,total,currency\nR-6001b,6001,2024-05-03 10:00,C6,-35.00,EUR\n')
    const a = await importFile(db.db, { path: both, entity: 'orders', options: {} })
    expect(a.refunds).toMatchObject({ found: 1, applied: 1 })
    expect(state(await orders(db))['6001']).toBe('completed 500/4000')
    const b = await importFile(db.db, { path: more, entity: 'orders', options: {} })
    expect(b.refunds).toMatchObject({ applied: 1 })
    expect(state(await orders(db))['6001']).toBe('refunded 4000/4000')
    const seq = (await orders(db))['6001']!.change_seq
    const again = await importFile(db.db, { path: both, entity: 'orders', options: {} })
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 1 })
    expect((await orders(db))['6001']).toMatchObject({ refunded_amount: 4000, status: 'refunded', change_seq: seq })
  })

  it('a refunds export with positive amounts refunds, never sells', async () => {
    const charges = `${TEST_TMP}charges-${kind}-${process.pid}.csv`
    writeFileSync(charges, 'order_id,date,customer_id,total,currency\nch_7,2024-06-01 10:00,cus_7,30.00,EUR\n')
    const refunds = `${TEST_TMP}stripe-refunds-${kind}-${process.pid}.csv`
    writeFileSync(
      refunds,
      'id,Charge ID,Created (UTC),Amount,Currency\nre_7,ch_7,2024-06-03 10:00,10.00,eur\n',
    )
    await importFile(db.db, { path: charges, entity: 'orders', options: {} })
    const map = { external_id: 'id', refund_of: 'Charge ID', total: 'Amount', currency: 'Currency', placed_at: 'Created (UTC)' }
    const r = await importFile(db.db, { path: refunds, entity: 'orders', options: { preset: 'none', map } })
    expect(r).toMatchObject({ committed: true, records: 0, refunds: { found: 1, applied: 1 } })
    const o = await orders(db)
    expect(state(o)['ch_7']).toBe('completed 1000/3000')
    expect(o).not.toHaveProperty('re_7')
  })

  it('Stripe payments: a refund made later arrives in the next export of the charge, as an update', async () => {
    const first = await importFile(db.db, { path: `${FIXTURES}stripe-payments.csv`, entity: 'orders', options: {} })
    expect(first).toMatchObject({ committed: true, preset: 'stripe-payments', inserted: 5, anonymous_sales: 1 })
    expect(first.customers_from_orders).toMatchObject({ inserted: 3 })
    const later = `${TEST_TMP}stripe-payments-later-${kind}-${process.pid}.csv`
    const text = readFileSync(`${FIXTURES}stripe-payments.csv`, 'utf8').replace(
      '2024-03-09 09:15,63.90,0.00,eur,63.90,0.00,2.08,0.00,eur,Paid',
      '2024-03-09 09:15,63.90,63.90,eur,63.90,63.90,2.08,0.00,eur,Refunded',
    )
    writeFileSync(later, text)
    const second = await importFile(db.db, { path: later, entity: 'orders', options: {} })
    expect(second).toMatchObject({ inserted: 0, updated: 1, unchanged: 4 })
    const o = state(await orders(db))
    expect(o['ch_3OaA1']).toBe('refunded 6390/6390')
    expect(o['ch_3OaA2']).toBe('completed 1000/2500')
    expect(o['ch_3OaA4']).toBe('cancelled 0/1990')
  })

  it('a dry run or a rolled-back file stores no refund', async () => {
    const bad = `${TEST_TMP}refund-bad-${kind}-${process.pid}.csv`
    writeFileSync(
      bad,
      'order_id,refund_of,date,customer_id,total,currency\nR-5003,5003,2024-04-05 09:00,C3,-10.00,EUR\nR-x,5003,2024-13-05 09:00,C3,-1.00,EUR\n',
    )
    const dry = await importFile(db.db, { path: REFUNDS, entity: 'orders', options: {}, dryRun: true })
    expect(dry.committed).toBe(false)
    const rolled = await importFile(db.db, { path: bad, entity: 'orders', options: {} })
    expect(rolled).toMatchObject({ committed: false, rejected_rows: 1 })
    expect(state(await orders(db))['5003']).toBe('completed 0/5000')
    const ledger = await sql<{ n: number }>`select count(*)::int as n from order_refunds where order_external_id = '5003'`.execute(db.db)
    expect(ledger.rows[0]!.n).toBe(0)
  })
})
