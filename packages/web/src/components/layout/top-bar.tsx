import { useSettings } from '../../hooks/api/settings.ts'
import { useI18n } from '../../i18n/index.tsx'
import { Skeleton } from '../ui/skeleton.tsx'
import { LanguageSwitch } from './language-switch.tsx'
import { ThemeToggle } from './theme-toggle.tsx'
import { UserMenu } from './user-menu.tsx'

export function TopBar() {
  const { t } = useI18n()
  const settings = useSettings()
  return (
    <header className="sticky top-0 z-10 flex h-14 items-center justify-between gap-4 border-b border-line bg-surface/90 px-4 backdrop-blur lg:px-8">
      <div className="min-w-0">
        <p className="text-xs text-muted">{t('topbar.workspace')}</p>
        {settings.data ? (
          <p className="truncate text-sm font-semibold" data-testid="workspace-name">
            {settings.data.name}
          </p>
        ) : (
          <Skeleton className="mt-1 h-3.5 w-32" />
        )}
      </div>
      <div className="flex items-center gap-2">
        <LanguageSwitch />
        <ThemeToggle />
        <UserMenu />
      </div>
    </header>
  )
}
