import { useQuery } from '@tanstack/react-query'
import { queryKeys } from '../../lib/api/query-keys.ts'
import type { ListQuery, Subscription } from '../../lib/api/types.ts'
import { listOptions } from './entities.ts'

export function subscriptionsOptions(query: ListQuery = {}) {
  return listOptions<Subscription>('/api/subscriptions', queryKeys.subscriptions, query)
}

export function useSubscriptions(query: ListQuery = {}, enabled = true) {
  return useQuery({ ...subscriptionsOptions(query), enabled })
}
