import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '../../lib/api/client.ts'
import { queryKeys } from '../../lib/api/query-keys.ts'
import type { WorkspaceSettings } from '../../lib/api/types.ts'

export function settingsOptions() {
  return queryOptions({
    queryKey: queryKeys.settings.all,
    queryFn: ({ signal }) => api<WorkspaceSettings>('/api/settings', { signal }),
    staleTime: 5 * 60_000,
  })
}

export function useSettings() {
  return useQuery(settingsOptions())
}

export function useUpdateSettings() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (patch: Partial<WorkspaceSettings>) =>
      api<WorkspaceSettings>('/api/settings', { method: 'PATCH', body: patch }),
    onSuccess: (saved) => queryClient.setQueryData(queryKeys.settings.all, saved),
  })
}
