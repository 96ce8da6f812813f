import { err, ok, type Result } from '../shared/result.ts'
import type { EntityKind } from '../records/schemas.ts'
import {
  createRecordConverter,
  hash53,
  HashSet53,
  readCell,
  type ConversionSummary,
  type ConverterConfig,
  type ImportOutput,
  type ImportRow,
} from './convert.ts'
import {
  createDateOrderDetector,
  DEFAULT_TIME_ZONE,
  isValidTimeZone,
  type DateOrder,
  type DateOrderInference,
} from './dates.ts'
import {
  createStreamDecoder,
  detectEncoding,
  type EncodingDetection,
  type StreamDecoder,
  type TextEncodingName,
} from './encoding.ts'
import { ENTITY_FIELDS } from './fields.ts'
import {
  mergeMappings,
  normalizeHeaderName,
  resolveMapping,
  toSource,
  type FieldMapping,
  type ImportProfile,
} from './mapping.ts'
import { makeIssue, type ImportIssue, type LocalizedText } from './messages.ts'
import { decimalSeparatorEvidence, type DecimalSeparator, type RoundingMode } from './numbers.ts'
import { detectPreset, getPreset, looksLikeCdnow, PRESETS, type ImportPreset } from './presets.ts'
import { cleanHeader, completeLines, detectKind, findHeaderRecord, sampleRecords } from './sniff.ts'
import {
  createDelimitedTokenizer,
  createJsonLinesTokenizer,
  createWhitespaceTokenizer,
  type JsonRecord,
  type RawRecord,
  type Tokenizer,
} from './tokenizer.ts'

/**
 * The importer end to end, in three steps the server drives:
 *
 * 1. `planImport(sample, options)` reads the first bytes (64 KB is plenty) and decides the
 *    encoding, kind, delimiter, header line, preset and mapping. Errors (a required field with no
 *    column, an unknown preset…) come back before any row is read.
 * 2. `createScanner(plan)` + `finalizePlan(plan, scan)`: one fast pass over the whole file that
 *    settles what a sample cannot (the day/month order of `nn/nn/yyyy` dates, the decimal
 *    separator, orders whose rows are not adjacent). Skip it when the user gave `--date-format`
 *    and `--decimal` and the file has no grouped orders.
 * 3. `createImporter(plan)`: feed the file's chunks; get records, refunds, rejected rows and
 *    issues; `summary()` at the end.
 */

/** Options of an import, as the CLI and the HTTP API collect them. All optional. */
export interface ImportOptions {
  entity?: EntityKind
  /** A preset id; `auto` (default) detects one from the header; `none` disables detection. */
  preset?: string
  /** A saved profile; its preset, format, values and mapping apply below explicit options. */
  profile?: ImportProfile
  /** Explicit mapping (`parseMapArguments` of `--map`); wins over preset and profile. */
  map?: FieldMapping
  kind?: 'delimited' | 'whitespace' | 'jsonl'
  delimiter?: string
  quote?: string | null
  encoding?: TextEncodingName
  /** Physical line of the header (`--header-line N`), or `none`. Default: detect. */
  headerLine?: number | 'none'
  /** Day/month order (`parseDateFormatOption` of `--date-format`). */
  dateOrder?: DateOrder
  decimalSeparator?: DecimalSeparator
  timeZone?: string
  currency?: string
  rounding?: RoundingMode
  amountUnit?: 'major' | 'minor'
  /** Orders with synthetic ids (CDNOW): one order per customer-day instead of per row. */
  mergeSameDay?: boolean
  checkAdjacency?: boolean
  extraColumns?: 'ignore' | 'attributes' | 'properties'
}

/** Everything decided about a file; plain data, can be logged or stored with the import job. */
export interface ImportPlan {
  entity: EntityKind
  preset: { id: string; label: LocalizedText; detected: boolean } | null
  format: {
    kind: 'delimited' | 'whitespace' | 'jsonl'
    encoding: TextEncodingName
    encodingSource: 'option' | EncodingDetection['reason']
    delimiter: string | null
    quote: string | null
    /** Physical line of the header record; null when the file has none. */
    headerLine: number | null
  }
  /** Header names after cleaning (unique, trailing empties dropped); null without a header. */
  header: string[] | null
  /**
   * Columns (or, for JSON Lines, top-level keys of the first object) that no field reads: shown
   * to the user so that a forgotten mapping is not a silent loss.
   */
  unmappedColumns: string[]
  converter: ConverterConfig
  /** What still needs the scan of the whole file. */
  pending: { dateOrder: boolean; decimalSeparator: boolean; adjacency: boolean }
  /** Warnings found while planning (renamed headers, unmapped columns are not issues). */
  issues: ImportIssue[]
}

