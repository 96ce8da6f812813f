/**
 * The customer list's URL ↔ API query. The URL holds what people read and type (dates as
 * YYYY-MM-DD, amounts in currency units, lists joined with |), so links from other screens stay
 * readable: /customers?segment=country:IT&risk=high. The API takes instants and minor units.
 */

export const FILTER_KEYS = [
  'segment',
  'tags',
  'last_order_from',
  'last_order_to',
  'spend_min',
  'spend_max',
  'risk',
  'clv_min',
] as const

export const SORT_KEYS = [
  'name',
  'last_order',
  'orders',
  'total_spend',
  'churn_risk',
  'clv',
] as const
export type SortKey = (typeof SORT_KEYS)[number]

const DAY_MS = 86_400_000
const DATE = /^\d{4}-\d{2}-\d{2}$/

/**
 * A calendar day as an instant: its UTC midnight (`end` = the next day's, so the day is included).
 * Close to the workspace day for European zones; the server validates whatever arrives.
 */
function dayInstant(day: string | null, end: boolean): string | undefined {
  if (!day) return undefined
  if (!DATE.test(day)) return day
  const t = Date.parse(`${day}T00:00:00Z`)
  return new Date(end ? t + DAY_MS : t).toISOString()
}

/** Currency units as minor units ("12,50" or "12.50" → 1250); anything else goes to the server as is. */
function minor(v: string | null, digits: number): string | undefined {
  if (!v) return undefined
  const n = Number(v.replace(',', '.'))
  return Number.isFinite(n) ? String(Math.round(n * 10 ** digits)) : v
}

export function apiQuery(
  params: URLSearchParams,
  pageSize: number,
  digits = 2,
): Record<string, string | undefined> {
  const get = (k: string) => params.get(k) ?? undefined
  return {
    q: get('q'),
    segment: get('segment'),
    tags: get('tags'),
    risk: get('risk'),
    last_order_from: dayInstant(params.get('last_order_from'), false),
    last_order_to: dayInstant(params.get('last_order_to'), true),
    spend_min: minor(params.get('spend_min'), digits),
    spend_max: minor(params.get('spend_max'), digits),
    clv_min: minor(params.get('clv_min'), digits),
    sort: get('sort'),
    dir: get('dir'),
    page: get('page'),
    page_size: String(pageSize),
  }
}
