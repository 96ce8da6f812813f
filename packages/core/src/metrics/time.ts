/**
 * Calendar buckets in a workspace time zone (an IANA name such as `Europe/Rome`), computed with
 * `Intl.DateTimeFormat` only (browser-safe, no I/O, no clock).
 *
 * Instants are epoch milliseconds (UTC). A bucket is a half-open interval of instants
 * `[start, end)`: `start` is the first instant of the local day / ISO week (Monday) / month /
 * quarter / year, `end` the first instant of the next one. Bucket lengths follow the zone: a local
 * day is 23 h or 25 h on DST changes, February has 29 days in leap years.
 *
 * Bucket keys: day `2024-02-29`, week `2024-W13` (ISO week-numbering year), month `2024-04`,
 * quarter `2024-Q2`, year `2024`.
 */

import { daysFromCivil, wallClockAt, wallClockMs, wallClockToInstant } from '../shared/time-zone.ts'

export { daysFromCivil, isValidTimeZone } from '../shared/time-zone.ts'

/** The calendar grains a period can be bucketed by. */
export type Grain = 'day' | 'week' | 'month' | 'quarter' | 'year'

/** A date in the proleptic Gregorian calendar (month 1–12). */
export interface CivilDate {
  readonly year: number
  readonly month: number
  readonly day: number
}

/** A wall-clock date and time in some zone. */
export interface LocalDateTime extends CivilDate {
  readonly hour: number
  readonly minute: number
  readonly second: number
  readonly millisecond: number
}

/** A half-open interval of instants `[start, end)`, epoch milliseconds. */
export interface Period {
  readonly start: number
  readonly end: number
}

/** A calendar bucket: its key, grain and instants. */
export interface Bucket extends Period {
  readonly key: string
  readonly grain: Grain
}

function assertInstant(fn: string, instant: number): void {
  if (!Number.isFinite(instant))
    throw new RangeError(`${fn}: instant must be finite, got ${instant}`)
}

/** The civil date `days` days after 1970-01-01 (H. Hinnant's `civil_from_days`). */
export function civilFromDays(days: number): CivilDate {
  const z = days + 719_468
  const era = Math.floor(z / 146_097)
  const doe = z - era * 146_097
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  )
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day }
}

/** The civil date `n` days after `date` (n may be negative). */
export function addDays(date: CivilDate, n: number): CivilDate {
  return civilFromDays(daysFromCivil(date) + n)
}

/** ISO weekday of a civil date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: CivilDate): number {
  // 1970-01-01 was a Thursday (4).
  return ((((daysFromCivil(date) + 3) % 7) + 7) % 7) + 1
}

/** The wall-clock date and time of `instant` in `timeZone`. */
export function toLocal(instant: number, timeZone: string): LocalDateTime {
  assertInstant('toLocal', instant)
  return wallClockAt(instant, timeZone)
}

/** The zone's UTC offset at `instant` in milliseconds (Europe/Rome in summer: +7 200 000). */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  return wallClockMs(toLocal(instant, timeZone)) - instant
}

/**
 * The instant a wall-clock time in `timeZone` denotes. Disambiguation follows Temporal's
 * `compatible`: a time repeated when clocks go back gives the earlier instant; a time skipped when
 * clocks go forward is moved forward by the gap (02:30 on a spring-forward day → 03:30), so a
 * skipped local midnight maps to the first instant of that day (see `shared/time-zone.ts`).
 */
export function localToInstant(
  local: CivilDate & Partial<Omit<LocalDateTime, keyof CivilDate>>,
  timeZone: string,
): number {
  const wall = wallClockMs({
    year: local.year,
    month: local.month,
    day: local.day,
    hour: local.hour ?? 0,
    minute: local.minute ?? 0,
    second: local.second ?? 0,
    millisecond: local.millisecond ?? 0,
  })
  return wallClockToInstant(wall, timeZone, zoneOffsetMs)
}

/** The first instant of the local calendar date `date` in `timeZone`. */
export function startOfLocalDay(date: CivilDate, timeZone: string): number {
  return localToInstant({ year: date.year, month: date.month, day: date.day }, timeZone)
}

/** The first civil date of the bucket of `grain` that contains the civil date `date`. */
function bucketFirstDate(date: CivilDate, grain: Grain): CivilDate {
  switch (grain) {
    case 'day':
      return { year: date.year, month: date.month, day: date.day }
    case 'week':
      return addDays(date, 1 - isoWeekday(date))
    case 'month':
      return { year: date.year, month: date.month, day: 1 }
    case 'quarter':
      return { year: date.year, month: date.month - ((date.month - 1) % 3), day: 1 }
    case 'year':
      return { year: date.year, month: 1, day: 1 }
  }
}

/** The first civil date of the bucket `n` buckets after the one starting on `first`. */
function shiftFirstDate(first: CivilDate, grain: Grain, n: number): CivilDate {
  switch (grain) {
    case 'day':
      return addDays(first, n)
    case 'week':
      return addDays(first, 7 * n)
    case 'month':
    case 'quarter':
    case 'year': {
      const months = grain === 'month' ? n : grain === 'quarter' ? 3 * n : 12 * n
      const index = first.year * 12 + (first.month - 1) + months
      return { year: Math.floor(index / 12), month: (((index % 12) + 12) % 12) + 1, day: 1 }
    }
  }
}

const pad = (n: number, width: number): string => {
  const sign = n < 0 ? '-' : ''
  return sign + String(Math.abs(n)).padStart(width, '0')
}

/** The ISO week-numbering year and week of a civil date. */
export function isoWeek(date: CivilDate): { readonly weekYear: number; readonly week: number } {
  const thursday = addDays(date, 4 - isoWeekday(date))
  const jan1 = daysFromCivil({ year: thursday.year, month: 1, day: 1 })
  return {
    weekYear: thursday.year,
    week: Math.floor((daysFromCivil(thursday) - jan1) / 7) + 1,
  }
}

