import { z } from 'zod'
import { err, ok, type Result } from '../shared/result.ts'
import { ENTITY_KINDS, ZCurrency, type EntityKind } from '../records/schemas.ts'
import { TEXT_ENCODINGS } from './encoding.ts'
import { ENTITY_FIELDS, fieldDef } from './fields.ts'
import { makeIssue, type ImportIssue } from './messages.ts'

/**
 * Column mappings and import profiles. A mapping says, for each record field, which column(s) of
 * the file hold it: `{ email: 'E-mail' }`, `{ total: ['Total', 'Order Total'] }`,
 * `{ placed_at: { position: 2 } }`, or a full `FieldSource`. A profile is plain data (JSON) that
 * bundles a mapping with the file format and value conventions; presets are profiles.
 */

/** A column by header name (or JSON key path `a.b`), or by 1-based position. */
export type ColumnRef = string | { position: number }

/** How a cell is adjusted before parsing. `integer-id` turns `17850.0` into `17850`. */
export type ValueTransform = 'lower' | 'upper' | 'integer-id'

/** The full form of a field's source. */
export interface FieldSource {
  /**
   * Candidate columns in order of preference. Those present in the header are all kept, and in
   * each row the first non-empty one wins (WooCommerce: `Customer User`, else `Billing Email`).
   */
  columns: ColumnRef[]
  /** Cell values that mean "no value" for this field (WooCommerce writes `0` for a guest). */
  empty?: string[]
  transform?: ValueTransform
  /** Value used when no column is present or the cell is empty. */
  default?: string
  /** IANA zone of this column's local date-times; wins over the file's (Stripe's `(UTC)`). */
  timeZone?: string
}

/** What a mapping entry may be; null removes a field a preset had mapped. */
export type FieldMappingValue = ColumnRef | ColumnRef[] | FieldSource | null

/** A mapping: record field → source. Keys are field names of `ENTITY_FIELDS[entity]`. */
export type FieldMapping = Record<string, FieldMappingValue>

const ZColumnRef = z.union([
  z.string().min(1),
  z.strictObject({ position: z.number().int().min(1).max(100_000) }),
])
const ZFieldSource = z.strictObject({
  columns: z.array(ZColumnRef).min(1),
  empty: z.array(z.string()).optional(),
  transform: z.enum(['lower', 'upper', 'integer-id']).optional(),
  default: z.string().optional(),
  timeZone: z.string().optional(),
})

/** A saved import profile (plain JSON). Every part is optional except the entity. */
export const ZImportProfile = z.strictObject({
  name: z.string().max(200).optional(),
  entity: z.enum(ENTITY_KINDS as [EntityKind, ...EntityKind[]]),
  /** A preset the profile starts from; its mapping is extended/overridden by `mapping`. */
  preset: z.string().max(100).optional(),
  format: z
    .strictObject({
      kind: z.enum(['delimited', 'whitespace', 'jsonl']).optional(),
      delimiter: z.string().length(1).optional(),
      quote: z.string().length(1).nullable().optional(),
      encoding: z.enum(TEXT_ENCODINGS as [string, ...string[]]).optional(),
      /** `auto`: detect (skipping preamble lines); `none`: no header; N: the header's line. */
      header: z.union([z.literal('auto'), z.literal('none'), z.number().int().min(1)]).optional(),
    })
    .optional(),
  mapping: z
    .record(z.string(), z.union([ZColumnRef, z.array(ZColumnRef).min(1), ZFieldSource, z.null()]))
    .optional(),
  values: z
    .strictObject({
      decimalSeparator: z.enum([',', '.']).optional(),
      dateOrder: z.enum(['dmy', 'mdy']).optional(),
      timeZone: z.string().optional(),
      /** Currency of amounts when no column gives it. */
      currency: ZCurrency.optional(),
      /** `major`: `12,50`; `minor`: `1250` (integer cents, as the API's JSON). */
      amountUnit: z.enum(['major', 'minor']).optional(),
      rounding: z.enum(['reject', 'half-up', 'half-even']).optional(),
    })
    .optional(),
  orders: z
    .strictObject({
      /** Invoice numbers starting with this are credit notes (Online Retail: `C536379`). */
      cancelPrefix: z.string().min(1).max(5).nullable().optional(),
      /** CDNOW: no order ids; build `customer-yyyymmdd-seq` ids. */
      syntheticId: z.enum(['customer-date-sequence']).nullable().optional(),
      /** With synthetic ids: merge a customer's rows of one day into one order. */
      mergeSameDay: z.boolean().optional(),
      /** Remember order ids to report non-adjacent rows (≈ 40 bytes per order). Default true. */
      checkAdjacency: z.boolean().optional(),
    })
    .optional(),
  /** What to do with columns no field uses: keep them as customer attributes / event properties. */
  extraColumns: z.enum(['ignore', 'attributes', 'properties']).optional(),
})

