import { describe, expect, it } from 'vitest'
import {
  daysFromCivil,
  formatterFor,
  isUtcZone,
  isValidTimeZone,
  quarterHourZoneOffsetMs,
  wallClockAt,
  wallClockMs,
  wallClockToInstant,
  zoneOffsetMs,
} from './time-zone.ts'

const HOUR = 3_600_000
const MINUTE = 60_000
const ROME = 'Europe/Rome'
const utc = (iso: string): number => Date.parse(iso)

describe('formatterFor / isValidTimeZone', () => {
  it('caches one formatter per zone', () => {
    expect(formatterFor(ROME)).toBe(formatterFor(ROME))
    expect(formatterFor(ROME)).not.toBe(formatterFor('UTC'))
  })

  it('knows IANA names and rejects others', () => {
    expect(isValidTimeZone(ROME)).toBe(true)
    expect(isValidTimeZone('UTC')).toBe(true)
    expect(isValidTimeZone('Asia/Kolkata')).toBe(true)
    expect(isValidTimeZone('Europe/Roma')).toBe(false)
    expect(isValidTimeZone('Mars/Olympus')).toBe(false)
    expect(() => formatterFor('Mars/Olympus')).toThrow(RangeError)
  })

  it('recognises the UTC aliases', () => {
    expect(isUtcZone('UTC')).toBe(true)
    expect(isUtcZone('Etc/UTC')).toBe(true)
    expect(isUtcZone('GMT')).toBe(true)
    expect(isUtcZone(ROME)).toBe(false)
  })
})

describe('wall clock', () => {
  it('reads the local date and time, keeping the milliseconds', () => {
    expect(wallClockAt(utc('2024-03-31T23:30:00.250Z'), ROME)).toEqual({
      year: 2024,
      month: 4,
      day: 1,
      hour: 1,
      minute: 30,
      second: 0,
      millisecond: 250,
    })
  })

  it('uses astronomical years before the common era', () => {
    expect(wallClockAt(Date.UTC(2000, 0, 1), 'UTC').year).toBe(2000)
    const bc = new Date(0)
    bc.setUTCFullYear(-100, 0, 1)
    expect(wallClockAt(bc.getTime(), 'UTC')).toMatchObject({ year: -100, month: 1, day: 1 })
  })

  it('counts wall-clock ms as UTC, also for years 0–99', () => {
    const local = { year: 2024, month: 2, day: 29, hour: 13, minute: 5, second: 7, millisecond: 9 }
    expect(wallClockMs(local)).toBe(Date.UTC(2024, 1, 29, 13, 5, 7, 9))
    const d = new Date(0)
    d.setUTCFullYear(50, 5, 1)
    expect(wallClockMs({ ...local, year: 50, month: 6, day: 1, hour: 0, minute: 0 })).toBe(
      d.getTime() + 7009,
    )
    expect(daysFromCivil({ year: 1970, month: 1, day: 1 })).toBe(0)
  })
})

describe('zoneOffsetMs', () => {
  it('is 0 in UTC', () => {
    expect(zoneOffsetMs(utc('2024-07-15T12:00:00Z'), 'UTC')).toBe(0)
    expect(quarterHourZoneOffsetMs(utc('2024-07-15T12:00:00Z'), 'UTC')).toBe(0)
  })

  it('follows Europe/Rome DST both ways', () => {
    expect(zoneOffsetMs(utc('2024-01-15T12:00:00Z'), ROME)).toBe(HOUR)
    expect(zoneOffsetMs(utc('2024-07-15T12:00:00Z'), ROME)).toBe(2 * HOUR)
    expect(zoneOffsetMs(utc('2024-03-31T00:59:59.999Z'), ROME)).toBe(HOUR)
    expect(zoneOffsetMs(utc('2024-03-31T01:00:00Z'), ROME)).toBe(2 * HOUR)
    expect(zoneOffsetMs(utc('2024-10-27T00:59:59.999Z'), ROME)).toBe(2 * HOUR)
    expect(zoneOffsetMs(utc('2024-10-27T01:00:00Z'), ROME)).toBe(HOUR)
  })

  it('handles half-hour offsets (Asia/Kolkata) and half-hour DST (Australia/Lord_Howe)', () => {
    expect(zoneOffsetMs(utc('2024-01-15T00:00:00Z'), 'Asia/Kolkata')).toBe(5.5 * HOUR)
    expect(zoneOffsetMs(utc('2024-07-15T00:00:00Z'), 'Asia/Kolkata')).toBe(5.5 * HOUR)
    expect(zoneOffsetMs(utc('2024-01-15T00:00:00Z'), 'Australia/Lord_Howe')).toBe(11 * HOUR)
    expect(zoneOffsetMs(utc('2024-07-15T00:00:00Z'), 'Australia/Lord_Howe')).toBe(10.5 * HOUR)
  })

  it('quarter-hour cached offsets equal exact ones when transitions fall on quarter hours', () => {
    for (const iso of ['2024-03-31T00:59:59Z', '2024-03-31T01:00:00Z', '2024-10-27T01:14:59Z']) {
      expect(quarterHourZoneOffsetMs(utc(iso), ROME)).toBe(zoneOffsetMs(utc(iso), ROME))
    }
  })

  it('quarter-hour cached offsets lag a transition at an odd time (Africa/Monrovia 1972)', () => {
    // Monrovia went from −0:44:30 to UTC at 1972-01-07T00:44:30Z.
    const zone = 'Africa/Monrovia'
    const lmt = -(44 * MINUTE + 30_000)
    expect(zoneOffsetMs(utc('1972-01-07T00:44:29Z'), zone)).toBe(lmt)
    expect(zoneOffsetMs(utc('1972-01-07T00:44:30Z'), zone)).toBe(0)
    expect(quarterHourZoneOffsetMs(utc('1972-01-07T00:44:30Z'), zone)).toBe(lmt)
    expect(quarterHourZoneOffsetMs(utc('1972-01-07T00:45:00Z'), zone)).toBe(0)
  })
})

