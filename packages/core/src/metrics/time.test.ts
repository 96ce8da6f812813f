import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  addDays,
  bucketFromKey,
  bucketKey,
  bucketOf,
  bucketsBetween,
  bucketStart,
  civilFromDays,
  daysFromCivil,
  isoWeek,
  isValidTimeZone,
  localToInstant,
  shiftBucket,
  toLocal,
  zoneOffsetMs,
} from './time.ts'
import type { Grain } from './time.ts'

const ROME = 'Europe/Rome'
const HOUR = 3_600_000
const DAY = 24 * HOUR
const utc = (iso: string): number => Date.parse(iso)

describe('civil date arithmetic', () => {
  it('round-trips days and civil dates, including 29 February', () => {
    expect(daysFromCivil({ year: 1970, month: 1, day: 1 })).toBe(0)
    expect(civilFromDays(daysFromCivil({ year: 2024, month: 2, day: 29 }))).toEqual({
      year: 2024,
      month: 2,
      day: 29,
    })
    expect(addDays({ year: 2024, month: 2, day: 28 }, 1)).toEqual({ year: 2024, month: 2, day: 29 })
    expect(addDays({ year: 2023, month: 2, day: 28 }, 1)).toEqual({ year: 2023, month: 3, day: 1 })
    expect(addDays({ year: 2100, month: 2, day: 28 }, 1)).toEqual({ year: 2100, month: 3, day: 1 })
    expect(addDays({ year: 2000, month: 2, day: 28 }, 1)).toEqual({ year: 2000, month: 2, day: 29 })
  })

  it('agrees with Date.UTC on random dates', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), (days) => {
        const d = new Date(days * DAY)
        expect(civilFromDays(days)).toEqual({
          year: d.getUTCFullYear(),
          month: d.getUTCMonth() + 1,
          day: d.getUTCDate(),
        })
        expect(daysFromCivil(civilFromDays(days))).toBe(days)
      }),
    )
  })

  it('numbers ISO weeks by the week-numbering year', () => {
    expect(isoWeek({ year: 2024, month: 12, day: 30 })).toEqual({ weekYear: 2025, week: 1 })
    expect(isoWeek({ year: 2021, month: 1, day: 3 })).toEqual({ weekYear: 2020, week: 53 })
    expect(isoWeek({ year: 2024, month: 1, day: 1 })).toEqual({ weekYear: 2024, week: 1 })
  })
})

describe('zone conversion', () => {
  it('reads wall clocks and offsets in Europe/Rome across DST', () => {
    expect(toLocal(utc('2024-03-31T23:30:00Z'), ROME)).toEqual({
      year: 2024,
      month: 4,
      day: 1,
      hour: 1,
      minute: 30,
      second: 0,
      millisecond: 0,
    })
    expect(zoneOffsetMs(utc('2024-01-15T12:00:00Z'), ROME)).toBe(HOUR)
    expect(zoneOffsetMs(utc('2024-07-15T12:00:00Z'), ROME)).toBe(2 * HOUR)
  })

  it('maps skipped and repeated wall times like Temporal "compatible"', () => {
    // 2024-03-31 02:30 does not exist in Rome: moved forward to 03:30 CEST = 01:30Z.
    expect(localToInstant({ year: 2024, month: 3, day: 31, hour: 2, minute: 30 }, ROME)).toBe(
      utc('2024-03-31T01:30:00Z'),
    )
    // 2024-10-27 02:30 happens twice: the earlier (CEST) one.
    expect(localToInstant({ year: 2024, month: 10, day: 27, hour: 2, minute: 30 }, ROME)).toBe(
      utc('2024-10-27T00:30:00Z'),
    )
  })

  it('rejects unknown zones', () => {
    expect(isValidTimeZone(ROME)).toBe(true)
    expect(isValidTimeZone('Mars/Olympus')).toBe(false)
    expect(() => bucketKey(0, 'day', 'Mars/Olympus')).toThrow(RangeError)
  })
})

