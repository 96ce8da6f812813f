import { describe, expect, it } from 'vitest'
import {
  createDateOrderDetector,
  dateOrderEvidence,
  excelSerialParts,
  isValidTimeZone,
  parseCalendarDate,
  parseDateFormatOption,
  parseInstant,
  timeZoneOffsetMs,
  zonedTimeToUtc,
} from './dates.ts'
import { fixture, recordsOf, runImport } from './fixtures/test-harness.ts'

const inst = (s: string, opts: Parameters<typeof parseInstant>[1] = {}) => {
  const r = parseInstant(s, opts)
  return r.ok ? r.value : r.error.code
}

describe('date formats', () => {
  it.each([
    // ISO, with and without offsets
    ['2024-01-15T10:20:30Z', '2024-01-15T10:20:30Z'],
    ['2024-01-15T10:20:30.123Z', '2024-01-15T10:20:30.123Z'],
    ['2024-01-15T10:20:30+01:00', '2024-01-15T09:20:30Z'],
    ['2024-01-15 10:23:45 +0100', '2024-01-15T09:23:45Z'], // Shopify
    ['2024-01-15 10:23:45 -0500', '2024-01-15T15:23:45Z'],
    ['2024-01-15 10:23 UTC', '2024-01-15T10:23:00Z'],
    ['2024-07-15T10:20', '2024-07-15T08:20:00Z'], // local time, Rome summer
    ['2024-01-15', '2024-01-14T23:00:00Z'], // local midnight, Rome winter
    ['2024/01/15', '2024-01-14T23:00:00Z'],
    ['20240115', '2024-01-14T23:00:00Z'], // CDNOW
    // Italian
    ['15/01/2024', '2024-01-14T23:00:00Z'],
    ['15/01/2024 18:30', '2024-01-15T17:30:00Z'],
    ['15/01/2024 18:30:15', '2024-01-15T17:30:15Z'],
    ['15/01/2024 18.30', '2024-01-15T17:30:00Z'],
    ['15.01.2024', '2024-01-14T23:00:00Z'],
    ['5.1.2024 8:05', '2024-01-05T07:05:00Z'],
    ['15-01-2024', '2024-01-14T23:00:00Z'],
    ['15/01/24', '2024-01-14T23:00:00Z'],
    ['15/01/70', '1970-01-14T23:00:00Z'],
    // US, settled by the value itself
    ['1/13/2011 8:26', '2011-01-13T07:26:00Z'],
    ['12/13/2010 2:05 PM', '2010-12-13T13:05:00Z'],
    ['12/13/2010 12:05 AM', '2010-12-12T23:05:00Z'],
    // the same day and month: no ambiguity
    ['05/05/2024', '2024-05-04T22:00:00Z'],
    // Excel serials (1900 system)
    ['45306', '2024-01-14T23:00:00Z'],
    ['45306.75', '2024-01-15T17:00:00Z'],
  ])('%s → %s', (text, expected) => {
    expect(inst(text)).toBe(expected)
  })

  it.each([
    '31/04/2024', // no 31 April
    '29/02/2023', // not a leap year
    '2024-13-01',
    '2024-01-15 25:00',
    '32/13/2024',
    'ieri',
    '2024', // a year alone
    '60', // Excel's fictitious 29/02/1900
    '12/31/2024 13:00 PM',
  ])('rejects %s', (text) => {
    expect(inst(text)).toBe('invalid_date')
  })

  it('reports an ambiguous day/month without a settled order', () => {
    expect(inst('03/04/2024')).toBe('date_ambiguous')
    expect(inst('03/04/2024', { order: 'dmy' })).toBe('2024-04-02T22:00:00Z')
    expect(inst('03/04/2024', { order: 'mdy' })).toBe('2024-03-03T23:00:00Z')
  })

  it('rejects a value that contradicts the given order, saying which format', () => {
    const r = parseInstant('25/03/2024', { order: 'mdy' })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.detail?.en).toContain('mm/dd/yyyy')
  })

  it('uses the time zone given, and UTC for UTC', () => {
    expect(inst('2024-01-15 10:00', { timeZone: 'UTC' })).toBe('2024-01-15T10:00:00Z')
    expect(inst('2024-01-15 10:00', { timeZone: 'America/New_York' })).toBe('2024-01-15T15:00:00Z')
    expect(inst('2024-01-15 10:00', { timeZone: 'Asia/Kolkata' })).toBe('2024-01-15T04:30:00Z')
  })

  it('gives calendar dates as written', () => {
    expect(parseCalendarDate('07/03/1985', { order: 'dmy' })).toEqual({
      ok: true,
      value: '1985-03-07',
    })
    expect(parseCalendarDate('07/03/1985').ok).toBe(false) // ambiguous without an order
    expect(parseCalendarDate('1985-03-07T23:30:00-05:00')).toEqual({
      ok: true,
      value: '1985-03-07',
    })
    expect(parseCalendarDate('31085')).toEqual({ ok: true, value: '1985-02-07' }) // 25569 = 1970-01-01
  })
})

