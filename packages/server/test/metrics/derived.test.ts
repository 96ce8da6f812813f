import { generateDemoArrays } from '@fedele/core/demo'
import { bucketFromKey, periodCustomers, periodOrders } from '@fedele/core/metrics'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DERIVED_LIST } from '../../src/analytics/derived.ts'
import { AnalyticsReplica } from '../../src/analytics/index.ts'
import {
  cohortTableSql,
  customerIdsOf,
  kpisFor,
  type MetricsReplica,
  type Scope,
} from '../../src/analytics/metrics/index.ts'
import { boundOnly } from '../../src/analytics/metrics/replica-for.ts'
import { DIALECTS, freshDatabase, type TestDatabase } from '../databases.ts'
import { loadRecords, referenceOrders } from './load.ts'

/**
 * Derived tables and the result cache (analytics/derived.ts, metrics/replica-for.ts): results
 * through them equal the inline SQL, a sync that changes the replica drops the derived tables and
 * invalidates cached results, and a sync that changes nothing keeps both.
 */
const ZONE = 'Europe/Rome'
const NOW = '2026-06-01T00:00:00Z'
const demo = generateDemoArrays({ seed: 5, now: NOW, customers: 150 })
const april = bucketFromKey('2026-04', ZONE)
const period = { key: april.key, start: april.start, end: april.end }
const scope: Scope = {
  settings: {
    workspaceId: 1,
    timeZone: ZONE,
    reportingCurrency: 'EUR',
    businessModel: 'orders',
    activityWindowDays: 365,
    includeTrials: false,
  },
  segment: [],
}

/** The real replica with its query calls counted (cache hits never reach it). */
function counting(replica: AnalyticsReplica) {
  const counter = {
    queries: 0,
    get generation() {
      return replica.generation
    },
    exclusive: replica.exclusive.bind(replica),
    query: ((text, params, options) => {
      counter.queries++
      return replica.query(text, params, options)
    }) as MetricsReplica['query'],
  }
  return counter
}

/** The same replica without materialising: every derived relation runs inline. */
const inline = (replica: AnalyticsReplica): MetricsReplica =>
  boundOnly({ query: (text, params, options) => replica.query(text, params, options) })

const derivedTables = async (replica: AnalyticsReplica) =>
  (await replica.query<{ table_name: string }>(DERIVED_LIST)).map((r) => r.table_name).sort()

describe.each(DIALECTS)('derived tables and result cache (%s)', (kind) => {
  let db: TestDatabase
  let replica: AnalyticsReplica
  beforeAll(async () => {
    db = await freshDatabase(kind)
    await loadRecords(db.db, demo)
    replica = await AnalyticsReplica.open(db, { path: ':memory:' })
    await replica.sync()
  }, 120_000)
  afterAll(async () => {
    await replica.close()
    await db.close()
  })

  it('equal the inline SQL; built once, cached per generation, kept by a sync without changes', async () => {
    const spy = counting(replica)
    const fast = boundOnly(spy)
    const cohorts = { grain: 'month' as const, asOf: Date.parse(NOW) }
    const kpis = await kpisFor(fast, scope, [period])
    expect(kpis).toEqual(await kpisFor(inline(replica), scope, [period]))
    expect(await cohortTableSql(fast, scope, cohorts)).toEqual(
      await cohortTableSql(inline(replica), scope, cohorts),
    )
    const page = { limit: 20, offset: 0 }
    expect(await customerIdsOf(fast, scope, period, 'repeat', page)).toEqual(
      await customerIdsOf(inline(replica), scope, period, 'repeat', page),
    )
    // Activity islands and second orders.
    const tables = await derivedTables(replica)
    expect(tables).toHaveLength(2)

    const before = spy.queries
    expect(await kpisFor(fast, scope, [period])).toEqual(kpis)
    expect(spy.queries, 'a repeated computation is served from the cache').toBe(before)

    const generation = replica.generation
    expect((await replica.sync()).toSeq).toBe((await replica.status())?.watermark)
    expect(replica.generation).toBe(generation)
    expect(await derivedTables(replica)).toEqual(tables)
    await kpisFor(fast, scope, [period])
    expect(spy.queries).toBe(before)
  })

  it('a sync that changes the replica drops the derived tables and the cached results', async () => {
    const spy = counting(replica)
    const fast = boundOnly(spy)
    const [old] = await kpisFor(fast, scope, [period])
    const generation = replica.generation
    // A first order of a new customer in April, and a second order of an existing one.
    const customer = { ...demo.customers[0], external_id: 'cus_derived_new', email: null }
    const first = {
      ...demo.orders[0],
      external_id: 'ord_derived_1',
      customer_external_id: 'cus_derived_new',
      placed_at: '2026-04-10T10:00:00Z',
      total: 12_345,
    }
    await loadRecords(db.db, { customers: [customer], orders: [first] })
    await replica.sync()
    expect(replica.generation).toBe(generation + 1)
    expect(await derivedTables(replica)).toEqual([])

    const [now] = await kpisFor(fast, scope, [period])
    expect(now?.orders.revenue).toBe((old?.orders.revenue ?? 0) + 12_345)
    expect(now?.counts.N).toBe((old?.counts.N ?? 0) + 1)
    // Against the core reference on the changed record.
    const orders = referenceOrders([...demo.orders, first])
    expect(now?.counts).toEqual(periodCustomers({ orders }, april).counts)
    expect(now?.orders.revenue).toBe(periodOrders(orders, april).revenue)
    expect(await kpisFor(fast, scope, [period])).toEqual(
      await kpisFor(inline(replica), scope, [period]),
    )
    expect(await derivedTables(replica)).toHaveLength(2)
  })
})
