import { Link } from 'react-router'
import type { RfmCell, RfmGrid, RfmNamedSegment } from '../../hooks/api/segments.ts'
import { useFormat } from '../../hooks/use-format.ts'
import { useI18n } from '../../i18n/index.tsx'
import { th, td, Table } from '../../components/ui/table.tsx'

/**
 * ColorBrewer "Greens" (sequential, colour-blind safe) with a text colour that keeps every step
 * above WCAG AA contrast; explicit colours so the scale reads the same in both themes.
 */
const STEPS: { bg: string; fg: string }[] = [
  { bg: '#edf8e9', fg: '#14181f' },
  { bg: '#c7e9c0', fg: '#14181f' },
  { bg: '#a1d99b', fg: '#14181f' },
  { bg: '#74c476', fg: '#14181f' },
  { bg: '#31a354', fg: '#14181f' },
  { bg: '#006d2c', fg: '#ffffff' },
]

function step(v: number, max: number) {
  if (v <= 0) return null
  return STEPS[Math.min(STEPS.length - 1, Math.floor((v / max) * STEPS.length))]!
}

export type GridMeasure = 'customers' | 'value'

/**
 * The 5×5 RFM grid as an accessible heatmap table: rows R 5 → 1 (most recent first), columns
 * FM 1 → 5; every cell shows its customers and their value and names its segment. Selecting a
 * cell selects its segment.
 */
export function RfmHeatmap({
  grid,
  measure,
  selected,
  onSelect,
}: {
  grid: RfmGrid
  measure: GridMeasure
  selected: string | null
  onSelect: (segment: string) => void
}) {
  const { t, locale } = useI18n()
  const fmt = useFormat()
  const names = new Map(grid.segments.map((s) => [s.id, s.name[locale]]))
  const max = Math.max(1, ...grid.cells.map((c) => c[measure]))
  const rows = [5, 4, 3, 2, 1].map((r) => grid.cells.filter((c) => c.r === r))
  const cellText = (c: RfmCell) =>
    t('segments.rfm.cell', {
      r: c.r,
      fm: c.fm,
      segment: names.get(c.segment) ?? c.segment,
      customers: fmt.number(c.customers),
      value: fmt.money(c.value, grid.currency),
    })
  return (
    <div
      className="-mx-5 overflow-x-auto px-5"
      tabIndex={0}
      role="region"
      aria-label={t('segments.rfm.title')}
    >
      <table
        className="w-full min-w-[40rem] border-separate border-spacing-1 text-xs"
        data-testid="rfm-grid"
      >
        <caption className="sr-only">{t('segments.rfm.caption')}</caption>
        <thead>
          <tr>
            <th scope="col" className="px-2 py-1 text-left font-semibold text-muted">
              {t('segments.rfm.axis')}
            </th>
            {[1, 2, 3, 4, 5].map((fm) => (
              <th key={fm} scope="col" className="px-2 py-1 text-center font-semibold text-muted">
                FM {fm}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row[0]?.r}>
              <th
                scope="row"
                className="px-2 py-1 text-left font-semibold whitespace-nowrap text-muted"
              >
                R {row[0]?.r}
              </th>
              {row.map((c) => {
                const s = step(c[measure], max)
                const on = selected === c.segment
                return (
                  <td key={c.fm} className="p-0">
                    <button
                      type="button"
                      onClick={() => onSelect(c.segment)}
                      aria-pressed={on}
                      title={cellText(c)}
                      style={s ? { background: s.bg, color: s.fg } : undefined}
                      className={`block h-20 w-full min-w-24 rounded-md px-2 py-1.5 text-left hover:ring-2 hover:ring-brand ${
                        s ? '' : 'bg-subtle text-muted'
                      } ${on ? 'ring-2 ring-brand ring-offset-1' : ''}`}
                    >
                      {/* The visible text is the accessible name; hidden words give it context. */}
                      <span className="sr-only">
                        R {c.r}, FM {c.fm}:{' '}
                      </span>
                      <span className="block truncate text-[11px] font-medium opacity-90">
                        {names.get(c.segment) ?? c.segment}
                      </span>
                      <span className="tabular mt-1 block text-base font-semibold" data-count>
                        {fmt.number(c.customers)}
                        <span className="sr-only"> {t('segments.named.customers')},</span>
                      </span>
                      <span className="tabular block truncate">
                        {fmt.money(c.value, grid.currency)}
                      </span>
                    </button>
                  </td>
                )
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** The named segments with their customers, share, value and a link to their customers. */
export function NamedSegments({
  grid,
  selected,
  onSelect,
}: {
  grid: RfmGrid
  selected: string | null
  onSelect: (segment: string) => void
}) {
  const { t, locale } = useI18n()
  const fmt = useFormat()
  const share = (s: RfmNamedSegment) =>
    grid.customers > 0
      ? new Intl.NumberFormat(fmt.tag, { style: 'percent', maximumFractionDigits: 1 }).format(
          s.customers / grid.customers,
        )
      : t('common.none')
  return (
    <Table label={t('segments.named.title')}>
      <thead>
        <tr>
          <th className={th} scope="col">
            {t('segments.named.segment')}
          </th>
          <th className={`${th} text-right`} scope="col">
            {t('segments.named.customers')}
          </th>
          <th className={`${th} text-right`} scope="col">
            {t('segments.named.share')}
          </th>
          <th className={`${th} text-right`} scope="col">
            {t('segments.named.value')}
          </th>
          <th className={th} scope="col">
            <span className="sr-only">{t('segments.named.actions')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {grid.segments.map((s) => (
          <tr
            key={s.id}
            className={selected === s.id ? 'bg-brand-soft/60' : undefined}
            data-segment={s.id}
          >
            <td className={td}>
              <button
                type="button"
                className="text-left font-medium hover:underline"
                onClick={() => onSelect(s.id)}
                aria-pressed={selected === s.id}
              >
                {s.name[locale]}
              </button>
              <p className="mt-0.5 text-xs text-muted">{s.description[locale]}</p>
            </td>
            <td className={`${td} tabular text-right`}>{fmt.number(s.customers)}</td>
            <td className={`${td} tabular text-right`}>{share(s)}</td>
            <td className={`${td} tabular text-right`}>{fmt.money(s.value, grid.currency)}</td>
            <td className={`${td} text-right`}>
              <Link
                className="text-sm font-medium whitespace-nowrap text-brand-text hover:underline"
                to={`/customers?segment=rfm_segment:${s.id}`}
                aria-label={t('segments.openCustomersOf', { name: s.name[locale] })}
              >
                {t('segments.openCustomers')}
              </Link>
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  )
}
