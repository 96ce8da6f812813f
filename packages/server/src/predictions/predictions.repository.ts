import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../db/schema.ts'
import {
  at,
  METHODS,
  scoreTexts,
  VALUE_TIERS,
  type NumberColumn,
  type ScoreColumns,
} from './columnar.ts'

type Db = Kysely<DB> | Transaction<DB>

export type NewRun = {
  kind: 'clv' | 'churn'
  model: string
  status: 'succeeded' | 'failed'
  startedAt: Date
  cutoff: Date
  unit: string | null
  parameters: unknown
  validation: unknown
  diagnostics: unknown
  dataSummary: unknown
  fallbackReason: string | null
  error: string | null
  jobId: number | null
}

/** Inserts a run; the model version is set from its id afterwards (`setModelVersion`). */
export async function insertRun(db: Db, run: NewRun): Promise<number> {
  const row = await db
    .insertInto('model_runs')
    .values({
      kind: run.kind,
      model: run.model,
      model_version: 'pending',
      status: run.status,
      started_at: run.startedAt,
      finished_at: new Date(),
      cutoff: run.cutoff,
      unit: run.unit,
      parameters: JSON.stringify(run.parameters ?? {}),
      validation: run.validation == null ? null : JSON.stringify(run.validation),
      diagnostics: run.diagnostics == null ? null : JSON.stringify(run.diagnostics),
      data_summary: run.dataSummary == null ? null : JSON.stringify(run.dataSummary),
      fallback_reason: run.fallbackReason,
      error: run.error,
      job_id: run.jobId,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function setModelVersion(db: Db, id: number, version: string): Promise<void> {
  await db.updateTable('model_runs').set({ model_version: version }).where('id', '=', id).execute()
}

/** Rows per statement: on PGlite a statement holds the event loop while it runs (~70 µs a row
 * for both tables), so batches stay short and the loop gets a turn between them. */
const BATCH = 5_000

/**
 * Replaces the latest predictions with `scores` and appends them to the history, in batches of
 * one `unnest` statement each (one array parameter per column). Customers no longer scored lose
 * their latest prediction (their history stays). Re-running with the same `scoredAt` overwrites
 * that history point instead of adding a second one, so a retried job is idempotent.
 */
export async function writeScores(
  db: Transaction<DB>,
  o: {
    runId: number
    churnRunId: number | null
    modelVersion: string
    scoredAt: Date
    scores: ScoreColumns
  },
): Promise<void> {
  const scoredAt = o.scoredAt.toISOString()
  const c = o.scores
  const v = c.numbers
  const texts = scoreTexts(c)
  for (let i = 0; i < c.length; i += BATCH) {
    const end = Math.min(i + BATCH, c.length)
    const each = <T>(f: (k: number) => T) => Array.from({ length: end - i }, (_, k) => f(i + k))
    const numbers = (col: NumberColumn) => each((k) => at(col, k))
    const ids = numbers(v.customerId)
    const pAlive = numbers(v.pAlive)
    const risk = numbers(v.churnRisk)
    const clv = numbers(v.clvMinor)
    await sql`
      insert into customer_predictions (id, run_id, churn_run_id, model_version, scored_at, p_alive,
        expected_purchases_30, expected_purchases_90, expected_purchases_365, expected_aov_minor,
        clv_minor, clv_method, next_order_at, churn_risk, churn_reasons, value_tier)
      select u.id, ${o.runId}::bigint, ${o.churnRunId}::bigint, ${o.modelVersion}, ${scoredAt}::timestamptz,
        u.p_alive, u.e30, u.e90, u.e365, u.aov, u.clv, u.method, u.next_at, u.risk,
        u.reasons::jsonb, u.tier
      from unnest(
        ${ids}::bigint[],
        ${pAlive}::float8[],
        ${numbers(v.expectedPurchases30)}::float8[],
        ${numbers(v.expectedPurchases90)}::float8[],
        ${numbers(v.expectedPurchases365)}::float8[],
        ${numbers(v.expectedAovMinor)}::bigint[],
        ${clv}::bigint[],
        ${each((k) => METHODS[c.clvMethod[k] as number] ?? null)}::text[],
        ${each((k) => {
          const next = c.nextOrderAt[k] as number
          return Number.isNaN(next) ? null : new Date(next).toISOString()
        })}::timestamptz[],
        ${risk}::float8[],
        ${each((k) => texts.reason(k))}::text[],
        ${each((k) => VALUE_TIERS[(c.valueTier[k] as number) - 1] ?? null)}::text[]
      ) as u(id, p_alive, e30, e90, e365, aov, clv, method, next_at, risk, reasons, tier)
      on conflict (id) do update set
        run_id = excluded.run_id, churn_run_id = excluded.churn_run_id,
        model_version = excluded.model_version, scored_at = excluded.scored_at,
        p_alive = excluded.p_alive, expected_purchases_30 = excluded.expected_purchases_30,
        expected_purchases_90 = excluded.expected_purchases_90,
        expected_purchases_365 = excluded.expected_purchases_365,
        expected_aov_minor = excluded.expected_aov_minor, clv_minor = excluded.clv_minor,
        clv_method = excluded.clv_method, next_order_at = excluded.next_order_at,
        churn_risk = excluded.churn_risk, churn_reasons = excluded.churn_reasons,
        value_tier = excluded.value_tier`.execute(db)
    await sql`
      insert into customer_prediction_history (customer_id, scored_at, model_version, run_id,
        churn_risk, clv_minor, p_alive)
      select u.id, ${scoredAt}::timestamptz, ${o.modelVersion}, ${o.runId}::bigint, u.risk, u.clv, u.p_alive
      from unnest(
        ${ids}::bigint[],
        ${risk}::float8[],
        ${clv}::bigint[],
        ${pAlive}::float8[]
      ) as u(id, risk, clv, p_alive)
      on conflict (customer_id, scored_at) do update set
        model_version = excluded.model_version, run_id = excluded.run_id,
        churn_risk = excluded.churn_risk, clv_minor = excluded.clv_minor, p_alive = excluded.p_alive`.execute(
      db,
    )
    // Requests that need no database (health, the page's files, the worker's messages) are
    // answered between batches; those that do wait for the transaction.
    await new Promise((resolve) => setImmediate(resolve))
  }
  await sql`delete from customer_predictions where run_id <> ${o.runId}::bigint`.execute(db)
}

export type RunRow = {
  id: number
  kind: 'clv' | 'churn'
  model: string
  model_version: string
  status: string
  started_at: Date
  finished_at: Date | null
  cutoff: Date
  unit: string | null
  parameters: unknown
  validation: unknown
  diagnostics: unknown
  data_summary: unknown
  fallback_reason: string | null
  error: string | null
}

/** The latest run of each kind. */
export async function latestRuns(db: Db): Promise<RunRow[]> {
  const rows: RunRow[] = []
  for (const kind of ['clv', 'churn'] as const) {
    const row = await db
      .selectFrom('model_runs')
      .select([
        'id',
        'kind',
        'model',
        'model_version',
        'status',
        'started_at',
        'finished_at',
        'cutoff',
        'unit',
        'parameters',
        'validation',
        'diagnostics',
        'data_summary',
        'fallback_reason',
        'error',
      ])
      .where('kind', '=', kind)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst()
    if (row) rows.push(row as RunRow)
  }
  return rows
}

/** Runs one SELECT of the distribution on the record or on the analytics replica. */
export type DistributionReader = <T>(text: string) => Promise<T[]>

/** Reads the distribution from the system of record. */
export const recordReader =
  (db: Db): DistributionReader =>
  async <T>(text: string) =>
    (await sql.raw<T>(text).execute(db)).rows

/**
 * Counts of customers by churn risk decile (0–10 %, …, 90–100 %) and by value tier. The SQL is
 * the same on PostgreSQL and DuckDB: the API reads the replica (a million scored customers
 * aggregate in milliseconds there, in seconds in the record), the CLI the record.
 */
export async function distribution(read: DistributionReader) {
  const risk = await read<{ bucket: number; customers: number }>(
    `select least(floor(churn_risk * 10), 9)::int as bucket, count(*)::int as customers
     from customer_predictions where churn_risk is not null group by 1 order by 1`,
  )
  const tiers = await read<{ tier: string | null; customers: number; clv_minor: number | null }>(
    `select value_tier as tier, count(*)::int as customers, sum(clv_minor)::float8 as clv_minor
     from customer_predictions group by 1 order by 1`,
  )
  const totals = await read<{ customers: number; scored_at: Date | null }>(
    'select count(*)::int as customers, max(scored_at) as scored_at from customer_predictions',
  )
  const histogram = Array.from({ length: 10 }, (_, b) => ({
    from: b / 10,
    to: (b + 1) / 10,
    customers: Number(risk.find((r) => Number(r.bucket) === b)?.customers ?? 0),
  }))
  const scoredAt = totals[0]?.scored_at ?? null
  return {
    customers: Number(totals[0]?.customers ?? 0),
    scoredAt: scoredAt === null ? null : new Date(scoredAt),
    riskHistogram: histogram,
    valueTiers: tiers.map((t) => ({
      tier: t.tier,
      customers: Number(t.customers),
      clvMinor: t.clv_minor === null ? null : Number(t.clv_minor),
    })),
  }
}

export async function customerPrediction(db: Db, customerId: number) {
  const latest = await db
    .selectFrom('customer_predictions')
    .selectAll()
    .where('id', '=', customerId)
    .executeTakeFirst()
  const history = await db
    .selectFrom('customer_prediction_history')
    .select(['scored_at', 'model_version', 'churn_risk', 'clv_minor', 'p_alive'])
    .where('customer_id', '=', customerId)
    .orderBy('scored_at', 'asc')
    .execute()
  return { latest: latest ?? null, history }
}

export async function customerExists(db: Db, customerId: number): Promise<boolean> {
  const row = await db
    .selectFrom('customers')
    .select('id')
    .where('id', '=', customerId)
    .executeTakeFirst()
  return !!row
}
