import { useI18n } from '../../i18n/index.tsx'

/** Bars of varying height where a chart will be, announced once as loading. */
export function ChartSkeleton({ height = 280 }: { height?: number }) {
  const { t } = useI18n()
  const bars = [40, 65, 50, 80, 60, 75, 55, 90, 70, 85, 62, 78]
  return (
    <div role="status" aria-live="polite" className="flex items-end gap-2" style={{ height }}>
      <span className="sr-only">{t('common.loading')}</span>
      {bars.map((h, i) => (
        <div key={i} className="flex flex-1 items-end" style={{ height: `${h}%` }}>
          <div className="h-full w-full animate-pulse rounded-t bg-subtle" aria-hidden="true" />
        </div>
      ))}
    </div>
  )
}
