import { sql } from 'kysely'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { freshDatabase } from '../databases.ts'

/**
 * PostgreSQL ending an idle pooled connection (a restart, a failover, pg_terminate_backend) must
 * not crash Fedele: the pool reports it, drops the connection, and the next query opens another.
 */
describe.runIf(process.env.TEST_DATABASE_URL)('PostgreSQL pool', () => {
  it('survives the server ending an idle connection', async () => {
    const database = await freshDatabase('postgres')
    const warnings: string[] = []
    const onWarning = (w: Error) => warnings.push(w.message)
    process.on('warning', onWarning)
    try {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(
        database.db,
      )
      const pid = rows[0]!.pid
      const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL })
      await admin.connect()
      try {
        await admin.query('select pg_terminate_backend($1)', [pid])
      } finally {
        await admin.end()
      }
      await expect
        .poll(() => warnings.some((w) => w.includes('PostgreSQL closed an idle connection')))
        .toBe(true)
      const again = await sql<{ one: number }>`select 1 as one`.execute(database.db)
      expect(again.rows[0]!.one).toBe(1)
    } finally {
      process.off('warning', onWarning)
      await database.close()
    }
  })
})
