import { cpSync, existsSync, rmSync, writeFileSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { TEMPLATE_DIR, TEST_TMP } from '../paths.ts'
import { runFedele, startServe, waitExit } from '../processes.ts'

describe('the embedded data directory lock (two real processes)', () => {
  const dir = `${TEST_TMP}lock-${process.pid}`
  cpSync(TEMPLATE_DIR, dir, { recursive: true })
  rmSync(`${dir}/fedele.lock`, { force: true })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('refuses a second process with a clear message, and frees the directory on shutdown', async () => {
    const first = await startServe(['--data', dir])
    try {
      const second = await runFedele(['migrate', '--data', dir])
      expect(second.code).toBe(1)
      expect(second.stderr).toContain(
        `data directory ${dir} is in use by process ${first.pid} (fedele serve); stop it or use another --data`,
      )
    } finally {
      first.child.kill('SIGTERM')
      await waitExit(first.child)
    }
    expect(existsSync(`${dir}/fedele.lock`)).toBe(false)
    const after = await runFedele(['migrate', '--data', dir, '--json'])
    expect(after.code).toBe(0)
    expect(JSON.parse(after.stdout)).toMatchObject({ database: 'pglite', applied: [] })
  })

  it('takes over a stale lock left by a killed process', async () => {
    const first = await startServe(['--data', dir])
    first.child.kill('SIGKILL')
    await waitExit(first.child)
    expect(existsSync(`${dir}/fedele.lock`)).toBe(true)
    const after = await runFedele(['migrate', '--data', dir])
    expect(after.code).toBe(0)
  })

  it('treats an unreadable lock file (torn write) as stale', async () => {
    writeFileSync(`${dir}/fedele.lock`, '{"pid":')
    const after = await runFedele(['migrate', '--data', dir])
    expect(after.code).toBe(0)
  })
})
