import type { z } from 'zod'
import {
  RECORD_SCHEMAS,
  ZCustomerRecord,
  type EntityKind,
  type TOrderLineRecord,
} from '../records/schemas.ts'
import { ok, err, type Result } from '../shared/result.ts'
import {
  parseCalendarDate,
  parseDateParts,
  partsToDate,
  partsToInstant,
  type DateOrder,
} from './dates.ts'
import { ENTITY_FIELDS, normalizeEnumValue, type FieldDef } from './fields.ts'
import { canonicalJson, sha256Hex, utf8Bytes } from './hash.ts'
import type { ResolvedField, ResolvedMapping } from './mapping.ts'
import {
  makeIssue,
  type ImportIssue,
  type ImportIssueCode,
  type LocalizedText,
} from './messages.ts'
import {
  currencyMinorDigits,
  parseAmount,
  parseBoolean,
  parseInteger,
  type DecimalSeparator,
  type RoundingMode,
} from './numbers.ts'
import type { OrderRefund } from './refunds.ts'

/**
 * Rows → records. A converter is a streaming reducer: rows go in one at a time, in file order;
 * records, refunds and rejections come out. Orders are grouped: consecutive rows with the same
 * order id (Shopify writes one row per line item, with the order's fields on the first row)
 * become one order with its lines. The converter assumes the rows of one order are adjacent, as
 * every shop export writes them; when an order id comes back after other orders, its later rows
 * are rejected with `rows_not_adjacent` (the scanner reports this before the import starts).
 *
 * Every row ends in exactly one place: a record, a refund, or a rejection. `summary()` counts them.
 */

/** A data row: the cells of a delimited/whitespace file, or the object of a JSON Lines line. */
export type ImportRow =
  | { line: number; cells: readonly string[]; object?: undefined }
  | { line: number; object: Readonly<Record<string, unknown>>; cells?: undefined }

/** How values are written in the file. */
export interface ValueConventions {
  decimalSeparator: DecimalSeparator
  /** Day/month order of `nn/nn/yyyy` dates; null: only unambiguous values are accepted. */
  dateOrder: DateOrder | null
  timeZone: string
  /** Currency when no column gives one. */
  currency: string | null
  amountUnit: 'major' | 'minor'
  rounding: RoundingMode
}

/** Order-specific behaviour (see `ImportProfile.orders`). */
export interface OrderOptions {
  cancelPrefix: string | null
  syntheticId: 'customer-date-sequence' | null
  mergeSameDay: boolean
  checkAdjacency: boolean
}

/** Everything a converter needs; `planImport` builds it from a file sample and options. */
export interface ConverterConfig {
  mapping: ResolvedMapping
  values: ValueConventions
  orders: OrderOptions
  extraColumns: 'ignore' | 'attributes' | 'properties'
}

/** The output record type of an entity (zod output: defaults filled). */
export type RecordOf<K extends EntityKind> = z.output<(typeof RECORD_SCHEMAS)[K]>

/** A valid record, with the physical lines it came from and the warnings about it. */
export interface RecordOutput<K extends EntityKind = EntityKind> {
  type: 'record'
  entity: K
  record: RecordOf<K>
  line: number
  lastLine: number
  rows: number
  warnings: ImportIssue[]
  /**
   * A customer read from an order export's columns (`customer.*`), emitted just before its
   * order: partial by nature, so the server merges the fields it has into the existing
   * customer instead of replacing it. Its rows belong to the order (`rows` is 0).
   */
  derived?: true
}

/** A refund or cancellation to apply to an existing order (see `refunds.ts`). */
export interface RefundOutput {
  type: 'refund'
  refund: OrderRefund
  line: number
  lastLine: number
  rows: number
  warnings: ImportIssue[]
}

/** Rows rejected together (one row, or all rows of an order), with every problem found. */
export interface RejectedOutput {
  type: 'rejected'
  line: number
  lastLine: number
  rows: number
  issues: ImportIssue[]
}

/** A problem not tied to a record: file level (header, encoding) or a skipped line. */
export interface IssueOutput {
  type: 'issue'
  issue: ImportIssue
}

/** A record output of any entity, discriminated by `entity`. */
export type AnyRecordOutput = { [K in EntityKind]: RecordOutput<K> }[EntityKind]

/** What a converter (and the importer) emits. */
export type ImportOutput = AnyRecordOutput | RefundOutput | RejectedOutput | IssueOutput

/** Counts of one conversion; every row is in exactly one of records, refunds or rejected. */
export interface ConversionSummary {
  rows: number
  records: number
  refunds: number
  cancellations: number
  rejected: number
  rowsInRecords: number
  rowsInRefunds: number
  rowsRejected: number
  /** Rows that joined another row's order (line items of one order, same-day merges). */
  groupedRows: number
  /**
   * Rows without a customer id: anonymous sales (orders with customer_external_id null, also
   * anonymous tickets and survey answers) and anonymous refunds. Counted, never dropped;
   * `firstLines` lists up to 20 of their first lines.
   */
  anonymous: { records: number; refunds: number; rows: number; firstLines: number[] }
  /** Amounts rounded to the currency's minor unit (only when rounding is not `reject`). */
  roundedAmounts: number
  /** Records whose external_id was derived (synthetic CDNOW ids, content-derived ids). */
  derivedIds: number
  /**
   * Customer records derived from order rows (`customer.*` fields), one per order that has
   * them; not counted in `records` (their rows are the orders'). The server merges them.
   */
  derivedCustomers: number
  warnings: number
  /** Issues (errors and warnings) by reason code. */
  issuesByCode: Partial<Record<ImportIssueCode, number>>
}