/** The key of the bucket starting on civil date `first`. */
function keyOf(first: CivilDate, grain: Grain): string {
  switch (grain) {
    case 'day':
      return `${pad(first.year, 4)}-${pad(first.month, 2)}-${pad(first.day, 2)}`
    case 'week': {
      const { weekYear, week } = isoWeek(first)
      return `${pad(weekYear, 4)}-W${pad(week, 2)}`
    }
    case 'month':
      return `${pad(first.year, 4)}-${pad(first.month, 2)}`
    case 'quarter':
      return `${pad(first.year, 4)}-Q${(first.month - 1) / 3 + 1}`
    case 'year':
      return pad(first.year, 4)
  }
}

const KEY_PATTERNS: ReadonlyArray<readonly [Grain, RegExp]> = [
  ['day', /^(-?\d{4,})-(\d{2})-(\d{2})$/],
  ['week', /^(-?\d{4,})-W(\d{2})$/],
  ['month', /^(-?\d{4,})-(\d{2})$/],
  ['quarter', /^(-?\d{4,})-Q([1-4])$/],
  ['year', /^(-?\d{4,})$/],
]

/** Parses a bucket key into its grain and first civil date. Throws RangeError on a bad key. */
export function parseBucketKey(key: string): { readonly grain: Grain; readonly first: CivilDate } {
  for (const [grain, pattern] of KEY_PATTERNS) {
    const match = pattern.exec(key)
    if (match === null) continue
    const year = Number(match[1])
    const a = Number(match[2])
    const b = Number(match[3])
    let first: CivilDate
    switch (grain) {
      case 'day':
        first = { year, month: a, day: b }
        if (a < 1 || a > 12 || b < 1 || civilFromDays(daysFromCivil(first)).day !== b) {
          throw new RangeError(`bucket key ${key}: no such date`)
        }
        break
      case 'week': {
        const jan4 = { year, month: 1, day: 4 }
        first = addDays(jan4, 1 - isoWeekday(jan4) + 7 * (a - 1))
        if (a < 1 || isoWeek(first).weekYear !== year) {
          throw new RangeError(`bucket key ${key}: year ${year} has no week ${a}`)
        }
        break
      }
      case 'month':
        if (a < 1 || a > 12) throw new RangeError(`bucket key ${key}: no month ${a}`)
        first = { year, month: a, day: 1 }
        break
      case 'quarter':
        first = { year, month: 3 * (a - 1) + 1, day: 1 }
        break
      case 'year':
        first = { year, month: 1, day: 1 }
        break
    }
    return { grain, first }
  }
  throw new RangeError(
    `bucket key ${JSON.stringify(key)}: expected YYYY-MM-DD, YYYY-Www, YYYY-MM, YYYY-Qn or YYYY`,
  )
}

function bucketFromFirst(first: CivilDate, grain: Grain, timeZone: string): Bucket {
  return {
    key: keyOf(first, grain),
    grain,
    start: startOfLocalDay(first, timeZone),
    end: startOfLocalDay(shiftFirstDate(first, grain, 1), timeZone),
  }
}

/**
 * The bucket of `grain` containing `instant` in `timeZone`: its key and `[start, end)` as UTC
 * instants. Always `start ≤ instant < end`, also when clocks go back across midnight (America/
 * Goose_Bay in 1988 went from 00:01 back to 22:01): the hours that read "yesterday" again belong
 * to the day that had already begun.
 */
export function bucketOf(instant: number, grain: Grain, timeZone: string): Bucket {
  assertInstant('bucketOf', instant)
  const first = bucketFirstDate(toLocal(instant, timeZone), grain)
  const bucket = bucketFromFirst(first, grain, timeZone)
  return instant >= bucket.end
    ? bucketFromFirst(shiftFirstDate(first, grain, 1), grain, timeZone)
    : bucket
}

/** The key of the bucket of `grain` containing `instant` (`2024-04`, `2024-W14`, …). */
export function bucketKey(instant: number, grain: Grain, timeZone: string): string {
  return bucketOf(instant, grain, timeZone).key
}

/** The first instant of the bucket of `grain` containing `instant` (e.g. start of local month). */
export function bucketStart(instant: number, grain: Grain, timeZone: string): number {
  return bucketOf(instant, grain, timeZone).start
}

/** The bucket a key names, with its `[start, end)` instants in `timeZone`. */
export function bucketFromKey(key: string, timeZone: string): Bucket {
  const { grain, first } = parseBucketKey(key)
  return bucketFromFirst(first, grain, timeZone)
}

/** The bucket `n` buckets after (n < 0: before) the bucket `key`, in `timeZone`. */
export function shiftBucket(key: string, n: number, timeZone: string): Bucket {
  if (!Number.isSafeInteger(n)) throw new RangeError(`shiftBucket: n must be an integer, got ${n}`)
  const { grain, first } = parseBucketKey(key)
  return bucketFromFirst(shiftFirstDate(first, grain, n), grain, timeZone)
}

/** The buckets of `grain` overlapping `[from, to)`, in order (the first may start before `from`). */
export function bucketsBetween(from: number, to: number, grain: Grain, timeZone: string): Bucket[] {
  assertInstant('bucketsBetween', from)
  assertInstant('bucketsBetween', to)
  const buckets: Bucket[] = []
  if (to <= from) return buckets
  let bucket = bucketOf(from, grain, timeZone)
  while (bucket.start < to) {
    buckets.push(bucket)
    bucket = shiftBucket(bucket.key, 1, timeZone)
  }
  return buckets
}
