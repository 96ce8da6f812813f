import { useQuery } from '@tanstack/react-query'
import { queryKeys } from '../../lib/api/query-keys.ts'
import type { ListQuery, Ticket } from '../../lib/api/types.ts'
import { listOptions } from './entities.ts'

export function useTickets(query: ListQuery = {}, enabled = true) {
  return useQuery({ ...listOptions<Ticket>('/api/tickets', queryKeys.tickets, query), enabled })
}