const toText = (sample: Uint8Array | string, encoding: TextEncodingName): string => {
  if (typeof sample === 'string') return sample.replace(/^\uFEFF/, '')
  const d = createStreamDecoder(encoding)
  return d.decode(sample)
}

const DATE_TYPES = new Set(['instant', 'date'])

/**
 * Plan an import from the first bytes (or text) of a file. `isWholeFile` says the sample is the
 * entire file (so its last line is complete).
 */
export function planImport(
  sample: Uint8Array | string,
  options: ImportOptions = {},
  isWholeFile = false,
): Result<ImportPlan, ImportIssue[]> {
  const issues: ImportIssue[] = []
  const profile = options.profile
  // Preset: explicit option, then the profile's.
  let preset: ImportPreset | undefined
  const presetId = options.preset ?? profile?.preset
  if (presetId && presetId !== 'auto' && presetId !== 'none') {
    preset = getPreset(presetId)
    if (!preset) return err([makeIssue('unknown_preset', 'error', {}, { value: presetId })])
  }

  // Encoding.
  let encoding: TextEncodingName
  let encodingSource: ImportPlan['format']['encodingSource']
  const givenEncoding =
    options.encoding ?? (profile?.format?.encoding as TextEncodingName | undefined)
  if (givenEncoding) {
    encoding = givenEncoding
    encodingSource = 'option'
  } else if (typeof sample === 'string') {
    encoding = 'utf-8'
    encodingSource = 'valid-utf8'
  } else {
    const det = detectEncoding(sample, isWholeFile)
    encoding = det.encoding
    encodingSource = det.reason
  }
  const text = completeLines(toText(sample, encoding), isWholeFile)
  if (text.trim() === '') return err([makeIssue('empty_file', 'error', {})])

  // Kind and delimiter.
  const fmt = { ...preset?.format, ...profile?.format }
  let kind = options.kind ?? fmt.kind
  let delimiter = options.delimiter ?? fmt.delimiter ?? null
  if (!kind) {
    const det = detectKind(text)
    kind = det.kind
    delimiter ??= det.delimiter
  }
  if (kind === 'delimited' && delimiter === null) delimiter = detectKind(text).delimiter ?? ','
  if (kind !== 'delimited') delimiter = null
  const quote =
    kind === 'delimited' ? (options.quote !== undefined ? options.quote : (fmt.quote ?? '"')) : null

  // Header and preset.
  let header: string[] | null = null
  let headerLine: number | null = null
  let detectedPreset = false
  const headerOpt = options.headerLine ?? fmt.header ?? 'auto'
  // Detect a preset unless one is named or a profile brings its own mapping; an explicit --map
  // then overrides the detected preset field by field.
  const profileMaps = Object.keys(profile?.mapping ?? {}).length > 0
  const detect = !preset && !profileMaps && options.preset !== 'none'
  const entityHint = options.entity ?? profile?.entity
  let jsonKeys: string[] = []
  if (kind === 'jsonl') {
    const first = text.split(/\r\n|\n|\r/).find((l) => l.trim() !== '') ?? '{}'
    try {
      jsonKeys = Object.keys(JSON.parse(first) as object)
    } catch {
      return err([makeIssue('invalid_json', 'error', { line: 1 }, { value: first })])
    }
    if (detect) {
      const m = detectPreset(jsonKeys, { entity: entityHint })
      if (m) {
        preset = m.preset
        detectedPreset = true
      }
    }
  } else {
    const records = sampleRecords(
      text,
      kind === 'whitespace' ? 'whitespace' : (delimiter as string),
    )
    let headerRecord: RawRecord | null = null
    if (typeof headerOpt === 'number') {
      headerRecord = records.find((r) => r.line === headerOpt) ?? null
      if (!headerRecord)
        return err([
          makeIssue('header_line_out_of_range', 'error', { line: headerOpt }, { line: headerOpt }),
        ])
    } else if (headerOpt === 'auto') {
      // First the columns we know (the preset's and mapping's, or every preset's when none is
      // chosen yet), then the structural rule; none: the file has no header (CDNOW).
      const expected = expectedColumns(detect ? null : preset, profile, options.map, entityHint)
      headerRecord = findHeaderRecord(records, expected)
      if (!headerRecord && (detect || !expected)) headerRecord = findHeaderRecord(records, null)
    }
    if (headerRecord) {
      const clean = cleanHeader(headerRecord.fields, headerRecord.line)
      header = clean.names
      headerLine = headerRecord.line
      issues.push(...clean.issues)
      if (detect) {
        const m = detectPreset(header, { entity: entityHint })
        if (m) {
          preset = m.preset
          detectedPreset = true
        }
      }
    } else if (detect && kind === 'whitespace') {
      if (looksLikeCdnow(records.slice(0, 50).map((r) => r.fields))) {
        preset = getPreset('cdnow')
        detectedPreset = true
      }
    }
  }

  const entity = options.entity ?? profile?.entity ?? preset?.entity
  if (!entity) return err([...issues, makeIssue('preset_not_detected', 'error', {})])
  if (preset && preset.entity !== entity) preset = undefined

  const mapping = mergeMappings(preset?.mapping, profile?.mapping, options.map)
  if (Object.keys(mapping).length === 0)
    return err([...issues, makeIssue('preset_not_detected', 'error', {})])
  const values = { ...preset?.values, ...profile?.values }
  const timeZone = options.timeZone ?? values.timeZone ?? DEFAULT_TIME_ZONE
  if (!isValidTimeZone(timeZone))
    return err([makeIssue('invalid_time_zone', 'error', {}, { value: timeZone })])
  for (const src of Object.values(mapping)) {
    const tz = src && toSource(src).timeZone
    if (tz && !isValidTimeZone(tz))
      return err([makeIssue('invalid_time_zone', 'error', {}, { value: tz })])
  }
  const orderOpts = { ...preset?.orders, ...profile?.orders }
  const currency = options.currency ?? values.currency ?? null
  const explicit = new Set([
    ...Object.keys(profile?.mapping ?? {}),
    ...Object.keys(options.map ?? {}),
  ])
  const syntheticId = orderOpts.syntheticId ?? null
  const resolved = resolveMapping(entity, mapping, kind === 'jsonl' ? 'json' : header, {
    explicit,
    defaultCurrency: currency,
    syntheticOrderId: syntheticId !== null,
  })
  const errors = resolved.issues.filter((i) => i.severity === 'error')
  if (errors.length > 0) return err([...issues, ...errors])

  const givenDecimal = options.decimalSeparator ?? values.decimalSeparator
  const givenOrder = options.dateOrder ?? values.dateOrder
  const hasDates = Object.keys(resolved.mapping.fields).some((f) =>
    ENTITY_FIELDS[entity].some((d) => d.name === f && DATE_TYPES.has(d.type)),
  )
  const hasMoney = Object.keys(resolved.mapping.fields).some((f) =>
    ENTITY_FIELDS[entity].some((d) => d.name === f && (d.type === 'money' || d.type === 'integer')),
  )
  const converter: ConverterConfig = {
    mapping: resolved.mapping,
    values: {
      decimalSeparator: givenDecimal ?? (delimiter === ';' ? ',' : '.'),
      dateOrder: givenOrder ?? null,
      timeZone,
      currency,
      amountUnit: options.amountUnit ?? values.amountUnit ?? (kind === 'jsonl' ? 'minor' : 'major'),
      rounding: options.rounding ?? values.rounding ?? 'reject',
    },
    orders: {
      cancelPrefix: orderOpts.cancelPrefix ?? null,
      syntheticId,
      mergeSameDay: options.mergeSameDay ?? orderOpts.mergeSameDay ?? false,
      checkAdjacency: options.checkAdjacency ?? orderOpts.checkAdjacency ?? true,
    },
    extraColumns: options.extraColumns ?? profile?.extraColumns ?? preset?.extraColumns ?? 'ignore',
  }
  return ok({
    entity,
    preset: preset ? { id: preset.id, label: preset.label, detected: detectedPreset } : null,
    format: {
      kind,
      encoding,
      encodingSource,
      delimiter,
      quote,
      headerLine: headerOpt === 'none' ? null : headerLine,
    },
    header,
    unmappedColumns:
      kind === 'jsonl'
        ? jsonKeys.filter(
            (k) =>
              !Object.values(resolved.mapping.fields).some((f) => f.paths.some((p) => p[0] === k)),
          )
        : resolved.mapping.unmappedColumns.map((c) => c.name),
    converter,
    pending: {
      dateOrder: hasDates && !givenOrder,
      decimalSeparator: hasMoney && !givenDecimal && kind !== 'jsonl',
      adjacency: entity === 'orders' && syntheticId === null && converter.orders.checkAdjacency,
    },
    issues,
  })
}

