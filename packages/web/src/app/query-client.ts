import { QueryClient } from '@tanstack/react-query'
import { ApiError } from '../lib/api/client.ts'

/**
 * Client errors (4xx) are answers, not hiccups: retrying them only delays the message. Network
 * failures and 5xx get two more tries.
 */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
    },
    mutations: { retry: false },
  },
})
