import { useEffect, useRef } from 'react'
import { Outlet, useLocation, useNavigation } from 'react-router'
import { useI18n } from '../../i18n/index.tsx'
import { Sidebar } from './sidebar.tsx'
import { TopBar } from './top-bar.tsx'

export function AppShell() {
  const { t } = useI18n()
  const { pathname } = useLocation()
  const navigation = useNavigation()
  const first = useRef(true)

  // After a navigation, focus the new screen's heading so screen readers announce it and the
  // next Tab starts in the content. Not on the first load: the browser's own focus is right then.
  useEffect(() => {
    if (first.current) {
      first.current = false
      return
    }
    document.querySelector<HTMLElement>('main h1')?.focus()
  }, [pathname])

  return (
    <div className="flex min-h-screen">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-brand px-4 py-2 text-brand-ink focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        {t('nav.skip')}
      </a>
      <Sidebar />
      <div className="flex min-w-0 flex-1 flex-col">
        {navigation.state === 'loading' && (
          <div
            role="progressbar"
            aria-label={t('nav.loading')}
            className="fixed inset-x-0 top-0 z-40 h-0.5 animate-pulse bg-brand"
          />
        )}
        <TopBar />
        <main
          id="main"
          tabIndex={-1}
          className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 outline-none lg:px-8 lg:py-8"
        >
          <Outlet />
        </main>
      </div>
    </div>
  )
}
