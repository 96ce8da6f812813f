import { useQuery } from '@tanstack/react-query'
import { api } from '../../lib/api/client.ts'
import { queryKeys } from '../../lib/api/query-keys.ts'
import type { Job } from '../../lib/api/types.ts'

const FINISHED = new Set(['succeeded', 'completed', 'failed', 'dead', 'cancelled'])

/** A background job (e.g. a CSV import), polled every second until it finishes. */
export function useJob(id: number | undefined) {
  return useQuery({
    queryKey: queryKeys.jobs.detail(id ?? 0),
    queryFn: ({ signal }) => api<Job>(`/api/jobs/${id}`, { signal }),
    enabled: id !== undefined,
    refetchInterval: (q) => (q.state.data && FINISHED.has(q.state.data.status) ? false : 1000),
  })
}