describe('dates with month names (Italian and English)', () => {
  it.each([
    ['3 gen 2024', '2024-01-02T23:00:00Z'],
    ['03-Jan-2024', '2024-01-02T23:00:00Z'],
    ['January 3, 2024', '2024-01-02T23:00:00Z'],
    ['3 gennaio 2024', '2024-01-02T23:00:00Z'],
    ['3rd January 2024', '2024-01-02T23:00:00Z'],
    ['Jan 3 2024', '2024-01-02T23:00:00Z'],
    ['mer 3 gen 2024', '2024-01-02T23:00:00Z'],
    ['5 MAR 2024', '2024-03-04T23:00:00Z'],
    ['1º maggio 2024', '2024-04-30T22:00:00Z'],
    ['3 giu 24', '2024-06-02T22:00:00Z'],
    ['15 ago. 2024', '2024-08-14T22:00:00Z'],
    ['3 Sept. 2024 14:30', '2024-09-03T12:30:00Z'],
    ['Mar 5, 2024 9:05 PM', '2024-03-05T20:05:00Z'],
    ['25 dicembre 2023 18.30', '2023-12-25T17:30:00Z'],
    ['Wed, 03 Jan 2024 10:00:00 +0000', '2024-01-03T10:00:00Z'], // RFC 5322
    ['Wed Jan 03 2024 10:00:00 GMT+0100', '2024-01-03T09:00:00Z'], // JavaScript's toString
    ['31 Mar 2024 02:30', '2024-03-31T01:30:00Z'], // skipped by DST: moved forward
  ])('%s → %s', (text, expected) => {
    expect(inst(text)).toBe(expected)
  })

  it.each(['31 feb 2024', '29-Feb-2023', '3 foo 2024', 'gennaio 2024', '3 gen 2024 13:00 PM', '32 Jan 2024'])(
    'rejects %s',
    (text) => {
      expect(inst(text)).toBe('invalid_date')
    },
  )

  it('never needs --date-format, and leaves the file-level order inference as it was', () => {
    expect(dateOrderEvidence('3 gen 2024')).toBe('none')
    expect(dateOrderEvidence('January 3, 2024')).toBe('none')
    expect(inst('03-Jan-2024', { order: 'mdy' })).toBe('2024-01-02T23:00:00Z')
    const d = createDateOrderDetector()
    ;['3 gen 2024', '03/04/2024', 'Jan 5, 2024'].forEach((v, i) => d.observe(v, i + 2))
    expect(d.result()).toEqual({ status: 'ambiguous', count: 1, line: 3, value: '03/04/2024' })
    const n = createDateOrderDetector()
    n.observe('4 apr 2024', 2)
    expect(n.result()).toEqual({ status: 'not-needed' })
    expect(parseCalendarDate('7 marzo 1985')).toEqual({ ok: true, value: '1985-03-07' })
  })
})

describe('a file with month names (fixtures/month-name-dates.csv)', () => {
  it('imports every form without asking for a date format; a date that does not exist is rejected', () => {
    const r = runImport(fixture('month-name-dates.csv'))
    expect(r.plan.converter.values.dateOrder).toBeNull()
    expect(recordsOf(r, 'orders').map((o) => [o['external_id'], o['placed_at']])).toEqual([
      ['M1', '2024-01-02T23:00:00Z'],
      ['M2', '2024-01-02T23:00:00Z'],
      ['M3', '2024-01-02T23:00:00Z'],
      ['M4', '2024-01-02T23:00:00Z'],
      ['M5', '2024-08-15T16:30:00Z'],
    ])
    expect(r.rejected).toHaveLength(1)
    expect(r.rejected[0]).toMatchObject({ line: 7 })
    expect(r.rejected[0]!.issues[0]).toMatchObject({ code: 'invalid_date', column: 'date', value: '31 feb 2024' })
  })
})

