import { useChangeLocale } from '../../hooks/api/session.ts'
import { LOCALES, useI18n } from '../../i18n/index.tsx'

/** IT | EN as a pair of toggle buttons: one click, and the current choice is always visible. */
export function LanguageSwitch() {
  const { t, locale } = useI18n()
  const change = useChangeLocale()
  return (
    <div
      role="group"
      aria-label={t('topbar.language')}
      className="flex rounded-md border border-line-strong p-0.5"
    >
      {LOCALES.map((l) => (
        <button
          key={l}
          type="button"
          lang={l}
          aria-pressed={locale === l}
          // The name starts with the visible code ("IT"), as voice control users will say it.
          aria-label={`${l.toUpperCase()} · ${t(`locale.${l}`)}`}
          onClick={() => change(l)}
          className={`h-7 rounded px-2 text-xs font-semibold ${
            locale === l ? 'bg-brand text-brand-ink' : 'text-muted hover:bg-subtle hover:text-ink'
          }`}
        >
          {l.toUpperCase()}
        </button>
      ))}
    </div>
  )
}
