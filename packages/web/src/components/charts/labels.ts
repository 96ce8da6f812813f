import { currencyDigits, type Formatter } from '../../lib/format.ts'

type Grain = 'day' | 'week' | 'month' | 'quarter' | 'year'

/**
 * A calendar bucket named for people: "Mar 2025" / "mar 2025", the Monday of a week, "Q1 2025" /
 * "T1 2025" (trimestre). The bucket's start instant is read in the workspace time zone.
 */
export function bucketLabel(start: string, key: string, grain: Grain, fmt: Formatter): string {
  const d = new Date(start)
  const tz = fmt.timeZone
  switch (grain) {
    case 'month':
      return new Intl.DateTimeFormat(fmt.tag, {
        month: 'short',
        year: 'numeric',
        timeZone: tz,
      }).format(d)
    case 'quarter': {
      const m = /^(\d{4})-Q(\d)$/.exec(key)
      return m ? `${fmt.locale === 'it' ? 'T' : 'Q'}${m[2]} ${m[1]}` : key
    }
    case 'year':
      return key
    default:
      return new Intl.DateTimeFormat(fmt.tag, {
        day: 'numeric',
        month: 'short',
        timeZone: tz,
      }).format(d)
  }
}

export function percent(fmt: Formatter, v: number, digits = 1): string {
  return new Intl.NumberFormat(fmt.tag, { style: 'percent', maximumFractionDigits: digits }).format(
    v,
  )
}

/** Minor units as a short amount for axes: "€12K" / "12.345 €" stays exact in tooltips. */
export function moneyShort(fmt: Formatter, minor: number, currency: string): string {
  try {
    return new Intl.NumberFormat(fmt.tag, {
      style: 'currency',
      currency,
      notation: 'compact',
      maximumFractionDigits: 1,
    }).format(minor / 10 ** currencyDigits(currency))
  } catch {
    return fmt.money(minor, currency)
  }
}
