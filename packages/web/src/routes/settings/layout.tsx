import { NavLink, Outlet } from 'react-router'
import { PageHeader } from '../../components/ui/page-header.tsx'
import { useI18n, type MessageKey } from '../../i18n/index.tsx'

const TABS: { to: string; label: MessageKey; end?: boolean }[] = [
  { to: '/settings', label: 'settings.tab.workspace', end: true },
  { to: '/settings/users', label: 'settings.tab.users' },
  { to: '/settings/api-keys', label: 'settings.tab.apiKeys' },
]

/** Settings sections are sub-routes, so each has its own address to share or bookmark. */
export function Component() {
  const { t } = useI18n()
  return (
    <>
      <PageHeader title={t('settings.title')} lead={t('settings.lead')} />
      <nav aria-label={t('settings.tabs')} className="mb-6 border-b border-line">
        <ul className="-mb-px flex gap-1 overflow-x-auto">
          {TABS.map((tab) => (
            <li key={tab.to}>
              <NavLink
                to={tab.to}
                end={tab.end}
                className={({ isActive }) =>
                  `inline-block border-b-2 px-4 py-2.5 text-sm font-medium whitespace-nowrap ${
                    isActive
                      ? 'border-brand text-brand-text'
                      : 'border-transparent text-muted hover:border-line-strong hover:text-ink'
                  }`
                }
              >
                {t(tab.label)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </>
  )
}
