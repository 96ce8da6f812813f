import type { IconName } from '../components/ui/icons.tsx'
import type { MessageKey } from '../i18n/index.tsx'

/**
 * Every screen of the dashboard, in sidebar order. `planned` screens exist and explain what
 * they will show; their analytics API is still being built.
 */
export type NavItem = {
  to: string
  label: MessageKey
  icon: IconName
  section: 'analyse' | 'manage'
  planned?: boolean
}

export const NAV: readonly NavItem[] = [
  { to: '/', label: 'nav.overview', icon: 'overview', section: 'analyse' },
  { to: '/retention', label: 'nav.retention', icon: 'retention', section: 'analyse' },
  { to: '/revenue', label: 'nav.revenue', icon: 'revenue', section: 'analyse' },
  { to: '/customers', label: 'nav.customers', icon: 'customers', section: 'analyse' },
  { to: '/segments', label: 'nav.segments', icon: 'segments', section: 'analyse' },
  { to: '/predictions', label: 'nav.predictions', icon: 'predictions', section: 'analyse' },
  { to: '/data', label: 'nav.data', icon: 'data', section: 'manage' },
  { to: '/settings', label: 'nav.settings', icon: 'settings', section: 'manage' },
]
