import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importFile } from '../../src/services/import.service.ts'
import { DIALECTS, freshDatabase, type TestDatabase } from '../databases.ts'
import { TEST_TMP } from '../paths.ts'

const FIXTURES = fileURLToPath(new URL('../../../core/src/import/fixtures/', import.meta.url))

type Row = {
  external_id: string
  email: string | null
  name: string | null
  phone: string | null
  city: string | null
  region: string | null
  postcode: string | null
  country: string | null
  birthday: string | null
  tags: string[]
  attributes: Record<string, unknown>
  consent_marketing_email: boolean | null
  change_seq: number
}

async function customers(db: TestDatabase): Promise<Record<string, Row>> {
  const r = await sql<Row>`
    select external_id, email, name, phone, city, region, postcode, country, birthday::text as birthday,
      tags, attributes, consent_marketing_email, change_seq
    from customers order by external_id`.execute(db.db)
  return Object.fromEntries(r.rows.map((x) => [x.external_id, x]))
}

describe.each(DIALECTS)('customers from the rows of an orders export on %s', (kind) => {
  let db: TestDatabase
  beforeAll(async () => {
    db = await freshDatabase(kind)
  })
  afterAll(() => db.close())

  it('Shopify: creates and updates customers from the orders file, keeping what a customers file gave', async () => {
    // A customers file first: birthday and tags that no order export carries.
    const people = `${TEST_TMP}customers-${kind}-${process.pid}.csv`
    writeFileSync(people, 'external_id,email,name,birthday,tags\ngiulia.neri@example.it,giulia.neri@example.it,Giulia Neri,1990-05-17,vip\n')
    const first = await importFile(db.db, { path: people, entity: 'customers', options: {} })
    expect(first).toMatchObject({ committed: true, inserted: 1 })

    const path = `${FIXTURES}shopify-orders-customers.csv`
    const r = await importFile(db.db, { path, entity: 'orders', options: {} })
    expect(r).toMatchObject({ committed: true, preset: 'shopify-orders', inserted: 4, anonymous_sales: 1, customers_created: 0 })
    // Giulia existed (updated, once: her two orders are folded), Marco is new.
    expect(r.customers_from_orders).toEqual({ inserted: 1, updated: 1, unchanged: 0 })
    const c = await customers(db)
    expect(Object.keys(c)).toEqual(['giulia.neri@example.it', 'marco.rossi@example.it'])
    expect(c['giulia.neri@example.it']).toMatchObject({
      name: 'Giulia Neri',
      email: 'giulia.neri@example.it',
      // The later order's billing address wins.
      city: 'Milano',
      region: 'MI',
      postcode: '20124',
      country: 'IT',
      phone: '+39 051 123456', // only on the first order: kept
      attributes: { address: 'Corso Buenos Aires 5' },
      consent_marketing_email: true,
      birthday: '1990-05-17', // from the customers file, not erased
      tags: ['vip'],
    })
    expect(c['marco.rossi@example.it']).toMatchObject({ name: 'Marco Rossi', city: 'Torino', consent_marketing_email: false })
    const linked = await sql<{ n: number }>`
      select count(*)::int as n from orders o join customers c on c.id = o.customer_id
      where c.external_id = 'giulia.neri@example.it'`.execute(db.db)
    expect(linked.rows[0]!.n).toBe(2)

    // Idempotent: the same orders file, then the same customers file, change nothing.
    const again = await importFile(db.db, { path, entity: 'orders', options: {} })
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 4 })
    expect(again.customers_from_orders).toEqual({ inserted: 0, updated: 0, unchanged: 2 })
    const back = await importFile(db.db, { path: people, entity: 'customers', options: {} })
    expect(back).toMatchObject({ inserted: 0, updated: 0, unchanged: 1 })
    const after = await customers(db)
    expect(after['giulia.neri@example.it']!.change_seq).toBe(c['giulia.neri@example.it']!.change_seq)
    expect(after['marco.rossi@example.it']!.change_seq).toBe(c['marco.rossi@example.it']!.change_seq)
  })

  it('WooCommerce: user id, or the e-mail for a guest; a dry run writes no customer', async () => {
    const path = `${FIXTURES}woocommerce-orders-customers.csv`
    const dry = await importFile(db.db, { path, entity: 'orders', options: {}, dryRun: true })
    expect(dry).toMatchObject({ committed: false, records: 3 })
    expect(await customers(db)).not.toHaveProperty('17')
    const r = await importFile(db.db, { path, entity: 'orders', options: {} })
    expect(r).toMatchObject({ committed: true, preset: 'woocommerce-orders', inserted: 3 })
    expect(r.customers_from_orders).toEqual({ inserted: 2, updated: 0, unchanged: 0 })
    const c = await customers(db)
    expect(c['17']).toMatchObject({ name: 'Sara Colombo-Bianchi', email: 'sara@example.it', phone: '+39 02 555 0101', city: 'Milano', region: 'MI', postcode: '20121', country: 'IT' })
    expect(c['paolo.ricci@example.it']).toMatchObject({ name: 'Paolo Ricci', email: 'paolo.ricci@example.it', city: 'Napoli' })
  })

  it('a rejected order in all-or-nothing mode writes no customer either', async () => {
    const path = `${TEST_TMP}woo-bad-${kind}-${process.pid}.csv`
    writeFileSync(
      path,
      '"Order ID","Order Date","Order Status","Customer User","Billing First Name","Billing Last Name","Billing Email","Billing City","Order Currency","Order Total"\n' +
        '"4001","2024-05-02 14:03:11","completed","99","Nina","Verdi","nina@example.it","Roma","EUR","10.00"\n' +
        '"4002","2024-13-02 14:03:11","completed","98","Ugo","Neri","ugo@example.it","Pisa","EUR","10.00"\n',
    )
    const r = await importFile(db.db, { path, entity: 'orders', options: {} })
    expect(r).toMatchObject({ committed: false, rejected_rows: 1 })
    expect(await customers(db)).not.toHaveProperty('99')
  })
})
