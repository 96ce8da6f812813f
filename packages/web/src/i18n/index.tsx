/**
 * Language of the interface. `t()` takes only keys of the English catalogue, so a typo or a
 * removed key fails `tsc`; the Italian catalogue is typed against the same keys. The chosen
 * language lives in localStorage before sign-in and on the user (PATCH /api/auth/me) after.
 */
import {
  createContext,
  use,
  useCallback,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react'
import { setApiLocale } from '../lib/api/client.ts'
import type { Locale } from '../lib/api/types.ts'
import { INTL_LOCALE } from '../lib/format.ts'
import { en } from './en.ts'
import { it } from './it.ts'

export type MessageKey = keyof typeof en
export type Messages = Record<MessageKey, string>
/** Bases of plural pairs: `x` when both `x.one` and `x.other` exist. */
export type PluralKey = {
  [K in MessageKey]: K extends `${infer B}.other`
    ? `${B}.one` extends MessageKey
      ? B
      : never
    : never
}[MessageKey]
export type Vars = Record<string, string | number>

export const CATALOGUES: Record<Locale, Messages> = { en, it }
export const LOCALES: readonly Locale[] = ['it', 'en']
const STORAGE_KEY = 'fedele.locale'

export function interpolate(template: string, vars?: Vars): string {
  if (!vars) return template
  return template.replace(/\{(\w+)\}/g, (m, name: string) =>
    name in vars ? String(vars[name]) : m,
  )
}

export function browserLocale(): Locale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY)
    if (saved === 'it' || saved === 'en') return saved
  } catch {
    // Storage can be blocked (private mode, policies); the browser language still works.
  }
  const langs = navigator.languages.length ? navigator.languages : [navigator.language]
  for (const l of langs) {
    const p = l.slice(0, 2).toLowerCase()
    if (p === 'it' || p === 'en') return p
  }
  return 'en'
}

type I18n = {
  locale: Locale
  /** Changes the language here; the session hook also saves it on the user. */
  setLocale: (l: Locale) => void
  t: (key: MessageKey, vars?: Vars) => string
  tp: (key: PluralKey, count: number, vars?: Vars) => string
}

const I18nContext = createContext<I18n | null>(null)

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(browserLocale)
  // Set synchronously so the very first request already carries the right Accept-Language.
  setApiLocale(locale)

  useEffect(() => {
    document.documentElement.lang = locale
    try {
      localStorage.setItem(STORAGE_KEY, locale)
    } catch {
      // See browserLocale.
    }
  }, [locale])

  const setLocale = useCallback((l: Locale) => setLocaleState(l), [])

  const value = useMemo<I18n>(() => {
    const messages = CATALOGUES[locale]
    const plural = new Intl.PluralRules(INTL_LOCALE[locale])
    const numbers = new Intl.NumberFormat(INTL_LOCALE[locale], { useGrouping: 'always' })
    const t = (key: MessageKey, vars?: Vars) => interpolate(messages[key], vars)
    return {
      locale,
      setLocale,
      t,
      tp: (key, count, vars) => {
        const form = plural.select(count) === 'one' ? 'one' : 'other'
        return t(`${key}.${form}` as MessageKey, { count: numbers.format(count), ...vars })
      },
    }
  }, [locale, setLocale])

  return <I18nContext value={value}>{children}</I18nContext>
}

export function useI18n(): I18n {
  const ctx = use(I18nContext)
  if (!ctx) throw new Error('useI18n outside I18nProvider')
  return ctx
}
