import type { KeyboardEvent } from 'react'
import { NavLink } from 'react-router'
import { NAV, type NavItem } from '../../app/nav.ts'
import { useI18n } from '../../i18n/index.tsx'
import { Icon } from '../ui/icons.tsx'

/**
 * The sidebar: full labels from 1024 px, an icon rail below (tablets), so content keeps its
 * width. Tab reaches each link; the arrow keys, Home and End also move between them, as in a
 * menu, for people who navigate by keyboard all day.
 */
export function Sidebar() {
  const { t } = useI18n()

  function onKeyDown(e: KeyboardEvent<HTMLElement>) {
    const keys = ['ArrowDown', 'ArrowUp', 'Home', 'End']
    if (!keys.includes(e.key)) return
    const links = Array.from(e.currentTarget.querySelectorAll<HTMLAnchorElement>('a[data-nav]'))
    const i = links.indexOf(document.activeElement as HTMLAnchorElement)
    if (i < 0) return
    e.preventDefault()
    const next =
      e.key === 'Home'
        ? 0
        : e.key === 'End'
          ? links.length - 1
          : (i + (e.key === 'ArrowDown' ? 1 : -1) + links.length) % links.length
    links[next]?.focus()
  }

  const sections: { id: NavItem['section']; label: string }[] = [
    { id: 'analyse', label: t('nav.section.analyse') },
    { id: 'manage', label: t('nav.section.manage') },
  ]

  return (
    // The aside stretches with the page (its border and background reach the bottom); the
    // inner column sticks, so the navigation stays in view while the content scrolls.
    <aside className="w-16 shrink-0 border-r border-line bg-surface lg:w-60">
      <div className="sticky top-0 flex h-screen flex-col">
        <div className="flex h-14 items-center gap-2 border-b border-line px-3 lg:px-5">
          <span
            aria-hidden="true"
            className="grid size-8 shrink-0 place-items-center rounded-lg bg-brand text-base font-bold text-brand-ink"
          >
            F
          </span>
          <span className="sr-only text-lg font-semibold tracking-tight lg:not-sr-only">
            {t('app.name')}
          </span>
        </div>
        <nav
          aria-label={t('nav.label')}
          className="flex-1 overflow-y-auto px-2 py-4 lg:px-3"
          onKeyDown={onKeyDown}
        >
          {sections.map((s) => (
            <div key={s.id} className="mb-5">
              <h2 className="mb-1 hidden px-3 text-xs font-semibold tracking-wide text-muted uppercase lg:block">
                {s.label}
              </h2>
              <ul className="space-y-0.5">
                {NAV.filter((n) => n.section === s.id).map((item) => (
                  <li key={item.to}>
                    <NavLink
                      to={item.to}
                      end={item.to === '/'}
                      data-nav=""
                      title={t(item.label)}
                      className={({ isActive }) =>
                        `group flex h-10 items-center justify-center gap-3 rounded-md px-3 text-sm font-medium transition-colors lg:justify-start ${
                          isActive
                            ? 'bg-brand-soft text-brand-text'
                            : 'text-muted hover:bg-subtle hover:text-ink'
                        }`
                      }
                    >
                      <Icon name={item.icon} className="size-5 shrink-0" />
                      <span className="sr-only lg:not-sr-only lg:flex-1">{t(item.label)}</span>
                      {item.planned && (
                        <span className="hidden rounded-full border border-line px-1.5 text-[0.6875rem] font-medium text-muted lg:inline">
                          {t('nav.soon')}
                        </span>
                      )}
                    </NavLink>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </nav>
      </div>
    </aside>
  )
}
