import { cpSync, rmSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { openDatabase, type Database, type DatabaseKind } from '../src/db/database.ts'
import { TEMPLATE_DIR, TEST_TMP } from './paths.ts'

/**
 * One storage suite on every database: PGlite always, PostgreSQL when TEST_DATABASE_URL is set
 * (CI sets it). DIALECTS=pglite or DIALECTS=postgres narrows the list.
 */
export const DIALECTS: DatabaseKind[] = (() => {
  const wanted = (process.env.DIALECTS ?? 'pglite,postgres').split(',')
  const list: DatabaseKind[] = []
  if (wanted.includes('pglite')) list.push('pglite')
  if (wanted.includes('postgres') && process.env.TEST_DATABASE_URL) list.push('postgres')
  return list
})()

export type TestDatabase = Database & { dataDir: string; url?: string }

/** A fresh, migrated database of the given kind; `close()` also deletes it. */
export async function freshDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  const name = `t${Date.now().toString(36)}${randomBytes(4).toString('hex')}`
  const dataDir = `${TEST_TMP}${name}`
  if (kind === 'pglite') {
    cpSync(TEMPLATE_DIR, dataDir, { recursive: true })
    rmSync(`${dataDir}/fedele.lock`, { force: true })
    const db = await openDatabase({ dataDir, command: 'test' })
    return {
      ...db,
      dataDir,
      close: async () => {
        await db.close()
        rmSync(dataDir, { recursive: true, force: true })
      },
    }
  }
  const url = await createPostgresDatabase(name)
  const db = await openDatabase({ databaseUrl: url, dataDir, command: 'test' })
  return {
    ...db,
    dataDir,
    url,
    close: async () => {
      await db.close()
      await dropPostgresDatabase(name)
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL
  if (!url) throw new Error('TEST_DATABASE_URL is not set')
  return url
}

export async function createPostgresDatabase(name: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl() })
  await client.connect()
  try {
    await client.query(`create database ${name}`)
  } finally {
    await client.end()
  }
  const u = new URL(adminUrl())
  u.pathname = `/${name}`
  return u.toString()
}

export async function dropPostgresDatabase(name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl() })
  await client.connect()
  try {
    await client.query(`drop database if exists ${name} with (force)`)
  } finally {
    await client.end()
  }
}