/**
 * Column names a preset/profile/mapping expects, to find the header among preamble lines. With
 * no preset (null), the names of every preset (of the entity, when known).
 */
function expectedColumns(
  preset: ImportPreset | null | undefined,
  profile: ImportProfile | undefined,
  map: FieldMapping | undefined,
  entity: EntityKind | undefined,
): Set<string> | null {
  const names = new Set<string>()
  const add = (m: FieldMapping | undefined): void => {
    for (const v of Object.values(m ?? {})) {
      if (v === null) continue
      for (const c of toSource(v).columns)
        if (typeof c === 'string') names.add(normalizeHeaderName(c))
    }
  }
  const presets =
    preset === null ? PRESETS.filter((p) => !entity || p.entity === entity) : preset ? [preset] : []
  for (const p of presets) {
    add(p.mapping)
    for (const c of p.detect?.signature ?? []) names.add(normalizeHeaderName(c))
  }
  add(profile?.mapping)
  add(map)
  return names.size > 0 ? names : null
}

// ------------------------------------------------------------------------------------------------
// Reading rows

/** Counts of the physical file, beside the conversion's. */
export interface ReaderStats {
  /** Physical lines read. */
  lines: number
  /** Data rows handed on (not blank, not header, not preamble). */
  dataRows: number
  blankLines: number
  /** Lines before the header. */
  preambleLines: number
  /** Characters that could not be decoded (U+FFFD). */
  replacements: number
}