/** A saved import profile, as parsed by `parseImportProfile`. */
export type ImportProfile = z.infer<typeof ZImportProfile>

/** Validate a profile loaded from JSON. */
export function parseImportProfile(value: unknown): Result<ImportProfile, ImportIssue> {
  const r = ZImportProfile.safeParse(value)
  if (r.success) return ok(r.data)
  const detail = r.error.issues
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ')
  return err(makeIssue('invalid_profile', 'error', {}, { detail }))
}

/**
 * Parse CLI `--map` arguments: `field=Column name`, `field=#3` (3rd column), `field=` (unmap).
 * Repeating a field adds alternatives: `--map customer_external_id=Customer --map
 * customer_external_id=Email`.
 */
export function parseMapArguments(
  args: readonly string[],
  entity: EntityKind,
): Result<FieldMapping, ImportIssue[]> {
  const mapping: FieldMapping = {}
  const issues: ImportIssue[] = []
  for (const arg of args) {
    const eq = arg.indexOf('=')
    if (eq <= 0) {
      issues.push(makeIssue('invalid_map_argument', 'error', {}, { value: arg }))
      continue
    }
    const field = arg.slice(0, eq).trim()
    const column = arg.slice(eq + 1).trim()
    if (!fieldDef(entity, field)) {
      issues.push(unknownField(entity, field))
      continue
    }
    if (column === '') {
      mapping[field] = null
      continue
    }
    const pos = /^#(\d+)$/.exec(column)
    const ref: ColumnRef = pos ? { position: Number(pos[1]) } : column
    const prev = mapping[field]
    if (prev == null) mapping[field] = ref
    else mapping[field] = [...toSource(prev).columns, ref]
  }
  return issues.length > 0 ? err(issues) : ok(mapping)
}

const unknownField = (entity: EntityKind, field: string): ImportIssue =>
  makeIssue(
    'unknown_field',
    'error',
    { field },
    { expected: ENTITY_FIELDS[entity].map((f) => f.name).join(', ') },
  )

/** The full `FieldSource` form of a mapping entry. */
export function toSource(value: Exclude<FieldMappingValue, null>): FieldSource {
  if (Array.isArray(value)) return { columns: value }
  if (typeof value === 'object' && 'columns' in value) return value
  return { columns: [value] }
}

/** Overlay mappings: later ones win field by field; null removes a field. */
export function mergeMappings(...mappings: (FieldMapping | undefined)[]): FieldMapping {
  const out: FieldMapping = {}
  for (const m of mappings) {
    if (!m) continue
    for (const [k, v] of Object.entries(m)) out[k] = v
  }
  return out
}

/** Header names compared loosely: trimmed, lower case, inner whitespace collapsed. */
export function normalizeHeaderName(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .replace(/[\s\u00a0]+/g, ' ')
    .trim()
    .toLowerCase()
}

/** One field's source resolved against the file: column indexes (tabular) or key paths (JSON). */
export interface ResolvedField {
  field: string
  /** Tabular: 0-based column indexes, in preference order. */
  indexes: number[]
  /** JSON Lines: key paths, in preference order. */
  paths: string[][]
  /** The source column names, parallel to `indexes`/`paths`, for error reports. */
  columnNames: string[]
  /** Cell values that mean "no value" (plain array: the plan stays JSON). */
  empty: readonly string[]
  transform: ValueTransform | null
  default: string | null
  timeZone: string | null
}

