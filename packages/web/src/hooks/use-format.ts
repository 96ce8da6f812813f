import { useMemo } from 'react'
import { useI18n } from '../i18n/index.tsx'
import { makeFormatter } from '../lib/format.ts'
import { useSettings } from './api/settings.ts'

/**
 * Formatting in the user's language and the workspace's time zone, where periods are counted,
 * so a date on the page matches the day the reports put it in.
 */
export function useFormat() {
  const { locale } = useI18n()
  const settings = useSettings()
  const tz = settings.data?.time_zone
  return useMemo(() => makeFormatter(locale, tz), [locale, tz])
}
