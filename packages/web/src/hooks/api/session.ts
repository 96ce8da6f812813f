import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useCallback } from 'react'
import { useI18n } from '../../i18n/index.tsx'
import { api, isApiError, setCsrfToken } from '../../lib/api/client.ts'
import { queryKeys } from '../../lib/api/query-keys.ts'
import type { Locale, SessionInfo, SetupStatus } from '../../lib/api/types.ts'

/** Whether the first-run owner still has to be created (public endpoint). */
export function useSetupStatus(enabled = true) {
  return useQuery({
    queryKey: queryKeys.session.setup(),
    queryFn: ({ signal }) => api<SetupStatus>('/api/setup', { signal }),
    enabled,
    staleTime: 0,
  })
}

/** The signed-in user, or null when nobody is (401 is an answer here, not an error). */
export function sessionOptions() {
  return queryOptions({
    queryKey: queryKeys.session.me(),
    queryFn: async ({ signal }) => {
      try {
        const info = await api<SessionInfo>('/api/auth/me', { signal })
        setCsrfToken(info.csrf_token)
        return info
      } catch (e) {
        if (isApiError(e, 401)) {
          setCsrfToken(undefined)
          return null
        }
        throw e
      }
    },
    staleTime: 5 * 60_000,
    retry: (count, e) => !isApiError(e) && count < 2,
  })
}

export function useSession() {
  return useQuery(sessionOptions())
}

/** The user of a signed-in screen; the auth gate guarantees there is one. */
export function useCurrentUser() {
  const { data } = useSession()
  if (!data) throw new Error('useCurrentUser outside a signed-in screen')
  return data.user
}

function useAdoptSession() {
  const queryClient = useQueryClient()
  const { setLocale } = useI18n()
  return useCallback(
    (info: SessionInfo) => {
      setCsrfToken(info.csrf_token)
      if (info.user.locale) setLocale(info.user.locale)
      queryClient.setQueryData(queryKeys.session.me(), info)
    },
    [queryClient, setLocale],
  )
}

export function useSignIn() {
  const adopt = useAdoptSession()
  return useMutation({
    mutationFn: (body: { email: string; password: string }) =>
      api<SessionInfo>('/api/auth/login', { method: 'POST', body }),
    onSuccess: adopt,
  })
}

export type SetupBody = {
  email: string
  password: string
  name?: string
  locale: Locale
  workspace_name?: string
}

export function useSetupOwner() {
  const adopt = useAdoptSession()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: SetupBody) => api<SessionInfo>('/api/setup', { method: 'POST', body }),
    onSuccess: (info) => {
      queryClient.setQueryData(queryKeys.session.setup(), { needs_setup: false })
      adopt(info)
    },
  })
}

export function useSignOut() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: () => api<{ ok: true }>('/api/auth/logout', { method: 'POST' }),
    // Whatever the server said, forget everything cached for this user. The session entry is
    // set, not removed: the auth gate observes it and must see the change to show sign-in.
    onSettled: () => {
      setCsrfToken(undefined)
      queryClient.setQueryData(queryKeys.session.me(), null)
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'session' })
      void queryClient.invalidateQueries({ queryKey: queryKeys.session.setup() })
    },
  })
}

/**
 * Switches the interface language and, when someone is signed in, remembers it on the user.
 * Queries that failed are retried so their server-written messages come back in the new language.
 */
export function useChangeLocale() {
  const { setLocale } = useI18n()
  const queryClient = useQueryClient()
  const { data: session } = useSession()
  return useCallback(
    (locale: Locale) => {
      setLocale(locale)
      void queryClient.resetQueries({ predicate: (q) => q.state.status === 'error' })
      if (!session) return
      queryClient.setQueryData<SessionInfo | null>(queryKeys.session.me(), (old) =>
        old ? { ...old, user: { ...old.user, locale } } : old,
      )
      api('/api/auth/me', { method: 'PATCH', body: { locale } }).catch(() => {
        // Not saving the preference is not worth interrupting the user: the switch still applies.
      })
    },
    [setLocale, queryClient, session],
  )
}