/** A streaming converter of rows to records. */
export interface RecordConverter {
  push(row: ImportRow): ImportOutput[]
  end(): ImportOutput[]
  summary(): ConversionSummary
}

// ------------------------------------------------------------------------------------------------
// Reading and parsing one cell

interface Cell {
  raw: unknown
  text: string
  column: string
}

function getPath(obj: Readonly<Record<string, unknown>>, path: readonly string[]): unknown {
  let v: unknown = obj
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined
    v = (v as Record<string, unknown>)[k]
  }
  return v
}

/** First non-empty cell of a field in a row, after its transform; null when none. */
export function readCell(row: ImportRow, rf: ResolvedField): Cell | null {
  const count = row.cells ? rf.indexes.length : rf.paths.length
  for (let i = 0; i < count; i++) {
    const raw: unknown = row.cells ? row.cells[rf.indexes[i]!] : getPath(row.object, rf.paths[i]!)
    if (raw === undefined || raw === null) continue
    // JSON values: strings and numbers are read as text; objects and arrays by `json` fields.
    let text =
      typeof raw === 'string'
        ? raw.trim()
        : typeof raw === 'number' || typeof raw === 'boolean'
          ? String(raw)
          : ''
    if (typeof raw !== 'object' && text === '') continue
    if (rf.empty.length > 0 && rf.empty.includes(text)) continue
    if (rf.transform === 'lower') text = text.toLowerCase()
    else if (rf.transform === 'upper') text = text.toUpperCase()
    else if (rf.transform === 'integer-id') text = text.replace(/^(-?\d+)\.0+$/, '$1')
    return { raw, text, column: rf.columnNames[i] ?? '' }
  }
  if (rf.default !== null) return { raw: rf.default, text: rf.default, column: '(default)' }
  return null
}

interface ParseFailure {
  code: ImportIssueCode
  detail?: string
  expected?: string
}

const CURRENCY_SYMBOLS: Record<string, string> = { '€': 'EUR', $: 'USD', '£': 'GBP', '¥': 'JPY' }
const COUNTRY_NAMES: Record<string, string> = {
  italia: 'IT',
  italy: 'IT',
  uk: 'GB',
  'united kingdom': 'GB',
  'regno unito': 'GB',
  'great britain': 'GB',
  england: 'GB',
  usa: 'US',
  'united states': 'US',
  'stati uniti': 'US',
  france: 'FR',
  francia: 'FR',
  germany: 'DE',
  germania: 'DE',
  deutschland: 'DE',
  spain: 'ES',
  spagna: 'ES',
  españa: 'ES',
  switzerland: 'CH',
  svizzera: 'CH',
  austria: 'AT',
  'san marino': 'SM',
  netherlands: 'NL',
  'paesi bassi': 'NL',
  belgium: 'BE',
  belgio: 'BE',
  portugal: 'PT',
  portogallo: 'PT',
  ireland: 'IE',
  irlanda: 'IE',
  el: 'GR',
  greece: 'GR',
  grecia: 'GR',
  eire: 'IE',
}

/** Per-converter state of `parseCell`: counters and a memo of parsed date cells. */
interface ParseContext {
  rounded: number
  /** Date texts repeat a lot (one date per invoice line, per day): memo per field and text. */
  dates: Map<ResolvedField, Map<string, Result<unknown, ParseFailure>>>
}

const MAX_DATE_MEMO = 20_000

/** Parse one cell per its field type. Money needs the currency's digits. */
function parseCell(
  def: FieldDef,
  cell: Cell,
  rf: ResolvedField,
  values: ValueConventions,
  digits: number,
  counters: ParseContext,
): Result<unknown, ParseFailure> {
  const { raw, text } = cell
  switch (def.type) {
    case 'id':
      if (text.length > 255) return err({ code: 'invalid_value', detail: '> 255' })
      return ok(text)
    case 'text':
    case 'email':
      return ok(typeof raw === 'object' ? JSON.stringify(raw) : text)
    case 'money': {
      if (typeof raw === 'number' && values.amountUnit === 'minor') {
        return Number.isSafeInteger(raw) ? ok(raw) : err({ code: 'invalid_integer' })
      }
      const opts = {
        decimalSeparator: typeof raw === 'number' ? ('.' as const) : values.decimalSeparator,
        digits,
        unit: values.amountUnit,
        rounding: values.rounding,
      }
      const r = parseAmount(text, opts)
      if (!r.ok) return err({ code: r.error, expected: `${digits}` })
      if (values.rounding !== 'reject' && values.amountUnit === 'major') {
        const exact = parseAmount(text, { ...opts, rounding: 'reject' })
        if (!exact.ok) counters.rounded++
      }
      return r
    }
    case 'integer': {
      if (typeof raw === 'number')
        return Number.isSafeInteger(raw) ? ok(raw) : err({ code: 'invalid_integer' })
      const r = parseInteger(text, values.decimalSeparator)
      return r.ok ? r : err({ code: r.error })
    }
    case 'instant':
    case 'date': {
      let memo = counters.dates.get(rf)
      if (!memo) counters.dates.set(rf, (memo = new Map()))
      const hit = memo.get(text)
      if (hit) return hit
      const opts = { order: values.dateOrder, timeZone: rf.timeZone ?? values.timeZone }
      let r: Result<unknown, ParseFailure>
      if (def.type === 'date') {
        const d = parseCalendarDate(text, opts)
        r = d.ok ? d : err({ code: d.error.code, ...dateDetail(d.error.detail) })
      } else {
        const p = parseDateParts(text, opts)
        r = p.ok
          ? ok(partsToInstant(p.value, opts.timeZone))
          : err({ code: p.error.code, ...dateDetail(p.error.detail) })
      }
      if (memo.size >= MAX_DATE_MEMO) memo.clear()
      memo.set(text, r)
      return r
    }
    case 'enum': {
      const v = def.synonyms?.[normalizeEnumValue(text)]
      if (v !== undefined) return ok(v)
      const expected = [...new Set(Object.values(def.synonyms ?? {}))].join(', ')
      return err({ code: 'invalid_enum', expected })
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return ok(raw)
      const r = parseBoolean(text)
      return r.ok ? r : err({ code: 'invalid_boolean' })
    }
    case 'currency': {
      const c = CURRENCY_SYMBOLS[text] ?? text.toUpperCase()
      return /^[A-Z]{3}$/.test(c) ? ok(c) : err({ code: 'invalid_currency' })
    }
    case 'country': {
      const c = COUNTRY_NAMES[text.toLowerCase()] ?? text.toUpperCase()
      return /^[A-Z]{2}$/.test(c)
        ? ok(c)
        : err({ code: 'invalid_value', detail: 'ISO 3166-1 alpha-2, e.g. IT' })
    }
    case 'locale': {
      const first = text.split(/[,;\s]+/)[0] ?? ''
      const m = /^([A-Za-z]{2})(?:[-_]([A-Za-z]{2}))?$/.exec(first)
      if (!m) return err({ code: 'invalid_value', detail: 'it, it-IT' })
      return ok(m[2] ? `${m[1]!.toLowerCase()}-${m[2].toUpperCase()}` : m[1]!.toLowerCase())
    }
    case 'list': {
      if (Array.isArray(raw)) return ok(raw.map((x) => String(x).trim()).filter((x) => x !== ''))
      return ok(
        text
          .split(/[,;|]/)
          .map((x) => x.trim())
          .filter((x) => x !== ''),
      )
    }
    case 'json-array': {
      if (Array.isArray(raw)) return ok(raw)
      if (text.startsWith('[')) {
        try {
          const v: unknown = JSON.parse(text)
          if (Array.isArray(v)) return ok(v)
        } catch {
          // fall through
        }
      }
      return err({ code: 'invalid_value', detail: 'JSON array [ … ]' })
    }
    case 'json': {
      if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) return ok(raw)
      if (text.startsWith('{')) {
        try {
          const v: unknown = JSON.parse(text)
          if (v !== null && typeof v === 'object' && !Array.isArray(v)) return ok(v)
        } catch {
          // fall through
        }
      }
      return err({ code: 'invalid_value', detail: 'JSON object { … }' })
    }
  }
}

