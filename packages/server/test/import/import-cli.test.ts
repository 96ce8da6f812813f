import { rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS, freshDatabase, type TestDatabase } from '../databases.ts'
import { TEST_TMP } from '../paths.ts'
import { runFedele } from '../processes.ts'

const FIXTURES = fileURLToPath(new URL('../../../core/src/import/fixtures/', import.meta.url))

// The real `fedele import` process: options through the shared translator, customers from the
// order rows and refunds from a later file in the printed report.
describe.each(DIALECTS)('fedele import (real process) on %s', (kind) => {
  const dir = `${TEST_TMP}import-cli-${kind}-${process.pid}`
  let env: Record<string, string> = {}
  let pg: TestDatabase | undefined
  beforeAll(async () => {
    if (kind === 'postgres') {
      pg = await freshDatabase('postgres')
      env = { DATABASE_URL: pg.url! }
    }
  })
  afterAll(async () => {
    await pg?.close()
    rmSync(dir, { recursive: true, force: true })
  })
  const fedele = (...args: string[]) => runFedele(['import', ...args, '--data', dir], env, 120_000)

  it('refuses bad options naming each flag, before touching the data', async () => {
    const r = await fedele('orders', `${FIXTURES}shopify-orders-customers.csv`, '--date-format', 'yyyy', '--header-line', 'x', '--amount-unit', 'cents')
    expect(r.code).not.toBe(0)
    expect(r.stderr).toMatch(/--date-format: "yyyy" is not a date format/)
    expect(r.stderr).toMatch(/--header-line: must be a line number/)
    expect(r.stderr).toMatch(/--amount-unit: amount unit: major/)
  }, 120_000)

  it('imports a Shopify orders file with its customers, then refunds from a later file, idempotently', async () => {
    const shop = await fedele('orders', `${FIXTURES}shopify-orders-customers.csv`)
    expect(shop.code, shop.stderr).toBe(0)
    expect(shop.stdout).toContain('preset shopify-orders, detected from the header')
    expect(shop.stdout).toContain('customers from the order rows: 2 new, 0 updated, 0 unchanged')

    const orders = await fedele('orders', `${FIXTURES}refunds-later-orders.csv`, '--json')
    expect(orders.code, orders.stderr).toBe(0)
    const refunds = await fedele('orders', `${FIXTURES}refunds-later-refunds.csv`)
    expect(refunds.stdout).toContain(
      'refunds/cancellations: 3 found, 2 applied to their orders, 0 already applied by an earlier import, 1 waiting for their order, 0 without a matching order',
    )
    const again = await fedele('orders', `${FIXTURES}refunds-later-refunds.csv`, '--json')
    const report = JSON.parse(again.stdout) as { refunds: Record<string, number>; inserted: number; updated: number }
    expect(report).toMatchObject({ inserted: 0, updated: 0, refunds: { found: 3, applied: 0, already_applied: 3 } })
  }, 300_000)
})