/** A mapping resolved against one file's header. */
export interface ResolvedMapping {
  entity: EntityKind
  source: 'tabular' | 'json'
  fields: Record<string, ResolvedField>
  /** Header columns no field reads (for the UI, and for `extraColumns`). */
  unmappedColumns: { index: number; name: string }[]
}

const columnLabel = (ref: ColumnRef): string => (typeof ref === 'string' ? ref : `#${ref.position}`)

/**
 * Resolve a mapping against a header (tabular) or for JSON objects (`header` = 'json').
 * `explicit` lists the fields the user mapped by hand: a missing column is an error for them,
 * while a preset's absent optional columns are simply unused. Required fields left unmapped are
 * reported (`required_field_unmapped`), with the exceptions documented in `fields.ts`.
 */
export function resolveMapping(
  entity: EntityKind,
  mapping: FieldMapping,
  header: readonly string[] | null | 'json',
  options: {
    explicit?: ReadonlySet<string>
    defaultCurrency?: string | null
    syntheticOrderId?: boolean
  } = {},
): { mapping: ResolvedMapping; issues: ImportIssue[] } {
  const issues: ImportIssue[] = []
  const fields: Record<string, ResolvedField> = {}
  const used = new Set<number>()
  const expectedColumn = new Map<string, string>()
  const exact = new Map<string, number>()
  const loose = new Map<string, number>()
  if (Array.isArray(header)) {
    header.forEach((h, i) => {
      if (!exact.has(h)) exact.set(h, i)
      const n = normalizeHeaderName(h)
      if (!loose.has(n)) loose.set(n, i)
    })
  }
  for (const [field, value] of Object.entries(mapping)) {
    if (value === null) continue
    if (!fieldDef(entity, field)) {
      issues.push(unknownField(entity, field))
      continue
    }
    const src = toSource(value)
    const r: ResolvedField = {
      field,
      indexes: [],
      paths: [],
      columnNames: [],
      empty: src.empty ?? [],
      transform: src.transform ?? null,
      default: src.default ?? null,
      timeZone: src.timeZone ?? null,
    }
    for (const ref of src.columns) {
      if (header === 'json') {
        if (typeof ref === 'string') {
          r.paths.push(ref.split('.'))
          r.columnNames.push(ref)
        }
        continue
      }
      let idx: number | undefined
      if (typeof ref === 'string') {
        if (header !== null) idx = exact.get(ref) ?? loose.get(normalizeHeaderName(ref))
      } else {
        idx = ref.position - 1
        if (header !== null && idx >= header.length) idx = undefined
      }
      if (idx === undefined) {
        if (options.explicit?.has(field))
          issues.push(makeIssue('missing_column', 'error', { field, column: columnLabel(ref) }))
        continue
      }
      r.indexes.push(idx)
      r.columnNames.push(header?.[idx] ?? `#${idx + 1}`)
      used.add(idx)
    }
    if (r.indexes.length > 0 || r.paths.length > 0 || r.default !== null) fields[field] = r
    else if (src.columns[0] !== undefined) expectedColumn.set(field, columnLabel(src.columns[0]))
  }
  // Required fields without a column: name the column a preset expected when there was one.
  for (const def of ENTITY_FIELDS[entity]) {
    if (!def.required || fields[def.name]) continue
    if (issues.some((i) => i.field === def.name)) continue
    if (def.name === 'currency' && options.defaultCurrency) continue
    if (def.name === 'external_id' && entity === 'orders' && options.syntheticOrderId) continue
    const column = expectedColumn.get(def.name)
    issues.push(
      column
        ? makeIssue('missing_column', 'error', { field: def.name, column })
        : makeIssue('required_field_unmapped', 'error', { field: def.name }),
    )
  }
  if (
    entity === 'orders' &&
    !fields['total'] &&
    !fields['lines.line_total'] &&
    !fields['lines.unit_price'] &&
    !issues.some((i) => i.field === 'total')
  )
    issues.push(makeIssue('required_field_unmapped', 'error', { field: 'total' }))
  const unmappedColumns = Array.isArray(header)
    ? header.flatMap((name, index) => (used.has(index) ? [] : [{ index, name }]))
    : []
  return {
    mapping: { entity, source: header === 'json' ? 'json' : 'tabular', fields, unmappedColumns },
    issues,
  }
}
