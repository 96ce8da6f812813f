import { cpSync, rmSync } from 'node:fs'
import { sql, type Kysely } from 'kysely'
import pino from 'pino'
import { afterAll, describe, expect, it } from 'vitest'
import { readEnv } from '../../src/config/env.ts'
import { openDatabase } from '../../src/db/database.ts'
import type { DB } from '../../src/db/schema.ts'
import { startServer } from '../../src/server.ts'
import { TEMPLATE_DIR, TEST_TMP } from '../paths.ts'

// PGlite's buffer pool: small for commands, PostgreSQL's default for the server (database.ts).
const dir = `${TEST_TMP}buffer-pool-${process.pid}`
cpSync(TEMPLATE_DIR, dir, { recursive: true })
rmSync(`${dir}/fedele.lock`, { force: true })
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function sharedBuffers(db: Kysely<DB>): Promise<string> {
  const r = await sql<{ shared_buffers: string }>`show shared_buffers`.execute(db)
  return r.rows[0]!.shared_buffers
}

describe("PGlite's buffer pool", () => {
  it('is 32 MB for a command unless asked otherwise (and new WAL segments are not zero-filled)', async () => {
    for (const [asked, shown] of [
      [undefined, '32MB'],
      [48, '48MB'],
    ] as const) {
      const database = await openDatabase({ dataDir: dir, command: 'test', sharedBuffersMb: asked })
      try {
        expect(await sharedBuffers(database.db)).toBe(shown)
        const zero = await sql<{ wal_init_zero: string }>`show wal_init_zero`.execute(database.db)
        expect(zero.rows[0]!.wal_init_zero).toBe('off')
      } finally {
        await database.close()
      }
    }
  })

  it('is 128 MB in the server', async () => {
    const parsed = readEnv({
      FEDELE_DATA_DIR: dir,
      FEDELE_PORT: '0',
      FEDELE_HOST: '127.0.0.1',
      FEDELE_LOG_LEVEL: 'silent',
    })
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
    const server = await startServer(parsed.env, pino({ level: 'silent' }))
    try {
      expect(await sharedBuffers(server.ctx.database.db)).toBe('128MB')
    } finally {
      await server.close()
    }
  })
})
