/**
 * Shared plumbing for the record lists (customers, orders, tickets, …): they all page with an
 * opaque cursor, oldest first, and accept the same filters. Each resource file wraps these with
 * its own path, key and type.
 */
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query'
import { api } from '../../lib/api/client.ts'
import type { ListQuery, Page } from '../../lib/api/types.ts'

type Keys = {
  list: (q: Record<string, unknown>) => readonly unknown[]
  detail: (id: string) => readonly unknown[]
}

export function listOptions<T>(path: string, keys: Keys, query: ListQuery) {
  return queryOptions({
    queryKey: keys.list({ ...query }),
    queryFn: ({ signal }) => api<Page<T>>(path, { query, signal }),
  })
}

export function pagedOptions<T>(path: string, keys: Keys, query: Omit<ListQuery, 'cursor'>) {
  return infiniteQueryOptions({
    queryKey: [...keys.list({ ...query }), 'paged'],
    queryFn: ({ signal, pageParam }) =>
      api<Page<T>>(path, { query: { ...query, cursor: pageParam }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  })
}

export function detailOptions<T>(path: string, keys: Keys, externalId: string) {
  return queryOptions({
    queryKey: keys.detail(externalId),
    queryFn: ({ signal }) => api<T>(`${path}/${encodeURIComponent(externalId)}`, { signal }),
  })
}
