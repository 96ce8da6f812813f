import { spawn } from 'node:child_process'
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { AnalyticsReplica } from '../../src/analytics/index.ts'
import { openDatabase, type Database } from '../../src/db/database.ts'
import { createPostgresDatabase, dropPostgresDatabase, DIALECTS } from '../databases.ts'
import { TEMPLATE_DIR, TEST_TMP } from '../paths.ts'
import { expectReplicaEqualsRecord, rng, Workload } from './workload.ts'

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url))
const REGISTER = fileURLToPath(new URL('../../bin/register.js', import.meta.url))

function runChild(
  args: string[],
): Promise<{ signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', REGISTER, CHILD, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`crash child timed out: ${stderr}`))
    }, 90_000)
    child.on('close', (_code, signal) => {
      clearTimeout(timer)
      resolve({ signal, stdout, stderr })
    })
  })
}

describe.each(DIALECTS)('analytics replica on %s, process killed mid-sync', (kind) => {
  const dir = mkdtempSync(join(TEST_TMP, 'replica-crash-'))
  const cleanup: (() => Promise<void>)[] = []
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c()
    rmSync(dir, { recursive: true, force: true })
  })

  it('loses nothing: the watermark stays where the last commit left it, and the next sync converges', async () => {
    // The record: PGlite allows one process at a time, so the parent opens it only around the child.
    let location: string
    let open: () => Promise<Database>
    if (kind === 'pglite') {
      location = join(dir, 'record')
      cpSync(TEMPLATE_DIR, location, { recursive: true })
      rmSync(join(location, 'fedele.lock'), { force: true })
      open = () => openDatabase({ dataDir: location, command: 'test' })
    } else {
      const name = `crash${Date.now().toString(36)}`
      location = await createPostgresDatabase(name)
      cleanup.push(() => dropPostgresDatabase(name))
      open = () => openDatabase({ databaseUrl: location, dataDir: dir, command: 'test' })
    }
    let db = await open()
    const work = new Workload(db.db, rng(42))
    for (let i = 0; i < 40; i++) await work.step()
    await db.close()

    const replicaPath = join(dir, 'replica.duckdb')
    const child = await runChild([kind, location, replicaPath])
    expect(child.signal, child.stderr).toBe('SIGKILL')
    const firstWatermark = Number(child.stdout.trim())
    expect(firstWatermark).toBeGreaterThan(0)

    const leftovers = () => readdirSync(dir).filter((f) => f.startsWith('replica.duckdb.sync-'))
    expect(leftovers()).toHaveLength(1) // the killed sync's CSV pages

    db = await open()
    cleanup.push(() => db.close())
    const replica = await AnalyticsReplica.open(db, { path: replicaPath })
    cleanup.push(() => replica.close())
    expect(leftovers()).toEqual([])
    expect((await replica.status())?.watermark).toBe(firstWatermark)
    const report = await replica.sync()
    expect(report.rebuilt).toBeNull()
    expect(report.fromSeq).toBe(firstWatermark)
    await expectReplicaEqualsRecord(db.db, replica, (actual, expected, table) =>
      expect(actual, `replica table ${table}`).toEqual(expected),
    )
  })
})
