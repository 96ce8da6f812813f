import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.ts'
import { migrationProvider } from './migrations/index.ts'
import { PGliteDialect } from './pglite-dialect.ts'
import type { DB } from './schema.ts'

export type DatabaseKind = 'pglite' | 'postgres'

/** An open system of record: the Kysely handle plus what is needed to close it cleanly. */
export type Database = {
  db: Kysely<DB>
  kind: DatabaseKind
  /** Data directory (embedded) or the URL with its password masked (PostgreSQL). */
  location: string
  close: () => Promise<void>
  /** The raw clients, for bulk COPY by the analytics replica (one of them is set). */
  pglite?: PGlite
  pool?: pg.Pool
}

export type OpenOptions = {
  databaseUrl?: string | undefined
  dataDir: string
  /** Shown to a second process that finds the data directory locked, e.g. "fedele serve". */
  command: string
  migrate?: boolean
  /**
   * PGlite's buffer pool in MB (ignored on PostgreSQL): SHARED_BUFFERS_MB by default, for
   * commands that open, work and exit; SERVER_SHARED_BUFFERS_MB for `fedele serve`.
   */
  sharedBuffersMb?: number
}

const INT8 = 20
const DATE = 1082

/**
 * Opens PostgreSQL when a URL is given, otherwise PGlite in `dataDir` under an exclusive lock.
 * Both return int8 as a JS number and `date` as a YYYY-MM-DD string, so callers see one type
 * system whichever engine is underneath.
 */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  const database = options.databaseUrl
    ? openPostgres(options.databaseUrl)
    : await openPGlite(
        options.dataDir,
        options.command,
        options.sharedBuffersMb ?? SHARED_BUFFERS_MB,
      )
  if (options.migrate !== false) {
    try {
      await migrateToLatest(database.db)
    } catch (e) {
      await database.close()
      throw e
    }
  }
  return database
}

function openPostgres(url: string): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === INT8) return (v: string) => Number(v)
        if (oid === DATE) return (v: string) => v
        return pg.types.getTypeParser(oid, format)
      }) as typeof pg.types.getTypeParser,
    },
  })
  // An idle pooled connection that the server ends (a restart, a failover, an administrator's
  // pg_terminate_backend) is reported on the pool. Unhandled, that event would crash the
  // process; handled, the pool drops the connection and the next query opens a new one.
  pool.on('error', (e) => {
    process.emitWarning(
      `PostgreSQL closed an idle connection: ${e.message}`,
      'FedeleDatabaseWarning',
    )
  })
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
  return {
    db,
    kind: 'postgres',
    location: maskUrl(url),
    pool,
    close: () => db.destroy(),
  }
}

/**
 * PGlite's buffer pool for a command: opening a data dir 303 → 195 MB RSS (32 MB vs the default
 * 128 MB). Misses are served from the OS page cache: warm record queries on 1M orders (a full
 * scan grouped by customer, the latest 1,000 orders, a customer page) took the same CPU within
 * noise.
 */
export const SHARED_BUFFERS_MB = 32
/**
 * PostgreSQL's default, for the long-running server: writes into large tables need their
 * indexes' pages in the pool. HTTP ingest of 1M orders (5,000 a batch; each order goes into the
 * random-ordered `orders_customer_placed` index) read 6.4 GB of evicted pages back and wrote
 * 4.2 GB of pages out with 32 MB, 0.27 and 1.25 GB with 128 MB: 68–69 → 61 µs of CPU an order
 * (ARCHITECTURE.md, bulk upserts). It costs ~100 MB of RSS from the start, since PGlite
 * touches the pool when it opens.
 */
export const SERVER_SHARED_BUFFERS_MB = 128

async function openPGlite(
  dataDir: string,
  command: string,
  sharedBuffersMb: number,
): Promise<Database> {
  const dir = resolve(dataDir)
  mkdirSync(dir, { recursive: true })
  const lock: DataDirLock = acquireDataDirLock(dir, command)
  let pglite: PGlite
  try {
    pglite = await PGlite.create(`${dir}/pg`, {
      parsers: { [DATE]: (v: string) => v },
      // Trigram indexes of the customer search (migration 0006).
      extensions: { pg_trgm },
      // PGlite touches all of its shared buffers when it starts, and WASM memory never shrinks:
      // at PostgreSQL's 128 MB default an open database was ~300 MB RSS. (SHARED_BUFFERS_MB.)
      startParams: [
        ...PGlite.defaultStartParams,
        '-c',
        `shared_buffers=${sharedBuffersMb}MB`,
        // A new 16 MB WAL segment is written full of zeros first (PostgreSQL's way to reserve
        // its disk space, pointless with PGlite's fsync off): ~1.1 GB of 8 KB writes through the
        // emulated file system for 1M ingested orders. Without it, HTTP ingest of 1M orders
        // took 50–51 instead of 59 µs of CPU an order.
        '-c',
        'wal_init_zero=off',
      ],
    })
  } catch (e) {
    lock.release()
    throw e
  }
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) })
  return {
    db,
    kind: 'pglite',
    location: dir,
    pglite,
    close: async () => {
      await db.destroy()
      await pglite.close()
      lock.release()
    },
  }
}

export type MigrationReport = { applied: string[] }

export async function migrateToLatest(db: Kysely<DB>): Promise<MigrationReport> {
  const migrator = new Migrator({ db, provider: migrationProvider })
  const { error, results } = await migrator.migrateToLatest()
  if (error)
    throw error instanceof Error ? error : new Error(`migration failed: ${JSON.stringify(error)}`)
  return {
    applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName),
  }
}

export async function pendingMigrations(db: Kysely<DB>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider })
  const all = await migrator.getMigrations()
  return all.filter((m) => !m.executedAt).map((m) => m.name)
}

export async function instanceId(db: Kysely<DB>): Promise<string> {
  const row = await db
    .selectFrom('fedele_meta')
    .select('value')
    .where('key', '=', 'instance_id')
    .executeTakeFirstOrThrow()
  return row.value
}

export async function ping(db: Kysely<DB>): Promise<void> {
  await sql`select 1`.execute(db)
}

export function maskUrl(url: string): string {
  return url.replace(/(postgres(?:ql)?:\/\/[^:/@]+:)[^@]*@/, '$1***@')
}