describe('buckets in Europe/Rome', () => {
  it('puts an order at 23:30 UTC on 31 March into April', () => {
    for (const year of [2023, 2024, 2025]) {
      const at = utc(`${year}-03-31T23:30:00Z`)
      expect(bucketKey(at, 'month', ROME)).toBe(`${year}-04`)
      expect(bucketKey(at, 'day', ROME)).toBe(`${year}-04-01`)
      expect(bucketKey(at, 'quarter', ROME)).toBe(`${year}-Q2`)
    }
    // ... and 21:59Z on 31 March is still March (23:59 CEST).
    expect(bucketKey(utc('2024-03-31T21:59:59Z'), 'month', ROME)).toBe('2024-03')
  })

  it('starts months at local midnight, given as UTC instants', () => {
    expect(bucketFromKey('2024-04', ROME)).toEqual({
      key: '2024-04',
      grain: 'month',
      start: utc('2024-03-31T22:00:00Z'),
      end: utc('2024-04-30T22:00:00Z'),
    })
    expect(bucketStart(utc('2024-01-10T10:00:00Z'), 'month', ROME)).toBe(
      utc('2023-12-31T23:00:00Z'),
    )
    // March 2024 contains the spring-forward: 31 days minus one hour.
    const march = bucketFromKey('2024-03', ROME)
    expect(march.end - march.start).toBe(31 * DAY - HOUR)
  })

  it('handles 29 February', () => {
    const leapDay = bucketOf(utc('2024-02-29T12:00:00Z'), 'day', ROME)
    expect(leapDay).toEqual({
      key: '2024-02-29',
      grain: 'day',
      start: utc('2024-02-28T23:00:00Z'),
      end: utc('2024-02-29T23:00:00Z'),
    })
    const feb = bucketFromKey('2024-02', ROME)
    expect(feb.end - feb.start).toBe(29 * DAY)
    const feb23 = bucketFromKey('2023-02', ROME)
    expect(feb23.end - feb23.start).toBe(28 * DAY)
    expect(shiftBucket('2024-02-28', 1, ROME).key).toBe('2024-02-29')
    expect(shiftBucket('2023-02-28', 1, ROME).key).toBe('2023-03-01')
    const year = bucketFromKey('2024', ROME)
    expect(year.end - year.start).toBe(366 * DAY)
    expect(() => bucketFromKey('2023-02-29', ROME)).toThrow(RangeError)
  })

  it('makes DST days 23 h and 25 h long and DST weeks 167 h and 169 h', () => {
    const spring = bucketFromKey('2024-03-31', ROME)
    expect(spring.end - spring.start).toBe(23 * HOUR)
    const autumn = bucketFromKey('2024-10-27', ROME)
    expect(autumn.end - autumn.start).toBe(25 * HOUR)

    const springWeek = bucketOf(utc('2024-03-31T12:00:00Z'), 'week', ROME)
    expect(springWeek.key).toBe('2024-W13')
    expect(springWeek.start).toBe(utc('2024-03-24T23:00:00Z')) // Monday 25 March, 00:00 CET
    expect(springWeek.end).toBe(utc('2024-03-31T22:00:00Z')) // Monday 1 April, 00:00 CEST
    expect(springWeek.end - springWeek.start).toBe(7 * DAY - HOUR)

    const autumnWeek = bucketOf(utc('2024-10-27T12:00:00Z'), 'week', ROME)
    expect(autumnWeek.key).toBe('2024-W43')
    expect(autumnWeek.end - autumnWeek.start).toBe(7 * DAY + HOUR)
    // Sunday 23:30 local is still in the week; Monday 00:00 local starts the next one.
    expect(bucketKey(utc('2024-10-27T22:30:00Z'), 'week', ROME)).toBe('2024-W43')
    expect(bucketKey(utc('2024-10-27T23:00:00Z'), 'week', ROME)).toBe('2024-W44')
  })

  it('keys weeks by ISO week-numbering year across New Year', () => {
    const week = bucketOf(utc('2024-12-31T12:00:00Z'), 'week', ROME)
    expect(week.key).toBe('2025-W01')
    expect(bucketFromKey('2025-W01', ROME).start).toBe(utc('2024-12-29T23:00:00Z'))
    expect(shiftBucket('2020-W52', 1, ROME).key).toBe('2020-W53')
    expect(shiftBucket('2020-W53', 1, ROME).key).toBe('2021-W01')
    expect(() => bucketFromKey('2021-W53', ROME)).toThrow(RangeError)
  })

  it('shifts and enumerates buckets', () => {
    expect(shiftBucket('2024-11', 3, ROME).key).toBe('2025-02')
    expect(shiftBucket('2024-01', -1, ROME).key).toBe('2023-12')
    expect(shiftBucket('2024-Q4', 1, ROME).key).toBe('2025-Q1')
    expect(shiftBucket('2024', -2, ROME).key).toBe('2022')
    const months = bucketsBetween(
      utc('2024-01-15T00:00:00Z'),
      utc('2024-04-01T00:00:00Z'),
      'month',
      ROME,
    )
    expect(months.map((b) => b.key)).toEqual(['2024-01', '2024-02', '2024-03', '2024-04'])
    expect(() => bucketFromKey('2024-13', ROME)).toThrow(RangeError)
    expect(() => bucketFromKey('April', ROME)).toThrow(RangeError)
  })
})

