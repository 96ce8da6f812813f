/**
 * Numbers, money and dates in the user's language. Amounts arrive as integer minor units beside an
 * ISO currency and are divided only here, for display. English uses the British conventions
 * (day before month, 24-hour clock), closer to the European businesses Fedele is built for.
 */
import type { Locale } from './api/types.ts'

export const INTL_LOCALE: Record<Locale, string> = { it: 'it-IT', en: 'en-GB' }

// Building an Intl formatter costs far more than using one; tables format hundreds of cells.
const numberFormats = new Map<string, Intl.NumberFormat>()
const dateFormats = new Map<string, Intl.DateTimeFormat>()

function numberFormat(tag: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${tag}|${JSON.stringify(options)}`
  let f = numberFormats.get(key)
  if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(tag, options)))
  return f
}

function dateFormat(tag: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${tag}|${JSON.stringify(options)}`
  let f = dateFormats.get(key)
  if (!f) dateFormats.set(key, (f = new Intl.DateTimeFormat(tag, options)))
  return f
}

/** Digits after the decimal point of a currency (2 for EUR, 0 for JPY), from ICU. */
export function currencyDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2
    )
  } catch {
    return 2
  }
}

export type Formatter = ReturnType<typeof makeFormatter>

export function makeFormatter(locale: Locale, timeZone: string | undefined) {
  const tag = INTL_LOCALE[locale]
  const tz = timeZone && isTimeZone(timeZone) ? timeZone : undefined
  return {
    locale,
    tag,
    timeZone: tz,
    /**
     * 123456 EUR → "1.234,56 €" (it) or "€1,234.56" (en). Grouping is forced: Italian CLDR data
     * leaves four-digit amounts ungrouped, which reads badly in tables of money.
     */
    money(minor: number, currency: string): string {
      try {
        const digits = currencyDigits(currency)
        const f = numberFormat(tag, { style: 'currency', currency, useGrouping: 'always' })
        return f.format(minor / 10 ** digits)
      } catch {
        return `${(minor / 100).toFixed(2)} ${currency}`
      }
    },
    number(n: number): string {
      return numberFormat(tag, { useGrouping: 'always' }).format(n)
    },
    /** A calendar date (YYYY-MM-DD) is shown as is, without a time-zone shift. */
    day(isoDate: string): string {
      const [y, m, d] = isoDate.split('-').map(Number)
      if (!y || !m || !d) return isoDate
      return dateFormat(tag, { dateStyle: 'medium', timeZone: 'UTC' }).format(
        new Date(Date.UTC(y, m - 1, d)),
      )
    },
    /** An instant, as a date in the workspace time zone. */
    date(iso: string): string {
      const d = new Date(iso)
      if (Number.isNaN(d.getTime())) return iso
      return dateFormat(tag, { dateStyle: 'medium', timeZone: tz }).format(d)
    },
    /** An instant, as date and time in the workspace time zone. */
    dateTime(iso: string): string {
      const d = new Date(iso)
      if (Number.isNaN(d.getTime())) return iso
      return dateFormat(tag, { dateStyle: 'medium', timeStyle: 'short', timeZone: tz }).format(d)
    },
    languageName(code: string): string {
      try {
        return new Intl.DisplayNames([tag], { type: 'language' }).of(code) ?? code
      } catch {
        return code
      }
    },
    regionName(code: string): string {
      try {
        return new Intl.DisplayNames([tag], { type: 'region' }).of(code) ?? code
      } catch {
        return code
      }
    },
    currencyName(code: string): string {
      try {
        return new Intl.DisplayNames([tag], { type: 'currency' }).of(code) ?? code
      } catch {
        return code
      }
    },
  }
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz })
    return true
  } catch {
    return false
  }
}
