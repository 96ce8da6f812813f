import { useQuery } from '@tanstack/react-query'
import { api } from '../../lib/api/client.ts'
import { queryKeys } from '../../lib/api/query-keys.ts'

export type DataKind =
  'customers' | 'orders' | 'subscriptions' | 'tickets' | 'survey_answers' | 'events'

export type DataSummary = Record<DataKind, { count: number; latest: string | null }> & {
  newest_orders: {
    external_id: string
    customer_external_id: string | null
    placed_at: string
    status: 'completed' | 'cancelled' | 'refunded'
    currency: string
    total: number
  }[]
}

/** GET /api/data/summary: counts and latest instants of every kind, the newest orders. */
export function useDataSummary() {
  return useQuery({
    queryKey: queryKeys.dataSummary.all,
    queryFn: ({ signal }) => api<DataSummary>('/api/data/summary', { signal }),
  })
}
