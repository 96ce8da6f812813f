import { useQuery } from '@tanstack/react-query'
import { queryKeys } from '../../lib/api/query-keys.ts'
import type { ListQuery, EventRecord } from '../../lib/api/types.ts'
import { listOptions } from './entities.ts'

export function useEvents(query: ListQuery = {}, enabled = true) {
  return useQuery({ ...listOptions<EventRecord>('/api/events', queryKeys.events, query), enabled })
}
