import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RECORD_SCHEMAS, type EntityKind } from '@fedele/core'
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
import { boundOnly } from '../packages/server/src/analytics/metrics/replica-for.ts'
import { openDatabase, type Database } from '../packages/server/src/db/database.ts'
import { upsertBatch } from '../packages/server/src/services/ingest.service.ts'
import { measure } from './lib.ts'

/**
 * Metrics on the DuckDB replica: BENCH_CUSTOMERS (default 100,000) demo customers over
 * BENCH_YEARS (default 4) years of history (about ten orders a customer), loaded into PGlite through the ingest path in the
 * largest batches, then: all KPIs of one month; a 12-month series of all KPIs; the 36×36 monthly
 * cohort table; one drill-down page, warm and cold (a freshly opened replica).
 * Events are not generated into the record: no metric reads them.
 */
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 100_000)
const YEARS = Number(process.env.BENCH_YEARS ?? 4)
const RUNS = Number(process.env.BENCH_RUNS ?? 5)
const BATCH = 20_000
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
  const dir = mkdtempSync(join(tmpdir(), 'fedele-bench-metrics-'))
  const database = await openDatabase({ dataDir: join(dir, 'pglite'), command: 'bench' })
  try {
    const counts = await load(database)
    console.log(
      `\nmetrics: ${Object.entries(counts)
        .map(([k, n]) => `${n.toLocaleString('en')} ${k}`)
        .join(', ')}`,
    )
    const path = join(dir, 'analytics.duckdb')
    let replica = await AnalyticsReplica.open(database, { path })
    const t = performance.now()
    await replica.sync()
    console.log(`replica first sync ${((performance.now() - t) / 1000).toFixed(1)} s`)
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
    const q = (): MetricsReplica => boundOnly(replica)
    const month = bucketFromKey('2026-04', ZONE)
    const period = { key: month.key, start: month.start, end: month.end }
    await measure('all KPIs of one month', () => kpisFor(q(), scope, [period]), { runs: RUNS })
    const from = shiftBucket('2026-04', -11, ZONE).start
    const series = seriesPeriods(from, month.end, 'month', ZONE)
    await measure('12-month series of all KPIs', () => kpisFor(q(), scope, series), { runs: RUNS })
    const asOf = bucketFromKey('2026-06', ZONE).start
    const firstCohort = shiftBucket('2026-05', -35, ZONE).start
    await measure(
      '36×36 monthly cohort table',
      () =>
        cohortTableSql(q(), scope, {
          grain: 'month',
          asOf,
          firstActivityIn: { start: firstCohort, end: asOf },
        }),
      { runs: RUNS },
    )
    const page = () => customerIdsOf(q(), scope, period, 'lost', { limit: 100, offset: 100 })
    await measure('drill-down page (lost, 100 rows), warm', page, { runs: RUNS })
    await measure('drill-down page (lost, 100 rows), cold', page, {
      runs: RUNS,
      setup: async () => {
        await replica.close()
        replica = await AnalyticsReplica.open(database, { path })
        await replica.sync()
      },
    })
    await replica.close()
  } finally {
    await database.close()
    rmSync(dir, { recursive: true, force: true })
  }
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
