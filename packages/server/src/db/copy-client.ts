import type { PGlite } from '@electric-sql/pglite'
import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely'
import type pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import type { Database } from './database.ts'
import type { DB } from './schema.ts'

/**
 * What a bulk COPY needs from an engine's raw client, inside the caller's transaction: plain
 * statements (savepoints), one value of a query, and `COPY … FROM` of CSV text. Kysely cannot
 * COPY, so the batch write paths that do (repositories/bulk-load.repository.ts) take one of these
 * beside the Kysely handle of the same transaction.
 */
export type CopyClient = {
  exec(text: string): Promise<void>
  /** The first column of the first row (undefined when there is none). */
  value(text: string, params: readonly unknown[]): Promise<unknown>
  /** `COPY table (columns) FROM … (format csv)` of `csv`; answers the rows copied. */
  copyCsv(table: string, columns: readonly string[], csv: string): Promise<number>
}

/** PGlite has one session: its client is inside whatever transaction Kysely has open on it. */
export function pgliteCopyClient(pglite: PGlite): CopyClient {
  return {
    async exec(text) {
      await pglite.exec(text)
    },
    async value(text, params) {
      const res = await pglite.query<unknown[]>(text, [...params], { rowMode: 'array' })
      return res.rows[0]?.[0]
    },
    async copyCsv(table, columns, csv) {
      // One string, one Blob part: a Blob of one part per row encoded and read each part on its
      // own (~5 s of CPU for 1M orders, measured by profile).
      const res = await pglite.query(
        `copy ${table} (${columns.join(', ')}) from '/dev/blob' with (format csv)`,
        [],
        { blob: new Blob([csv]) },
      )
      return res.affectedRows ?? 0
    },
  }
}

/** A pg client checked out of the pool (see withCopyClient): COPY FROM STDIN through pg-copy-streams. */
export function pgCopyClient(client: pg.PoolClient): CopyClient {
  return {
    async exec(text) {
      await client.query(text)
    },
    async value(text, params) {
      const res = await client.query<unknown[]>({ text, values: [...params], rowMode: 'array' })
      return res.rows[0]?.[0]
    },
    copyCsv(table, columns, csv) {
      return new Promise((resolve, reject) => {
        const stream = client.query(
          copyFrom(`copy ${table} (${columns.join(', ')}) from stdin with (format csv)`),
        )
        stream.on('error', reject)
        // 'finish' waits for the server's answer (pg-copy-streams delays it to ReadyForQuery).
        stream.on('finish', () => resolve(stream.rowCount))
        stream.end(csv)
      })
    },
  }
}

/**
 * Runs `fn` with a Kysely handle and the raw client of ONE connection: PGlite's own, or a pg
 * client checked out of the pool for the call, so that a transaction `fn` opens with Kysely
 * and the COPYs it sends through the client are the same session. Kysely's handle over the
 * checked-out client never hands it back to the pool itself; this does, at the end (the pool
 * itself drops a client whose connection broke).
 */
export async function withCopyClient<T>(
  database: Database,
  fn: (db: Kysely<DB>, copy: CopyClient | undefined) => Promise<T>,
): Promise<T> {
  if (database.pglite) return fn(database.db, pgliteCopyClient(database.pglite))
  if (!database.pool) return fn(database.db, undefined)
  const client = await database.pool.connect()
  try {
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: oneClientPool(client) }) })
    return await fn(db, pgCopyClient(client))
  } finally {
    client.release()
  }
}

/** A "pool" of the one checked-out client, whose release does nothing (withCopyClient releases it). */
function oneClientPool(client: pg.PoolClient): PostgresPool {
  const borrowed: PostgresPoolClient = {
    query: client.query.bind(client),
    release: () => {},
  }
  return { connect: async () => borrowed, end: async () => {} }
}
