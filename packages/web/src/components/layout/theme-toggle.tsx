import { useI18n } from '../../i18n/index.tsx'
import { useTheme, type ThemePref } from '../../lib/theme.tsx'
import { Icon } from '../ui/icons.tsx'

const ORDER: ThemePref[] = ['system', 'light', 'dark']
const ICON = { system: 'monitor', light: 'sun', dark: 'moon' } as const

/** Cycles system → light → dark; the label says what it is now and what comes next. */
export function ThemeToggle() {
  const { t } = useI18n()
  const { pref, setPref } = useTheme()
  const next = ORDER[(ORDER.indexOf(pref) + 1) % ORDER.length] ?? 'system'
  const name = (p: ThemePref) => t(`topbar.theme.${p}`)
  const label = t('topbar.theme.switch', { current: name(pref), next: name(next) })
  return (
    <button
      type="button"
      onClick={() => setPref(next)}
      aria-label={label}
      title={label}
      data-theme-pref={pref}
      className="grid size-9 place-items-center rounded-md text-muted hover:bg-subtle hover:text-ink"
    >
      <Icon name={ICON[pref]} />
    </button>
  )
}
