import { rmSync } from 'node:fs'
import { generateDemoArrays } from '@fedele/core/demo'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_EXPORT_FILES, exportDemo } from '../../src/services/demo-export.ts'
import { importFile } from '../../src/services/import.service.ts'
import { DIALECTS, freshDatabase, type TestDatabase } from '../databases.ts'
import { TEST_TMP } from '../paths.ts'

describe.each(DIALECTS)('demo export → import round trip on %s', (kind) => {
  const dir = `${TEST_TMP}demo-export-${kind}-${process.pid}`
  const spec = { seed: 7, customers: 250, now: '2026-06-30T12:00:00Z' }
  let db: TestDatabase
  beforeAll(async () => {
    db = await freshDatabase(kind)
  })
  afterAll(async () => {
    await db.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('writes Shopify and Stripe files whose presets are detected and whose every record imports', async () => {
    const counts = await exportDemo(spec, dir)
    const truth = generateDemoArrays(spec)
    expect(counts.customers).toBe(truth.customers.length)
    expect(counts.subscriptions).toBe(truth.subscriptions.length)
    const customers = await importFile(db.db, { path: `${dir}/${DEMO_EXPORT_FILES.customers}`, entity: 'customers', options: {} })
    expect(customers).toMatchObject({ preset: 'stripe-customers', preset_detected: true, inserted: truth.customers.length, rejected_rows: 0 })
    const orders = await importFile(db.db, { path: `${dir}/${DEMO_EXPORT_FILES.orders}`, entity: 'orders', options: {} })
    expect(orders).toMatchObject({ preset: 'shopify-orders', preset_detected: true, inserted: counts.orders, rejected_rows: 0 })
    const subs = await importFile(db.db, { path: `${dir}/${DEMO_EXPORT_FILES.subscriptions}`, entity: 'subscriptions', options: {} })
    expect(subs).toMatchObject({ preset: 'stripe-subscriptions', preset_detected: true, inserted: truth.subscriptions.length, rejected_rows: 0 })
    // Revenue survives the trip to the cent.
    const expected = truth.orders.filter((o) => truth.customers.some((c) => c.external_id === o.customer_external_id && c.email)).reduce((n, o) => n + o.total, 0)
    const got = await sql<{ s: number }>`select coalesce(sum(total), 0)::int8 as s from orders`.execute(db.db)
    expect(Number(got.rows[0]!.s)).toBe(expected)
  }, 120_000)
})