describe('zones with midnight transitions', () => {
  it('makes the day 25 h long when clocks go back from 24:00 to 23:00 (São Paulo 2018)', () => {
    const zone = 'America/Sao_Paulo'
    // At 02:00Z on 18 Feb 2018 the clock went from 23:59:59 −02 back to 23:00 −03, so the hour
    // 02:00Z–03:00Z reads "17 Feb" a second time and 18 Feb starts at 03:00Z.
    const inRepeatedHour = utc('2018-02-18T02:30:00Z')
    expect(toLocal(inRepeatedHour, zone).day).toBe(17)
    const day = bucketOf(inRepeatedHour, 'day', zone)
    expect(day).toEqual({
      key: '2018-02-17',
      grain: 'day',
      start: utc('2018-02-17T02:00:00Z'),
      end: utc('2018-02-18T03:00:00Z'),
    })
    expect(day.end - day.start).toBe(25 * HOUR)
  })

  it('keeps hours that read "yesterday" after midnight in today (Goose Bay 1988, back 2 h at 00:01)', () => {
    const zone = 'America/Goose_Bay'
    // At 02:01Z on 30 Oct 1988 the clock went from 00:01 back to 22:01 on 29 Oct.
    const t = utc('1988-10-30T03:30:00Z')
    expect(toLocal(t, zone)).toMatchObject({ month: 10, day: 29, hour: 23, minute: 30 })
    expect(bucketOf(t, 'day', zone)).toEqual({
      key: '1988-10-30',
      grain: 'day',
      start: utc('1988-10-30T02:00:00Z'),
      end: utc('1988-10-31T04:00:00Z'),
    })
  })

  it('starts a day whose midnight is skipped at the transition (São Paulo 2018-11-04)', () => {
    const zone = 'America/Sao_Paulo'
    expect(bucketFromKey('2018-11-04', zone).start).toBe(utc('2018-11-04T03:00:00Z'))
  })
})

describe('bucket invariants (property)', () => {
  const zones = ['Europe/Rome', 'America/Sao_Paulo', 'Australia/Lord_Howe', 'Pacific/Apia', 'UTC']
  const grains: Grain[] = ['day', 'week', 'month', 'quarter', 'year']
  it('start ≤ t < end, the key round-trips, and the next bucket starts at end', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: utc('1990-01-01T00:00:00Z'), max: utc('2040-01-01T00:00:00Z') }),
        fc.constantFrom(...zones),
        fc.constantFrom(...grains),
        (t, zone, grain) => {
          const bucket = bucketOf(t, grain, zone)
          expect(bucket.start).toBeLessThanOrEqual(t)
          expect(bucket.end).toBeGreaterThan(t)
          expect(bucketFromKey(bucket.key, zone)).toEqual(bucket)
          expect(shiftBucket(bucket.key, 1, zone).start).toBe(bucket.end)
          expect(bucketOf(bucket.start, grain, zone).key).toBe(bucket.key)
          expect(bucketOf(bucket.end - 1, grain, zone).key).toBe(bucket.key)
        },
      ),
      { numRuns: 1000 },
    )
  })
})