/** Chunks in, data rows out: decoding, tokenizing, skipping preamble/header/blank lines. */
export interface RowReader {
  push(chunk: Uint8Array | string): ImportRow[]
  end(): ImportRow[]
  stats(): ReaderStats
}

/** Create the row reader of a plan. File-level issues go to `onIssue`. */
export function createRowReader(
  plan: ImportPlan,
  onIssue: (issue: ImportIssue) => void,
): RowReader {
  const { format } = plan
  let decoder: StreamDecoder | null = null
  let first = true
  const stats: ReaderStats = {
    lines: 0,
    dataRows: 0,
    blankLines: 0,
    preambleLines: 0,
    replacements: 0,
  }
  const width = plan.header?.length ?? null
  const headerLine = format.headerLine

  const tabular: Tokenizer<RawRecord> | null =
    format.kind === 'delimited'
      ? createDelimitedTokenizer({
          delimiter: format.delimiter ?? ',',
          quote: format.quote,
          onIssue,
        })
      : format.kind === 'whitespace'
        ? createWhitespaceTokenizer()
        : null
  const json: Tokenizer<JsonRecord> | null =
    format.kind === 'jsonl' ? createJsonLinesTokenizer({ onIssue }) : null

  const decode = (chunk: Uint8Array | string): string => {
    let s: string
    if (typeof chunk === 'string') s = chunk
    else {
      decoder ??= createStreamDecoder(format.encoding)
      s = decoder.decode(chunk)
    }
    if (first && s.length > 0) {
      first = false
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1)
    }
    return s
  }

  const fromRecords = (records: RawRecord[]): ImportRow[] => {
    const rows: ImportRow[] = []
    for (const r of records) {
      if (headerLine !== null && r.line <= headerLine) {
        if (r.line < headerLine) stats.preambleLines++
        continue
      }
      const f = r.fields
      let blank = true
      for (let i = 0; i < f.length; i++) {
        if (f[i]!.trim() !== '') {
          blank = false
          break
        }
      }
      if (blank) {
        stats.blankLines++
        continue
      }
      if (width !== null && f.length > width) {
        let extra = 0
        for (let i = width; i < f.length; i++) if (f[i]!.trim() !== '') extra++
        if (extra > 0)
          onIssue(makeIssue('extra_fields', 'warning', { line: r.line }, { count: extra }))
      }
      stats.dataRows++
      rows.push({ line: r.line, cells: f })
    }
    return rows
  }
  const fromJson = (records: JsonRecord[]): ImportRow[] => {
    stats.dataRows += records.length
    return records.map((r) => ({ line: r.line, object: r.object }))
  }

  return {
    push(chunk) {
      const s = decode(chunk)
      return tabular ? fromRecords(tabular.push(s)) : fromJson(json!.push(s))
    },
    end() {
      let rows: ImportRow[] = []
      if (decoder) {
        const rest = decoder.end()
        if (rest) rows = tabular ? fromRecords(tabular.push(rest)) : fromJson(json!.push(rest))
        stats.replacements = decoder.replacements
        if (decoder.replacements > 0)
          onIssue(makeIssue('encoding_replacement', 'warning', {}, { count: decoder.replacements }))
      }
      rows = rows.concat(tabular ? fromRecords(tabular.end()) : fromJson(json!.end()))
      return rows
    },
    stats() {
      stats.lines = (tabular ?? json)!.lines
      return { ...stats }
    },
  }
}

