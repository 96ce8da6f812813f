import { AnalyticsReplica } from '../packages/server/src/analytics/index.ts'
import { boundOnly } from '../packages/server/src/analytics/metrics/replica-for.ts'
import type { Database } from '../packages/server/src/db/database.ts'
import {
  membersCtes,
  rfmQuery,
  type SegmentSqlContext,
} from '../packages/server/src/segments/segment-sql.ts'
import { measure } from './lib.ts'

/**
 * Segments on DuckDB: BENCH_SEGMENT_CUSTOMERS (default 1,000,000) customers with about five
 * completed orders each (0–10), generated inside DuckDB in the replica's table layout, then the
 * SQL the endpoints run: a preview (count, value and the 10 most valuable members in one query)
 * of a metric rule, of an attribute + tag rule, of a rule on RFM segments, and the RFM grid.
 * The first call builds the derived per-customer tables (once per replica generation, i.e. per
 * sync that changes data); the figures are the later calls. The record is not involved (the
 * replica is only read), so no database is opened.
 */
const CUSTOMERS = Number(process.env.BENCH_SEGMENT_CUSTOMERS ?? 1_000_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 5)

export async function run(): Promise<void> {
  // The replica reads the record only when it syncs, and every query below passes sync: false:
  // no record is opened, the tables are generated in DuckDB directly.
  const noRecord = { kind: 'pglite' } as unknown as Database
  const replica = await AnalyticsReplica.open(noRecord, { path: ':memory:' })
  // What the endpoints read through (unused parameters dropped, derived relations materialised
  // once per replica generation), without the result cache so every run does the work.
  const reader = boundOnly(replica, { cache: false })
  const q = (text: string, params?: Record<string, unknown>) => reader.query(text, params ?? {})
  try {
    const t0 = performance.now()
    await q(`CREATE TABLE customers AS
      SELECT i AS id, 1 AS workspace_id, CAST(NULL AS VARCHAR) AS locale,
        CASE WHEN i % 10 = 0 THEN 'DE' ELSE 'IT' END AS country,
        ['Lombardia', 'Lazio', 'Veneto', 'Sicilia'][1 + i % 4] AS region, 'X' AS city,
        '00100' AS postcode, CAST(NULL AS DATE) AS birthday, 'web' AS acquisition_channel,
        CASE WHEN i % 7 = 0 THEN ['vip'] ELSE [] END::VARCHAR[] AS tags,
        CAST('{"gender":"F"}' AS JSON) AS attributes,
        i % 2 = 0 AS consent_marketing_email, CAST(NULL AS TIMESTAMPTZ) AS consent_marketing_email_at,
        true AS consent_profiling, CAST(NULL AS TIMESTAMPTZ) AS consent_profiling_at,
        true AS consent_surveys, CAST(NULL AS TIMESTAMPTZ) AS consent_surveys_at,
        CAST(NULL AS TIMESTAMPTZ) AS source_created_at, CAST(NULL AS TIMESTAMPTZ) AS erased_at,
        TIMESTAMPTZ '2022-01-01 00:00:00+00' + to_days(CAST(i % 1000 AS INTEGER)) AS created_at
      FROM range(1, ${CUSTOMERS + 1}) t(i)`)
    await q(`CREATE TABLE orders AS
      SELECT row_number() OVER () AS id, 1 AS workspace_id, c.id AS customer_id,
        TIMESTAMPTZ '2022-01-01 00:00:00+00' + to_seconds(CAST(hash(c.id * 31 + k) % 140000000 AS BIGINT)) AS placed_at,
        'completed' AS status, CAST(0 AS BIGINT) AS refunded_amount, 'EUR' AS currency,
        CAST(1000 + hash(c.id + k) % 20000 AS BIGINT) AS total
      FROM customers c, range(0, 10) r(k) WHERE k < hash(c.id) % 11`)
    const [counts] = await q(
      'SELECT (SELECT count(*) FROM customers) AS c, (SELECT count(*) FROM orders) AS o',
    )
    console.log(
      `generated ${counts?.c} customers, ${counts?.o} orders in ${Math.round(performance.now() - t0)} ms`,
    )
    const ctx: SegmentSqlContext = {
      settings: {
        workspaceId: 1,
        timeZone: 'Europe/Rome',
        reportingCurrency: 'EUR',
        businessModel: 'orders',
        activityWindowDays: 365,
        includeTrials: false,
      },
      asOf: new Date('2026-06-01T00:00:00Z'),
      hasPredictions: false,
    }
    const preview = async (rule: Parameters<typeof membersCtes>[0]) => {
      const m = membersCtes(rule, ctx)
      if (!m.ok) throw new Error(JSON.stringify(m.error))
      return q(
        `WITH ${m.value.sql}
         SELECT (SELECT count(*) FROM members) AS n, (SELECT sum(spend) FROM members) AS value,
           (SELECT list(id) FROM (SELECT id FROM members ORDER BY spend DESC, id LIMIT 10)) AS sample`,
        m.value.params,
      )
    }
    const rules = {
      'preview: orders_count >= 5 and total_spend >= 300 €': {
        kind: 'and',
        conditions: [
          { kind: 'metric', field: 'orders_count', op: 'gte', value: 5 },
          { kind: 'metric', field: 'total_spend', op: 'gte', value: 30_000 },
        ],
      },
      'preview: region in (Lombardia, Veneto) and tag vip': {
        kind: 'and',
        conditions: [
          { kind: 'attribute', field: 'region', op: 'in', value: ['Lombardia', 'Veneto'] },
          { kind: 'tag', op: 'has', tag: 'vip' },
        ],
      },
      'preview: RFM segment at_risk or cant_lose_them': {
        kind: 'rfm_segment',
        op: 'in',
        segments: ['at_risk', 'cant_lose_them'],
      },
    } as const
    for (const [name, rule] of Object.entries(rules)) {
      const t1 = performance.now()
      const [first] = await preview(rule)
      console.log(
        `${name}: first call ${Math.round(performance.now() - t1)} ms (builds what it needs)`,
      )
      await measure(name, () => preview(rule), { runs: RUNS })
      console.log(`  → ${String(first?.n)} customers`)
    }
    const grid = rfmQuery(
      ctx,
      'SELECT r, fm, count(*) AS customers, sum(monetary) AS value FROM rfm GROUP BY r, fm',
    )
    await measure('RFM grid (25 cells)', () => q(grid.sql, grid.params), { runs: RUNS })
  } finally {
    await replica.close()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run()
