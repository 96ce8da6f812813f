import { RECORD_SCHEMAS } from '@fedele/core'
import { sql, type Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DB } from '../../src/db/schema.ts'
import { resolveIds } from '../../src/repositories/facts.repository.ts'
import { upsertBatch } from '../../src/services/ingest.service.ts'
import { DIALECTS, freshDatabase, type TestDatabase } from '../databases.ts'

/**
 * The batch write path (issue 2/3 performance work): counts instead of returned rows, order
 * lines found by external id, bare customers resolved and created in one statement. Each
 * guarantee checked against the rows themselves, on every database.
 */
const order = (id: string, customer: string, lines: { sku: string; q: number }[], total = 1000) =>
  RECORD_SCHEMAS.orders.parse({
    external_id: id,
    customer_external_id: customer,
    placed_at: '2025-03-01T10:00:00Z',
    currency: 'EUR',
    total,
    lines: lines.map((l) => ({ sku: l.sku, quantity: l.q, unit_price: 100, line_total: 100 * l.q })),
  }) as unknown as Record<string, unknown>

async function linesOf(db: Kysely<DB>, orderExternalId: string) {
  const r = await sql<{ line_no: number; sku: string; quantity: number; change_seq: number }>`
    select l.line_no, l.sku, l.quantity, l.change_seq from order_lines l join orders o on o.id = l.order_id
    where o.external_id = ${orderExternalId} order by l.line_no`.execute(db)
  return r.rows
}

