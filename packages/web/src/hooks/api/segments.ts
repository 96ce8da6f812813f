import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api } from '../../lib/api/client.ts'

type Localized = { en: string; it: string }

export type RfmCell = {
  r: number
  fm: number
  segment: string
  customers: number
  value: number
  active: number
}

export type RfmNamedSegment = {
  id: string
  name: Localized
  description: Localized
  customers: number
  value: number
  active: number
  cells: { r: number; fm: number }[]
}

export type RfmGrid = {
  as_of: string
  currency: string
  activity_window_days: number
  customers: number
  value: number
  cells: RfmCell[]
  segments: RfmNamedSegment[]
}

export type FieldType = 'number' | 'string' | 'boolean' | 'date'

export type CatalogField = {
  kind: 'attribute' | 'metric' | 'prediction'
  field: string
  type: FieldType
  label: Localized
  unit?: 'money' | 'days' | 'probability'
  values?: string[]
}

export type SegmentCatalog = {
  fields: CatalogField[]
  tags: string[]
  rfm_segments: { id: string; name: Localized }[]
  currency: string
}

/** A rule as the server takes it (core's segment rule AST). */
export type Rule =
  | { kind: 'and' | 'or'; conditions: Rule[] }
  | { kind: 'not'; condition: Rule }
  | {
      kind: 'attribute' | 'metric' | 'prediction'
      field: string
      op: string
      value?: string | number | boolean | (string | number | boolean)[]
    }
  | { kind: 'tag'; op: 'has' | 'not_has'; tag: string }
  | { kind: 'rfm_segment'; op: 'in' | 'not_in'; segments: string[] }

export type SavedSegment = {
  id: number
  name: string
  description: string | null
  rule: Rule
  created_by: number | null
  created_at: string
  updated_at: string
}

export type CustomerSample = {
  id: number
  external_id: string | null
  name: string | null
  email: string | null
  orders: number
  total_spend: number
  last_order_at: string | null
}

export type Preview = {
  count: number
  value: number
  currency: string
  sample: CustomerSample[]
  ms: number
}

export type Snapshot = {
  computed_at: string
  reason: string
  count: number
  value: number
  currency: string
  entered: number | null
  exited: number | null
}

const keys = {
  all: ['segments'] as const,
  rfm: () => ['segments', 'rfm'] as const,
  catalog: () => ['segments', 'catalog'] as const,
  list: () => ['segments', 'list'] as const,
  preview: (rule: string) => ['segments', 'preview', rule] as const,
  history: (id: number) => ['segments', 'history', id] as const,
}

export function useRfmGrid() {
  return useQuery({
    queryKey: keys.rfm(),
    queryFn: ({ signal }) => api<RfmGrid>('/api/segments/rfm', { signal }),
  })
}

export function useSegmentCatalog(enabled = true) {
  return useQuery({
    enabled,
    queryKey: keys.catalog(),
    queryFn: ({ signal }) => api<SegmentCatalog>('/api/segments/catalog', { signal }),
    staleTime: 5 * 60_000,
  })
}

export function useSavedSegments(enabled = true) {
  return useQuery({
    enabled,
    queryKey: keys.list(),
    queryFn: ({ signal }) => api<{ segments: SavedSegment[] }>('/api/segments', { signal }),
  })
}

/** The live count of a rule; `rule` null = nothing to count yet. Keeps the last answer while typing. */
export function useSegmentPreview(rule: Rule | null) {
  const text = rule ? JSON.stringify(rule) : ''
  return useQuery({
    queryKey: keys.preview(text),
    queryFn: ({ signal }) =>
      api<Preview>('/api/segments/preview', {
        method: 'POST',
        body: { rule, sample_size: 5 },
        signal,
      }),
    enabled: rule !== null,
    placeholderData: keepPreviousData,
    retry: false,
  })
}

export function useSegmentHistory(id: number | null) {
  return useQuery({
    queryKey: keys.history(id ?? 0),
    queryFn: ({ signal }) =>
      api<{ snapshots: Snapshot[] }>(`/api/segments/${id}/history`, { signal }),
    enabled: id !== null,
  })
}

export type SegmentInput = { name: string; description: string | null; rule: Rule }

export function useSaveSegment() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ id, ...body }: SegmentInput & { id?: number }) =>
      id === undefined
        ? api<SavedSegment>('/api/segments', { method: 'POST', body })
        : api<SavedSegment>(`/api/segments/${id}`, { method: 'PATCH', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.all }),
  })
}

export function useDeleteSegment() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: number) => api<{ deleted: true }>(`/api/segments/${id}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.all }),
  })
}
