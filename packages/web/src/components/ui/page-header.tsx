import { useEffect, type ReactNode } from 'react'
import { useI18n } from '../../i18n/index.tsx'

/**
 * The h1 of a screen. It renders at once, before data arrives, and takes focus after a
 * navigation (see AppShell), so screen readers announce the new screen.
 */
export function PageHeader({
  title,
  lead,
  actions,
  eyebrow,
}: {
  title: ReactNode
  lead?: ReactNode
  actions?: ReactNode
  eyebrow?: ReactNode
}) {
  const { t } = useI18n()
  // The tab title names the screen too: browser history, bookmarks and screen readers use it.
  const text = typeof title === 'string' ? title : undefined
  useEffect(() => {
    document.title = text ? `${text} · ${t('app.name')}` : t('app.name')
  }, [text, t])
  return (
    <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
      <div className="min-w-0">
        {eyebrow}
        <h1 tabIndex={-1} className="text-2xl font-semibold tracking-tight outline-none">
          {title}
        </h1>
        {lead && <p className="mt-1 max-w-2xl text-muted">{lead}</p>}
      </div>
      {actions && <div className="flex gap-2">{actions}</div>}
    </div>
  )
}
