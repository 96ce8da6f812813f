import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/db/database.ts'
import { loadDemo } from '../../src/services/demo.service.ts'
import { DIALECTS, freshDatabase, type TestDatabase } from '../databases.ts'
import { TEMPLATE_DIR, TEST_TMP } from '../paths.ts'
import { runFedele } from '../processes.ts'

const NOW = new Date(Date.now() - 86_400_000).toISOString()

/** `fedele predict score | report` as a real process on the workspace (embedded or PostgreSQL). */
describe.each(DIALECTS)('fedele predict on the workspace (%s)', (kind) => {
  let pg: TestDatabase | undefined
  let dataDir: string
  let env: Record<string, string> = {}

  beforeAll(async () => {
    dataDir = mkdtempSync(join(TEST_TMP, 'predict-cli-'))
    if (kind === 'postgres') {
      // PostgreSQL takes many clients: the test keeps its connection while the CLI runs.
      pg = await freshDatabase(kind)
      env = { DATABASE_URL: pg.url ?? '' }
      await loadDemo(pg.db, { seed: 5, customers: 1200, now: NOW })
    } else {
      // The embedded database allows one process: load, close, then hand it to the CLI.
      rmSync(dataDir, { recursive: true, force: true })
      cpSync(TEMPLATE_DIR, dataDir, { recursive: true })
      rmSync(join(dataDir, 'fedele.lock'), { force: true })
      const db = await openDatabase({ dataDir, command: 'test' })
      await loadDemo(db.db, { seed: 5, customers: 1200, now: NOW })
      await db.close()
    }
  }, 300_000)
  afterAll(async () => {
    await pg?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('report before any run says what to do', async () => {
    const r = await runFedele(['predict', 'report', '--data', dataDir], env)
    expect(r.code).toBe(1)
    expect(r.stderr + r.stdout).toMatch(/fedele predict score/)
  })

  it('score fits, stores and scores; report --json and --html read the run back', async () => {
    const score = await runFedele(['predict', 'score', '--data', dataDir, '--json'], env, 180_000)
    expect(score.code, score.stderr).toBe(0)
    const report = JSON.parse(score.stdout) as {
      customers: number
      clvMethod: string
      modelVersion: string
    }
    expect(report.clvMethod).toBe('model')
    expect(report.customers).toBeGreaterThan(300)

    const html = join(dataDir, 'predictions.html')
    const r = await runFedele(
      ['predict', 'report', '--data', dataDir, '--json', '--html', html],
      env,
    )
    expect(r.code, r.stderr).toBe(0)
    const summary = JSON.parse(r.stdout) as { customers: number; runs: { model_version: string }[] }
    expect(summary.customers).toBe(report.customers)
    expect(summary.runs.map((x) => x.model_version)).toEqual([
      report.modelVersion,
      report.modelVersion,
    ])
    const page = readFileSync(html, 'utf8')
    expect(page).toContain('<svg')
    expect(page).toContain('Calibration vs holdout')
    expect(page).not.toMatch(/<script|https?:\/\//)
  })
})
