import { bucketLabel, percent } from '../../components/charts/labels.ts'
import { Skeleton } from '../../components/ui/skeleton.tsx'
import type { SeriesPoint } from '../../hooks/api/metric-charts.ts'
import { useFormat } from '../../hooks/use-format.ts'
import { useI18n } from '../../i18n/index.tsx'

const TILES = ['mrr', 'nrr', 'grr', 'arpc'] as const

/** MRR, NRR, GRR and ARPC of one period, each with its formula (or why it has no value). */
export function RevenueTiles({
  point,
  grain,
  currency,
}: {
  point: SeriesPoint | undefined
  grain: 'month' | 'quarter'
  currency: string
}) {
  const { t, locale } = useI18n()
  const fmt = useFormat()
  return (
    <section aria-labelledby="revenue-tiles-title">
      <h2 id="revenue-tiles-title" className="mb-3 text-lg font-semibold">
        {point
          ? t('revenue.tiles.title', { period: bucketLabel(point.start, point.key, grain, fmt) })
          : t('revenue.tiles.loading')}
      </h2>
      <ul className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4" data-testid="revenue-tiles">
        {TILES.map((id) => {
          const m = point?.metrics[id]
          return (
            <li
              key={id}
              className="rounded-xl border border-line bg-surface p-4 shadow-sm"
              data-testid={`revenue-${id}`}
            >
              {!m ? (
                <>
                  <Skeleton className="h-4 w-24" />
                  <Skeleton className="mt-3 h-8 w-20" />
                </>
              ) : (
                <>
                  <p className="text-sm font-medium text-muted">{m.name[locale]}</p>
                  {m.defined && m.value !== null ? (
                    <p className="tabular mt-2 text-2xl font-semibold">
                      {m.unit === 'percent'
                        ? percent(fmt, m.value)
                        : fmt.money(Math.round(m.value), currency)}
                    </p>
                  ) : (
                    <p className="mt-2 text-sm text-muted">
                      {t('overview.kpi.notEnough', { reason: m.because?.[locale] ?? '' })}
                    </p>
                  )}
                  <p className="mt-2 font-mono text-xs text-muted">{m.formula}</p>
                </>
              )}
            </li>
          )
        })}
      </ul>
    </section>
  )
}