describe('wallClockToInstant (compatible disambiguation)', () => {
  const wall = Date.UTC

  it('is the identity in UTC', () => {
    expect(wallClockToInstant(wall(2024, 2, 31, 2, 30), 'UTC')).toBe(wall(2024, 2, 31, 2, 30))
    expect(wallClockToInstant(wall(2024, 2, 31, 2, 30), 'UTC', quarterHourZoneOffsetMs)).toBe(
      wall(2024, 2, 31, 2, 30),
    )
  })

  it('reads ordinary times with the offset in force', () => {
    expect(wallClockToInstant(wall(2024, 0, 15, 10), ROME)).toBe(utc('2024-01-15T09:00:00Z'))
    expect(wallClockToInstant(wall(2024, 6, 15, 10), ROME)).toBe(utc('2024-07-15T08:00:00Z'))
    expect(wallClockToInstant(wall(2024, 0, 15, 10), 'Asia/Kolkata')).toBe(
      utc('2024-01-15T04:30:00Z'),
    )
  })

  it('moves a skipped Europe/Rome time forward by the gap (02:30 → 03:30 CEST)', () => {
    expect(wallClockToInstant(wall(2024, 2, 31, 2, 30), ROME)).toBe(utc('2024-03-31T01:30:00Z'))
    expect(wallClockToInstant(wall(2024, 2, 31, 2, 0), ROME)).toBe(utc('2024-03-31T01:00:00Z'))
    expect(wallClockToInstant(wall(2024, 2, 31, 3, 0), ROME)).toBe(utc('2024-03-31T01:00:00Z'))
  })

  it('takes the earlier instant of a repeated Europe/Rome time', () => {
    expect(wallClockToInstant(wall(2024, 9, 27, 2, 30), ROME)).toBe(utc('2024-10-27T00:30:00Z'))
    expect(wallClockToInstant(wall(2024, 9, 27, 3, 0), ROME)).toBe(utc('2024-10-27T02:00:00Z'))
  })

  it('resolves a fall-back across midnight (America/Goose_Bay 1988, 00:01 → 22:01)', () => {
    const zone = 'America/Goose_Bay'
    // 23:30 on the 29th and 00:00 on the 30th happen twice: the earlier (UTC−2) instant wins.
    expect(wallClockToInstant(wall(1988, 9, 29, 23, 30), zone)).toBe(utc('1988-10-30T01:30:00Z'))
    expect(wallClockToInstant(wall(1988, 9, 30, 0, 0), zone)).toBe(utc('1988-10-30T02:00:00Z'))
    // 00:30 on the 30th only exists after the change (UTC−4).
    expect(wallClockToInstant(wall(1988, 9, 30, 0, 30), zone)).toBe(utc('1988-10-30T04:30:00Z'))
  })

  it('handles Australia/Lord_Howe half-hour DST both ways', () => {
    const zone = 'Australia/Lord_Howe'
    // 2024-10-06 02:00 → 02:30: 02:15 is skipped and moves forward to 02:45 (+11:00).
    expect(wallClockToInstant(wall(2024, 9, 6, 2, 15), zone)).toBe(utc('2024-10-05T15:45:00Z'))
    // 2024-04-07 02:00 → 01:30: 01:45 happens twice, the earlier is at +11:00.
    expect(wallClockToInstant(wall(2024, 3, 7, 1, 45), zone)).toBe(utc('2024-04-06T14:45:00Z'))
    expect(wallClockToInstant(wall(2024, 3, 7, 2, 0), zone)).toBe(utc('2024-04-06T15:30:00Z'))
  })

  it('gives the same instants with the quarter-hour cached offsets in these zones', () => {
    const cases: Array<[number, string]> = [
      [wall(2024, 2, 31, 2, 30), ROME],
      [wall(2024, 9, 27, 2, 30), ROME],
      [wall(1988, 9, 29, 23, 30), 'America/Goose_Bay'],
      [wall(2024, 9, 6, 2, 15), 'Australia/Lord_Howe'],
      [wall(2024, 3, 7, 1, 45), 'Australia/Lord_Howe'],
      [wall(2024, 0, 15, 10), 'Asia/Kolkata'],
    ]
    for (const [w, zone] of cases) {
      expect(wallClockToInstant(w, zone, quarterHourZoneOffsetMs)).toBe(wallClockToInstant(w, zone))
    }
  })

  it('maps the wall clock of an instant back to a time reading the same wall clock', () => {
    for (const zone of [ROME, 'Asia/Kolkata', 'Australia/Lord_Howe', 'UTC']) {
      for (let t = utc('2024-01-01T00:00:00Z'); t < utc('2025-01-01T00:00:00Z'); t += 7 * HOUR) {
        const w = wallClockMs(wallClockAt(t, zone))
        const back = wallClockToInstant(w, zone)
        expect(wallClockMs(wallClockAt(back, zone))).toBe(w)
        expect(back).toBeLessThanOrEqual(t) // the earlier instant when the time repeats
      }
    }
  })
})
