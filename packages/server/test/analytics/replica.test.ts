import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  AnalyticsReplica,
  deleteReplicaFiles,
  REPLICA_TABLES,
  type ReplicaOptions,
  type SyncReport,
} from '../../src/analytics/index.ts'
import { instanceId } from '../../src/db/database.ts'
import { eraseCustomer } from '../../src/repositories/entities.repository.ts'
import { DIALECTS, freshDatabase, type TestDatabase } from '../databases.ts'
import { TEST_TMP } from '../paths.ts'
import { expectReplicaEqualsRecord, rng, Workload } from './workload.ts'

/**
 * Each database kind, exported both ways: 'copy' through the raw client the Database carries
 * (the default), 'query' through Kysely alone (for a Database without it).
 */
const MODES = DIALECTS.flatMap((kind) =>
  (['copy', 'query'] as const).map((method) => [kind, method] as const),
)

const equal = (actual: unknown, expected: unknown, table: string) =>
  expect(actual, `replica table ${table}`).toEqual(expected)

async function countChanged(db: TestDatabase, table: string, from: number, to: number) {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from ${sql.table(table)} where change_seq > ${from} and change_seq <= ${to}`.execute(
    db.db,
  )
  return Number(rows[0]?.n)
}

describe.each(MODES)('analytics replica on %s, export by %s', (kind, method) => {
  let db: TestDatabase
  let dir: string
  const open: AnalyticsReplica[] = []

  beforeAll(async () => {
    db = await freshDatabase(kind)
    dir = mkdtempSync(join(TEST_TMP, 'replica-'))
  })
  afterAll(async () => {
    for (const replica of open) await replica.close()
    await db?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  async function replicaAt(name: string, options: Partial<ReplicaOptions> = {}, on = db) {
    const replica = await AnalyticsReplica.open(on, {
      path: join(dir, name),
      exportMethod: method,
      ...options,
    })
    open.push(replica)
    return replica
  }

  it('mirrors a seeded random sequence of inserts, updates and deletes, row by row, at every sync', async () => {
    // Tiny pages so that paging, gap skipping and the export-ahead pipeline all get exercised.
    const replica = await replicaAt('random.duckdb', { pageSize: 7 })
    const r = rng(kind === 'pglite' ? 20261122 : 777)
    const work = new Workload(db.db, r)
    const totals = { upserted: 0, deleted: 0, rebuilds: 0 }
    for (let round = 0; round < 14; round++) {
      const steps = r.int(0, 30)
      for (let i = 0; i < steps; i++) await work.step()
      const report = await replica.sync()
      if (report.rebuilt) totals.rebuilds++
      for (const table of REPLICA_TABLES) {
        const counts = report.tables[table.name]
        // Nothing writes during the sync, so every row in (from, to] is one upsert.
        expect(counts.upserted, `${table.name} upserted`).toBe(
          await countChanged(db, table.name, report.fromSeq, report.toSeq),
        )
        totals.upserted += counts.upserted
        totals.deleted += counts.deleted
      }
      expect((await replica.status())?.watermark).toBe(report.toSeq)
      await expectReplicaEqualsRecord(db.db, replica, equal)
    }
    expect(totals.rebuilds).toBe(1) // only the first sync builds from nothing
    expect(totals.upserted).toBeGreaterThan(100)
    expect(totals.deleted).toBeGreaterThan(3)
    // A sync with nothing new is a no-op.
    const idle = await replica.sync()
    expect(idle.pages).toBe(0)
    expect(idle.fromSeq).toBe(idle.toSeq)
  })

  it('propagates a GDPR erasure: personal fields nulled, erased_at set, free text gone', async () => {
    const replica = await replicaAt('erasure.duckdb')
    const { rows } = await sql<{ id: number }>`
      insert into customers (external_id, content_hash, email, name, phone, city, postcode, birthday,
        tags, attributes, consent_profiling, consent_profiling_at)
      values ('erase-me', 'h', 'erase@example.it', 'Erasable', '+39 1', 'Milano', '20121', '1980-02-29',
        '{vip,"a, b"}', '{"shoe": 42}', true, '2024-01-01T10:00:00.5Z')
      returning id`.execute(db.db)
    const id = Number(rows[0]?.id)
    await sql`insert into tickets (external_id, content_hash, customer_id, channel, subject, opened_at, status)
      values ('erase-t', 'h', ${id}, 'email', 'my address is ...', now(), 'open')`.execute(db.db)
    await sql`insert into survey_answers (external_id, content_hash, customer_id, survey, kind, score, comment, answered_at)
      values ('erase-a', 'h', ${id}, 'nps-q1', 'nps', 9, 'call me on ...', now())`.execute(db.db)
    await sql`insert into events (external_id, content_hash, customer_id, name, occurred_at, properties)
      values ('erase-e', 'h', ${id}, 'view', now(), '{"q": "my name"}')`.execute(db.db)

    const before = await replica.query<Record<string, unknown>>(
      'select city, postcode, birthday, tags, attributes, erased_at from customers where id = $id',
      { id },
    )
    expect(before).toEqual([
      {
        city: 'Milano',
        postcode: '20121',
        birthday: '1980-02-29',
        tags: ['vip', 'a, b'],
        attributes: { shoe: 42 },
        erased_at: null,
      },
    ])

    expect(await eraseCustomer(db.db, 'erase-me', 'erased-1')).toBe(id)
    const [after] = await replica.query<Record<string, unknown>>(
      'select * from customers where id = $id',
      { id },
    )
    expect(after).toMatchObject({
      city: null,
      postcode: null,
      birthday: null,
      tags: [],
      attributes: {},
      consent_profiling: null,
      consent_profiling_at: null,
    })
    expect(after?.erased_at).toBeInstanceOf(Date)
    const freeText = await replica.query(
      `select (select subject from tickets where customer_id = $id) as subject,
              (select comment from survey_answers where customer_id = $id) as comment,
              (select properties from events where customer_id = $id) as properties`,
      { id },
      { sync: false },
    )
    expect(freeText).toEqual([{ subject: null, comment: null, properties: {} }])
    // Direct identifiers never reach the replica at all.
    const columns = await replica.query<{ column_name: string }>(
      `select column_name from duckdb_columns() where table_name = 'customers'`,
      [],
      { sync: false },
    )
    expect(columns.map((c) => c.column_name)).not.toContain('email')
    expect(columns.map((c) => c.column_name)).not.toContain('name')
    expect(columns.map((c) => c.column_name)).not.toContain('phone')
    await expectReplicaEqualsRecord(db.db, replica, equal)
  })

  it('rebuilds from nothing when the replica belongs to another database, has another schema version, or is ahead of the record', async () => {
    const work = new Workload(db.db, rng(5))
    for (let i = 0; i < 20; i++) await work.step()
    const replica = await replicaAt('instance.duckdb')
    await replica.sync()
    await replica.close()

    const other = await freshDatabase(kind)
    try {
      // PGlite test databases are copies of one template, so they share its instance id (a copied
      // data directory IS the same instance); make this one a different database.
      await sql`update fedele_meta set value = md5(random()::text) where key = 'instance_id'`.execute(
        other.db,
      )
      const otherWork = new Workload(other.db, rng(6))
      for (let i = 0; i < 15; i++) await otherWork.step()
      const moved = await replicaAt('instance.duckdb', {}, other)
      const report = await moved.sync()
      expect(report.rebuilt).toBe('instance')
      expect((await moved.status())?.instanceId).toBe(await instanceId(other.db))
      await expectReplicaEqualsRecord(other.db, moved, equal)

      // Another replica schema version (as a newer Fedele would find it).
      await moved.query(`update replica_state set schema_version = schema_version + 1`, [], {
        sync: false,
      })
      expect((await moved.sync()).rebuilt).toBe('schema')
      await expectReplicaEqualsRecord(other.db, moved, equal)

      // A record behind its replica (restored from a backup): the replica cannot un-apply.
      await moved.query(`update replica_state set watermark = watermark + 1000`, [], {
        sync: false,
      })
      expect((await moved.sync()).rebuilt).toBe('behind')
      await expectReplicaEqualsRecord(other.db, moved, equal)
      await moved.close()
    } finally {
      await other.close()
    }
  })

  it('rebuild() and a replica made from nothing both equal the record', async () => {
    const work = new Workload(db.db, rng(11))
    const replica = await replicaAt('rebuild.duckdb', { pageSize: 50 })
    for (let i = 0; i < 40; i++) await work.step()
    await replica.sync()
    for (let i = 0; i < 40; i++) await work.step()
    await replica.query('create table scratch as select 1 as x', [], { sync: false })

    const report = await replica.rebuild()
    expect(report.rebuilt).toBe('requested')
    expect(report.fromSeq).toBe(0)
    await expectReplicaEqualsRecord(db.db, replica, equal)
    const tables = await replica.query<{ name: string }>(
      `select table_name as name from duckdb_tables() where schema_name = 'main' order by 1`,
      [],
      { sync: false },
    )
    expect(tables.map((t) => t.name)).toEqual(
      [...REPLICA_TABLES.map((t) => t.name), 'replica_state'].sort(),
    )
    await replica.close()

    await deleteReplicaFiles(join(dir, 'rebuild.duckdb'))
    const fresh = await replicaAt('rebuild.duckdb')
    expect(await fresh.status()).toBeNull()
    expect((await fresh.sync()).rebuilt).toBe('new')
    await expectReplicaEqualsRecord(db.db, fresh, equal)
  })

  it('an interrupted sync leaves replica and watermark unchanged, and the next sync converges', async () => {
    let fault: 'page' | 'commit' | null = 'page'
    let pages = 0
    const replica = await replicaAt('fault.duckdb', {
      pageSize: 3,
      hooks: {
        afterPage: () => {
          if (fault === 'page' && ++pages === 2) throw new Error('injected fault after a page')
        },
        beforeCommit: () => {
          if (fault === 'commit') throw new Error('injected fault before commit')
        },
      },
    })
    const work = new Workload(db.db, rng(3))
    for (let i = 0; i < 30; i++) await work.step()

    // Even the very first build: nothing is left behind, not even the tables.
    await expect(replica.sync()).rejects.toThrow('injected fault after a page')
    expect(await replica.status()).toBeNull()

    fault = null
    await replica.sync()
    const synced = await replica.status()
    const snapshot = await Promise.all(
      REPLICA_TABLES.map((t) =>
        replica.query(`select * from ${t.name} order by id`, [], { sync: false }),
      ),
    )

    for (let i = 0; i < 30; i++) await work.step()
    await work.deleteSome()
    for (const where of ['page', 'commit'] as const) {
      fault = where
      pages = 0
      await expect(replica.sync()).rejects.toThrow(/injected fault/)
      expect(await replica.status()).toEqual(synced)
      const now = await Promise.all(
        REPLICA_TABLES.map((t) =>
          replica.query(`select * from ${t.name} order by id`, [], { sync: false }),
        ),
      )
      expect(now).toEqual(snapshot)
    }
    // The per-sync temp directories are gone too.
    expect(readdirSync(dir).filter((f) => f.includes('.sync-'))).toEqual([])

    fault = null
    const report = await replica.sync()
    expect(report.fromSeq).toBe(synced?.watermark)
    await expectReplicaEqualsRecord(db.db, replica, equal)
  })

  it('serializes concurrent syncs and waits for writers in flight', async () => {
    const replica = await replicaAt('concurrency.duckdb')
    const work = new Workload(db.db, rng(8))
    await replica.sync()
    for (let i = 0; i < 10; i++) await work.step()
    await work.insertOrderWithLines()
    const reports: SyncReport[] = await Promise.all([replica.sync(), replica.sync()])
    const [a, b] = reports as [SyncReport, SyncReport]
    // Had they interleaved, both would have started from the same watermark.
    expect(b.fromSeq).toBe(a.toSeq)
    expect(a.tables.orders.upserted).toBeGreaterThan(0)

    // A transaction holding sequences it has not committed yet: the sync must wait for it rather
    // than move its watermark past rows it cannot see.
    const trx = await db.db.startTransaction().execute()
    const { rows } = await sql<{ id: number }>`
      insert into orders (external_id, content_hash, placed_at, status, currency, total)
      values ('in-flight', 'h', now(), 'completed', 'EUR', 100) returning id`.execute(trx)
    let done = false
    const syncing = replica.sync().finally(() => (done = true))
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(done).toBe(false)
    await trx.commit().execute()
    const report = await syncing
    expect(report.tables.orders.upserted).toBe(1)
    const seen = await replica.query(
      'select id from orders where id = $id',
      { id: rows[0]?.id },
      {
        sync: false,
      },
    )
    expect(seen).toHaveLength(1)

    // A rolled-back writer leaves a gap in the sequence and nothing else.
    const rolledBack = await db.db.startTransaction().execute()
    await sql`insert into orders (external_id, content_hash, placed_at, status, currency, total)
      values ('rolled-back', 'h', now(), 'completed', 'EUR', 1)`.execute(rolledBack)
    await rolledBack.rollback().execute()
    await replica.sync()
    await expectReplicaEqualsRecord(db.db, replica, equal)
  })

  it.runIf(kind === 'pglite' && method === 'copy')(
    "PGlite's CSV device: a COPY to it with no file open fails as an error and PGlite goes on",
    async () => {
      const replica = await replicaAt('device.duckdb')
      const work = new Workload(db.db, rng(12))
      for (let i = 0; i < 10; i++) await work.step()
      // The first export registers the device.
      await replica.sync()
      const pglite = db.pglite
      if (!pglite) throw new Error('a PGlite database carries its client')
      await expect(
        pglite.query(`copy (select 1 from generate_series(1, 100000)) to '/dev/fedele-csv'`),
      ).rejects.toThrow(/could not write to COPY file/)
      expect((await pglite.query<{ n: number }>('select 41 + 1 as n')).rows).toEqual([{ n: 42 }])
      for (let i = 0; i < 10; i++) await work.step()
      await replica.sync()
      await expectReplicaEqualsRecord(db.db, replica, equal)
    },
  )

  it('query: plain JS values, named and positional parameters, automatic sync', async () => {
    const replica = await replicaAt('query.duckdb')
    const { rows } = await sql<{ id: number }>`
      insert into customers (external_id, content_hash, birthday, tags, attributes)
      values ('q-1', 'h', '1999-12-31', '{a,b}', '{"k": [1, "x"]}') returning id`.execute(db.db)
    const customer = Number(rows[0]?.id)
    const inserted = await sql<{ id: number }>`
      insert into orders (external_id, content_hash, customer_id, placed_at, status, currency, total)
      values ('q-o1', 'h', ${customer}, '2025-03-31 23:30:00.123456+00', 'completed', 'EUR', 12345)
      returning id`.execute(db.db)
    const order = Number(inserted.rows[0]?.id)

    // Sync happens by itself before the read.
    const [row] = await replica.query(
      'select id, total, placed_at, currency from orders where id = $id',
      {
        id: order,
      },
    )
    expect(row).toEqual({
      id: order,
      total: 12345,
      placed_at: new Date('2025-03-31T23:30:00.123Z'),
      currency: 'EUR',
    })
    // Microseconds are kept in the replica even though a Date cannot show them.
    const [micros] = await replica.query(
      `select strftime(placed_at, '%f') as us from orders where id = ?`,
      [order],
      { sync: false },
    )
    expect(micros).toEqual({ us: '123456' })
    const [c] = await replica.query(
      'select birthday, tags, attributes from customers where id = $1',
      [customer],
      { sync: false },
    )
    expect(c).toEqual({ birthday: '1999-12-31', tags: ['a', 'b'], attributes: { k: [1, 'x'] } })
    const [values] = await replica.query(
      `select $t::TIMESTAMPTZ as t, 9007199254740993::BIGINT as big, sum(total) as s,
              strftime(timestamptz '2025-01-01 00:30:00+01', '%Y-%m-%d %H:%M') as utc
       from orders where id = $id`,
      { t: new Date('2024-02-29T12:00:00.250Z'), id: order },
      { sync: false },
    )
    expect(values).toEqual({
      t: new Date('2024-02-29T12:00:00.250Z'),
      big: 9007199254740993n, // beyond 2^53: stays exact as a bigint
      s: 12345, // sum(BIGINT) is a HUGEINT in DuckDB: a number when safe
      utc: '2024-12-31 23:30', // the replica's sessions run in UTC
    })

    await sql`insert into orders (external_id, content_hash, placed_at, status, currency, total)
      values ('q-o2', 'h', now(), 'completed', 'EUR', 1)`.execute(db.db)
    const count = async (options?: { sync: boolean }) =>
      (await replica.query<{ n: number }>('select count(*) as n from orders', [], options))[0]?.n
    const stale = await count({ sync: false })
    expect(await count()).toBe((stale ?? 0) + 1)
    await expect(replica.query('select $x as x', { x: { an: 'object' } })).rejects.toThrow(
      'query parameter $x',
    )
  })
})
