import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RECORD_SCHEMAS, type EntityKind } from '@fedele/core'
import { sql } from 'kysely'
import { generateDemo } from '@fedele/core/demo'
import { bucketFromKey, shiftBucket } from '@fedele/core/metrics'
import { AnalyticsReplica } from '../packages/server/src/analytics/index.ts'
import {
  cohortTableSql,
  customerIdsOf,
  kpisFor,
  seriesPeriods,
  type MetricsReplica,
  type Scope,
} from '../packages/server/src/analytics/metrics/index.ts'
import { DERIVED_LIST } from '../packages/server/src/analytics/derived.ts'
import { boundOnly } from '../packages/server/src/analytics/metrics/replica-for.ts'
import { openDatabase, type Database } from '../packages/server/src/db/database.ts'
import { upsertBatch } from '../packages/server/src/services/ingest.service.ts'
import { measure } from './lib.ts'

/**
 * Metrics on the DuckDB replica: BENCH_CUSTOMERS (default 100,000) demo customers over
 * BENCH_YEARS (default 4) years of history (about ten orders a customer), loaded into PGlite through the ingest path in the
 * largest batches, then: all KPIs of one month; a 12-month series of all KPIs; the 36×36 monthly
 * cohort table; one drill-down page, each cold (a freshly opened replica), cold after a change
 * (100 new orders of existing customers written to the record through the ingest path and
 * synced by the reopened replica: the call brings the derived tables up to date), warm without
 * the result cache, and warm.
 * Events are not generated into the record: no metric reads them.
 * BENCH_DATA=DIR keeps the record and the replica in DIR and reuses them on the next run (the
 * load is skipped once DIR/loaded exists); BENCH_LOAD_ONLY=1 stops after the load and first sync.
 * BENCH_REPLICA=FILE reads another replica file of the same record. BENCH_SCALE=k (e.g. 10 for
 * 1M customers / 10M orders from the 100k default) copies the replica once to FILE.xk and, in
 * DuckDB, adds k − 1 copies of its customers, orders, subscriptions and changes under new ids:
 * the same distribution k times over, without a k-times-longer load into the record (the record
 * changes only by the bench's own change batches, which syncs apply to the copy as well).
 */
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 100_000)
const YEARS = Number(process.env.BENCH_YEARS ?? 4)
const RUNS = Number(process.env.BENCH_RUNS ?? 5)
/** Orders of the change before each "after a change" run. */
const CHANGED = 100
const BATCH = 20_000
/** BENCH_SCALE=k: the metrics run on a copy of the replica holding k copies of the customers. */
const SCALE = Number(process.env.BENCH_SCALE ?? 1)
const NOW = '2026-06-01T00:00:00Z'
const ZONE = 'Europe/Rome'
const KINDS: EntityKind[] = [
  'customers',
  'orders',
  'subscriptions',
  'subscription_changes',
  'tickets',
  'survey_answers',
]

export async function run(): Promise<void> {
  const kept = process.env.BENCH_DATA
  if (kept) mkdirSync(kept, { recursive: true })
  const dir = kept ?? mkdtempSync(join(tmpdir(), 'fedele-bench-metrics-'))
  const database = await openDatabase({ dataDir: join(dir, 'pglite'), command: 'bench' })
  try {
    if (!existsSync(join(dir, 'loaded'))) {
      const counts = await load(database)
      console.log(
        `\nmetrics: ${Object.entries(counts)
          .map(([k, n]) => `${n.toLocaleString('en')} ${k}`)
          .join(', ')}`,
      )
      if (kept) writeFileSync(join(dir, 'loaded'), JSON.stringify(counts))
    }
    let path = process.env.BENCH_REPLICA ?? join(dir, 'analytics.duckdb')
    let replica = await AnalyticsReplica.open(database, { path })
    const t = performance.now()
    await replica.sync()
    console.log(`replica first sync ${((performance.now() - t) / 1000).toFixed(1)} s`)
    if (SCALE > 1) {
      await replica.close()
      const scaled = `${path}.x${SCALE}`
      if (!existsSync(scaled)) {
        // Scaled under another name and renamed when complete: a failed run leaves no half copy.
        const partial = `${scaled}.partial`
        copyFileSync(path, partial)
        const copy = await AnalyticsReplica.open(database, { path: partial })
        await scaleUp(copy, SCALE)
        await copy.close()
        renameSync(partial, scaled)
      }
      path = scaled
      replica = await AnalyticsReplica.open(database, { path })
      await replica.sync()
    }
    if (process.env.BENCH_LOAD_ONLY) {
      await replica.close()
      return
    }
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
    const month = bucketFromKey('2026-04', ZONE)
    const period = { key: month.key, start: month.start, end: month.end }
    const from = shiftBucket('2026-04', -11, ZONE).start
    const series = seriesPeriods(from, month.end, 'month', ZONE)
    const asOf = bucketFromKey('2026-06', ZONE).start
    const firstCohort = shiftBucket('2026-05', -35, ZONE).start
    const figures: [string, (q: MetricsReplica) => Promise<unknown>][] = [
      ['all KPIs of one month', (q) => kpisFor(q, scope, [period])],
      ['12-month series of all KPIs', (q) => kpisFor(q, scope, series)],
      [
        '36×36 monthly cohort table',
        (q) =>
          cohortTableSql(q, scope, {
            grain: 'month',
            asOf,
            firstActivityIn: { start: firstCohort, end: asOf },
          }),
      ],
      [
        'drill-down page (lost, 100 rows)',
        (q) => customerIdsOf(q, scope, period, 'lost', { limit: 100, offset: 100 }),
      ],
    ]
    // A change like an ingest batch: CHANGED new completed orders of existing customers, written
    // to the record through the ingest path; the reopened replica's sync applies them.
    const customers = (
      await sql<{
        external_id: string
      }>`select external_id from customers order by id limit 5000`.execute(database.db)
    ).rows.map((r) => r.external_id)
    let batch = 0
    const change = async () => {
      batch++
      const orders = Array.from({ length: CHANGED }, (_, i) =>
        RECORD_SCHEMAS.orders.parse({
          external_id: `bench-change-${Date.now()}-${batch}-${i}`,
          customer_external_id: customers[(batch * CHANGED + i) % customers.length],
          placed_at: new Date(Date.parse(NOW) - (i + 1) * 3_600_000).toISOString(),
          currency: 'EUR',
          total: 1000 + i,
        }),
      )
      await upsertBatch(database.db, 'orders', orders)
    }
    const reopen = async (changed: boolean) => {
      if (changed) await change()
      await replica.close()
      replica = await AnalyticsReplica.open(database, { path })
      const report = await replica.sync()
      if (changed && report.tables.orders.upserted !== CHANGED) {
        throw new Error(`the change synced ${report.tables.orders.upserted} orders, not ${CHANGED}`)
      }
    }
    await measure('sync with nothing changed', () => replica.sync(), { runs: RUNS })
    // measure() prints the median CPU time (all DuckDB threads) beside wall time: the machine
    // is shared.
    const timed = (label: string, run: () => Promise<unknown>, setup?: () => Promise<void>) =>
      measure(label, run, { runs: RUNS, ...(setup ? { setup } : {}) })
    for (const [name, fn] of figures) {
      // Cold: a freshly opened replica (OS page cache warm), derived tables already built.
      await timed(
        `${name}, cold`,
        () => fn(boundOnly(replica)),
        () => reopen(false),
      )
      // First read after a sync that changed the replica: derived tables brought up to date.
      await timed(
        `${name}, cold after ${CHANGED} new orders`,
        () => fn(boundOnly(replica)),
        () => reopen(true),
      )
      await timed(`${name}, warm, no result cache`, () => fn(boundOnly(replica, { cache: false })))
      await timed(`${name}, warm`, () => fn(boundOnly(replica)))
    }
    await replica.close()
  } finally {
    await database.close()
    if (!kept) rmSync(dir, { recursive: true, force: true })
  }
}

