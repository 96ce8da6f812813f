import { cpSync, existsSync, rmSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { TEMPLATE_DIR, TEST_TMP } from '../paths.ts'
import { runFedele, startServe, waitExit } from '../processes.ts'

describe('the fedele command', () => {
  const dir = `${TEST_TMP}cli-${process.pid}`
  cpSync(TEMPLATE_DIR, dir, { recursive: true })
  rmSync(`${dir}/fedele.lock`, { force: true })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('prints its version and help', async () => {
    const v = await runFedele(['--version'])
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/)
    const help = await runFedele(['--help'])
    for (const cmd of ['serve', 'migrate', 'user', 'apikey', 'doctor']) expect(help.stdout).toContain(cmd)
    const sub = await runFedele(['apikey', 'create', '--help'])
    expect(sub.stdout).toContain('--scopes')
  })

  it('creates a user and an API key, with --json', async () => {
    const user = await runFedele(['user', 'create', '--email', 'ana@example.it', '--password', 'long password 1', '--role', 'admin', '--data', dir, '--json'])
    expect(user.code).toBe(0)
    expect(JSON.parse(user.stdout)).toMatchObject({ email: 'ana@example.it', role: 'admin' })
    const key = await runFedele(['apikey', 'create', '--name', 'shop', '--scopes', 'ingest,read', '--data', dir, '--json'])
    expect(JSON.parse(key.stdout).key).toMatch(/^fdl_[0-9a-f]{12}_/)
  })

  it('validates options with clear messages', async () => {
    const badRole = await runFedele(['user', 'create', '--email', 'x@example.it', '--password', 'long password 1', '--role', 'boss', '--data', dir])
    expect(badRole.code).toBe(1)
    expect(badRole.stderr).toContain('--role')
    const badScope = await runFedele(['apikey', 'create', '--name', 'k', '--scopes', 'admin', '--data', dir, '--json'])
    expect(badScope.code).toBe(1)
    expect(JSON.parse(badScope.stdout).error).toContain('--scopes')
    const short = await runFedele(['user', 'create', '--email', 'y@example.it', '--password', 'short', '--data', dir])
    expect(short.stderr).toContain('at least 10 characters')
    const unknown = await runFedele(['frobnicate'])
    expect(unknown.code).not.toBe(0)
  })

  it('doctor reports the checks as JSON', async () => {
    const r = await runFedele(['doctor', '--data', dir, '--json'])
    const report = JSON.parse(r.stdout) as { checks: { check: string; status: string }[] }
    expect(report.checks.map((c) => c.check)).toEqual(expect.arrayContaining(['node', 'environment', 'data directory', 'schema', 'users']))
    expect(report.checks.find((c) => c.check === 'schema')?.status).toBe('ok')
  })

  it('demo builds a deterministic business once and reuses it', async () => {
    const demoDir = `${dir}-demo`
    try {
      const first = await runFedele(['demo', '--customers', '300', '--seed', '3', '--now', '2026-01-31', '--no-serve', '--data', demoDir, '--json'], {}, 120_000)
      expect(first.code, first.stderr).toBe(0)
      const a = JSON.parse(first.stdout)
      expect(a).toMatchObject({ reused: false, customers: 300, seed: 3, needs_owner: true })
      expect(a.records).toBeGreaterThan(300)
      const second = await runFedele(['demo', '--customers', '300', '--seed', '3', '--now', '2026-01-31', '--no-serve', '--data', demoDir, '--json'])
      expect(JSON.parse(second.stdout)).toMatchObject({ reused: true, customers: 300 })
      const other = await runFedele(['demo', '--customers', '400', '--no-serve', '--data', demoDir, '--json'])
      expect(other.code).toBe(1)
      expect(JSON.parse(other.stdout).error).toContain('different demo')
    } finally {
      rmSync(demoDir, { recursive: true, force: true })
    }
  }, 180_000)

  it('demo serves the business it loaded from the same open database, and stops cleanly', async () => {
    const demoDir = `${dir}-demo-serve`
    try {
      const served = await startServe(['--customers', '200', '--seed', '4', '--data', demoDir], {}, 'demo')
      try {
        expect((await fetch(`${served.url}/api/ready`)).status).toBe(200)
        const second = await runFedele(['migrate', '--data', demoDir])
        expect(second.stderr).toContain(`in use by process ${served.pid} (fedele demo)`)
      } finally {
        served.child.kill('SIGTERM')
        expect(await waitExit(served.child)).toBe(0)
      }
      expect(existsSync(`${demoDir}/fedele.lock`)).toBe(false)
      const again = await runFedele(['demo', '--customers', '200', '--seed', '4', '--no-serve', '--data', demoDir, '--json'])
      expect(JSON.parse(again.stdout)).toMatchObject({ reused: true, customers: 200 })
    } finally {
      rmSync(demoDir, { recursive: true, force: true })
    }
  }, 180_000)

  it('doctor names a bad environment variable', async () => {
    const r = await runFedele(['doctor', '--json'], { DATABASE_URL: 'mysql://nope' })
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('DATABASE_URL')
  })
})
