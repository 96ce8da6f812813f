import { describe, expect, it } from 'vitest'
import {
  DAY_MS,
  addMonthsUtc,
  blackFridayDay,
  createDemoClock,
  isoDate,
  isoSeconds,
  romeOffsetMs,
  romeParts,
  summerSalesDay,
  winterSalesDay,
} from './calendar.ts'

const HOUR = 3_600_000

describe('Europe/Rome time', () => {
  it('switches to CEST on the last Sunday of March and back on the last Sunday of October', () => {
    expect(romeOffsetMs(Date.parse('2025-03-30T00:59:59Z'))).toBe(HOUR)
    expect(romeOffsetMs(Date.parse('2025-03-30T01:00:00Z'))).toBe(2 * HOUR)
    expect(romeOffsetMs(Date.parse('2025-10-26T00:59:59Z'))).toBe(2 * HOUR)
    expect(romeOffsetMs(Date.parse('2025-10-26T01:00:00Z'))).toBe(HOUR)
    expect(romeOffsetMs(Date.parse('2024-03-31T01:00:00Z'))).toBe(2 * HOUR)
  })

  it('gives local calendar parts', () => {
    expect(romeParts(Date.parse('2024-12-31T23:30:00Z'))).toEqual({
      year: 2025,
      month0: 0,
      day: 1,
      hour: 0,
    })
  })
})

describe('Italian retail calendar', () => {
  it('finds Black Friday, the winter and summer sales', () => {
    expect(blackFridayDay(2023)).toBe(24)
    expect(blackFridayDay(2024)).toBe(29)
    expect(blackFridayDay(2025)).toBe(28)
    expect(winterSalesDay(2024)).toBe(5) // a Friday
    expect(winterSalesDay(2025)).toBe(4) // the 5th is a Sunday
    expect(summerSalesDay(2024)).toBe(6)
    expect(summerSalesDay(2025)).toBe(5)
  })
})

describe('formatting', () => {
  it('formats instants to whole seconds and dates', () => {
    const ms = Date.parse('2025-03-31T23:30:07.999Z')
    expect(isoSeconds(ms)).toBe('2025-03-31T23:30:07Z')
    expect(isoSeconds(Date.parse('1969-12-31T23:59:59.5Z'))).toBe('1969-12-31T23:59:59Z')
    expect(isoDate(ms)).toBe('2025-03-31')
    expect(isoDate(Date.parse('1850-06-01T12:00:00Z'))).toBe('1850-06-01')
  })

  it('adds months with the day clamped to the month end', () => {
    const jan31 = Date.parse('2025-01-31T10:00:00Z')
    expect(new Date(addMonthsUtc(jan31, 1)).toISOString()).toBe('2025-02-28T10:00:00.000Z')
    expect(new Date(addMonthsUtc(jan31, 13)).toISOString()).toBe('2026-02-28T10:00:00.000Z')
    expect(new Date(addMonthsUtc(Date.parse('2024-01-31T00:00:00Z'), 1)).toISOString()).toBe(
      '2024-02-29T00:00:00.000Z',
    )
  })
})

describe('operational clock', () => {
  const nowMs = Date.parse('2025-06-30T22:00:00Z')
  const clock = createDemoClock({ nowMs, years: 3, seasonal: true })

  it('keeps the window length: Λ(now) − Λ(start) = now − start', () => {
    expect(clock.toOperationalDays(clock.startMs)).toBe(0)
    expect(clock.toOperationalDays(nowMs)).toBeCloseTo((nowMs - clock.startMs) / DAY_MS, 9)
    expect(clock.spanDays).toBeCloseTo(3 * 365.2425, 6)
  })

  it('is a monotone bijection: calendar → operational → calendar round-trips to the ms', () => {
    let prev = -1
    for (let t = clock.startMs; t <= nowMs; t += 7_777_777) {
      const d = clock.toOperationalDays(t)
      expect(d).toBeGreaterThan(prev)
      prev = d
      expect(Math.abs(clock.toCalendarMs(d) - t)).toBeLessThan(1)
    }
  })

  it('runs faster in December and slower in August and at night', () => {
    const rate = (iso: string, hours: number) => {
      const t = Date.parse(iso)
      return (clock.toOperationalDays(t + hours * HOUR) - clock.toOperationalDays(t)) / (hours / 24)
    }
    expect(rate('2024-12-01T00:00:00Z', 24 * 23)).toBeGreaterThan(1.3)
    expect(rate('2024-08-01T00:00:00Z', 24 * 31)).toBeLessThan(0.8)
    expect(rate('2024-11-29T00:00:00Z', 24)).toBeGreaterThan(2.5) // Black Friday
    expect(rate('2024-03-12T02:00:00Z', 2)).toBeLessThan(0.2) // 3–5 am in Rome
  })

  it('bounds the calendar distortion', () => {
    expect(clock.maxWarpDays).toBeGreaterThan(5)
    expect(clock.maxWarpDays).toBeLessThan(20)
  })

  it('is the identity without seasonality', () => {
    const flat = createDemoClock({ nowMs, years: 2, seasonal: false })
    const t = nowMs - 100.25 * DAY_MS
    expect(flat.toOperationalDays(t)).toBeCloseTo(flat.spanDays - 100.25, 9)
    expect(flat.toCalendarMs(flat.toOperationalDays(t))).toBeCloseTo(t, 3)
    expect(flat.maxWarpDays).toBe(0)
  })
})
