import { RECORD_SCHEMAS } from '@fedele/core'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { withCopyClient } from '../../src/db/copy-client.ts'
import { upsertBatch, type BatchOptions } from '../../src/services/ingest.service.ts'
import { DIALECTS, freshDatabase, type TestDatabase } from '../databases.ts'
import { nextOrderId, orderChangeSeqs, ordersSnapshot } from '../stored-orders.ts'

/**
 * Batches of orders (HTTP ingest, imports, the demo): all new → COPY, else the upsert. The same
 * batches sent to a second database without the COPY path must store the same rows and answer
 * the same summaries, whichever path each batch took.
 */
const NAMES = [
  'Tazza, edizione "limitata"',
  'Caffè\\moka',
  'a\nb',
  '',
  '\\.',
  'Città {di} Castello',
]

const order = (id: string, customer: string, lines: number, total = 1000) =>
  RECORD_SCHEMAS.orders.parse({
    external_id: id,
    customer_external_id: customer,
    placed_at: '2025-03-01T10:00:00Z',
    currency: 'EUR',
    total,
    channel: NAMES[id.length % NAMES.length],
    lines: Array.from({ length: lines }, (_, k) => ({
      sku: `S${k}`,
      product_name: NAMES[(id.length + k) % NAMES.length],
      quantity: 1 + k,
      unit_price: 100,
      line_total: 100 * (1 + k),
    })),
  }) as unknown as Record<string, unknown>

const batchOf = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, k) =>
    order(`ic${from + k}`, `icc${(from + k) % 7}`, (from + k) % 3),
  )

describe.each(DIALECTS)('order batches by COPY on %s', (kind) => {
  let bulk: TestDatabase
  let plain: TestDatabase
  beforeAll(async () => {
    bulk = await freshDatabase(kind)
    plain = await freshDatabase(kind)
  })
  afterAll(async () => {
    await bulk.close()
    await plain.close()
  })
  /** The batch on the COPY side: on the raw client of its transaction, as the HTTP route sends it. */
  const viaCopy = (records: Record<string, unknown>[], options: BatchOptions = {}) =>
    withCopyClient(bulk, (db, copy) => upsertBatch(db, 'orders', records, { ...options, copy }))
  /** The batch into both databases: answers the COPY side's result. */
  const both = async (records: Record<string, unknown>[], options: BatchOptions = {}) => {
    const a = await viaCopy(records, options)
    const b = await upsertBatch(plain.db, 'orders', records, options)
    expect(b.copied).toBe(false)
    expect(a.summary).toEqual(b.summary)
    expect(a.replayed).toBe(b.replayed)
    return a
  }

  it('copies a batch of new orders and stores what the upsert stores', async () => {
    const r = await both(batchOf(0, 40), { createCustomers: true })
    expect(r.copied).toBe(true)
    expect(r.summary).toMatchObject({
      inserted: 40,
      updated: 0,
      unchanged: 0,
      customers_created: 7,
    })
    expect(await ordersSnapshot(bulk)).toEqual(await ordersSnapshot(plain))
  })

  it('upserts a batch that is sent again: nothing changes, no order id is lost', async () => {
    const seqs = await orderChangeSeqs(bulk)
    const [bulkFrom, plainFrom] = [await nextOrderId(bulk), await nextOrderId(plain)]
    const r = await both(batchOf(0, 40), { createCustomers: true })
    expect(r.copied).toBe(false)
    expect(r.summary).toMatchObject({ inserted: 0, updated: 0, unchanged: 40 })
    expect(await orderChangeSeqs(bulk)).toBe(seqs)
    expect((await nextOrderId(bulk)) - bulkFrom).toBe((await nextOrderId(plain)) - plainFrom)
  })

  it('upserts a batch mixing new orders and a changed one (its lines replaced)', async () => {
    // The stored order comes last: the COPY has written the new ones when the index refuses it.
    const records = [...batchOf(40, 45), order('ic3', 'icc3', 2, 2500)]
    const r = await both(records, { createCustomers: true })
    expect(r.copied).toBe(false)
    expect(r.summary).toMatchObject({ inserted: 5, updated: 1, unchanged: 0 })
    expect(await ordersSnapshot(bulk)).toEqual(await ordersSnapshot(plain))
  })

  it('answers a replayed idempotency key from its first answer, after a COPY', async () => {
    const first = await both(batchOf(45, 60), { idempotencyKey: 'copy-key' })
    expect(first.copied).toBe(true)
    const again = await both(batchOf(45, 60), { idempotencyKey: 'copy-key' })
    expect(again).toMatchObject({ replayed: true, summary: first.summary })
    expect(await ordersSnapshot(bulk)).toEqual(await ordersSnapshot(plain))
  })

  it('writes nothing of a batch whose lines the database refuses after its orders were copied', async () => {
    const before = await ordersSnapshot(bulk)
    const records = batchOf(60, 63)
    // Past zod (the caller validated): a quantity beyond int4 fails inside the lines' COPY.
    ;(records[2]!.lines as { quantity: number }[]).push({
      quantity: 3_000_000_000,
      unit_price: 1,
      line_total: 1,
    } as never)
    await expect(viaCopy(records)).rejects.toThrow(/out of range/)
    expect(await ordersSnapshot(bulk)).toEqual(before)
    const n = await sql<{
      n: number
    }>`select count(*)::int as n from orders where external_id like 'ic6_'`.execute(bulk.db)
    expect(n.rows[0]!.n).toBe(0)
  })
})
