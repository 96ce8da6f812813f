/**
 * IANA time-zone primitives computed with `Intl.DateTimeFormat` only (browser-safe, no I/O, no
 * clock), shared by the metrics calendar (`metrics/time.ts`) and the import date parser
 * (`import/dates.ts`).
 *
 * Instants are epoch milliseconds (UTC). A "wall-clock ms" value is a local date and time counted
 * as if it were UTC (the "local epoch": `Date.UTC(year, month - 1, day, hour, …)` for any year).
 *
 * Wall clock → instant ({@link wallClockToInstant}) follows Temporal's / RFC 5545's `compatible`
 * disambiguation:
 * - a nonexistent local time (skipped when clocks go forward) is read with the offset in force
 *   before the transition, i.e. it moves forward by the gap: 02:30 on Europe/Rome's spring-forward
 *   day → 03:30 CEST (01:30 UTC); a skipped local midnight therefore maps to the first instant of
 *   that day;
 * - an ambiguous local time (repeated when clocks go back) gives the earlier of its two instants:
 *   02:30 on Europe/Rome's fall-back day → 02:30 CEST (00:30 UTC).
 *
 * Both callers used this same rule before the primitives were merged; they differ only in how the
 * zone offset is read (see {@link wallClockToInstant}'s `offsetOf`): metrics reads it exactly at
 * each instant ({@link zoneOffsetMs}), import reads it once per quarter hour and caches it
 * ({@link quarterHourZoneOffsetMs}), which is faster on big files but wrong inside a quarter hour
 * that contains a transition not on a quarter hour (e.g. Africa/Monrovia on 1972-01-07, local mean
 * time offsets before ~1900).
 */

const DAY_MS = 86_400_000

/** A wall-clock date and time (proleptic Gregorian, month 1–12, astronomical years: 1 BC = 0). */
export interface WallClock {
  readonly year: number
  readonly month: number
  readonly day: number
  readonly hour: number
  readonly minute: number
  readonly second: number
  readonly millisecond: number
}

const formatters = new Map<string, Intl.DateTimeFormat>()

/**
 * One cached `en-US` formatter per zone printing era, date and 24-hour time (creating them is the
 * slow part). Throws RangeError on a zone the runtime does not know.
 */
export function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone)
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    formatters.set(timeZone, formatter)
  }
  return formatter
}

/** Whether `timeZone` is an IANA zone name the runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone)
    return true
  } catch {
    return false
  }
}

/** Zone names that are UTC under every tz database version: their offset is 0 without Intl. */
export const isUtcZone = (timeZone: string): boolean =>
  timeZone === 'UTC' || timeZone === 'Etc/UTC' || timeZone === 'GMT'

/**
 * Days since 1970-01-01 of a civil date (H. Hinnant's `days_from_civil`); months and days out of
 * range are not normalised, so callers pass valid dates.
 */
export function daysFromCivil(date: {
  readonly year: number
  readonly month: number
  readonly day: number
}): number {
  const y = date.year - (date.month <= 2 ? 1 : 0)
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const mp = (date.month + 9) % 12
  const doy = Math.floor((153 * mp + 2) / 5) + date.day - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146_097 + doe - 719_468
}

/** Wall-clock ms of a wall clock: its date and time counted as if it were UTC. */
export function wallClockMs(local: WallClock): number {
  return (
    daysFromCivil(local) * DAY_MS +
    local.hour * 3_600_000 +
    local.minute * 60_000 +
    local.second * 1000 +
    local.millisecond
  )
}

/**
 * The wall-clock date and time of `instant` in `timeZone`. Throws RangeError on an unknown zone or
 * an instant outside the range of `Date`.
 */