// A date error detail is bilingual; the issue carries one `detail` param, so keep both.
const dateDetail = (d: LocalizedText | undefined): { detail?: string } =>
  d ? { detail: `${d.it} / ${d.en}` } : {}

// ------------------------------------------------------------------------------------------------
// zod issues → import issues, with Italian texts for the rules the schemas refine

const ZOD_IT: Record<string, string> = {
  'refunded_amount cannot exceed total': 'l’importo rimborsato non può superare il totale',
  'a CSAT score is 1–5': 'un punteggio CSAT va da 1 a 5',
  'a CES score is 1–7': 'un punteggio CES va da 1 a 7',
}

function zodIssues(
  error: z.ZodError,
  line: number,
  columnOf: (path: readonly PropertyKey[]) => { column: string | null; field: string },
  valueOf: (path: readonly PropertyKey[]) => string | null,
): ImportIssue[] {
  return error.issues.map((i) => {
    const { column, field } = columnOf(i.path)
    const it = ZOD_IT[i.message] ?? i.message
    return {
      ...makeIssue('invalid_value', 'error', { line, column, field }, { value: valueOf(i.path) }),
      message: {
        it: `Valore non valido per il campo "${field}"${column ? ` (colonna "${column}")` : ''}: ${it}`,
        en: `Invalid value for field "${field}"${column ? ` (column "${column}")` : ''}: ${i.message}`,
      },
    }
  })
}

// ------------------------------------------------------------------------------------------------
// The converter

/** A 53-bit string hash (cyrb53) for remembering order ids in little memory. */
export function hash53(s: string): number {
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 2654435761)
    h2 = Math.imul(h2 ^ c, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return 4294967296 * (2097151 & h2) + (h1 >>> 0)
}

/** The slot of hash `h` in an open-addressing table of 53-bit keys (0 = empty), linear probing. */
function probe(keys: Float64Array, h: number): number {
  const mask = keys.length - 1
  let i = (h ^ (h / 4294967296)) & mask
  while (keys[i] !== 0 && keys[i] !== h) i = (i + 1) & mask
  return i
}

/**
 * A compact map from 53-bit hashes to positive integers (open addressing over typed arrays:
 * 12 bytes a slot, ≤ 50% full), to remember a million order ids without a million objects for
 * the garbage collector. `get` returns 0 for an absent key. A hash collision (about 1 in 10^9
 * for a million orders) would report a false non-adjacent order; acceptable for a warning path.
 */
export class HashCounter {
  private keys = new Float64Array(1024)
  private values = new Int32Array(1024)
  private size = 0

  private slot(h: number): number {
    return probe(this.keys, h)
  }

  get(hash: number): number {
    const h = hash || 1 // 0 marks an empty slot
    return this.values[this.slot(h)]!
  }

  set(hash: number, value: number): void {
    const h = hash || 1
    let i = this.slot(h)
    if (this.keys[i] === 0) {
      if ((this.size + 1) * 2 > this.keys.length) {
        this.grow()
        i = this.slot(h)
      }
      this.size++
      this.keys[i] = h
    }
    this.values[i] = value
  }

