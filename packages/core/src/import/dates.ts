import { err, ok, type Result } from '../shared/result.ts'
import { isUtcZone, quarterHourZoneOffsetMs, wallClockToInstant } from '../shared/time-zone.ts'

export { isValidTimeZone } from '../shared/time-zone.ts'

/**
 * Dates and date-times as exports write them, to ISO 8601 instants in UTC (`…Z`).
 *
 * Accepted (after trimming):
 * - `yyyy-mm-dd`, `yyyy/mm/dd`, optionally followed by ` hh:mm[:ss[.fff]]` or `Thh:mm…`, and an
 *   optional offset `Z`, `UTC`, `+01:00`, `+0100` (Shopify writes `2024-01-15 10:23:45 +0100`);
 * - `yyyymmdd` (CDNOW);
 * - `dd/mm/yyyy` or `mm/dd/yyyy` (also with `-`, and two-digit years: 00–68 → 20xx, 69–99 → 19xx,
 *   as POSIX `%y`), optionally with a time `hh:mm[:ss]` (`.` accepted as time separator) and
 *   AM/PM; the order comes from the caller (see `createDateOrderDetector`): a value whose day or
 *   month part exceeds 12 settles it by itself, `05/05/2024` needs none;
 * - `dd.mm.yyyy` (always day first, the European convention), with an optional time;
 * - month names in Italian and English, full or abbreviated (`gen`, `Jan`, `sept`, `gennaio`,
 *   `January`, with or without a dot, any case): `3 gen 2024`, `03-Jan-2024`, `3 gennaio 2024`,
 *   `3rd January 2024`, `January 3, 2024`, `Jan 3 2024`, an optional leading weekday (`mer 3 gen
 *   2024`, `Wed, 03 Jan 2024 10:00:00 +0000` as RFC 5322 writes it) and the same optional time,
 *   AM/PM and offset (also `GMT+0100`) as above. The month name settles the order, so these
 *   values never need `--date-format`;
 * - Excel serial numbers (1900 date system): `45306`, `45306.5`. Excel counts the fictitious
 *   29 February 1900 (serial 60, a Lotus 1-2-3 bug it kept), so serials from 61 on are shifted by
 *   one day; serial 60 itself is rejected. A bare four-digit number between 1900 and 2100 is
 *   taken for a year, not a serial, and rejected.
 *
 * A value without an offset is local time in the given IANA time zone (default Europe/Rome),
 * converted with `Intl.DateTimeFormat`. Times that do not exist (the hour skipped when DST starts)
 * move forward by the gap; times that occur twice (when DST ends) take the earlier instant: the
 * `compatible` disambiguation of Temporal and of RFC 5545.
 */

/** Day/month order of numeric dates written with `/` or `-`. */
export type DateOrder = 'dmy' | 'mdy'

/** The default time zone of local date-times. */
export const DEFAULT_TIME_ZONE = 'Europe/Rome'

/** Options of the date parsers. */
export interface DateOptions {
  /** Day/month order for `nn/nn/yyyy`; null or absent: only values that settle it are accepted. */
  order?: DateOrder | null
  /** IANA zone of values without an offset. Default Europe/Rome. */
  timeZone?: string
  /** Whether plain numbers are Excel serials (default true). */
  excelSerial?: boolean
}

/** A date or date-time split into its parts, before any time-zone conversion. */
export interface DateParts {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
  millisecond: number
  /** Offset east of UTC in minutes when the text had one (`Z` = 0); null for local time. */
  offsetMinutes: number | null
  hasTime: boolean
}

/** Why a date was not accepted; `detail` says more in both languages when useful. */
export interface DateError {
  code: 'invalid_date' | 'date_ambiguous'
  detail?: { it: string; en: string }
}

const ISO_RE =
  /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i
