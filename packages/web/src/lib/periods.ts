/**
 * The periods the dashboard asks the metric endpoints for, as pure functions of "now".
 *
 * Rolling windows end at the end of the current UTC day rather than at "now": the bounds (and so
 * the query keys here and the server's cached answers, which key on the SQL and its parameters)
 * stay the same all day, and the server's prewarm after a restart (services/prewarm.ts) computes
 * the very same requests the first screens send (its test reads this module, so the two cannot
 * drift). No DOM, no React: plain values in, plain values out.
 */

export const DAY_MS = 86_400_000

export type Grain = 'week' | 'month' | 'quarter'

/** How many buckets the retention screen shows per grain: about a year, two for quarters. */
export const WINDOW_BUCKETS: Record<Grain, number> = { week: 12, month: 12, quarter: 8 }

const BUCKET_DAYS: Record<Grain, number> = { week: 7, month: 30.44, quarter: 91.31 }

/** The end (exclusive) of the UTC day holding `now`. */
export function endOfUtcDay(now: number): number {
  return Math.floor(now / DAY_MS) * DAY_MS + DAY_MS
}

/** The last `days` days up to the end of today (UTC), for the overview's KPI cards. */
export function rollingWindow(
  days: number,
  now = Date.now(),
): { from: string; to: string; periods_per_year: number } {
  const to = endOfUtcDay(now)
  return {
    from: new Date(to - days * DAY_MS).toISOString(),
    to: new Date(to).toISOString(),
    periods_per_year: 365 / days,
  }
}

/**
 * The twelve complete calendar months (UTC) before the current one, for the sparklines (a month
 * under way would end every line with a dip that is only the calendar).
 */
export function lastTwelveMonths(now = Date.now()): { from: string; to: string } {
  const d = new Date(now)
  const to = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)
  const from = Date.UTC(d.getUTCFullYear() - 1, d.getUTCMonth(), 1)
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() }
}

/**
 * About the last `n` buckets of `grain`, up to the end of today (UTC). The series endpoints
 * return whole calendar buckets overlapping the window, in the workspace zone; a cohort starting
 * before `from` is only partly counted, and the retention screen leaves it out.
 */
export function lastBuckets(
  grain: Grain,
  n: number,
  now = Date.now(),
): { from: string; to: string } {
  const to = endOfUtcDay(now)
  return {
    from: new Date(to - Math.round(n * BUCKET_DAYS[grain] * DAY_MS)).toISOString(),
    to: new Date(to).toISOString(),
  }
}
