import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { sql, type Kysely } from 'kysely'
import pg from 'pg'
import {
  AnalyticsReplica,
  deleteReplicaFiles,
  type ExportMethod,
  type SyncReport,
} from '../packages/server/src/analytics/index.ts'
import { openDatabase, type Database } from '../packages/server/src/db/database.ts'
import type { DB } from '../packages/server/src/db/schema.ts'
import { measure } from './lib.ts'

/**
 * Analytics replica sync: 1,000,000 new orders, and 10,000 changed ones, on the embedded default
 * (PGlite in a temp dir) and on PostgreSQL when BENCH_DATABASE_URL is set.
 *
 * Each figure is measured with both export methods: 'copy' (COPY through the raw client the
 * Database carries, the default) and 'query' (CSV built by string_agg through Kysely alone, for a
 * Database without its raw client). After each figure, the
 * last run's split between waiting for the record (export) and DuckDB (load) is printed; the two
 * overlap, since page n+1 is exported while page n loads.
 *
 * BENCH_ORDERS (default 1,000,000) and BENCH_RUNS (default 3) scale it down for a smoke run.
 */

const ORDERS = Number(process.env.BENCH_ORDERS ?? 1_000_000)
const CUSTOMERS = Math.max(1, Math.round(ORDERS / 10))
const CHANGED = Math.min(10_000, ORDERS)
const RUNS = Number(process.env.BENCH_RUNS ?? 3)

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'fedele-bench-replica-'))
  try {
    console.log(
      `\nreplica sync: ${ORDERS.toLocaleString('en')} orders, ${CUSTOMERS.toLocaleString('en')} customers, ${RUNS} runs`,
    )
    const t = performance.now()
    const pglite = await openDatabase({ dataDir: join(dir, 'pglite'), command: 'bench' })
    console.log(`pglite: created in ${((performance.now() - t) / 1000).toFixed(1)} s`)
    try {
      await benchEngine('pglite', pglite, join(dir, 'pglite-replica'))
    } finally {
      await pglite.close()
    }

    const url = process.env.BENCH_DATABASE_URL
    if (url) {
      const name = `fedele_bench_${Date.now().toString(36)}`
      const dbUrl = await createDatabase(url, name)
      const database = await openDatabase({ databaseUrl: dbUrl, dataDir: dir, command: 'bench' })
      try {
        await benchEngine('postgres', database, join(dir, 'postgres-replica'))
      } finally {
        await database.close()
        await dropDatabase(url, name)
      }
    } else {
      console.log('postgres: skipped (set BENCH_DATABASE_URL)')
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function benchEngine(engine: string, database: Database, dir: string): Promise<void> {
  let t = performance.now()
  await bulkInsertCustomers(database.db, CUSTOMERS)
  console.log(`${engine}: ${CUSTOMERS.toLocaleString('en')} customers loaded in ${secs(t)}`)

  const methods = ['copy', 'query'] as const
  const paths = (method: ExportMethod) => ({
    path: join(dir, method, 'replica.duckdb'),
    snapshot: join(dir, method, 'customers-only.duckdb'),
  })
  // A replica holding the customers only, kept to measure "1M new orders" again and again.
  for (const method of methods) {
    const { path, snapshot } = paths(method)
    const replica = await AnalyticsReplica.open(database, { path, exportMethod: method })
    await replica.sync()
    await replica.close()
    copyFileSync(path, snapshot)
  }
  t = performance.now()
  await bulkInsertOrders(database.db, ORDERS, CUSTOMERS)
  console.log(`${engine}: ${ORDERS.toLocaleString('en')} orders loaded in ${secs(t)}`)

  for (const method of methods) {
    const { path, snapshot } = paths(method)
    let replica = await AnalyticsReplica.open(database, { path, exportMethod: method })
    let last: SyncReport | undefined
    let cpuMs = 0
    // CPU of this process (PGlite, DuckDB's threads, JS) for the last run: steadier than wall
    // time on a shared machine. PostgreSQL's own CPU is in the server, not counted here.
    const timed = async (work: () => Promise<SyncReport>) => {
      const cpu = process.cpuUsage()
      last = await work()
      const used = process.cpuUsage(cpu)
      cpuMs = (used.user + used.system) / 1000
    }
    const label = (what: string) => `${engine} ${method.padEnd(5)} ${what}`
    await measure(
      label(`sync ${ORDERS.toLocaleString('en')} new orders`),
      () => timed(() => replica.sync()),
      {
        runs: RUNS,
        rows: ORDERS,
        // Back to the replica as it was before the orders arrived.
        setup: async () => {
          await replica.close()
          await deleteReplicaFiles(path)
          copyFileSync(snapshot, path)
          replica = await AnalyticsReplica.open(database, { path, exportMethod: method })
        },
      },
    )
    split(last, cpuMs, ORDERS)

    await measure(label('rebuild from nothing'), () => timed(() => replica.rebuild()), {
      runs: RUNS,
      rows: ORDERS + CUSTOMERS,
    })
    split(last, cpuMs, ORDERS)

    let from = 1
    await measure(
      label(`sync ${CHANGED.toLocaleString('en')} changed orders`),
      () => timed(() => replica.sync()),
      {
        runs: Math.max(RUNS, 5),
        rows: CHANGED,
        setup: async () => {
          // Through the triggers, as the product writes: one statement, 10k new change sequences.
          await sql`update orders set status = 'refunded', refunded_amount = total
            where id >= ${from} and id < ${from + CHANGED}`.execute(database.db)
          from = from + CHANGED > ORDERS ? 1 : from + CHANGED
        },
      },
    )
    split(last, cpuMs, CHANGED)
    await replica.close()
  }
}

function split(report: SyncReport | undefined, cpuMs: number, orders: number): void {
  if (!report) return
  const got = report.tables.orders.upserted
  if (got !== orders) throw new Error(`expected ${orders} orders synced, got ${got}`)
  console.log(
    `${''.padEnd(10)}last run: ${report.pages} pages, export ${report.exportMs.toFixed(0)} ms, load ${report.loadMs.toFixed(0)} ms (overlapping), total ${report.ms.toFixed(0)} ms, process CPU ${cpuMs.toFixed(0)} ms`,
  )
}

/**
 * The record loaded the way the product writes it, in one statement each: change_seq comes from
 * the column default, and the statement trigger takes the change lock once.
 */
async function bulkInsertCustomers(db: Kysely<DB>, n: number): Promise<void> {
  await sql`
    insert into customers (external_id, content_hash, country, acquisition_channel, tags,
      consent_profiling, source_created_at)
    select 'c' || g, 'h', (array['IT', 'DE', 'FR'])[1 + g % 3], 'web', '{}', g % 2 = 0,
      timestamptz '2022-01-01' + g * interval '7 minutes'
    from generate_series(1, ${n}::int) g`.execute(db)
}

async function bulkInsertOrders(db: Kysely<DB>, n: number, customers: number): Promise<void> {
  await sql`
    insert into orders (external_id, content_hash, customer_id, placed_at, status, currency,
      total, discount, shipping, tax, channel)
    select 'o' || g, 'h', 1 + (g::int8 * 7919) % ${customers}::int,
      timestamptz '2022-01-01' + g * interval '94 seconds' + (g % 1000) * interval '1 microsecond',
      'completed', 'EUR', 1000 + g % 9000, g % 300, 490, 22 * (g % 100),
      (array['web', 'store', 'app'])[1 + g % 3]
    from generate_series(1, ${n}::int) g`.execute(db)
}

async function createDatabase(adminUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    await client.query(`create database ${name}`)
  } finally {
    await client.end()
  }
  const u = new URL(adminUrl)
  u.pathname = `/${name}`
  return u.toString()
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    await client.query(`drop database if exists ${name} with (force)`)
  } finally {
    await client.end()
  }
}

function secs(t0: number): string {
  return `${((performance.now() - t0) / 1000).toFixed(1)} s`
}

if (
  process.argv[1] &&
  import.meta.url === pathToFileURL(process.argv[1]).href &&
  existsSync(process.argv[1])
) {
  await run()
}
