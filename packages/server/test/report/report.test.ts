import { cpSync, readFileSync, rmSync } from 'node:fs'
import { RECORD_SCHEMAS, type EntityKind } from '@fedele/core'
import { generateDemoArrays } from '@fedele/core/demo'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  closeMetricsReplica,
  comparisonPeriods,
  kpisFor,
  metricsReplica,
} from '../../src/analytics/metrics/index.ts'
import type { Env } from '../../src/config/env.ts'
import { createReport, resolvePeriod } from '../../src/report/index.ts'
import { upsertBatch } from '../../src/services/ingest.service.ts'
import { freshDatabase, type TestDatabase } from '../databases.ts'
import { TEMPLATE_DIR, TEST_TMP } from '../paths.ts'
import { runFedele } from '../processes.ts'

const ORDER: EntityKind[] = [
  'customers',
  'orders',
  'subscriptions',
  'subscription_changes',
  'tickets',
  'events',
  'survey_answers',
]

describe('fedele report', () => {
  let database: TestDatabase
  let env: Pick<Env, 'FEDELE_ANALYTICS_PATH' | 'FEDELE_DATA_DIR'>
  const htmlPath = `${TEST_TMP}report-${process.pid}.html`
  // The demo ends on 2026-01-31: the default period from "now" 2026-02-10 is January 2026.
  const now = Date.parse('2026-02-10T12:00:00Z')

  beforeAll(async () => {
    database = await freshDatabase('pglite')
    env = { FEDELE_DATA_DIR: database.dataDir, FEDELE_ANALYTICS_PATH: undefined }
    const arrays = generateDemoArrays({ seed: 7, now: '2026-01-31T12:00:00Z', customers: 200 })
    for (const kind of ORDER) {
      const list = (arrays as unknown as Record<string, Record<string, unknown>[]>)[kind] ?? []
      for (let i = 0; i < list.length; i += 2000) {
        const parsed = list
          .slice(i, i + 2000)
          .map((r) => RECORD_SCHEMAS[kind].parse(r) as Record<string, unknown>)
        await upsertBatch(database.db, kind, parsed)
      }
    }
    await sql`UPDATE workspaces SET name = ${'Acme <script>alert("x")</script> & Co'} WHERE id = 1`.execute(
      database.db,
    )
  }, 120_000)

  afterAll(async () => {
    await database?.close()
    rmSync(htmlPath, { force: true })
  })

  it('reports the same KPIs as the kpis route for the default period (last full month)', async () => {
    const out = await createReport(env, database, { now, htmlPath })
    const r = out.report
    expect(r.period).toMatchObject({ from: '2026-01-01', to: '2026-01-31' })
    // What GET /api/metrics/kpis computes for the same period: the same functions, same scope.
    const replica = await metricsReplica({ database, env: env as Env })
    try {
      const zone = r.time_zone
      const period = resolvePeriod({ from: '2026-01-01', to: '2026-01-31' }, zone)
      const p = comparisonPeriods(period, zone)
      const [current, previous] = await kpisFor(
        replica,
        {
          settings: {
            workspaceId: 1,
            timeZone: zone,
            reportingCurrency: r.currency,
            businessModel: r.business_model,
            activityWindowDays: r.activity_window_days,
            includeTrials: false,
          },
          segment: [],
        },
        [p.current, p.previous, p.yearBefore],
      )
      expect(current?.counts.E).toBeGreaterThan(0)
      expect(r.kpis.period.metrics).toEqual(current?.metrics)
      expect(r.kpis.previous?.metrics).toEqual(previous?.metrics)
      expect(r.kpis.period.metrics.crr?.value).toBe(current?.metrics.crr?.value)
    } finally {
      await closeMetricsReplica(database)
    }
    // JSON round-trips (the --json output).
    expect(JSON.parse(JSON.stringify(r)).kpis.period.metrics.revenue.value).toBe(
      r.kpis.period.metrics.revenue?.value,
    )
    expect(r.series.length).toBe(1)
    expect(r.cohorts.rows.length).toBeGreaterThan(1)

    // Terminal text: KPI names, a cohort table, the CRR note.
    for (const name of [
      'Customer retention rate',
      'Churn rate',
      'Revenue',
      'Cohort',
      '+0',
      '+1',
      'Note on CRR',
    ]) {
      expect(out.text).toContain(name)
    }
    expect(out.text).toMatch(/\b2025-\d{2}\s+\d+\s+100%/)
    expect(out.text).toMatch(/[↑↓=]/)
    expect(out.text).toMatch(/€[\d,]+\.\d{2}/)

    // HTML: self-contained, charts as inline SVG, user text escaped.
    const html = readFileSync(htmlPath, 'utf8')
    expect(html).toBe(out.html)
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?https?:/i)
    expect(html).not.toMatch(/https?:\/\//)
    expect(html).not.toMatch(/<script/i)
    expect(html).not.toMatch(/<link/i)
    expect(html).toContain('<svg')
    expect(html).toContain('aria-label="Cohort retention heatmap"')
    expect(html).toContain('aria-label="Retention curves per cohort"')
    // The demo business has subscriptions: their MRR movements are drawn as bars.
    expect(r.kpis.period.subscriptions?.endMrr).toBeGreaterThan(0)
    expect(html).toContain('aria-label="MRR movements"')
    expect(html).toContain('Acme &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co')
    expect(out.text).toContain('Acme <script>')
  }, 60_000)

  it('honours granularity, window, time zone and segment', async () => {
    const out = await createReport(env, database, {
      from: '2025-10-01',
      to: '2025-12-31',
      granularity: 'week',
      window: 60,
      tz: 'America/New_York',
      segment: 'country:IT',
    })
    const r = out.report
    expect(r).toMatchObject({
      time_zone: 'America/New_York',
      activity_window_days: 60,
      granularity: 'week',
    })
    expect(r.segment).toEqual([{ field: 'country', values: ['IT'] }])
    expect(r.period.start).toBe('2025-10-01T04:00:00.000Z')
    expect(r.series.length).toBeGreaterThanOrEqual(13)
    expect(r.cohorts.grain).toBe('week')
    expect(r.cohorts.rows[0]?.key).toMatch(/W\d{2}/)
    expect(out.text).toContain('By week')
    expect(out.text).toContain('Cohorts by week of first activity')
  }, 60_000)

  it('filters by RFM segment and refuses an unknown saved segment, as the metrics routes do', async () => {
    const period = { from: '2025-01-01', to: '2025-12-31' }
    const all = (await createReport(env, database, period)).report
    const champions = (
      await createReport(env, database, { ...period, segment: 'rfm_segment:champions' })
    ).report
    const c = champions.kpis.period.counts
    const a = all.kpis.period.counts
    expect(champions.segment[0]).toMatchObject({ field: 'rfm_segment', values: ['champions'] })
    expect(c.E).toBeGreaterThan(0)
    expect(c.E).toBeLessThan(a.E)
    await expect(
      createReport(env, database, { ...period, segment: 'segment:999' }),
    ).rejects.toThrow('invalid option --segment: no saved segment 999')
  }, 60_000)

  it('refuses bad options with clear messages', async () => {
    const fails = (options: Parameters<typeof createReport>[2]) =>
      createReport(env, database, options)
    await expect(fails({ from: '2026-02-01', to: '2026-01-01' })).rejects.toThrow(
      /--from 2026-02-01 is after --to 2026-01-01/,
    )
    await expect(fails({ from: 'yesterday', to: '2026-01-01' })).rejects.toThrow(
      /--from: "yesterday" is not a date/,
    )
    await expect(fails({ from: '2026-02-30', to: '2026-03-01' })).rejects.toThrow(/not a date/)
    await expect(fails({ from: '2026-01-01' })).rejects.toThrow(/both --from and --to/)
    await expect(fails({ tz: 'Europe/Roma' })).rejects.toThrow(/unknown time zone "Europe\/Roma"/)
    await expect(fails({ segment: 'colour:red', now })).rejects.toThrow(
      /--segment: unknown segment field colour/,
    )
    await expect(fails({ from: '2000-01-01', to: '2000-01-31' })).rejects.toThrow(
      'no data in this period; import data or run fedele demo',
    )
  }, 60_000)

  it('the real command says there is no data in an empty directory', async () => {
    const dir = `${TEST_TMP}report-cli-${process.pid}`
    cpSync(TEMPLATE_DIR, dir, { recursive: true })
    rmSync(`${dir}/fedele.lock`, { force: true })
    try {
      const run = await runFedele(['report', '--data', dir, '--json'])
      expect(run.code).toBe(1)
      expect(JSON.parse(run.stdout).error).toBe(
        'no data in this period; import data or run fedele demo',
      )
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)
})
