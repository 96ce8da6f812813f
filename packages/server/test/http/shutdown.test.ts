import { cpSync, rmSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/db/database.ts'
import { TEMPLATE_DIR, TEST_TMP } from '../paths.ts'
import { startServe, waitExit } from '../processes.ts'

describe('graceful shutdown', () => {
  const dir = `${TEST_TMP}shutdown-${process.pid}`
  cpSync(TEMPLATE_DIR, dir, { recursive: true })
  rmSync(`${dir}/fedele.lock`, { force: true })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('finishes the write in flight when SIGTERM arrives, then exits 0', async () => {
    const server = await startServe(['--data', dir])
    const setup = await fetch(`${server.url}/api/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'o@example.it', password: 'a long enough password' }),
    })
    const headers = {
      'content-type': 'application/json',
      cookie: setup.headers.get('set-cookie')!.split(';')[0]!,
      'x-csrf-token': ((await setup.json()) as { csrf_token: string }).csrf_token,
    }
    const records = Array.from({ length: 10_000 }, (_, i) => ({ external_id: `g${i}`, country: 'IT' }))
    const inFlight = fetch(`${server.url}/api/customers/batch`, { method: 'POST', headers, body: JSON.stringify({ records }) })
    await new Promise((r) => setTimeout(r, 400))
    server.child.kill('SIGTERM')
    const res = await inFlight
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ inserted: 10_000 })
    expect(await waitExit(server.child)).toBe(0)

    const database = await openDatabase({ dataDir: dir, command: 'check' })
    const n = await database.db.selectFrom('customers').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()
    await database.close()
    expect(Number(n.n)).toBe(10_000)
  })
})