// ------------------------------------------------------------------------------------------------
// The scan pass

/** What the scan of a whole file found. */
export interface ScanReport {
  rows: number
  dateOrder: DateOrderInference
  decimal: {
    comma: { count: number; line: number; value: string } | null
    dot: { count: number; line: number; value: string } | null
  }
  /** Orders whose rows come back after other orders (first 20), and how many in all. */
  notAdjacent: { count: number; examples: { key: string; line: number }[] }
  reader: ReaderStats
  issues: ImportIssue[]
}

/**
 * A scanner: feed the whole file, then `end()`. Constant memory except the set of order ids
 * (53-bit hashes in typed arrays, ~24 bytes an order, not a string set: a million orders cost
 * ~25 MB instead of ~100 MB and nothing for the garbage collector to walk).
 */
export interface Scanner {
  push(chunk: Uint8Array | string): void
  end(): ScanReport
}

/** Create the scan pass of a plan (see the module comment). */
export function createScanner(plan: ImportPlan): Scanner {
  const issues: ImportIssue[] = []
  const reader = createRowReader(plan, (i) => issues.length < 1000 && issues.push(i))
  const entity = plan.entity
  const fields = plan.converter.mapping.fields
  const defs = ENTITY_FIELDS[entity]
  const dateFields = defs
    .filter((d) => DATE_TYPES.has(d.type) && fields[d.name])
    .map((d) => fields[d.name]!)
  const moneyFields = defs
    .filter((d) => (d.type === 'money' || d.type === 'integer') && fields[d.name])
    .map((d) => fields[d.name]!)
  const dates = createDateOrderDetector()
  const decimal: ScanReport['decimal'] = { comma: null, dot: null }
  const notAdjacent: ScanReport['notAdjacent'] = { count: 0, examples: [] }
  const idField = plan.pending.adjacency ? fields['external_id'] : undefined
  // The order ids seen (as 53-bit hashes): the one part of the scan's memory that grows.
  const seen = new HashSet53()
  let lastKey: string | null = null
  let rows = 0

  const observe = (row: ImportRow): void => {
    rows++
    for (const rf of dateFields) {
      const c = readCell(row, rf)
      if (c) dates.observe(c.text, row.line)
    }
    for (const rf of moneyFields) {
      const c = readCell(row, rf)
      if (!c || typeof c.raw !== 'string') continue
      const e = decimalSeparatorEvidence(c.text)
      if (e === null) continue
      const slot = e === ',' ? 'comma' : 'dot'
      const cur = decimal[slot]
      if (cur) cur.count++
      else decimal[slot] = { count: 1, line: row.line, value: c.text }
    }
    if (idField) {
      const c = readCell(row, idField)
      if (c && c.text !== lastKey) {
        if (seen.add(hash53(c.text))) {
          notAdjacent.count++
          if (notAdjacent.examples.length < 20)
            notAdjacent.examples.push({ key: c.text, line: row.line })
        }
        lastKey = c.text
      }
    }
  }
  return {
    push(chunk) {
      for (const r of reader.push(chunk)) observe(r)
    },
    end() {
      for (const r of reader.end()) observe(r)
      return {
        rows,
        dateOrder: dates.result(),
        decimal,
        notAdjacent,
        reader: reader.stats(),
        issues,
      }
    },
  }
}

/**
 * Settle a plan with its scan: the inferred date order and decimal separator are written into
 * it. Errors when the caller must decide: `date_order_ambiguous` (every `nn/nn/yyyy` value has
 * both parts ≤ 12: ask for `--date-format`), `date_order_conflict`, `decimal_separator_conflict`,
 * `rows_not_adjacent` (sort the file by order first).
 */