export function wallClockAt(instant: number, timeZone: string): WallClock {
  let year = 0
  let month = 0
  let day = 0
  let hour = 0
  let minute = 0
  let second = 0
  let bc = false
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    switch (part.type) {
      case 'year':
        year = Number(part.value)
        break
      case 'month':
        month = Number(part.value)
        break
      case 'day':
        day = Number(part.value)
        break
      case 'hour':
        hour = Number(part.value) % 24 // some ICU versions print midnight as 24
        break
      case 'minute':
        minute = Number(part.value)
        break
      case 'second':
        second = Number(part.value)
        break
      case 'era':
        bc = part.value === 'BC'
        break
      default:
        break
    }
  }
  // Zone offsets are whole seconds, so the sub-second part is the instant's own.
  const millisecond = instant - Math.floor(instant / 1000) * 1000
  return { year: bc ? 1 - year : year, month, day, hour, minute, second, millisecond }
}

/**
 * The zone's UTC offset at `instant` in milliseconds, exact to the millisecond (Europe/Rome in
 * summer: +7 200 000, Asia/Kolkata: +19 800 000).
 */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  return wallClockMs(wallClockAt(instant, timeZone)) - instant
}

const QUARTER_HOUR_MS = 15 * 60 * 1000
const MAX_CACHED_QUARTERS = 100_000
const quarterOffsets = new Map<string, Map<number, number>>()

/**
 * The zone's UTC offset in milliseconds read at the start of the quarter hour containing
 * `instant`, cached per zone and quarter hour (at most 100 000 entries a zone, then the cache
 * starts over); `UTC`, `Etc/UTC` and `GMT` are 0 without Intl. Equal to {@link zoneOffsetMs}
 * whenever the zone's transitions fall on quarter hours, as in every zone for the dates exports
 * hold; off for the minutes after a transition at an odd time (local mean time, Africa/Monrovia
 * 1972).
 */
export function quarterHourZoneOffsetMs(instant: number, timeZone: string): number {
  if (isUtcZone(timeZone)) return 0
  let cache = quarterOffsets.get(timeZone)
  if (cache === undefined) {
    cache = new Map()
    quarterOffsets.set(timeZone, cache)
  }
  const quarter = Math.floor(instant / QUARTER_HOUR_MS)
  const hit = cache.get(quarter)
  if (hit !== undefined) return hit
  const offset = zoneOffsetMs(quarter * QUARTER_HOUR_MS, timeZone)
  if (cache.size >= MAX_CACHED_QUARTERS) cache.clear()
  cache.set(quarter, offset)
  return offset
}

/** How {@link wallClockToInstant} reads a zone's offset at an instant. */
export type ZoneOffsetReader = (instant: number, timeZone: string) => number

/**
 * The instant a wall-clock time (as wall-clock ms) denotes in `timeZone`, with the `compatible`
 * rule of the module comment: a nonexistent time moves forward by the gap, an ambiguous one takes
 * the earlier instant.
 *
 * `offsetOf` reads the zone offset (default {@link zoneOffsetMs}, exact; import passes
 * {@link quarterHourZoneOffsetMs}). The offsets a day either side of the wall time bracket any
 * single transition near it, so zones whose clocks go back across midnight (America/Goose_Bay on
 * 1988-10-30, 00:01 → 22:01) and half-hour shifts (Australia/Lord_Howe) resolve the same way.
 */
export function wallClockToInstant(
  wallMs: number,
  timeZone: string,
  offsetOf: ZoneOffsetReader = zoneOffsetMs,
): number {
  const offsetBefore = offsetOf(wallMs - DAY_MS, timeZone)
  const offsetAfter = offsetOf(wallMs + DAY_MS, timeZone)
  const early = wallMs - offsetBefore
  const late = wallMs - offsetAfter
  const earlyValid = offsetOf(early, timeZone) === offsetBefore
  const lateValid = offsetOf(late, timeZone) === offsetAfter
  if (earlyValid && lateValid) return Math.min(early, late)
  if (earlyValid) return early
  if (lateValid) return late
  // In a gap: the wall time read with the offset in force before the transition.
  return early
}
