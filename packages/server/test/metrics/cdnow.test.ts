import { existsSync, readFileSync } from 'node:fs'
import { bucketFromKey, cohortTable, periodCustomers, type OrderInput } from '@fedele/core/metrics'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeMetricsReplica } from '../../src/analytics/metrics/index.ts'
import { updateWorkspace } from '../../src/repositories/workspace.repository.ts'
import { DIALECTS } from '../databases.ts'
import { startTestApp, type TestApp } from '../harness.ts'
import { getJson } from './api.ts'
import { loadRecords } from './load.ts'

/**
 * CDNOW (customer id, yyyymmdd, CDs, dollars; whitespace separated): each row its own order
 * `customer-date-seq` in USD, the workspace reporting in USD. A date has no time: orders are
 * placed at noon UTC, which is the same calendar day in Europe/Rome.
 */
const FILE = '/work/shared/data/cdnow/CDNOW_master.txt'
const ZONE = 'Europe/Rome'

function readCdnow(): { customers: Record<string, unknown>[]; orders: Record<string, unknown>[] } {
  if (!existsSync(FILE)) {
    throw new Error(
      `CDNOW data missing: expected ${FILE} (customer id, yyyymmdd, quantity, dollars)`,
    )
  }
  const customers = new Map<string, Record<string, unknown>>()
  const orders: Record<string, unknown>[] = []
  const seq = new Map<string, number>()
  for (const line of readFileSync(FILE, 'utf8').split('\n')) {
    const [id, date, , dollars] = line.trim().split(/\s+/)
    if (!id || !date || !dollars || !/^\d{8}$/.test(date)) continue // header, blank lines
    const customer = `c${id}`
    customers.set(customer, { external_id: customer })
    const key = `${customer}-${date}`
    const n = (seq.get(key) ?? 0) + 1
    seq.set(key, n)
    orders.push({
      external_id: `${key}-${n}`,
      customer_external_id: customer,
      placed_at: `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T12:00:00Z`,
      currency: 'USD',
      total: Math.round(Number(dollars) * 100),
    })
  }
  return { customers: [...customers.values()], orders }
}

describe.each(DIALECTS)('CDNOW through DuckDB equals the core reference (%s)', (kind) => {
  let t: TestApp
  let read: Record<string, string>
  let reference: OrderInput[]
  beforeAll(async () => {
    const data = readCdnow()
    reference = data.orders.map((o) => ({
      customerId: o.customer_external_id as string,
      at: o.placed_at as string,
      amount: o.total as number,
    }))
    t = await startTestApp(kind, { FEDELE_ANALYTICS_PATH: ':memory:' })
    read = await t.apiKey(['read'])
    await updateWorkspace(t.db.db, { reporting_currency: 'USD' })
    await loadRecords(t.db.db, data, 20_000)
  }, 600_000)
  afterAll(async () => {
    await closeMetricsReplica(t.ctx.database)
    await t.close()
  })

  it('quarterly CRR and exact retention', async () => {
    for (const key of ['1997-Q2', '1997-Q3', '1997-Q4', '1998-Q1', '1998-Q2']) {
      const b = bucketFromKey(key, ZONE)
      const { status, body } = await getJson(
        t,
        `/api/metrics/kpis?from=${new Date(b.start).toISOString()}&to=${new Date(b.end).toISOString()}&compare=false`,
        read,
      )
      expect(status, JSON.stringify(body)).toBe(200)
      const ref = periodCustomers({ orders: reference }, b)
      expect(body.period.counts, key).toEqual(ref.counts)
      expect(body.period.metrics.crr.value).toBe(ref.crr.value)
      expect(body.period.metrics.retention_rate.value).toBe(ref.retentionRate.value)
      expect(body.currency).toBe('USD')
    }
  })

  it('the monthly cohort table', async () => {
    const asOf = bucketFromKey('1998-07', ZONE).start
    const { status, body } = await getJson(
      t,
      `/api/metrics/cohorts?grain=month&as_of=${new Date(asOf).toISOString()}`,
      read,
    )
    expect(status, JSON.stringify(body)).toBe(200)
    const ref = cohortTable({ orders: reference }, { grain: 'month', timeZone: ZONE, asOf })
    expect(body.cohorts.map((c: any) => [c.key, c.size])).toEqual(ref.map((c) => [c.key, c.size]))
    for (const [i, cohort] of ref.entries()) {
      expect(
        body.cohorts[i].cells.map((c: any) => [c.active, c.active_on_or_after, c.revenue]),
        cohort.key,
      ).toEqual(cohort.cells.map((c) => [c.active, c.activeOnOrAfter, c.revenue]))
      expect(body.cohorts[i].cells.map((c: any) => c.value)).toEqual(
        cohort.cells.map((c) => c.retention.value),
      )
    }
  })
})
