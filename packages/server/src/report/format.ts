import type { CohortResult, ExplainedMetric } from '../analytics/metrics/index.ts'
import type { Report } from './build.ts'

/** Digits of the currency's minor unit (EUR 2, JPY 0); 2 for an unknown code. */
export function minorDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2
    )
  } catch {
    return 2
  }
}

export function formatMoney(minor: number, currency: string): string {
  const digits = minorDigits(currency)
  const major = minor / 10 ** digits
  try {
    return new Intl.NumberFormat('en', {
      style: 'currency',
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(major)
  } catch {
    return `${major.toFixed(digits)} ${currency}`
  }
}

const DAY_MS = 86_400_000

/** A metric value by its catalogue unit; "n/a" when undefined. */
export function formatValue(unit: string, value: unknown, currency: string): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'n/a'
  switch (unit) {
    case 'percent':
      return `${(value * 100).toFixed(1)}%`
    case 'money':
      return formatMoney(value, currency)
    case 'count':
      return Math.round(value).toLocaleString('en')
    case 'years':
      return `${value.toFixed(2)} years`
    case 'duration':
      return value >= DAY_MS ? `${(value / DAY_MS).toFixed(1)} days` : `${(value / 3_600_000).toFixed(1)} h`
    case 'score':
      return value.toFixed(1)
    default:
      return value.toFixed(2)
  }
}

/** The change from `previous` to `current` in the metric's unit, with ↑/↓ (percent in points). */
export function formatDelta(unit: string, current: unknown, previous: unknown, currency: string): string {
  if (typeof current !== 'number' || typeof previous !== 'number') return ''
  const d = current - previous
  if (!Number.isFinite(d)) return ''
  const magnitude =
    unit === 'percent' ? `${(Math.abs(d) * 100).toFixed(1)} pp` : formatValue(unit, Math.abs(d), currency)
  // A change too small to show at the unit's precision reads as none.
  if (!/[1-9]/.test(magnitude)) return '= 0'
  return `${d > 0 ? '↑' : '↓'} ${magnitude}`
}

export type KpiRow = {
  id: string
  name: string
  unit: string
  value: string
  previous: string
  delta: string
  raw: unknown
}

/** Every KPI of the period (customers, orders, lifetime, subscriptions, feedback, service). */
export function kpiRows(report: Report): KpiRow[] {
  const cur = report.kpis.period.metrics
  const prev = report.kpis.previous?.metrics ?? {}
  const entries: [string, ExplainedMetric, ExplainedMetric | undefined][] = Object.entries(cur).map(
    ([id, m]) => [id, m, prev[id]],
  )
  for (const [id, m] of Object.entries(report.kpis.feedback)) entries.push([id, m, undefined])
  entries.push(['median_first_response_time', report.kpis.service.median_first_response_ms, undefined])
  entries.push(['median_resolution_time', report.kpis.service.median_resolution_ms, undefined])
  return entries.map(([id, m, p]) => ({
    id,
    name: m.name.en,
    unit: m.unit,
    value: formatValue(m.unit, m.defined ? m.value : null, report.currency),
    previous: p ? formatValue(p.unit, p.defined ? p.value : null, report.currency) : '',
    delta: p && m.defined && p.defined ? formatDelta(m.unit, m.value, p.value, report.currency) : '',
    raw: m.defined ? m.value : null,
  }))
}

function table(header: string[], rows: string[][], alignRight: (col: number) => boolean): string[] {
  const widths = header.map((h, i) => Math.max([...h].length, ...rows.map((r) => [...(r[i] ?? '')].length)))
  const pad = (s: string, i: number) => {
    const fill = ' '.repeat(Math.max(0, (widths[i] ?? 0) - [...s].length))
    return alignRight(i) ? fill + s : s + fill
  }
  const line = (cells: string[]) => cells.map((c, i) => pad(c, i)).join('  ').trimEnd()
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)]
}

/** The cohort grid: cohort key, size, then % active at each offset (blank past the data). */
export function cohortGrid(rows: readonly CohortResult[]): {
  offsets: number
  cells: (number | null)[][]
  partial: boolean[][]
} {
  const offsets = Math.max(0, ...rows.map((r) => r.cells.length))
  const partial = rows.map((r) => Array.from({ length: offsets }, (_, k) => r.cells[k]?.complete === false))
  const cells = rows.map((r) =>
    Array.from({ length: offsets }, (_, k) => {
      const cell = r.cells[k]
      return cell && cell.retention.defined && typeof cell.retention.value === 'number'
        ? cell.retention.value
        : null
    }),
  )
  return { offsets, cells, partial }
}

/** The series of the period by granularity: a few headline KPIs per bucket. */
export const SERIES_KPIS = ['active_customers', 'new_customers', 'crr', 'churn_rate', 'revenue', 'orders'] as const

export function seriesRows(report: Report): { header: string[]; rows: string[][] } {
  const first = report.series[0]?.metrics ?? {}
  const header = ['Bucket', ...SERIES_KPIS.map((id) => first[id]?.name.en ?? id)]
  const rows = report.series.map((p) => [
    p.key,
    ...SERIES_KPIS.map((id) => {
      const m = p.metrics[id]
      return m ? formatValue(m.unit, m.defined ? m.value : null, report.currency) : ''
    }),
  ])
  return { header, rows }
}

/** The terminal report: KPI table, cohort table, CRR note. */
export function formatReport(report: Report): string {
  const out: string[] = []
  const seg = report.segment.length
    ? `, segment ${report.segment.map((c) => `${c.field}:${c.values.join('|')}`).join(';')}`
    : ''
  out.push(
    `Retention report: ${report.workspace.name}`,
    `Period ${report.period.from} to ${report.period.to} (${report.time_zone}), compared with the previous period; ` +
      `currency ${report.currency}, model ${report.business_model}, activity window ${report.activity_window_days} days${seg}`,
    '',
  )
  const rows = kpiRows(report)
  out.push(
    ...table(
      ['KPI', 'Value', 'Previous', 'Change'],
      rows.map((r) => [r.name, r.value, r.previous, r.delta]),
      (i) => i > 0,
    ),
  )
  out.push('')
  if (report.series.length > 1) {
    const shown = report.series.length > 24 ? 24 : report.series.length
    out.push(`By ${report.granularity}${shown < report.series.length ? ` (last ${shown} of ${report.series.length}; all in --json)` : ''}`)
    const s = seriesRows(report)
    out.push(...table(s.header, s.rows.slice(-shown), (i) => i > 0), '')
  }
  const { offsets, cells, partial } = cohortGrid(report.cohorts.rows)
  if (report.cohorts.rows.length === 0) {
    out.push(`Cohorts by ${report.granularity}: none (no first activity in the range)`)
  } else {
    out.push(`Cohorts by ${report.granularity} of first activity: % active ${report.granularity}s later (data as of ${report.period.to})`)
    out.push(
      ...table(
        ['Cohort', 'Size', ...Array.from({ length: offsets }, (_, k) => `+${k}`)],
        report.cohorts.rows.map((r, i) => [
          r.key,
          r.size.toLocaleString('en'),
          ...(cells[i] ?? []).map((v, k) =>
            v === null ? '' : `${Math.round(v * 100)}%${partial[i]?.[k] ? '*' : ''}`,
          ),
        ]),
        (i) => i > 0,
      ),
    )
  }
  if (partial.some((r) => r.some(Boolean))) {
    out.push(`* ${report.granularity} not complete at the end of the period`)
  }
  out.push('', `Note on CRR: ${report.kpis.period.explanation.en}`)
  return out.join('\n')
}
