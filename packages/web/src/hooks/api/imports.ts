import { useMutation, useQueryClient } from '@tanstack/react-query'
import { api } from '../../lib/api/client.ts'
import { queryKeys } from '../../lib/api/query-keys.ts'

export const IMPORT_KINDS = [
  'customers',
  'orders',
  'subscriptions',
  'subscription_changes',
  'tickets',
  'events',
  'survey_answers',
] as const
export type ImportKind = (typeof IMPORT_KINDS)[number]

export const IMPORT_PRESETS = [
  'shopify-orders',
  'woocommerce-orders',
  'stripe-subscriptions',
  'stripe-customers',
  'online-retail',
  'cdnow',
] as const

/** The text fields of POST /api/imports/:kind; empty values are not sent. */
export type ImportOptions = {
  preset: string
  map: { field: string; column: string }[]
  delimiter: string
  encoding: '' | 'utf-8' | 'windows-1252'
  date_format: '' | 'dd/mm/yyyy' | 'mm/dd/yyyy'
  decimal: '' | ',' | '.'
  time_zone: string
  currency: string
  skip_invalid: boolean
  dry_run: boolean
}

export const DEFAULT_IMPORT_OPTIONS: ImportOptions = {
  preset: '',
  map: [],
  delimiter: '',
  encoding: '',
  date_format: '',
  decimal: '',
  time_zone: '',
  currency: '',
  skip_invalid: false,
  dry_run: false,
}

export type ImportProgress = {
  phase?: 'scan' | 'import'
  bytes?: number
  totalBytes?: number
  rows?: number
  file?: string
}

export type ImportReport = {
  file: string
  entity: string
  preset: string | null
  preset_detected: boolean
  format: { kind: string; encoding: string; delimiter: string | null; headerLine: number }
  unmapped_columns: string[]
  dry_run: boolean
  committed: boolean
  rows: number
  records: number
  inserted: number
  updated: number
  unchanged: number
  rejected_rows: number
  anonymous_sales: number
  grouped_rows: number
  refunds: {
    found: number
    applied: number
    unmatched: number
    /** Already applied by an earlier import of the same refunds: not applied again. */
    already_applied?: number
    /** Naming an order not imported yet: kept and applied when that order arrives. */
    pending?: number
  }
  /** Customers created or updated from the customer columns of an orders file. */
  customers_from_orders?: { inserted: number; updated: number; unchanged: number }
  repeated_in_file: number
  warnings: number
  rejects: {
    line: number
    column: string | null
    value: string | null
    code: string
    message: string
  }[]
  issues: { line: number | null; column: string | null; code: string; message: string }[]
  seconds: number
}

/** The message of a plan failure is localised already; its issues carry both languages. */
export type ImportFailure = {
  failed: true
  file?: string
  message: string
  issues: {
    line: number | null
    column: string | null
    code: string
    value?: string | null
    message: string | Record<string, string>
  }[]
}

export function isImportFailure(r: unknown): r is ImportFailure {
  return typeof r === 'object' && r !== null && (r as { failed?: unknown }).failed === true
}

/** Builds the multipart body: the option fields first, the file part last (the server reads so). */
export function importForm(file: File, o: ImportOptions): FormData {
  const form = new FormData()
  const put = (k: string, v: string) => {
    if (v.trim()) form.append(k, v.trim())
  }
  put('preset', o.preset)
  put(
    'map',
    o.map
      .filter((m) => m.field.trim() && m.column.trim())
      .map((m) => `${m.field.trim()}=${m.column.trim()}`)
      .join('\n'),
  )
  put('delimiter', o.delimiter)
  put('encoding', o.encoding)
  put('date_format', o.date_format)
  put('decimal', o.decimal)
  put('time_zone', o.time_zone)
  put('currency', o.currency.toUpperCase())
  form.append('skip_invalid', String(o.skip_invalid))
  form.append('dry_run', String(o.dry_run))
  form.append('file', file, file.name)
  return form
}

export function useUploadImport() {
  return useMutation({
    mutationFn: ({
      kind,
      file,
      options,
    }: {
      kind: ImportKind
      file: File
      options: ImportOptions
    }) =>
      api<{ job_id: number; status_url: string }>(`/api/imports/${kind}`, {
        method: 'POST',
        body: importForm(file, options),
      }),
  })
}

/** After a committed import every record list may have changed (orders create customers). */
export function useInvalidateData() {
  const queryClient = useQueryClient()
  return () =>
    Promise.all(
      [
        queryKeys.customers,
        queryKeys.orders,
        queryKeys.subscriptions,
        queryKeys.tickets,
        queryKeys.surveyAnswers,
        queryKeys.events,
        queryKeys.dataSummary,
        queryKeys.metrics,
      ].map((k) => queryClient.invalidateQueries({ queryKey: k.all })),
    )
}
