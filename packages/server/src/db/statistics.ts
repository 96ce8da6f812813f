import { sql, type Kysely } from 'kysely'
import type { DB } from './schema.ts'

/**
 * Planner statistics after bulk writes. PGlite runs no autovacuum, so a database filled by the
 * demo or an import is never analysed: the planner then guesses, and on the 420k-customer demo
 * it chose to build every customer row before sorting, turning a 1,000-row list from 0.17 s
 * into 7 s (events: 0.05 s → 12.7 s). PostgreSQL's autovacuum gets there eventually; analysing
 * right after a bulk write makes the next query fast on both.
 */

/** Rows changed since the last ANALYZE, per process, below which another is not worth it. */
const ANALYZE_AFTER_CHANGES = 20_000

const lastAnalysed = new WeakMap<object, number>()

/** The change sequence's current value: every fact write advances it (migration 0001). */
async function changeSeq(db: Kysely<DB>): Promise<number> {
  const { rows } = await sql<{ v: string | number }>`
    select case when is_called then last_value else 0 end as v from fedele_change_seq`.execute(db)
  return Number(rows[0]?.v ?? 0)
}

/** ANALYZE now, remembering where the change sequence stood. */
export async function analyzeDatabase(db: Kysely<DB>): Promise<void> {
  const seq = await changeSeq(db)
  await sql`analyze`.execute(db)
  lastAnalysed.set(db, seq)
}

/**
 * ANALYZE when enough rows changed since this process last did (or never did): periodically in
 * `fedele serve`, for data arriving through imports and the batch API. Returns whether it ran.
 */
export async function analyzeIfChanged(
  db: Kysely<DB>,
  threshold = ANALYZE_AFTER_CHANGES,
): Promise<boolean> {
  const seq = await changeSeq(db)
  const last = lastAnalysed.get(db)
  if (last !== undefined && seq - last < threshold) return false
  await sql`analyze`.execute(db)
  lastAnalysed.set(db, seq)
  return true
}

/**
 * In `fedele serve`: takes the current state as analysed (the demo and imports analyse as they
 * write), then every `minutes` analyses if the batch API has written enough since. Returns the
 * function that stops it; the timer never keeps the process alive.
 */
export function scheduleStatistics(
  db: Kysely<DB>,
  onError: (e: unknown) => void,
  minutes = 10,
): () => void {
  void changeSeq(db)
    .then((seq) => {
      if (!lastAnalysed.has(db)) lastAnalysed.set(db, seq)
    })
    .catch(onError)
  const timer = setInterval(() => void analyzeIfChanged(db).catch(onError), minutes * 60_000)
  timer.unref()
  return () => clearInterval(timer)
}
