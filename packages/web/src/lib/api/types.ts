/**
 * Wire types of the HTTP API (see /api/openapi.json). Record shapes come from @fedele/core as
 * types only, so the page and the ingest schemas cannot drift; stored records differ from the
 * ingest shape in that optional fields come back as null and dates as ISO strings.
 */
import type {
  TConsentFlag,
  TCustomerRecord,
  TEventRecord,
  TOrderRecord,
  TSubscriptionRecord,
  TSurveyAnswerRecord,
  TTicketRecord,
} from '@fedele/core'

export type Locale = 'it' | 'en'
export type Role = 'owner' | 'admin' | 'analyst' | 'agent'
export type ApiKeyScope = 'read' | 'write' | 'ingest'
export type BusinessModel = 'orders' | 'subscriptions' | 'both'

export type User = {
  id: number
  email: string
  name: string | null
  role: Role
  locale: Locale | null
}
export type SessionInfo = { user: User; csrf_token: string }
export type SetupStatus = { needs_setup: boolean }

export type WorkspaceSettings = {
  name: string
  time_zone: string
  reporting_currency: string
  business_model: BusinessModel
  activity_window_days: number
  default_locale: Locale
}

export type ListedUser = User & { last_login_at: string | null; disabled_at?: string | null }

export type ApiKey = {
  id: number
  name: string
  prefix: string
  scopes: string[]
  created_at: string
  last_used_at?: string | null
  revoked_at?: string | null
}
export type CreatedApiKey = ApiKey & { key: string }

/** Optional fields of an ingest record as they come back from storage: present, maybe null. */
type Stored<T> = {
  [K in keyof T]-?: undefined extends T[K] ? Exclude<T[K], undefined> | null : T[K]
}

export type StoredConsent = Partial<
  Record<'marketing_email' | 'profiling' | 'surveys', TConsentFlag | null>
>
export type Customer = Omit<Stored<TCustomerRecord>, 'consent'> & {
  consent: StoredConsent | null
  erased_at: string | null
}
export type Order = Stored<TOrderRecord>
export type Subscription = Stored<TSubscriptionRecord>
export type Ticket = Stored<TTicketRecord>
export type SurveyAnswer = Stored<TSurveyAnswerRecord>
export type EventRecord = Stored<TEventRecord>

export type Page<T> = { items: T[]; next_cursor: string | null }

export type ListQuery = {
  limit?: number
  cursor?: string
  customer_external_id?: string
  updated_since?: string
  from?: string
  to?: string
}

export type Job = {
  id: number
  name: string
  status: string
  attempts: number
  progress: unknown
  result: unknown
  error: string | null
  created_at: string
  finished_at: string | null
}
