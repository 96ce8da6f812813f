import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { api } from '../../lib/api/client.ts'
import { queryKeys } from '../../lib/api/query-keys.ts'

export type CustomerHit = {
  id: number
  external_id: string | null
  name: string | null
  email: string | null
  erased: boolean
  country: string | null
  city: string | null
  tags: string[]
  orders: number
  total_spend: number
  last_order_at: string | null
  churn_risk: number | null
  clv: number | null
  value_tier: string | null
}

export type CustomerSearchResponse = {
  total: number
  page: number
  page_size: number
  currency: string
  predictions: boolean
  search_capped: boolean
  items: CustomerHit[]
}

/** The query of GET /api/search/customers, as strings from the page's URL. */
export type CustomerSearchQuery = Record<string, string | undefined>

export function useCustomerSearch(query: CustomerSearchQuery, enabled = true) {
  return useQuery({
    enabled,
    queryKey: [...queryKeys.customers.all, 'search', query],
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) =>
      api<CustomerSearchResponse>('/api/search/customers', { query, signal }),
  })
}
