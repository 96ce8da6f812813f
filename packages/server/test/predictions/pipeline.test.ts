import { mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { DEMO_BGNBD_PARAMS, DEMO_GAMMA_GAMMA_PARAMS } from '@fedele/core/demo'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AnalyticsReplica } from '../../src/analytics/replica.ts'
import { refreshPredictions } from '../../src/predictions/predictions.service.ts'
import { latestRuns } from '../../src/predictions/predictions.repository.ts'
import { loadDemo } from '../../src/services/demo.service.ts'
import { DIALECTS, freshDatabase, type TestDatabase } from '../databases.ts'
import { TEST_TMP } from '../paths.ts'

/**
 * The whole pipeline on the demo business, whose purchase and spend processes are BG/NBD and
 * Gamma-Gamma with known parameters (core/demo/params.ts): the parameters fitted through the
 * server (orders → record → replica → summaries → fit) must recover them. Tolerance: 3 standard
 * errors of the fit, as in core's recovery test; the demo's seasonal time-warp biases calendar-time
 * fits by 1-4 % (calendar.ts), far below 1 SE at this size. Gamma-Gamma is fitted in cents, so
 * γ is compared as 100 × the demo's γ in euros.
 */
const NOW = '2025-06-30T00:00:00Z'
const CUSTOMERS = 4000

describe.each(DIALECTS)('prediction pipeline on %s', (kind) => {
  let db: TestDatabase
  let replica: AnalyticsReplica
  let dir: string

  beforeAll(async () => {
    db = await freshDatabase(kind)
    dir = mkdtempSync(join(TEST_TMP, 'predictions-'))
    await loadDemo(db.db, { seed: 11, customers: CUSTOMERS, now: NOW })
    replica = await AnalyticsReplica.open(db, { path: join(dir, 'replica.duckdb') })
  }, 300_000)
  afterAll(async () => {
    await replica?.close()
    await db?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('recovers the demo generator parameters and scores every customer', async () => {
    const report = await refreshPredictions(db.db, replica, { asOf: new Date(NOW) })
    expect(report.clvMethod).toBe('model')
    expect(report.churnTrained).toBe(true)
    const runs = await latestRuns(db.db)
    const clv = runs.find((r) => r.kind === 'clv')
    const p = clv?.parameters as {
      params: Record<string, number>
      standardErrors: Record<string, number>
      gammaGamma: { params: Record<string, number>; standardErrors: Record<string, number> }
    }
    const truth: Record<string, number> = { ...DEMO_BGNBD_PARAMS }
    for (const name of ['r', 'alpha', 'a', 'b']) {
      const est = p.params[name] as number
      const se = p.standardErrors[name] as number
      expect(se).toBeGreaterThan(0)
      expect(Math.abs(est - (truth[name] as number)) / se, `${name} ${est} ± ${se}`).toBeLessThan(3)
    }
    const gg: Record<string, number> = {
      p: DEMO_GAMMA_GAMMA_PARAMS.p,
      q: DEMO_GAMMA_GAMMA_PARAMS.q,
      gamma: DEMO_GAMMA_GAMMA_PARAMS.gamma * 100,
    }
    for (const name of ['p', 'q', 'gamma']) {
      const est = p.gammaGamma.params[name] as number
      const se = p.gammaGamma.standardErrors[name] as number
      expect(Math.abs(est - (gg[name] as number)) / se, `${name} ${est} ± ${se}`).toBeLessThan(3)
    }

    // Every customer with an order (and profiling not refused) has a prediction.
    const { rows } = await sql<{ expected: number; scored: number; bad: number }>`
      select
        (select count(distinct o.customer_id)::int from orders o join customers c on c.id = o.customer_id
          where o.status <> 'cancelled' and o.placed_at < ${NOW}::timestamptz
            and c.erased_at is null and c.consent_profiling is distinct from false) as expected,
        (select count(*)::int from customer_predictions where p_alive is not null) as scored,
        (select count(*)::int from customer_predictions
          where p_alive < 0 or p_alive > 1 or churn_risk < 0 or churn_risk > 1 or clv_minor < 0
            or value_tier is null or clv_method <> 'model' or churn_reasons->>'v' is distinct from '2') as bad`.execute(
      db.db,
    )
    expect(rows[0]?.scored).toBe(rows[0]?.expected)
    expect(rows[0]?.bad).toBe(0)

    // The churn model learns something real on a window it never saw.
    const churn = runs.find((r) => r.kind === 'churn')
    const v = churn?.validation as { rocAuc: number; brier: number; calibrationCurve: unknown[] }
    expect(v.rocAuc).toBeGreaterThan(0.6)
    expect(v.calibrationCurve.length).toBe(10)
    const holdout = clv?.validation as { relativeError: number }
    expect(Math.abs(holdout.relativeError)).toBeLessThan(0.25)
  })

  it('is replicated to DuckDB, and a re-run at the same instant replaces instead of duplicating', async () => {
    const before = await sql<{
      n: number
    }>`select count(*)::int as n from customer_prediction_history`.execute(db.db)
    const again = await refreshPredictions(db.db, replica, { asOf: new Date(NOW) })
    const after = await sql<{ n: number; runs: number }>`
      select count(*)::int as n, count(distinct run_id)::int as runs from customer_prediction_history`.execute(
      db.db,
    )
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n)
    expect(after.rows[0]?.runs).toBe(1)
    const record = await sql<{ n: number; v: string }>`
      select count(*)::int as n, min(model_version) as v from customer_predictions`.execute(db.db)
    expect(record.rows[0]?.v).toBe(again.modelVersion)
    const duck = await replica.query<{ n: number; v: string; tiers: number }>(
      `select count(*) as n, min(model_version) as v, count(distinct value_tier) as tiers
       from customer_predictions p join customers c on c.id = p.customer_id`,
    )
    expect(duck[0]?.n).toBe(record.rows[0]?.n)
    expect(duck[0]?.v).toBe(again.modelVersion)
    expect(duck[0]?.tiers).toBe(4)

    // A later scoring adds a history point per customer.
    await refreshPredictions(db.db, replica, { asOf: new Date('2025-07-07T00:00:00Z') })
    const later = await sql<{
      n: number
    }>`select count(*)::int as n from customer_prediction_history`.execute(db.db)
    expect(later.rows[0]?.n).toBe(2 * (before.rows[0]?.n ?? 0))
  })

  it('falls back to the formula CLV with an explanation when the history is too thin', async () => {
    // Two months of history: the demo's first customers have made hardly any repeat purchase.
    const early = new Date(Date.parse(NOW) - (3 * 365 - 60) * 86_400_000)
    const report = await refreshPredictions(db.db, replica, { asOf: early })
    expect(report.clvMethod).toBe('formula')
    expect(report.fallbackReason).toMatch(/customers/)
    const { rows } = await sql<{ n: number; formula: number }>`
      select count(*)::int as n, count(*) filter (where clv_method = 'formula' and p_alive is null)::int as formula
      from customer_predictions`.execute(db.db)
    expect(rows[0]?.n).toBeGreaterThan(0)
    expect(rows[0]?.formula).toBe(rows[0]?.n)
  })
})