  private grow(): void {
    const oldKeys = this.keys
    const oldValues = this.values
    this.keys = new Float64Array(oldKeys.length * 2)
    this.values = new Int32Array(oldKeys.length * 2)
    for (let j = 0; j < oldKeys.length; j++) {
      const k = oldKeys[j]!
      if (k === 0) continue
      const i = this.slot(k)
      this.keys[i] = k
      this.values[i] = oldValues[j]!
    }
  }
}

/**
 * A set of 53-bit hashes (open addressing, keys only: 8 bytes a slot, ≤ 2/3 full, so 12–24
 * bytes an order id, half of `HashCounter`'s): the scan pass only asks "seen before?". Same
 * collision caveat as `HashCounter`.
 */
export class HashSet53 {
  private keys = new Float64Array(1024)
  private size = 0

  private slot(h: number): number {
    return probe(this.keys, h)
  }

  /** Adds the hash; true when it was already there. */
  add(hash: number): boolean {
    const h = hash || 1 // 0 marks an empty slot
    let i = this.slot(h)
    if (this.keys[i] === h) return true
    if ((this.size + 1) * 3 > this.keys.length * 2) {
      this.grow()
      i = this.slot(h)
    }
    this.size++
    this.keys[i] = h
    return false
  }

  private grow(): void {
    const old = this.keys
    this.keys = new Float64Array(old.length * 2)
    for (let j = 0; j < old.length; j++) {
      const k = old[j]!
      if (k !== 0) this.keys[this.slot(k)] = k
    }
  }
}

interface Parsed {
  value: unknown
  column: string
  text: string
  line: number
}

interface ParsedLine {
  line: number
  quantity: number
  unit_price: number
  line_total: number
  sku?: string
  product_name?: string
  category?: string
}

interface OrderGroup {
  key: string
  firstLine: number
  lastLine: number
  rows: number
  fields: Record<string, Parsed>
  lines: ParsedLine[]
  errors: ImportIssue[]
  warnings: ImportIssue[]
  /** Synthetic id (CDNOW): customer and yyyymmdd of the group. */
  synthetic: { customer: string; day: string } | null
  notAdjacent: { firstLine: number } | null
}

const ORDER_LEVEL = new Set(
  ENTITY_FIELDS.orders.filter((f) => f.level === 'order').map((f) => f.name),
)

/**
 * Create a converter for one file. Rows must be pushed in file order; call `end()` once at the
 * end to flush the last order.
 */