const COMPACT_RE = /^(\d{4})(\d{2})(\d{2})$/
const NUMERIC_RE =
  /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?:(?:\s+|T|,\s*)(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:[.,](\d{1,9}))?)?\s*([AaPp]\.?[Mm]\.?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/
const SERIAL_RE = /^\d{1,7}(?:[.,]\d+)?$/

const MONTH_NUMBERS: Record<string, number> = (() => {
  const names = [
    ['gennaio', 'january'],
    ['febbraio', 'february'],
    ['marzo', 'march'],
    ['aprile', 'april'],
    ['maggio', 'may'],
    ['giugno', 'june'],
    ['luglio', 'july'],
    ['agosto', 'august'],
    ['settembre', 'september', 'sept'],
    ['ottobre', 'october'],
    ['novembre', 'november'],
    ['dicembre', 'december'],
  ]
  const map: Record<string, number> = {}
  // Full names and their first three letters (gen/jan, mag/may, giu/jun, lug/jul, ago/aug,
  // set/sep, ott/oct, dic/dec): no abbreviation of one language is another month in the other.
  names.forEach((list, i) => {
    for (const n of list) map[n] = map[n.slice(0, 3)] = i + 1
  })
  return map
})()
const WEEKDAY = '(?:[A-Za-zÀ-ÿ]{3,10}\\.?,?\\s+)?'
const MONTH = '([A-Za-zÀ-ÿ]{3,9})\\.?'
const TIME_TAIL =
  '(?:(?:\\s+|T|,\\s*)(\\d{1,2})[:.](\\d{2})(?:[:.](\\d{2})(?:[.,](\\d{1,9}))?)?\\s*([AaPp]\\.?[Mm]\\.?)?)?\\s*(Z|UTC|GMT|(?:UTC|GMT)?[+-]\\d{2}(?::?\\d{2})?)?$'
/** `3 gen 2024`, `03-Jan-2024`, `3rd January 2024`, `Wed, 03 Jan 2024 10:00:00 +0000`. */
const DAY_MONTH_NAME_RE = new RegExp(
  `^${WEEKDAY}(\\d{1,2})(?:st|nd|rd|th|°|º)?[\\s./-]*${MONTH}[\\s./,-]+(\\d{4}|\\d{2})${TIME_TAIL}`,
  'i',
)
/** `January 3, 2024`, `Jan 3 2024`, `Wed Jan 03 2024 10:00:00 GMT+0100`. */
const MONTH_NAME_DAY_RE = new RegExp(
  `^${WEEKDAY}${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})${TIME_TAIL}`,
  'i',
)

const EXCEL_MAX_SERIAL = 2958465 // 9999-12-31

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
const daysInMonth = (y: number, m: number): number =>
  m === 2 && isLeap(y) ? 29 : (DAYS_IN_MONTH[m - 1] ?? 0)

const invalid = (it?: string, en?: string): Result<never, DateError> =>
  err(it && en ? { code: 'invalid_date', detail: { it, en } } : { code: 'invalid_date' })

function parseOffset(s: string | undefined): number | null {
  if (s === undefined) return null
  const u = s.toUpperCase()
  if (u === 'Z' || u === 'UTC' || u === 'GMT') return 0
  const sign = s[0] === '-' ? -1 : 1
  const digits = s.slice(1).replace(':', '')
  const h = Number(digits.slice(0, 2))
  const m = digits.length > 2 ? Number(digits.slice(2, 4)) : 0
  return sign * (h * 60 + m)
}

function checkParts(p: DateParts): Result<DateParts, DateError> {
  if (p.year < 1000 || p.year > 9999) return invalid('anno fuori intervallo', 'year out of range')
  if (p.month < 1 || p.month > 12) return invalid('mese inesistente', 'no such month')
  if (p.day < 1 || p.day > daysInMonth(p.year, p.month))
    return invalid('giorno inesistente in quel mese', 'no such day in that month')
  if (p.hour > 23 || p.minute > 59 || p.second > 59)
    return invalid('ora non valida', 'invalid time')
  if (p.offsetMinutes !== null && Math.abs(p.offsetMinutes) > 18 * 60)
    return invalid('fuso orario non valido', 'invalid offset')
  return ok(p)
}

const fracToMs = (f: string | undefined): number => (f ? Number(f.slice(0, 3).padEnd(3, '0')) : 0)

/** `pm`/`a.m.` applied to an hour; null when the hour cannot carry one (0, 13…). */
function hour24(hour: number, ampmText: string | undefined): number | null {
  const ampm = ampmText?.toLowerCase().replace(/\./g, '')
  if (!ampm) return hour
  if (hour < 1 || hour > 12) return null
  if (ampm === 'am') return hour === 12 ? 0 : hour
  return hour === 12 ? 12 : hour + 12
}

const twoDigitYear = (yy: string): number => {
  const year = Number(yy)
  return yy.length === 2 ? year + (year <= 68 ? 2000 : 1900) : year
}

/** A date with a month name (see the module comment), or null when the text is not one. */
function monthNameParts(s: string): Result<DateParts, DateError> | null {
  let day: string | undefined
  let month: string | undefined
  let year: string | undefined
  let rest: (string | undefined)[]
  let m = DAY_MONTH_NAME_RE.exec(s)
  if (m) [day, month, year, ...rest] = m.slice(1)
  else if ((m = MONTH_NAME_DAY_RE.exec(s))) [month, day, year, ...rest] = m.slice(1)
  else return null
  const monthNumber = MONTH_NUMBERS[(month ?? '').toLowerCase()]
  if (monthNumber === undefined) return null
  const [h, min, sec, frac, ampm, offset] = rest
  const hour = hour24(h ? Number(h) : 0, ampm)
  if (hour === null) return invalid('ora AM/PM non valida', 'invalid AM/PM hour')
  return checkParts({
    year: twoDigitYear(year ?? ''),
    month: monthNumber,
    day: Number(day),
    hour,
    minute: min ? Number(min) : 0,
    second: sec ? Number(sec) : 0,
    millisecond: fracToMs(frac),
    offsetMinutes: parseOffset(offset?.replace(/^(UTC|GMT)(?=[+-])/i, '')),
    hasTime: h !== undefined,
  })
}

/**
 * Which day/month order one value proves: `dmy` (`25/03/2024`), `mdy` (`03/25/2024`), `either`
 * (`03/04/2024`), or `none` when the order does not matter (ISO, `yyyymmdd`, dotted, `05/05/2024`,
 * not a date).
 */
export function dateOrderEvidence(raw: string): DateOrder | 'either' | 'none' {
  const m = NUMERIC_RE.exec(raw.trim())
  if (!m || m[2] === '.') return 'none'
  const a = Number(m[1])
  const b = Number(m[3])
  if (a === b) return 'none'
  if (a > 12 && b <= 12) return 'dmy'
  if (b > 12 && a <= 12) return 'mdy'
  if (a <= 12 && b <= 12) return 'either'
  return 'none' // both > 12: not a date in either order
}

/** Split a date text into parts (see the module comment for the accepted forms). */
export function parseDateParts(
  raw: string,
  options: DateOptions = {},
): Result<DateParts, DateError> {
  const s = raw.trim()
  let m = ISO_RE.exec(s)
  if (m) {
    return checkParts({
      year: Number(m[1]),
      month: Number(m[2]),
      day: Number(m[3]),
      hour: m[4] ? Number(m[4]) : 0,
      minute: m[5] ? Number(m[5]) : 0,
      second: m[6] ? Number(m[6]) : 0,
      millisecond: fracToMs(m[7]),
      offsetMinutes: parseOffset(m[8]),
      hasTime: m[4] !== undefined,
    })
  }
  m = COMPACT_RE.exec(s)
  if (m) {
    return checkParts({
      year: Number(m[1]),
      month: Number(m[2]),
      day: Number(m[3]),
      hour: 0,
      minute: 0,
      second: 0,
      millisecond: 0,
      offsetMinutes: null,
      hasTime: false,
    })
  }
  m = NUMERIC_RE.exec(s)
  if (m) {
    const a = Number(m[1])
    const b = Number(m[3])
    let order: DateOrder
    if (m[2] === '.') order = 'dmy'
    else if (options.order) order = options.order
    else if (a === b || (a > 12 && b <= 12)) order = 'dmy'
    else if (b > 12 && a <= 12) order = 'mdy'
    else if (a <= 12 && b <= 12) return err({ code: 'date_ambiguous' })
    else return invalid('giorno e mese oltre 12', 'day and month both above 12')
    const year = twoDigitYear(m[4] ?? '')
    const hour = hour24(m[5] ? Number(m[5]) : 0, m[9])
    if (hour === null) return invalid('ora AM/PM non valida', 'invalid AM/PM hour')
    const parts = checkParts({
      year,
      month: order === 'dmy' ? b : a,
      day: order === 'dmy' ? a : b,
      hour,
      minute: m[6] ? Number(m[6]) : 0,
      second: m[7] ? Number(m[7]) : 0,
      millisecond: fracToMs(m[8]),
      offsetMinutes: parseOffset(m[10]),
      hasTime: m[5] !== undefined,
    })
    if (!parts.ok && options.order && m[2] !== '.')
      return invalid(
        `non corrisponde al formato ${order === 'dmy' ? 'gg/mm/aaaa' : 'mm/gg/aaaa'}`,
        `does not match the format ${order === 'dmy' ? 'dd/mm/yyyy' : 'mm/dd/yyyy'}`,
      )
    return parts
  }
  if (options.excelSerial !== false && SERIAL_RE.test(s)) return excelSerialParts(s)
  return (/[a-zà-ÿ]{3}/i.test(s) ? monthNameParts(s) : null) ?? invalid()
}

/**
 * Parts of an Excel serial date (1900 system): serial 1 = 1900-01-01, 59 = 1900-02-28,
 * 60 = the non-existent 1900-02-29 (rejected), 61 = 1900-03-01, 45306 = 2024-01-15; the fraction
 * is the time of day, rounded to the second.
 */
export function excelSerialParts(text: string): Result<DateParts, DateError> {
  const s = text.replace(',', '.')
  const serial = Number(s)
  const whole = Math.floor(serial)
  if (/^\d{4}$/.test(s) && whole >= 1900 && whole <= 2100)
    return invalid('un anno da solo non è una data', 'a year alone is not a date')
  if (!(whole >= 1 && whole <= EXCEL_MAX_SERIAL)) return invalid()
  if (whole === 60)
    return invalid('il 29/02/1900 di Excel non esiste', "Excel's 29 February 1900 does not exist")
  // Day 0 of the count is 1899-12-31 before the fictitious leap day, 1899-12-30 after it.
  const base = Date.UTC(1899, 11, whole < 60 ? 31 : 30)
  const seconds = Math.round((serial - whole) * 86400)
  const d = new Date(base + whole * 86400000 + seconds * 1000)
  return checkParts({
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: 0,
    offsetMinutes: null,
    hasTime: seconds !== 0,
  })
}

// --- time zones -------------------------------------------------------------------------------

/**
 * Offset of a time zone from UTC at an instant, in milliseconds (Europe/Rome in July: 7 200 000).
 * Read once per 15-minute bucket and cached (`quarterHourZoneOffsetMs` of `shared/time-zone.ts`):
 * transitions happen on quarter hours in every zone for the dates exports hold.
 */
export function timeZoneOffsetMs(timeZone: string, utcMs: number): number {
  return quarterHourZoneOffsetMs(utcMs, timeZone)
}

/**
 * The UTC instant (ms) of a wall-clock time in a zone, with the `compatible` rule: a skipped time
 * moves forward by the gap, a repeated time takes the earlier instant (`wallClockToInstant` of
 * `shared/time-zone.ts`, here with the cached quarter-hour offsets of `timeZoneOffsetMs`).
 */
export function zonedTimeToUtc(wallClockAsUtcMs: number, timeZone: string): number {
  if (isUtcZone(timeZone)) return wallClockAsUtcMs
  return wallClockToInstant(wallClockAsUtcMs, timeZone, quarterHourZoneOffsetMs)
}

/** Format epoch milliseconds as an ISO instant, without `.000` when there are no milliseconds. */
export function formatInstant(ms: number): string {
  const iso = new Date(ms).toISOString()
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso
}

/** The instant of date parts: their own offset if any, else local time in `timeZone`. */
export function partsToInstant(p: DateParts, timeZone: string = DEFAULT_TIME_ZONE): string {
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second, p.millisecond)
  const ms =
    p.offsetMinutes !== null ? wall - p.offsetMinutes * 60_000 : zonedTimeToUtc(wall, timeZone)
  return formatInstant(ms)
}