describe('Excel serial numbers (1900 system with the 1900 leap-year bug)', () => {
  const date = (s: string) => {
    const r = excelSerialParts(s)
    return r.ok ? `${r.value.year}-${r.value.month}-${r.value.day}` : r.error.code
  }
  it('maps the landmarks', () => {
    expect(date('1')).toBe('1900-1-1')
    expect(date('59')).toBe('1900-2-28')
    expect(date('60')).toBe('invalid_date') // 1900-02-29 does not exist
    expect(date('61')).toBe('1900-3-1')
    expect(date('25569')).toBe('1970-1-1')
    expect(date('45306')).toBe('2024-1-15')
    expect(date('2958465')).toBe('9999-12-31')
    expect(date('2958466')).toBe('invalid_date')
  })
})

describe('time zones (Europe/Rome DST)', () => {
  it('knows the offset in winter and summer', () => {
    expect(timeZoneOffsetMs('Europe/Rome', Date.UTC(2024, 0, 15))).toBe(3_600_000)
    expect(timeZoneOffsetMs('Europe/Rome', Date.UTC(2024, 6, 15))).toBe(7_200_000)
  })
  it('moves a skipped time forward by the gap (31 March 2024, 02:30 does not exist)', () => {
    expect(inst('2024-03-31 02:30')).toBe('2024-03-31T01:30:00Z') // = 03:30 CEST
    expect(inst('2024-03-31 01:59')).toBe('2024-03-31T00:59:00Z')
    expect(inst('2024-03-31 03:00')).toBe('2024-03-31T01:00:00Z')
  })
  it('takes the earlier instant of a repeated time (27 October 2024, 02:30 twice)', () => {
    expect(inst('2024-10-27 02:30')).toBe('2024-10-27T00:30:00Z') // 02:30 CEST
    expect(inst('2024-10-27 03:30')).toBe('2024-10-27T02:30:00Z')
  })
  it('converts month ends and midnight', () => {
    expect(zonedTimeToUtc(Date.UTC(2024, 2, 31, 23, 59), 'Europe/Rome')).toBe(
      Date.UTC(2024, 2, 31, 21, 59),
    )
    expect(inst('31/12/2024 23:59')).toBe('2024-12-31T22:59:00Z')
  })
  it('validates zone names', () => {
    expect(isValidTimeZone('Europe/Rome')).toBe(true)
    expect(isValidTimeZone('Europe/Roma')).toBe(false)
  })
})

describe('day/month order over a file', () => {
  it('classifies single values', () => {
    expect(dateOrderEvidence('25/03/2024')).toBe('dmy')
    expect(dateOrderEvidence('03/25/2024 10:00')).toBe('mdy')
    expect(dateOrderEvidence('03/04/2024')).toBe('either')
    expect(dateOrderEvidence('04/04/2024')).toBe('none')
    expect(dateOrderEvidence('25.03.2024')).toBe('none')
    expect(dateOrderEvidence('2024-03-04')).toBe('none')
  })

  it('is ambiguous when every value has both parts ≤ 12', () => {
    const d = createDateOrderDetector()
    ;['01/02/2024', '03/04/2024', '12/11/2024'].forEach((v, i) => d.observe(v, i + 2))
    expect(d.result()).toEqual({ status: 'ambiguous', count: 3, line: 2, value: '01/02/2024' })
  })

  it('is settled by one value with a day above 12, wherever it is', () => {
    const d = createDateOrderDetector()
    ;['01/02/2024', '03/04/2024', '13/04/2024', '05/06/2024'].forEach((v, i) => d.observe(v, i + 2))
    expect(d.result()).toEqual({ status: 'settled', order: 'dmy', line: 4, value: '13/04/2024' })
  })

  it('reports a conflict', () => {
    const d = createDateOrderDetector()
    d.observe('13/04/2024', 2)
    d.observe('04/13/2024', 3)
    expect(d.result().status).toBe('conflict')
  })

  it('is not needed for ISO dates', () => {
    const d = createDateOrderDetector()
    d.observe('2024-01-02', 2)
    expect(d.result()).toEqual({ status: 'not-needed' })
  })

  it('reads --date-format', () => {
    expect(parseDateFormatOption('dd/mm/yyyy')).toBe('dmy')
    expect(parseDateFormatOption('gg/mm/aaaa')).toBe('dmy')
    expect(parseDateFormatOption('DD-MM-YY')).toBe('dmy')
    expect(parseDateFormatOption('mm/dd/yyyy')).toBe('mdy')
    expect(parseDateFormatOption('yyyy-mm-dd')).toBe('auto')
    expect(parseDateFormatOption('dd.mm.yyyy')).toBe('auto')
    expect(parseDateFormatOption('boh')).toBeNull()
  })
})
