import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query'
import { ApiError, setCsrfToken } from '../lib/api/client.ts'
import { queryKeys } from '../lib/api/query-keys.ts'

/**
 * A 401 anywhere means the session ended (expired, signed out in another tab, user removed):
 * forget it, and the auth gate shows the sign-in form on the same address.
 */
function onError(error: unknown) {
  if (error instanceof ApiError && error.status === 401) {
    setCsrfToken(undefined)
    queryClient.setQueryData(queryKeys.session.me(), null)
  }
}

/**
 * Client errors (4xx) are answers, not hiccups: retrying them only delays the message. Network
 * failures and 5xx get two more tries.
 */
export const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError }),
  mutationCache: new MutationCache({ onError }),
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
    },
    mutations: { retry: false },
  },
})
