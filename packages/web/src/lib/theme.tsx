/**
 * Light, dark or the system's choice. index.html applies the stored choice before the first
 * paint; this provider keeps the `dark` class in step with the toggle and with the system.
 */
import { createContext, use, useEffect, useMemo, useState, type ReactNode } from 'react'

export type ThemePref = 'system' | 'light' | 'dark'
const KEY = 'fedele.theme'
const QUERY = '(prefers-color-scheme: dark)'

function storedPref(): ThemePref {
  try {
    const v = localStorage.getItem(KEY)
    if (v === 'light' || v === 'dark' || v === 'system') return v
  } catch {
    // Storage blocked: follow the system.
  }
  return 'system'
}

type Theme = { pref: ThemePref; dark: boolean; setPref: (p: ThemePref) => void }
const ThemeContext = createContext<Theme | null>(null)

export function ThemeProvider({ children }: { children: ReactNode }) {
  const [pref, setPref] = useState<ThemePref>(storedPref)
  const [systemDark, setSystemDark] = useState(() => matchMedia(QUERY).matches)

  useEffect(() => {
    const mq = matchMedia(QUERY)
    const on = (e: MediaQueryListEvent) => setSystemDark(e.matches)
    mq.addEventListener('change', on)
    return () => mq.removeEventListener('change', on)
  }, [])

  const dark = pref === 'dark' || (pref === 'system' && systemDark)
  useEffect(() => {
    document.documentElement.classList.toggle('dark', dark)
    try {
      localStorage.setItem(KEY, pref)
    } catch {
      // See storedPref.
    }
  }, [dark, pref])

  const value = useMemo(() => ({ pref, dark, setPref }), [pref, dark])
  return <ThemeContext value={value}>{children}</ThemeContext>
}

export function useTheme(): Theme {
  const ctx = use(ThemeContext)
  if (!ctx) throw new Error('useTheme outside ThemeProvider')
  return ctx
}
