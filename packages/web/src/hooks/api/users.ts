import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '../../lib/api/client.ts'
import { queryKeys } from '../../lib/api/query-keys.ts'
import type { ListedUser, Locale, Role, User } from '../../lib/api/types.ts'

export function useUsers(enabled = true) {
  return useQuery({
    queryKey: queryKeys.users.list(),
    queryFn: ({ signal }) => api<{ items: ListedUser[] }>('/api/users', { signal }),
    enabled,
  })
}

export type NewUser = {
  email: string
  password: string
  name?: string
  role: Exclude<Role, 'owner'>
  locale?: Locale
}

export function useCreateUser() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: NewUser) => api<User>('/api/users', { method: 'POST', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.users.all }),
  })
}
