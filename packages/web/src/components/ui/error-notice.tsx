import { useI18n } from '../../i18n/index.tsx'
import { ApiError, NetworkError } from '../../lib/api/client.ts'
import { Button } from './button.tsx'
import { Icon } from './icons.tsx'

/**
 * An error in words: the server's own message (already in the user's language, from
 * Accept-Language) and the fields it names; a network failure or a bug gets a sentence of ours.
 */
export function ErrorNotice({
  error,
  onRetry,
  title,
}: {
  error: unknown
  onRetry?: () => void
  title?: string
}) {
  const { t } = useI18n()
  const message = errorText(error, t)
  const details = error instanceof ApiError ? error.details : []
  return (
    <div
      role="alert"
      className="flex gap-3 rounded-lg border border-danger/30 bg-danger-soft px-4 py-3 text-sm"
    >
      <Icon name="alert" className="mt-0.5 size-5 shrink-0 text-danger" />
      <div className="min-w-0 flex-1">
        <p className="font-semibold text-danger">{title ?? t('common.error.title')}</p>
        <p className="mt-0.5 text-ink">{message}</p>
        {details.length > 0 && (
          <ul className="mt-1 list-disc pl-5 text-ink" aria-label={t('common.error.details')}>
            {details.map((d, i) => (
              <li key={i}>
                {d.path ? <code className="font-mono text-xs">{d.path}</code> : null}
                {d.path ? ': ' : ''}
                {d.message}
              </li>
            ))}
          </ul>
        )}
        {onRetry && (
          <Button variant="secondary" size="sm" className="mt-2" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        )}
      </div>
    </div>
  )
}

export function errorText(error: unknown, t: ReturnType<typeof useI18n>['t']): string {
  if (error instanceof ApiError) return error.message
  if (error instanceof NetworkError) return t('common.error.network')
  return t('common.error.unknown', {
    message: error instanceof Error ? error.message : String(error),
  })
}
