import { useState } from 'react'
import { bucketLabel, percent } from '../../components/charts/labels.ts'
import type { Cohort, CohortGrain, CohortMode } from '../../hooks/api/metric-charts.ts'
import { useFormat } from '../../hooks/use-format.ts'
import { useI18n } from '../../i18n/index.tsx'
import { DrilldownDialog } from '../customers/drilldown-dialog.tsx'

/**
 * ColorBrewer "Blues" (sequential, colour-blind safe), with the text colour that keeps each step
 * above WCAG AA contrast. Explicit colours, so the scale reads the same in both themes.
 */
const STEPS: { bg: string; fg: string }[] = [
  { bg: '#eff3ff', fg: '#14181f' },
  { bg: '#c6dbef', fg: '#14181f' },
  { bg: '#9ecae1', fg: '#14181f' },
  { bg: '#6baed6', fg: '#14181f' },
  { bg: '#2171b5', fg: '#ffffff' },
  { bg: '#08306b', fg: '#ffffff' },
]

/** The step of `v` on a scale whose top is `max`: later offsets are small, so 100 % would wash them out. */
function step(v: number, max: number): { bg: string; fg: string } {
  const i = Math.min(STEPS.length - 1, Math.max(0, Math.floor((v / max) * STEPS.length)))
  return STEPS[i]!
}

type Open = { cohort: Cohort; offset: number }

/**
 * The cohort table as a heatmap of buttons: every cell says its value and opens its customers.
 * Cells of a bucket not yet over are marked, since their value can still grow.
 */
export function CohortHeatmap({
  cohorts,
  grain,
  mode,
  currency,
}: {
  cohorts: Cohort[]
  grain: CohortGrain
  mode: CohortMode
  currency: string
}) {
  const { t } = useI18n()
  const fmt = useFormat()
  const [open, setOpen] = useState<Open | null>(null)
  const width = Math.max(0, ...cohorts.map((c) => c.cells.length))
  const offsets = Array.from({ length: width }, (_, k) => k)
  const unit = t(`retention.offset.${grain}`)
  const max = Math.max(
    1e-9,
    ...cohorts.flatMap((c) => c.cells.filter((x) => x.offset > 0).map((x) => x.value ?? 0)),
  )

  if (cohorts.length === 0) return <p className="text-sm text-muted">{t('retention.noCohorts')}</p>

  return (
    <>
      <div
        className="-mx-5 overflow-x-auto px-5"
        tabIndex={0}
        role="region"
        aria-label={t('retention.cohorts.title')}
      >
        <table
          className="w-full border-separate border-spacing-0.5 text-xs"
          data-testid="cohort-heatmap"
        >
          <caption className="sr-only">{t(`retention.cohorts.lead.${mode}`)}</caption>
          <thead>
            <tr>
              <th scope="col" className="px-2 py-1 text-left font-semibold text-muted">
                {t('retention.cohort')}
              </th>
              <th scope="col" className="px-2 py-1 text-right font-semibold text-muted">
                {t('retention.size')}
              </th>
              {offsets.map((k) => (
                <th key={k} scope="col" className="px-1 py-1 text-center font-semibold text-muted">
                  {unit} {k}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {cohorts.map((c) => {
              const name = bucketLabel(c.start, c.key, grain, fmt)
              return (
                <tr key={c.key}>
                  <th scope="row" className="px-2 py-1 text-left font-medium whitespace-nowrap">
                    {name}
                  </th>
                  <td className="tabular px-2 py-1 text-right text-muted">
                    <button
                      type="button"
                      className="hover:underline"
                      onClick={() => setOpen({ cohort: c, offset: -1 })}
                      aria-label={t('retention.cell.members', {
                        cohort: name,
                        count: fmt.number(c.size),
                      })}
                    >
                      {fmt.number(c.size)}
                    </button>
                  </td>
                  {offsets.map((k) => {
                    const cell = c.cells[k]
                    if (!cell) return <td key={k} />
                    const v = cell.value
                    const s = v === null ? null : k === 0 ? STEPS[STEPS.length - 1]! : step(v, max)
                    const text = v === null ? t('common.none') : percent(fmt, v, v >= 0.995 ? 0 : 1)
                    const count = mode === 'on_or_after' ? cell.active_on_or_after : cell.active
                    return (
                      <td key={k} className="p-0">
                        <button
                          type="button"
                          onClick={() => setOpen({ cohort: c, offset: k })}
                          style={s ? { background: s.bg, color: s.fg } : undefined}
                          className={`tabular block h-8 w-full min-w-14 rounded px-1 text-center hover:ring-2 hover:ring-brand ${
                            s ? '' : 'bg-subtle text-muted'
                          } ${cell.complete ? '' : 'italic'}`}
                          aria-label={t('retention.cell.label', {
                            cohort: name,
                            unit,
                            k,
                            value: text,
                            count: fmt.number(count),
                          })}
                          title={
                            mode === 'revenue'
                              ? `${text} · ${fmt.money(cell.revenue, currency)}`
                              : `${text} · ${fmt.number(count)}`
                          }
                        >
                          {text}
                          {!cell.complete && <span aria-hidden="true">*</span>}
                        </button>
                      </td>
                    )
                  })}
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
      <p className="mt-3 text-xs text-muted">{t('retention.incomplete')}</p>
      {open && (
        <DrilldownDialog
          source={{
            kind: 'cohort',
            cohort: open.cohort.key,
            offset: Math.max(0, open.offset),
            mode: open.offset < 0 ? 'members' : mode === 'on_or_after' ? 'on_or_after' : 'on',
          }}
          title={
            open.offset < 0
              ? t('retention.drill.members', {
                  cohort: bucketLabel(open.cohort.start, open.cohort.key, grain, fmt),
                })
              : t(mode === 'on_or_after' ? 'retention.drill.onOrAfter' : 'retention.drill.on', {
                  cohort: bucketLabel(open.cohort.start, open.cohort.key, grain, fmt),
                  unit,
                  k: open.offset,
                })
          }
          onClose={() => setOpen(null)}
        />
      )}
    </>
  )
}