/** `YYYY-MM-DD` of date parts, as written (no time-zone conversion). */
export function partsToDate(p: DateParts): string {
  return `${String(p.year).padStart(4, '0')}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`
}

/** Parse a date or date-time to an ISO instant in UTC (`2024-03-25T09:30:00Z`). */
export function parseInstant(raw: string, options: DateOptions = {}): Result<string, DateError> {
  const p = parseDateParts(raw, options)
  if (!p.ok) return p
  return ok(partsToInstant(p.value, options.timeZone ?? DEFAULT_TIME_ZONE))
}

/** Parse a calendar date (`YYYY-MM-DD`), e.g. a birthday; a time part is ignored. */
export function parseCalendarDate(
  raw: string,
  options: DateOptions = {},
): Result<string, DateError> {
  const p = parseDateParts(raw, options)
  if (!p.ok) return p
  return ok(partsToDate(p.value))
}

/**
 * Read a `--date-format` option: `dd/mm/yyyy` (also `gg/mm/aaaa`, `dd-mm-yy`, `dmy`) → `dmy`,
 * `mm/dd/yyyy` (`mdy`) → `mdy`; formats that are never ambiguous (`yyyy-mm-dd`, `iso`,
 * `yyyymmdd`, `dd.mm.yyyy`, `excel`) → `auto`. Null when not understood.
 */
