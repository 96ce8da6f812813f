import { useQuery } from '@tanstack/react-query'
import { queryKeys } from '../../lib/api/query-keys.ts'
import type { ListQuery, Order } from '../../lib/api/types.ts'
import { listOptions } from './entities.ts'

export function useOrders(query: ListQuery = {}, enabled = true) {
  return useQuery({ ...listOptions<Order>('/api/orders', queryKeys.orders, query), enabled })
}