export function finalizePlan(
  plan: ImportPlan,
  scan: ScanReport,
): Result<ImportPlan, ImportIssue[]> {
  const errors: ImportIssue[] = []
  const values = { ...plan.converter.values }
  const fields = plan.converter.mapping.fields
  const firstDateColumn =
    ENTITY_FIELDS[plan.entity]
      .filter((d) => DATE_TYPES.has(d.type) && fields[d.name])
      .map((d) => fields[d.name]!.columnNames[0] ?? null)[0] ?? null
  if (plan.pending.dateOrder) {
    const d = scan.dateOrder
    if (d.status === 'settled') values.dateOrder = d.order
    else if (d.status === 'ambiguous')
      errors.push(
        makeIssue(
          'date_order_ambiguous',
          'error',
          { line: d.line, column: firstDateColumn },
          { value: d.value },
        ),
      )
    else if (d.status === 'conflict')
      errors.push(
        makeIssue(
          'date_order_conflict',
          'error',
          { line: d.mdy.line, column: firstDateColumn },
          { value: d.mdy.value, detail: `${d.dmy.value}, line ${d.dmy.line}` },
        ),
      )
  }
  if (plan.pending.decimalSeparator) {
    const { comma, dot } = scan.decimal
    if (comma && dot)
      errors.push(
        makeIssue(
          'decimal_separator_conflict',
          'error',
          { line: Math.max(comma.line, dot.line) },
          {
            value: comma.line > dot.line ? comma.value : dot.value,
          },
        ),
      )
    else if (comma) values.decimalSeparator = ','
    else if (dot) values.decimalSeparator = '.'
  }
  if (plan.pending.adjacency && scan.notAdjacent.count > 0) {
    const ex = scan.notAdjacent.examples[0]!
    errors.push(
      makeIssue(
        'rows_not_adjacent',
        'error',
        {
          line: ex.line,
          column: fields['external_id']?.columnNames[0] ?? null,
          field: 'external_id',
        },
        { value: ex.key, line: ex.line, count: scan.notAdjacent.count },
      ),
    )
  }
  if (errors.length > 0) return err(errors)
  // The scan proved every order's rows adjacent: the import pass need not remember every order
  // id again (24–48 bytes an order, the one part of its memory that grew with the file).
  const orders = plan.pending.adjacency
    ? { ...plan.converter.orders, checkAdjacency: false }
    : plan.converter.orders
  return ok({
    ...plan,
    converter: { ...plan.converter, values, orders },
    pending: { dateOrder: false, decimalSeparator: false, adjacency: false },
  })
}

// ------------------------------------------------------------------------------------------------
// The import pass

/** Conversion counts plus the physical file's. */
export interface ImportSummary extends ConversionSummary {
  reader: ReaderStats
  /** File-level issues (header, encoding, quotes, extra fields). */
  fileIssues: number
}

/** An importer: chunks in, outputs out. */
export interface Importer {
  push(chunk: Uint8Array | string): ImportOutput[]
  end(): ImportOutput[]
  summary(): ImportSummary
}

/**
 * Create the import pass of a plan. Records are validated with the zod schemas; each output
 * says which physical lines it came from. The plan's own warnings (renamed headers) come first.
 */
export function createImporter(plan: ImportPlan): Importer {
  let pending: ImportOutput[] = plan.issues.map((issue) => ({ type: 'issue', issue }))
  let fileIssues = plan.issues.length
  const reader = createRowReader(plan, (issue) => {
    fileIssues++
    pending.push({ type: 'issue', issue })
  })
  const converter = createRecordConverter(plan.converter)
  const run = (rows: ImportRow[], final: boolean): ImportOutput[] => {
    const out = pending
    pending = []
    for (const row of rows) {
      for (const o of converter.push(row)) out.push(o)
      if (pending.length > 0) {
        for (const o of pending) out.push(o)
        pending = []
      }
    }
    if (final) {
      for (const o of converter.end()) out.push(o)
      for (const o of pending) out.push(o)
      pending = []
    }
    return out
  }
  return {
    push: (chunk) => run(reader.push(chunk), false),
    end: () => run(reader.end(), true),
    summary: () => ({ ...converter.summary(), reader: reader.stats(), fileIssues }),
  }
}
