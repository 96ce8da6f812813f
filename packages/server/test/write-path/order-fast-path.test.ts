import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MAX_BATCH, zodBatchBody } from '../../src/http/routes/entities/contracts.ts'
import { fastOrderBatch } from '../../src/http/routes/entities/order-fast-path.ts'
import { batchUpsertRoute } from '../../src/http/routes/entities/batch-upsert.ts'

/**
 * The hand-written order recogniser against zod, on bodies made to sit on every boundary of the
 * schema: whenever the fast path answers, zod accepts the body and parses it to the same JSON
 * (same keys, same order, same defaults, hence the same content hash); otherwise zod decides.
 */
const zod = zodBatchBody('orders')

const absent = fc.constant(undefined)
const str = (max: number) => fc.string({ minLength: 0, maxLength: max + 3 })
const id = fc.oneof(
  str(255),
  fc.string({ minLength: 250, maxLength: 260 }),
  fc.integer(),
  fc.constant(null),
  absent,
)
const minor = fc.oneof(
  fc.integer({ min: -3, max: 5000 }),
  fc.constantFrom(0, -0, 1e15, 1e15 + 2, 0.5, Number.NaN, Number.POSITIVE_INFINITY, -1),
  fc.constantFrom('5', null, true),
  absent,
)
const instant = fc.oneof(
  fc
    .date({ min: new Date(0), max: new Date(4102444800000), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.constantFrom(
    '2024-02-29T10:00:00Z',
    '2023-02-29T10:00:00Z',
    '2025-03-01T10:00:00+01:00',
    '2025-03-01T10:00:00.123456-05:30',
    '2025-03-01T24:00:00Z',
    '2025-03-01T10:00Z',
    '2025-03-01t10:00:00z',
    '2025-03-01 10:00:00Z',
    '2025-03-01T10:00:00',
    '2025-03-01T10:00:00+24:00',
    '2025-03-01',
    '',
  ),
  str(30),
  fc.integer(),
  absent,
)
const text = (max: number) =>
  fc.oneof(
    fc.string({ maxLength: max }),
    fc.string({ minLength: max - 2, maxLength: max + 2 }),
    fc.constant(null),
    fc.integer(),
    absent,
  )

const line = fc.record(
  {
    sku: text(100),
    product_name: text(300),
    category: text(200),
    quantity: fc.oneof(
      fc.integer({ min: -2, max: 10 }),
      fc.constantFrom(1e9, 1e9 + 1, 1.5, null),
      absent,
    ),
    unit_price: minor,
    line_total: minor,
    extra: fc.oneof(absent, absent, absent, fc.constant(1)),
  },
  { requiredKeys: [] },
)

const wild = fc.record(
  {
    external_id: id,
    customer_external_id: id,
    placed_at: instant,
    status: fc.oneof(
      fc.constantFrom('completed', 'cancelled', 'refunded', 'Completed', 'open', null),
      absent,
    ),
    refunded_amount: minor,
    currency: fc.oneof(
      fc.constantFrom('EUR', 'USD', 'eur', 'EU', 'EURO', 'É€R', null),
      fc.integer(),
      absent,
    ),
    total: minor,
    discount: minor,
    shipping: minor,
    tax: minor,
    channel: text(100),
    store: text(100),
    lines: fc.oneof(fc.array(line, { maxLength: 3 }), fc.constantFrom('x', null, {}), absent),
    unknown_field: fc.oneof(absent, absent, absent, absent, fc.constant('x')),
  },
  { requiredKeys: [] },
)

/** A valid order as a shop would send it, to prove the fast path is taken at all. */
const valid = fc.record({
  external_id: fc.string({ minLength: 1, maxLength: 40 }),
  customer_external_id: fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.constant(null)),
  placed_at: fc
    .date({ min: new Date(0), max: new Date(4102444800000), noInvalidDate: true })
    .map((d) => d.toISOString()),
  currency: fc.constantFrom('EUR', 'USD'),
  total: fc.integer({ min: 100, max: 100_000 }),
  lines: fc.array(
    fc.record({
      sku: fc.string({ maxLength: 20 }),
      quantity: fc.integer({ min: 1, max: 5 }),
      unit_price: fc.nat(1000),
      line_total: fc.nat(5000),
    }),
    { maxLength: 3 },
  ),
})

/** A valid order with a few fields replaced by wild values (or removed): the boundaries. */
const order = fc
  .tuple(
    valid,
    fc.subarray(
      [
        'external_id',
        'customer_external_id',
        'placed_at',
        'status',
        'refunded_amount',
        'currency',
        'total',
        'discount',
        'shipping',
        'tax',
        'channel',
        'store',
        'lines',
        'unknown_field',
      ],
      { maxLength: 3 },
    ),
    wild,
  )
  .map(([base, keys, w]) => {
    const out: Record<string, unknown> = { ...base }
    for (const k of keys) out[k] = (w as Record<string, unknown>)[k]
    return out
  })

/** Like JSON.parse output: keys whose value is undefined are not there. */
function json<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T
}