/** Adds k − 1 copies of what the metrics read, ids (and references) shifted by 10⁹ per copy. */
async function scaleUp(replica: AnalyticsReplica, k: number): Promise<void> {
  const t = performance.now()
  const shifted: [string, string[]][] = [
    ['customers', ['id']],
    ['orders', ['id', 'customer_id']],
    ['subscriptions', ['id', 'customer_id']],
    ['subscription_changes', ['id', 'subscription_id']],
  ]
  // Derived tables of the copied replica describe the rows before the copies.
  const derived = await replica.query<{ table_name: string }>(DERIVED_LIST, undefined, {
    sync: false,
  })
  await replica.exclusive(async (run) => {
    await run('begin transaction')
    for (const { table_name } of derived) await run(`DROP TABLE "${table_name}"`)
    for (let copy = 1; copy < k; copy++) {
      for (const [table, columns] of shifted) {
        const moved = columns
          .map((c) => `${c} + CAST(${copy} AS BIGINT) * 1000000000 AS ${c}`)
          .join(', ')
        await run(
          `INSERT INTO ${table} SELECT * REPLACE (${moved}) FROM ${table} WHERE id < 1000000000`,
        )
      }
    }
    await run('commit')
    await run('checkpoint')
  })
  console.log(`replica scaled ×${k} in ${((performance.now() - t) / 1000).toFixed(1)} s`)
}

/** Streams the demo into the record through parse + upsertBatch, one kind per buffer. */
async function load(database: Database): Promise<Record<string, number>> {
  const buffers = Object.fromEntries(KINDS.map((k) => [k, [] as Record<string, unknown>[]]))
  const counts: Record<string, number> = Object.fromEntries(KINDS.map((k) => [k, 0]))
  const flush = async (upTo: number) => {
    // Dependency order: a kind is flushed only after the kinds it references.
    for (const kind of KINDS.slice(0, upTo + 1)) {
      const list = buffers[kind] ?? []
      if (list.length === 0) continue
      await upsertBatch(
        database.db,
        kind,
        list.map((r) => RECORD_SCHEMAS[kind].parse(r) as Record<string, unknown>),
      )
      counts[kind] = (counts[kind] ?? 0) + list.length
      list.length = 0
    }
  }
  const t = performance.now()
  for (const bundle of generateDemo({
    seed: 7,
    now: NOW,
    customers: CUSTOMERS,
    years: YEARS,
    // Busier, more loyal buyers than the default shop: about ten orders a customer.
    params: { bgnbd: { alpha: 10, a: 0.3, b: 8 } },
  })) {
    buffers.customers?.push(bundle.customer)
    buffers.orders?.push(...bundle.orders)
    buffers.subscriptions?.push(...bundle.subscriptions)
    buffers.subscription_changes?.push(...bundle.subscription_changes)
    buffers.tickets?.push(...bundle.tickets)
    buffers.survey_answers?.push(...bundle.survey_answers)
    if ((buffers.orders?.length ?? 0) >= BATCH || (buffers.customers?.length ?? 0) >= BATCH) {
      await flush(KINDS.length - 1)
    }
  }
  await flush(KINDS.length - 1)
  console.log(`load into PGlite ${((performance.now() - t) / 1000).toFixed(1)} s`)
  return counts
}

if (import.meta.url === `file://${process.argv[1]}`) await run()
