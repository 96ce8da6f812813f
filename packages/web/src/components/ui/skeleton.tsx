import { useI18n } from '../../i18n/index.tsx'

export function Skeleton({ className = 'h-4 w-full' }: { className?: string }) {
  return <div aria-hidden="true" className={`animate-pulse rounded bg-subtle ${className}`} />
}

/** Placeholder rows while a list loads; announced once as "Loading…" to assistive technology. */
export function SkeletonRows({ rows = 5, className = '' }: { rows?: number; className?: string }) {
  const { t } = useI18n()
  return (
    <div role="status" aria-live="polite" className={`space-y-3 ${className}`}>
      <span className="sr-only">{t('common.loading')}</span>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="flex items-center gap-4">
          <Skeleton className="size-8 shrink-0 rounded-full" />
          <div className="flex-1 space-y-2">
            <Skeleton className={`h-3.5 ${i % 2 ? 'w-2/3' : 'w-1/2'}`} />
            <Skeleton className="h-3 w-1/3" />
          </div>
          <Skeleton className="h-3.5 w-20" />
        </div>
      ))}
    </div>
  )
}
