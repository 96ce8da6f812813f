import { isRouteErrorResponse, useRouteError } from 'react-router'
import { Button } from '../components/ui/button.tsx'
import { ErrorNotice } from '../components/ui/error-notice.tsx'
import { useI18n } from '../i18n/index.tsx'

/**
 * A screen that crashed or whose code failed to load (e.g. after a deploy replaced its chunk)
 * says so in words and offers a reload, inside the shell when the shell itself is fine.
 */
export function RouteError() {
  const error = useRouteError()
  const { t } = useI18n()
  const shown = isRouteErrorResponse(error)
    ? new Error(`${error.status} ${error.statusText}`)
    : error
  return (
    <div className="mx-auto max-w-xl px-4 py-12">
      <h1 className="mb-4 text-xl font-semibold">{t('common.error.title')}</h1>
      <ErrorNotice error={shown} />
      <Button className="mt-4" variant="secondary" onClick={() => window.location.reload()}>
        {t('common.reload')}
      </Button>
    </div>
  )
}