export function createRecordConverter(config: ConverterConfig): RecordConverter {
  const { mapping, values, orders: orderOptions } = config
  const entity = mapping.entity
  const defs = new Map(ENTITY_FIELDS[entity].map((d) => [d.name, d]))
  const mapped = Object.values(mapping.fields).map((rf) => ({ rf, def: defs.get(rf.field)! }))
  const counters: ParseContext = { rounded: 0, dates: new Map() }
  const summary: ConversionSummary = {
    rows: 0,
    records: 0,
    refunds: 0,
    cancellations: 0,
    rejected: 0,
    rowsInRecords: 0,
    rowsInRefunds: 0,
    rowsRejected: 0,
    groupedRows: 0,
    anonymous: { records: 0, refunds: 0, rows: 0, firstLines: [] },
    roundedAmounts: 0,
    derivedIds: 0,
    derivedCustomers: 0,
    warnings: 0,
    issuesByCode: {},
  }
  const countIssues = (issues: readonly ImportIssue[]): void => {
    for (const i of issues) {
      summary.issuesByCode[i.code] = (summary.issuesByCode[i.code] ?? 0) + 1
      if (i.severity === 'warning') summary.warnings++
    }
  }
  const defaultDigits = currencyMinorDigits(values.currency ?? 'EUR')

  /** Parse every mapped field of a row, collecting issues (soft fields' as warnings). */
  const parseRow = (
    row: ImportRow,
    digits: number,
    errors: ImportIssue[],
    warnings: ImportIssue[],
  ): Record<string, Parsed> => {
    const out: Record<string, Parsed> = {}
    for (const { rf, def } of mapped) {
      const cell = readCell(row, rf)
      if (cell === null) continue
      const r = parseCell(def, cell, rf, values, digits, counters)
      if (r.ok) {
        out[def.name] = { value: r.value, column: cell.column, text: cell.text, line: row.line }
        continue
      }
      const issue = makeIssue(
        r.error.code,
        def.soft ? 'warning' : 'error',
        { line: row.line, column: cell.column, field: def.name },
        { value: cell.text, detail: r.error.detail, expected: r.error.expected },
      )
      ;(def.soft ? warnings : errors).push(issue)
    }
    return out
  }

  const requireFields = (
    fields: Record<string, Parsed>,
    line: number,
    errors: ImportIssue[],
  ): void => {
    for (const def of ENTITY_FIELDS[entity]) {
      if (!def.required || fields[def.name]) continue
      if (errors.some((e) => e.field === def.name)) continue
      const column = mapping.fields[def.name]?.columnNames[0] ?? null
      errors.push(makeIssue('value_required', 'error', { line, column, field: def.name }))
    }
  }

  const columnOfField = (fields: Record<string, Parsed>) => (path: readonly PropertyKey[]) => {
    const field =
      path[0] === 'lines' && path.length > 2
        ? `lines.${String(path[2])}`
        : path.slice(0, 2).map(String).join('.')
    const top = String(path[0] ?? '')
    const p = fields[field] ?? fields[top]
    return {
      field: field || top,
      column: p?.column ?? mapping.fields[field]?.columnNames[0] ?? null,
    }
  }
  const valueOfField = (fields: Record<string, Parsed>) => (path: readonly PropertyKey[]) => {
    const top = String(path[0] ?? '')
    return fields[path.slice(0, 2).map(String).join('.')]?.text ?? fields[top]?.text ?? null
  }

  const reject = (
    line: number,
    lastLine: number,
    rows: number,
    issues: ImportIssue[],
  ): RejectedOutput => {
    summary.rejected++
    summary.rowsRejected += rows
    countIssues(issues)
    return { type: 'rejected', line, lastLine, rows, issues }
  }

  const emitRecord = <K extends EntityKind>(
    kind: K,
    candidate: Record<string, unknown>,
    fields: Record<string, Parsed>,
    line: number,
    lastLine: number,
    rows: number,
    warnings: ImportIssue[],
  ): ImportOutput => {
    const schema = RECORD_SCHEMAS[kind] as unknown as z.ZodType<RecordOf<K>>
    const parsed = schema.safeParse(candidate)
    if (!parsed.success)
      return reject(
        line,
        lastLine,
        rows,
        zodIssues(parsed.error, line, columnOfField(fields), valueOfField(fields)),
      )
    summary.records++
    summary.rowsInRecords += rows
    countIssues(warnings)
    return {
      type: 'record',
      entity: kind,
      record: parsed.data,
      line,
      lastLine,
      rows,
      warnings,
    } as ImportOutput
  }

  const v = <T>(fields: Record<string, Parsed>, name: string): T | undefined =>
    fields[name]?.value as T | undefined

  /** Columns no field reads, as an object of non-empty strings (attributes / properties). */
  const extras = (row: ImportRow): Record<string, string> | undefined => {
    if (!row.cells || mapping.unmappedColumns.length === 0) return undefined
    let out: Record<string, string> | undefined
    for (const { index, name } of mapping.unmappedColumns) {
      const t = row.cells[index]?.trim()
      if (!t) continue
      out ??= {}
      out[name.slice(0, 100)] = t
    }
    return out
  }

  /**
   * A content-derived id for rows without one: `row-` + 24 hex digits of the SHA-256 of the
   * row's cells (joined by U+0001) or of the JSON object's canonical JSON. Stable across
   * re-imports of the same row; two identical rows get the same id (one record).
   */
  const derivedId = (row: ImportRow): string => {
    summary.derivedIds++
    const key = row.cells
      ? row.cells.map((c) => c.trim()).join('\u0001')
      : canonicalJson(row.object)
    return `row-${sha256Hex(utf8Bytes(key)).slice(0, 24)}`
  }

  const anonymous = (rows: number, line: number, refund = false): void => {
    if (refund) summary.anonymous.refunds++
    else summary.anonymous.records++
    summary.anonymous.rows += rows
    if (summary.anonymous.firstLines.length < 20) summary.anonymous.firstLines.push(line)
  }

  // --- single-row entities ------------------------------------------------------------------

  const convertSingle = (row: ImportRow): ImportOutput => {
    const errors: ImportIssue[] = []
    const warnings: ImportIssue[] = []
    const cur = mapping.fields['currency'] ? readCell(row, mapping.fields['currency']) : null
    const digits = currencyMinorDigits(cur?.text.toUpperCase() ?? values.currency ?? 'EUR')
    const f = parseRow(row, digits, errors, warnings)
    const derivable =
      entity === 'events' || entity === 'survey_answers' || entity === 'subscription_changes'
    if (derivable && !f['external_id'] && errors.length === 0) {
      f['external_id'] = { value: derivedId(row), column: '', text: '', line: row.line }
    }
    if (entity === 'subscriptions' && !f['currency'] && values.currency)
      f['currency'] = { value: values.currency, column: '', text: '', line: row.line }
    requireFields(f, row.line, errors)
    if (errors.length > 0) return reject(row.line, row.line, 1, [...errors, ...warnings])
    const rec: Record<string, unknown> = {}
    for (const [name, p] of Object.entries(f)) {
      if (name.includes('.')) continue
      rec[name] = p.value
    }
    if (entity === 'customers') {
      delete rec['first_name']
      delete rec['last_name']
      if (!rec['name']) {
        const full = [v<string>(f, 'first_name'), v<string>(f, 'last_name')]
          .filter(Boolean)
          .join(' ')
        if (full) rec['name'] = full
      }
      const consent: Record<string, { granted: boolean }> = {}
      for (const k of ['marketing_email', 'profiling', 'surveys']) {
        const c = v<boolean>(f, `consent.${k}`)
        if (c !== undefined) consent[k] = { granted: c }
      }
      if (Object.keys(consent).length > 0) rec['consent'] = consent
      if (config.extraColumns === 'attributes') {
        const x = extras(row)
        if (x) rec['attributes'] = { ...x, ...(rec['attributes'] as object | undefined) }
      }
      // Soft fields the schema refuses (an e-mail zod finds invalid) are dropped with a warning.
      for (const k of ['email', 'phone', 'locale', 'country', 'birthday'] as const) {
        if (rec[k] === undefined) continue
        const shape = ZCustomerRecord.shape[k]
        if (!shape.safeParse(rec[k]).success) {
          warnings.push(
            makeIssue(
              'invalid_value',
              'warning',
              { line: row.line, column: f[k]?.column ?? null, field: k },
              { value: f[k]?.text ?? null },
            ),
          )
          delete rec[k]
        }
      }
    } else if (entity === 'subscriptions') {
      delete rec['unit_amount']
      if (rec['amount'] === undefined) {
        const unit = v<number>(f, 'unit_amount')
        if (unit === undefined) {
          return reject(row.line, row.line, 1, [
            makeIssue('value_required', 'error', {
              line: row.line,
              column: mapping.fields['unit_amount']?.columnNames[0] ?? null,
              field: 'amount',
            }),
          ])
        }
        rec['amount'] = unit * (v<number>(f, 'quantity') ?? 1)
      }
    } else if (entity === 'events' && config.extraColumns === 'properties') {
      const x = extras(row)
      if (x) rec['properties'] = { ...x, ...(rec['properties'] as object | undefined) }
    }
    const anon =
      (entity === 'tickets' || entity === 'survey_answers') &&
      rec['customer_external_id'] === undefined
    if (anon) rec['customer_external_id'] = null
    const out = emitRecord(entity, rec, f, row.line, row.line, 1, warnings)
    if (anon && out.type === 'record') anonymous(1, row.line)
    return out
  }

  // --- orders: grouping reducer --------------------------------------------------------------

  const seen = orderOptions.checkAdjacency ? new HashCounter() : null
  let group: OrderGroup | null = null
  const extField = mapping.fields['external_id']
  const custField = mapping.fields['customer_external_id']
  const dateField = mapping.fields['placed_at']
  const hasLineFields = Object.keys(mapping.fields).some((k) => k.startsWith('lines.'))
  const hasCustomerFields = Object.keys(mapping.fields).some((k) => k.startsWith('customer.'))

  const lineOf = (
    f: Record<string, Parsed>,
    line: number,
    errors: ImportIssue[],
  ): ParsedLine | null => {
    let any = false
    for (const k in f) if (k.startsWith('lines.')) any = true
    if (!any) return null
    const qty = v<number>(f, 'lines.quantity')
    const price = v<number>(f, 'lines.unit_price')
    const total = v<number>(f, 'lines.line_total')
    if (price === undefined && total === undefined) {
      if (qty === undefined) return null // only text (sku/name): not a priced line
    }
    const quantity = qty ?? 1
    let unit = price
    let lineTotal = total
    if (lineTotal === undefined) {
      lineTotal = quantity * (unit ?? 0)
      if (!Number.isSafeInteger(lineTotal) || Math.abs(lineTotal) > 1e15) {
        errors.push(
          makeIssue(
            'amount_out_of_range',
            'error',
            {
              line,
              column: f['lines.unit_price']?.column ?? null,
              field: 'lines.line_total',
            },
            { value: f['lines.unit_price']?.text ?? null },
          ),
        )
        return null
      }
    }
    if (unit === undefined) {
      // Derived: the line total is authoritative, the unit price is rounded half-even.
      unit = quantity === 0 ? 0 : roundHalfEven(lineTotal / quantity)
    }
    const out: ParsedLine = { line, quantity, unit_price: unit, line_total: lineTotal }
    const sku = v<string>(f, 'lines.sku')
    const name = v<string>(f, 'lines.product_name')
    const cat = v<string>(f, 'lines.category')
    if (sku !== undefined) out.sku = sku
    if (name !== undefined) out.product_name = name
    if (cat !== undefined) out.category = cat
    return out
  }

  const groupKeyOf = (
    row: ImportRow,
  ): { key: string; synthetic: OrderGroup['synthetic'] } | null => {
    if (orderOptions.syntheticId === 'customer-date-sequence') {
      const c = custField ? readCell(row, custField) : null
      const d = dateField ? readCell(row, dateField) : null
      if (!c || !d) return null
      const p = parseDateParts(d.text, { order: values.dateOrder })
      if (!p.ok) return null
      const day = partsToDate(p.value).replace(/-/g, '')
      return { key: `${c.text}-${day}`, synthetic: { customer: c.text, day } }
    }
    const e = extField ? readCell(row, extField) : null
    return e ? { key: e.text, synthetic: null } : null
  }

  const newGroup = (key: string, line: number, synthetic: OrderGroup['synthetic']): OrderGroup => ({
    key,
    firstLine: line,
    lastLine: line,
    rows: 0,
    fields: {},
    lines: [],
    errors: [],
    warnings: [],
    synthetic,
    notAdjacent: null,
  })

  const addRow = (g: OrderGroup, row: ImportRow): void => {
    g.rows++
    g.lastLine = row.line
    const cur = g.fields['currency']?.value as string | undefined
    const rowCur = mapping.fields['currency'] ? readCell(row, mapping.fields['currency']) : null
    const digits = currencyMinorDigits(
      cur ?? rowCur?.text.toUpperCase() ?? values.currency ?? 'EUR',
    )
    const errors: ImportIssue[] = []
    const f = parseRow(row, digits, errors, g.warnings)
    g.errors.push(...errors)
    for (const name in f) {
      if (ORDER_LEVEL.has(name) && g.fields[name] === undefined) g.fields[name] = f[name]!
    }
    if (errors.length === 0) {
      const l = lineOf(f, row.line, g.errors)
      if (l) g.lines.push(l)
    }
  }

  /** An order line; `abs` for a refund line (quantity and amounts made positive). */
  const toLine = (l: ParsedLine, abs: boolean): TOrderLineRecord => {
    const out: TOrderLineRecord = {
      quantity: abs ? Math.abs(l.quantity) : l.quantity,
      unit_price: Math.abs(l.unit_price),
      line_total: abs ? Math.abs(l.line_total) : l.line_total,
    }
    if (l.sku !== undefined) out.sku = l.sku
    if (l.product_name !== undefined) out.product_name = l.product_name
    if (l.category !== undefined) out.category = l.category
    return out
  }

  /** Build the outputs of a complete group: an order, a refund, or both, or a rejection. */
  const flushGroup = (g: OrderGroup, seq: number | null): ImportOutput[] => {
    const { firstLine: line, lastLine, rows } = g
    if (g.notAdjacent) {
      return [
        reject(line, lastLine, rows, [
          makeIssue(
            'rows_not_adjacent',
            'error',
            { line, column: extField?.columnNames[0] ?? null, field: 'external_id' },
            { value: g.key, line: g.notAdjacent.firstLine },
          ),
        ]),
      ]
    }
    const f = g.fields
    const errors = [...g.errors]
    if (g.synthetic) {
      const id = `${g.synthetic.customer}-${g.synthetic.day}${seq === null ? '' : `-${seq}`}`
      f['external_id'] = { value: id, column: '', text: id, line }
      summary.derivedIds++
    }
    if (!f['currency'] && values.currency)
      f['currency'] = { value: values.currency, column: '', text: '', line }
    requireFields(f, line, errors)
    if (!f['total'] && g.lines.length === 0 && !errors.some((e) => e.field === 'total'))
      errors.push(
        makeIssue('value_required', 'error', {
          line,
          column: mapping.fields['total']?.columnNames[0] ?? null,
          field: 'total',
        }),
      )
    if (g.lines.length > 1000)
      errors.push(makeIssue('too_many_lines', 'error', { line }, { value: g.key, count: 1000 }))
    if (errors.length > 0) return [reject(line, lastLine, rows, [...errors, ...g.warnings])]

    const externalId = v<string>(f, 'external_id')!
    const customer = v<string>(f, 'customer_external_id') ?? null
    const placedAt = v<string>(f, 'placed_at')!
    const currency = v<string>(f, 'currency')!
    const total = v<number>(f, 'total')
    const negLines: ParsedLine[] = []
    const posLines: ParsedLine[] = []
    for (const l of g.lines) (isNegativeLine(l) ? negLines : posLines).push(l)
    const creditNote =
      orderOptions.cancelPrefix !== null && externalId.startsWith(orderOptions.cancelPrefix)
    const allNegative =
      g.lines.length > 0 ? posLines.length === 0 : total !== undefined && total < 0
    // A row naming the order it refunds is a refund whatever the sign of its amount: refund
    // exports (Stripe's, a shop's refunds report) write refunded amounts as positive numbers.
    const refundOf = v<string>(f, 'refund_of')

    if (creditNote || allNegative || refundOf !== undefined) {
      const refundLines = g.lines.map((l) => toLine(l, true))
      const amount = total !== undefined ? Math.abs(total) : sumTotals(refundLines)
      const refund: OrderRefund = {
        external_id: externalId,
        order_external_id: refundOf ?? null,
        customer_external_id: customer,
        kind: creditNote ? 'cancellation' : 'refund',
        refunded_at: placedAt,
        amount,
        currency,
        lines: refundLines,
      }
      summary.refunds++
      if (creditNote) summary.cancellations++
      if (customer === null) anonymous(rows, line, true)
      summary.rowsInRefunds += rows
      countIssues(g.warnings)
      return [{ type: 'refund', refund, line, lastLine, rows, warnings: g.warnings }]
    }

    const lines: TOrderLineRecord[] = []
    for (const l of posLines) lines.push(toLine(l, false))
    const orderTotal = total ?? sumTotals(lines)
    const discount = amountField(f, 'discount', true) // written as -5,00 by some exports
    const shipping = amountField(f, 'shipping', false)
    const tax = amountField(f, 'tax', false)
    const refundedAmount = amountField(f, 'refunded_amount', true)
    const moneyErrors: ImportIssue[] = []
    for (const x of [discount, shipping, tax, refundedAmount])
      if (typeof x !== 'number') moneyErrors.push(x)
    if (orderTotal < 0)
      moneyErrors.push(
        makeIssue(
          'negative_amount',
          'error',
          { line: f['total']?.line ?? line, column: f['total']?.column ?? null, field: 'total' },
          { value: f['total']?.text ?? null },
        ),
      )
    if (moneyErrors.length > 0)
      return [reject(line, lastLine, rows, [...moneyErrors, ...g.warnings])]

    let status = v<string>(f, 'status') ?? 'completed'
    let refunded = refundedAmount as number
    if (f['cancelled_at']) status = 'cancelled'
    if (status === 'refunded' && refunded === 0) refunded = orderTotal
    if (status === 'completed' && orderTotal > 0 && refunded >= orderTotal) status = 'refunded'
    const rec: Record<string, unknown> = {
      external_id: externalId,
      customer_external_id: customer,
      placed_at: placedAt,
      status,
      refunded_amount: refunded,
      currency,
      total: orderTotal,
      discount,
      shipping,
      tax,
    }
    const channel = v<string>(f, 'channel')
    const store = v<string>(f, 'store')
    if (channel !== undefined) rec['channel'] = channel
    if (store !== undefined) rec['store'] = store
    if (hasLineFields && lines.length > 0) rec['lines'] = lines
    else if (f['lines']) rec['lines'] = f['lines'].value // API-shaped lines (JSON), checked by zod
    const outputs: ImportOutput[] = []
    const out = emitRecord('orders', rec, f, line, lastLine, rows, g.warnings)
    if (out.type === 'record' && customer === null) anonymous(rows, line)
    if (out.type === 'record' && customer !== null && hasCustomerFields) {
      const derived = customerOfOrder(customer, f, line, lastLine)
      if (derived) outputs.push(derived)
    }
    outputs.push(out)
    if (out.type === 'record' && negLines.length > 0) {
      const refundLines = negLines.map((l) => toLine(l, true))
      // The rows of the negative lines are part of the order's record; the refund carries no rows.
      summary.refunds++
      outputs.push({
        type: 'refund',
        refund: {
          external_id: `${externalId}:refund`,
          order_external_id: externalId,
          customer_external_id: customer,
          kind: 'refund',
          refunded_at: placedAt,
          amount: sumTotals(refundLines),
          currency,
          lines: refundLines,
        },
        line: negLines[0]!.line,
        lastLine: negLines[negLines.length - 1]!.line,
        rows: 0,
        warnings: [],
      })
    }
    return outputs
  }

  /**
   * The customer an order's `customer.*` fields describe, or null when they are all empty.
   * Fields that do not validate are left out (they are soft: the order is kept either way).
   */
  const customerOfOrder = (
    customerId: string,
    f: Record<string, Parsed>,
    line: number,
    lastLine: number,
  ): ImportOutput | null => {
    const rec: Record<string, unknown> = { external_id: customerId }
    for (const k of ['email', 'name', 'phone', 'country', 'region', 'city', 'postcode']) {
      const x = v<unknown>(f, `customer.${k}`)
      if (x !== undefined && x !== '') rec[k] = x
    }
    if (!rec['name']) {
      const full = [v<string>(f, 'customer.first_name'), v<string>(f, 'customer.last_name')]
        .filter(Boolean)
        .join(' ')
      if (full) rec['name'] = full
    }
    const address = v<string>(f, 'customer.address')
    if (address) rec['attributes'] = { address }
    const consent = v<boolean>(f, 'customer.consent.marketing_email')
    if (consent !== undefined) rec['consent'] = { marketing_email: { granted: consent } }
    if (Object.keys(rec).length === 1) return null
    let parsed = RECORD_SCHEMAS.customers.safeParse(rec)
    if (!parsed.success) {
      // Keep what validates: drop the fields zod names, once.
      for (const i of parsed.error.issues) delete rec[String(i.path[0])]
      parsed = RECORD_SCHEMAS.customers.safeParse(rec)
      if (!parsed.success) return null
    }
    summary.derivedCustomers++
    return {
      type: 'record',
      entity: 'customers',
      record: parsed.data,
      line,
      lastLine,
      rows: 0,
      warnings: [],
      derived: true,
    }
  }

  // Synthetic ids, one order per row: the customer-day of the previous row and its count.
  let lastKey: string | null = null
  let lastSeq = 0

  const pushOrder = (row: ImportRow): ImportOutput[] => {
    const k = groupKeyOf(row)
    const out: ImportOutput[] = []
    if (k === null) {
      // No order id: a continuation row of the open order when it carries only line data.
      if (group && !orderOptions.syntheticId && hasLineFields) {
        addRow(group, row)
        summary.groupedRows++
        return []
      }
      const errors: ImportIssue[] = []
      const warnings: ImportIssue[] = []
      parseRow(row, defaultDigits, errors, warnings)
      const missing = orderOptions.syntheticId
        ? (['customer_external_id', 'placed_at'] as const)
        : (['external_id'] as const)
      for (const field of missing) {
        if (errors.some((e) => e.field === field)) continue
        const rf = mapping.fields[field]
        if (rf && readCell(row, rf)) continue
        errors.push(
          makeIssue('value_required', 'error', {
            line: row.line,
            column: rf?.columnNames[0] ?? null,
            field,
          }),
        )
      }
      if (group) out.push(...flushCurrent())
      out.push(reject(row.line, row.line, 1, [...errors, ...warnings]))
      return out
    }
    const separate = k.synthetic !== null && !orderOptions.mergeSameDay
    if (group && group.key === k.key && !separate) {
      addRow(group, row)
      summary.groupedRows++
      return []
    }
    if (group) out.push(...flushCurrent())
    if (separate) {
      // CDNOW default: every row is its own order; the sequence counts the customer's rows of
      // that day (adjacent ones through `lastKey`, others through `seen`).
      let seq: number
      if (k.key === lastKey) seq = ++lastSeq
      else {
        const h = seen ? hash53(k.key) : 0
        seq = (seen?.get(h) || 0) + 1
        if (seen && lastKey !== null) seen.set(hash53(lastKey), lastSeq)
        lastKey = k.key
        lastSeq = seq
      }
      const g = newGroup(k.key, row.line, k.synthetic)
      addRow(g, row)
      out.push(...flushGroup(g, seq))
      return out
    }
    group = newGroup(k.key, row.line, k.synthetic)
    if (seen) {
      const h = hash53(k.key)
      const first = seen.get(h)
      if (first !== 0) group.notAdjacent = { firstLine: first }
      else seen.set(h, row.line)
    }
    addRow(group, row)
    return out
  }

  const flushCurrent = (): ImportOutput[] => {
    const g = group
    group = null
    if (!g) return []
    return flushGroup(g, null)
  }

  return {
    push(row) {
      summary.rows++
      if (entity === 'orders') return pushOrder(row)
      return [convertSingle(row)]
    },
    end() {
      const out = entity === 'orders' ? flushCurrent() : []
      summary.roundedAmounts = counters.rounded
      return out
    },
    summary() {
      summary.roundedAmounts = counters.rounded
      return copySummary(summary)
    },
  }
}

const isNegativeLine = (l: ParsedLine): boolean => l.quantity < 0 || l.line_total < 0

function sumTotals(lines: readonly TOrderLineRecord[]): number {
  let s = 0
  for (const l of lines) s += l.line_total
  return s
}

/** An order-level amount that must not be negative; `abs` accepts a sign (discounts). */
function amountField(f: Record<string, Parsed>, name: string, abs: boolean): number | ImportIssue {
  const p = f[name]
  const x = (p?.value as number | undefined) ?? 0
  if (x >= 0 || abs || !p) return Math.abs(x)
  return makeIssue(
    'negative_amount',
    'error',
    { line: p.line, column: p.column, field: name },
    { value: p.text },
  )
}

function roundHalfEven(x: number): number {
  const f = Math.floor(x)
  const d = x - f
  if (d > 0.5) return f + 1
  if (d < 0.5) return f
  return f % 2 === 0 ? f : f + 1
}

function copySummary(s: ConversionSummary): ConversionSummary {
  return {
    ...s,
    anonymous: { ...s.anonymous, firstLines: [...s.anonymous.firstLines] },
    issuesByCode: { ...s.issuesByCode },
  }
}