describe('order fast path', () => {
  it('answers only for bodies zod accepts, and with exactly zod’s output', () => {
    let taken = 0
    fc.assert(
      fc.property(fc.array(order, { minLength: 0, maxLength: 3 }), fc.boolean(), (records, raw) => {
        // Non-finite numbers cannot come from JSON; check them as objects too.
        const body = raw ? { records } : json({ records })
        const fast = fastOrderBatch(body, MAX_BATCH)
        if (fast === undefined) return
        taken++
        const parsed = zod.safeParse(body)
        expect(parsed.success).toBe(true)
        expect(JSON.stringify(fast)).toBe(JSON.stringify(parsed.data))
      }),
      { numRuns: 20_000 },
    )
    // Both branches ran: the property was not satisfied by answering nothing.
    expect(taken).toBeGreaterThan(1000)
  })

  it('takes the fast path for valid orders, with zod’s defaults and key order', () => {
    fc.assert(
      fc.property(fc.array(valid, { minLength: 1, maxLength: 5 }), (records) => {
        const body = json({ records })
        const fast = fastOrderBatch(body, MAX_BATCH)
        expect(fast).toBeDefined()
        expect(JSON.stringify(fast)).toBe(JSON.stringify(zod.parse(body)))
      }),
      { numRuns: 2_000 },
    )
  })

  it('leaves empty, oversized and non-object bodies to zod', () => {
    expect(fastOrderBatch({ records: [] }, MAX_BATCH)).toBeUndefined()
    expect(fastOrderBatch([], MAX_BATCH)).toBeUndefined()
    expect(fastOrderBatch(null, MAX_BATCH)).toBeUndefined()
    expect(fastOrderBatch({ records: [], more: 1 }, MAX_BATCH)).toBeUndefined()
    const one = {
      external_id: 'o',
      customer_external_id: 'c',
      placed_at: '2025-01-01T00:00:00Z',
      currency: 'EUR',
      total: 1,
    }
    expect(fastOrderBatch({ records: [one, one, one] }, 2)).toBeUndefined()
    expect(fastOrderBatch({ records: [one] }, 2)).toBeDefined()
  })
})

describe('the orders batch route', () => {
  it('asks the recogniser first (RouteSpec.fastBody); other kinds go straight to zod', () => {
    const body = {
      records: [
        {
          external_id: 'o',
          customer_external_id: 'c',
          placed_at: '2025-01-01T00:00:00Z',
          currency: 'EUR',
          total: 100,
        },
      ],
    }
    const fast = batchUpsertRoute('orders').fastBody?.(body)
    expect(fast).toEqual(zod.parse(body))
    expect(batchUpsertRoute('customers').fastBody).toBeUndefined()
  })
})