export function parseDateFormatOption(text: string): DateOrder | 'auto' | null {
  const s = text.trim().toLowerCase().replace(/\s+/g, '').replace(/[gj]/g, 'd').replace(/a/g, 'y')
  if (s === 'dmy' || /^d{1,2}[/-]m{1,2}[/-]y{2,4}/.test(s)) return 'dmy'
  if (s === 'mdy' || /^m{1,2}[/-]d{1,2}[/-]y{2,4}/.test(s)) return 'mdy'
  if (['auto', 'iso', 'excel', 'ymd', 'yyyymmdd'].includes(s)) return 'auto'
  if (/^y{4}[-/]?m{2}[-/]?d{2}/.test(s) || /^d{1,2}\.m{1,2}\.y{2,4}/.test(s)) return 'auto'
  return null
}

/** The result of inferring the day/month order over a whole column or file. */
export type DateOrderInference =
  /** No value needs an order (ISO, yyyymmdd, dotted, or no date at all). */
  | { status: 'not-needed' }
  /** Some value settles the order and none contradicts it. */
  | { status: 'settled'; order: DateOrder; line: number; value: string }
  /** Every `nn/nn/yyyy` value has both parts ≤ 12: the caller must ask for `--date-format`. */
  | { status: 'ambiguous'; count: number; line: number; value: string }
  /** Some values are day-first, others month-first. */
  | {
      status: 'conflict'
      dmy: { line: number; value: string }
      mdy: { line: number; value: string }
    }

/** Accumulates `dateOrderEvidence` over many values in constant memory. */
export interface DateOrderDetector {
  observe(raw: string, line: number): void
  result(): DateOrderInference
}

/** Create a detector of the day/month order of a column (or of all date columns of a file). */
export function createDateOrderDetector(): DateOrderDetector {
  let dmy: { line: number; value: string } | null = null
  let mdy: { line: number; value: string } | null = null
  let either: { line: number; value: string } | null = null
  let eitherCount = 0
  return {
    observe(raw, line) {
      const e = dateOrderEvidence(raw)
      if (e === 'none') return
      if (e === 'dmy') dmy ??= { line, value: raw }
      else if (e === 'mdy') mdy ??= { line, value: raw }
      else {
        eitherCount++
        either ??= { line, value: raw }
      }
    },
    result() {
      if (dmy && mdy) return { status: 'conflict', dmy, mdy }
      if (dmy) return { status: 'settled', order: 'dmy', ...dmy }
      if (mdy) return { status: 'settled', order: 'mdy', ...mdy }
      if (either) return { status: 'ambiguous', count: eitherCount, ...either }
      return { status: 'not-needed' }
    },
  }
}