describe.each(DIALECTS)('batch upsert on %s', (kind) => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await freshDatabase(kind)
  })
  afterAll(async () => {
    await t.close()
  })

  it('counts inserted / updated / unchanged and replaces the lines of updated orders only', async () => {
    const first = await upsertBatch(
      t.db,
      'orders',
      [order('w1', 'wc1', [{ sku: 'A', q: 1 }, { sku: 'B', q: 2 }]), order('w2', 'wc2', [{ sku: 'C', q: 1 }])],
      { createCustomers: true },
    )
    expect(first.summary).toMatchObject({ received: 2, inserted: 2, updated: 0, unchanged: 0, customers_created: 2 })
    const w2Before = await linesOf(t.db, 'w2')

    // w1 changes (one line instead of two), w2 is re-sent as it was, w3 is new.
    const second = await upsertBatch(
      t.db,
      'orders',
      [
        order('w1', 'wc1', [{ sku: 'Z', q: 5 }], 500),
        order('w2', 'wc2', [{ sku: 'C', q: 1 }]),
        order('w3', 'wc1', []),
      ],
      { createCustomers: true },
    )
    expect(second.summary).toMatchObject({ received: 3, inserted: 1, updated: 1, unchanged: 1, customers_created: 0 })
    expect((await linesOf(t.db, 'w1')).map((l) => [l.line_no, l.sku, l.quantity])).toEqual([[1, 'Z', 5]])
    // The unchanged order's lines are the same rows with the same change sequence.
    expect(await linesOf(t.db, 'w2')).toEqual(w2Before)
    expect(await linesOf(t.db, 'w3')).toEqual([])
    const counts = await sql<{ n: number }>`select count(*)::int4 as n from order_lines`.execute(t.db)
    expect(counts.rows[0]!.n).toBe(2)
  })

  it('finds existing customers and creates missing ones once, whatever the mix', async () => {
    await upsertBatch(t.db, 'customers', [RECORD_SCHEMAS.customers.parse({ external_id: 'known' })])
    const r = await upsertBatch(
      t.db,
      'orders',
      [order('m1', 'known', []), order('m2', 'new-a', []), order('m3', 'new-a', []), order('m4', 'new-b', [])],
      { createCustomers: true },
    )
    expect(r.summary.customers_created).toBe(2)
    const rows = await sql<{ external_id: string; customer: string }>`
      select o.external_id, c.external_id as customer from orders o join customers c on c.id = o.customer_id
      where o.external_id like 'm%' order by o.external_id`.execute(t.db)
    expect(rows.rows.map((x) => x.customer)).toEqual(['known', 'new-a', 'new-a', 'new-b'])
    const dup = await sql<{ n: number }>`select count(*)::int4 as n from customers where external_id = 'new-a'`.execute(t.db)
    expect(dup.rows[0]!.n).toBe(1)
  })

  it('still rejects an unknown customer without create_customers, writing nothing', async () => {
    await expect(upsertBatch(t.db, 'orders', [order('u1', 'nobody', [])])).rejects.toMatchObject({ code: 'unknown_reference' })
    const n = await sql<{ n: number }>`select count(*)::int4 as n from orders where external_id = 'u1'`.execute(t.db)
    expect(n.rows[0]!.n).toBe(0)
  })

  it('keeps text exactly through the array literals: quotes, backslashes, braces, commas, NULL, empty, unicode', async () => {
    const nasty = ['a"b', 'c\\d', '{x,y}', 'NULL', '', ' spaced ', 'ü€😀', '\\"', 'line\nbreak']
    const records = nasty.map((sku, i) => order(`q${i}`, `qc"${i}\\`, [{ sku, q: 1 }]))
    await upsertBatch(t.db, 'orders', records, { createCustomers: true })
    for (const [i, sku] of nasty.entries()) {
      expect((await linesOf(t.db, `q${i}`)).map((l) => l.sku)).toEqual([sku])
    }
    const customers = await sql<{ external_id: string }>`
      select c.external_id from orders o join customers c on c.id = o.customer_id
      where o.external_id like 'q%' order by o.external_id`.execute(t.db)
    expect(customers.rows.map((r) => r.external_id).sort()).toEqual(nasty.map((_, i) => `qc"${i}\\`).sort())
    // Re-sent unchanged: the hashes match, nothing is written.
    const again = await upsertBatch(t.db, 'orders', records, { createCustomers: true })
    expect(again.summary).toMatchObject({ inserted: 0, updated: 0, unchanged: nasty.length })
  })

  it('keeps text exactly in a batch whose array literals are long enough to travel as bytes (PGlite: over 1,024 units)', async () => {
    const nasty = ['a"b', 'c\\d', '{x,y}', 'NULL', '', ' spaced ', 'ü€😀', '\\"', 'line\nbreak', 'ß'.repeat(40)]
    const records = Array.from({ length: 300 }, (_, i) =>
      order(`big-é-${i}`, `bigc-😀-${i % 50}`, [{ sku: nasty[i % nasty.length]!, q: 1 + (i % 3) }], 1000 + i),
    )
    const first = await upsertBatch(t.db, 'orders', records, { createCustomers: true })
    expect(first.summary).toMatchObject({ inserted: 300, customers_created: 50 })
    const stored = await sql<{ external_id: string; total: number; sku: string; quantity: number; customer: string }>`
      select o.external_id, o.total, l.sku, l.quantity, c.external_id as customer
      from orders o join order_lines l on l.order_id = o.id join customers c on c.id = o.customer_id
      where o.external_id like 'big-é-%'`.execute(t.db)
    const expected = records.map((_, i) => ({
      external_id: `big-é-${i}`,
      total: 1000 + i,
      sku: nasty[i % nasty.length],
      quantity: 1 + (i % 3),
      customer: `bigc-😀-${i % 50}`,
    }))
    const byId = (a: { external_id: string }, b: { external_id: string }) => a.external_id.localeCompare(b.external_id)
    expect([...stored.rows].sort(byId)).toEqual(expected.sort(byId))
    const again = await upsertBatch(t.db, 'orders', records, { createCustomers: true })
    expect(again.summary).toMatchObject({ inserted: 0, updated: 0, unchanged: 300, customers_created: 0 })
  })

  it.runIf(kind === 'postgres')('looks up 5,000 customer ids among 100k not yet analysed within a few seconds (a typed array parameter, not text cast in SQL)', async () => {
    // No ANALYZE: a table just filled by batches, as during a bulk ingest.
    await sql`insert into customers (external_id, content_hash)
      select 'plan-' || g, 'h' from generate_series(1, 100000) g`.execute(t.db)
    const wanted = Array.from({ length: 5000 }, (_, i) => `plan-${1 + i * 19}`)
    const found = await t.db.transaction().execute(async (trx) => {
      // The bad plan ran for over 40 s; the index lookup takes tens of milliseconds.
      await sql`set local statement_timeout = '5s'`.execute(trx)
      return resolveIds(trx, 'customers', wanted)
    })
    expect(found.size).toBe(5000)
  })

  it('deleting orders deletes their lines, each with a tombstone for the replica (migration 0008)', async () => {
    await upsertBatch(
      t.db,
      'orders',
      [order('d1', 'dc1', [{ sku: 'A', q: 1 }, { sku: 'B', q: 1 }]), order('d2', 'dc1', [{ sku: 'C', q: 1 }]), order('d3', 'dc1', [])],
      { createCustomers: true },
    )
    const lineIds = await sql<{ id: number }>`
      select l.id from order_lines l join orders o on o.id = l.order_id where o.external_id in ('d1', 'd2')`.execute(t.db)
    expect(lineIds.rows).toHaveLength(3)
    await sql`delete from orders where external_id in ('d1', 'd2', 'd3')`.execute(t.db)
    const left = await sql<{ n: number }>`
      select count(*)::int4 as n from order_lines where id = any(${lineIds.rows.map((r) => r.id)}::int8[])`.execute(t.db)
    expect(left.rows[0]!.n).toBe(0)
    const tombs = await sql<{ n: number }>`
      select count(*)::int4 as n from tombstones
      where table_name = 'order_lines' and row_id = any(${lineIds.rows.map((r) => r.id)}::int8[])`.execute(t.db)
    expect(tombs.rows[0]!.n).toBe(3)
  })

  it.runIf(kind === 'postgres')('two concurrent batches creating the same customers both succeed', async () => {
    const ids = Array.from({ length: 200 }, (_, i) => `race-${i}`)
    const batch = (prefix: string) => ids.map((c, i) => order(`${prefix}${i}`, c, []))
    const [a, b] = await Promise.all([
      upsertBatch(t.db, 'orders', batch('ra'), { createCustomers: true }),
      upsertBatch(t.db, 'orders', batch('rb'), { createCustomers: true }),
    ])
    expect(a.summary.inserted + b.summary.inserted).toBe(400)
    expect(a.summary.customers_created + b.summary.customers_created).toBe(200)
    const n = await sql<{ n: number }>`select count(distinct customer_id)::int4 as n from orders where external_id like 'r%'`.execute(t.db)
    expect(n.rows[0]!.n).toBe(200)
  })
})
