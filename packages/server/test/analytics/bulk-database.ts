import { cpSync, mkdirSync, rmSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import { Kysely } from 'kysely'
import pg from 'pg'
import type { BulkClients } from '../../src/analytics/index.ts'
import { migrateToLatest, type Database, type DatabaseKind } from '../../src/db/database.ts'
import { PGliteDialect } from '../../src/db/pglite-dialect.ts'
import type { DB } from '../../src/db/schema.ts'
import { freshDatabase, type TestDatabase } from '../databases.ts'
import { TEMPLATE_DIR, TEST_TMP } from '../paths.ts'

/**
 * A database that also exposes its raw client, as `Database` would with the change proposed
 * for the replica's COPY export (`pglite` / `pool` fields). Until `openDatabase` returns them,
 * tests and the benchmark build it here; everything else is the product's own code.
 */
export type BulkTestDatabase = TestDatabase & BulkClients

const DATE = 1082

export async function freshBulkDatabase(kind: DatabaseKind): Promise<BulkTestDatabase> {
  if (kind === 'postgres') {
    const db = await freshDatabase('postgres')
    // A second pool on the same database: COPY needs a pg client, Kysely keeps its own.
    const pool = new pg.Pool({ connectionString: db.url, max: 2 })
    return {
      ...db,
      pool,
      close: async () => {
        await pool.end()
        await db.close()
      },
    }
  }
  const dataDir = `${TEST_TMP}bulk-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`
  cpSync(TEMPLATE_DIR, dataDir, { recursive: true })
  rmSync(`${dataDir}/fedele.lock`, { force: true })
  const db = await openPGliteWithClient(dataDir)
  return {
    ...db,
    dataDir,
    close: async () => {
      await db.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** PGlite in `dataDir` (created and migrated when new), with the PGlite instance exposed. */
export async function openPGliteWithClient(dataDir: string): Promise<Database & BulkClients> {
  mkdirSync(dataDir, { recursive: true })
  const pglite = await PGlite.create(`${dataDir}/pg`, { parsers: { [DATE]: (v: string) => v } })
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) })
  await migrateToLatest(db)
  return {
    db,
    kind: 'pglite',
    location: dataDir,
    pglite,
    close: async () => {
      await db.destroy()
      await pglite.close()
    },
  }
}
