import { parseDateParts } from './dates.ts'
import { makeIssue, type ImportIssue } from './messages.ts'
import { normalizeHeaderName } from './mapping.ts'
import { parseDecimal } from './numbers.ts'
import { createDelimitedTokenizer, createWhitespaceTokenizer, type RawRecord } from './tokenizer.ts'

/**
 * Guessing the layout of a file from a sample of its text: the kind (delimited, whitespace,
 * JSON Lines), the delimiter, and the header line (which may come after preamble lines such as
 * "Esportazione ordini del 01/02/2024"). Every guess can be overridden by an option.
 */

/** The delimiters tried, in order of preference on a tie. */
export const DELIMITER_CANDIDATES = [',', ';', '\t', '|'] as const

/** What `detectDelimiter` found. */
export interface DelimiterDetection {
  delimiter: string
  /** Most common number of fields per record. */
  fields: number
  /** Share of sampled records with that number of fields, 0–1. */
  consistency: number
}

const MAX_SAMPLE_RECORDS = 200

/** Cut a sample at its last line end, so that no partial last line skews the counts. */
export function completeLines(sample: string, isWholeFile: boolean): string {
  if (isWholeFile) return sample
  const cut = Math.max(sample.lastIndexOf('\n'), sample.lastIndexOf('\r'))
  return cut > 0 ? sample.slice(0, cut + 1) : sample
}

/** Tokenize a sample (at most 200 records) with one delimiter. */
export function sampleRecords(text: string, delimiter: string | 'whitespace'): RawRecord[] {
  const t =
    delimiter === 'whitespace'
      ? createWhitespaceTokenizer()
      : createDelimitedTokenizer({ delimiter, maxFieldChars: 1_000_000 })
  const records = [...t.push(text), ...t.end()]
  return records.slice(0, MAX_SAMPLE_RECORDS)
}

const isBlank = (r: RawRecord): boolean => r.fields.every((f) => f.trim() === '')

function modeOf(counts: number[]): { mode: number; share: number } {
  const freq = new Map<number, number>()
  for (const c of counts) freq.set(c, (freq.get(c) ?? 0) + 1)
  let mode = 0
  let best = 0
  for (const [c, n] of freq) {
    if (n > best || (n === best && c > mode)) {
      mode = c
      best = n
    }
  }
  return { mode, share: counts.length > 0 ? best / counts.length : 0 }
}

/**
 * Detect the delimiter among `,` `;` tab `|`: the one giving the most consistent number of
 * fields (≥ 2) over the sampled records, quotes respected. Ties go to more fields, then to the
 * order above. Null when no candidate splits the lines.
 */
export function detectDelimiter(text: string): DelimiterDetection | null {
  let best: DelimiterDetection | null = null
  for (const d of DELIMITER_CANDIDATES) {
    const counts = sampleRecords(text, d)
      .filter((r) => !isBlank(r))
      .map((r) => r.fields.length)
    const { mode, share } = modeOf(counts)
    if (mode < 2) continue
    if (
      best === null ||
      share > best.consistency + 1e-9 ||
      (Math.abs(share - best.consistency) <= 1e-9 && mode > best.fields)
    )
      best = { delimiter: d, fields: mode, consistency: share }
  }
  return best
}

const looksNumeric = (s: string): boolean => /^[-+]?[\d.,]+$/.test(s.trim())

/** What `detectKind` found. */
export interface KindDetection {
  kind: 'delimited' | 'whitespace' | 'jsonl'
  delimiter: string | null
}

/**
 * Detect the kind of file: JSON Lines when the first non-blank character is `{` and the first
 * line parses; delimited when a delimiter splits the lines consistently (≥ 90% of records);
 * whitespace-separated when runs of spaces split them consistently into ≥ 2 fields, mostly
 * numeric (the CDNOW layout); otherwise delimited with `,` (a one-column file).
 */
export function detectKind(text: string): KindDetection {
  const trimmed = text.trimStart()
  if (trimmed.startsWith('{')) {
    const firstLine = trimmed.split(/\r\n|\n|\r/, 1)[0] ?? ''
    try {
      const v: unknown = JSON.parse(firstLine)
      if (v !== null && typeof v === 'object' && !Array.isArray(v))
        return { kind: 'jsonl', delimiter: null }
    } catch {
      // not JSON Lines
    }
  }
  const delimited = detectDelimiter(text)
  if (delimited && delimited.consistency >= 0.9)
    return { kind: 'delimited', delimiter: delimited.delimiter }
  const ws = sampleRecords(text, 'whitespace').filter((r) => !isBlank(r))
  const { mode, share } = modeOf(ws.map((r) => r.fields.length))
  if (mode >= 2 && share >= 0.9) {
    const cells = ws.filter((r) => r.fields.length === mode).flatMap((r) => r.fields)
    const numeric = cells.filter(looksNumeric).length
    if (numeric >= cells.length / 2) return { kind: 'whitespace', delimiter: null }
  }
  if (delimited) return { kind: 'delimited', delimiter: delimited.delimiter }
  return { kind: 'delimited', delimiter: ',' }
}

/** Whether a cell reads as a label (not a number, not a date, not empty). */
export function isLabelLike(cell: string): boolean {
  const s = cell.trim()
  if (s === '') return false
  if (parseDecimal(s).ok) return false
  if (parseDateParts(s, { order: 'dmy', excelSerial: false }).ok) return false
  return true
}

/**
 * Find the header among the first records. With `expected` column names (a preset's or a
 * mapping's), the header is the first record holding at least two of them (one when the file
 * has a single column). Without, it is the first record whose non-empty cells are at least 80%
 * of the widest record's and are mostly labels (≥ 75% neither numbers nor dates). Returns the
 * record, or null when the file appears to have no header.
 */
export function findHeaderRecord(
  records: readonly RawRecord[],
  expected: ReadonlySet<string> | null,
): RawRecord | null {
  const nonBlank = records.filter((r) => !isBlank(r)).slice(0, 100)
  if (expected && expected.size > 0) {
    for (const r of nonBlank) {
      const names = r.fields.map(normalizeHeaderName)
      const hits = names.filter((n) => expected.has(n)).length
      const widthOk = names.filter((n) => n !== '').length
      if (hits >= Math.min(2, widthOk) && hits >= 1) return r
    }
    return null
  }
  const nonEmpty = (r: RawRecord): number => r.fields.filter((f) => f.trim() !== '').length
  const widest = Math.max(0, ...nonBlank.map(nonEmpty))
  for (const r of nonBlank) {
    const n = nonEmpty(r)
    if (n < Math.max(1, Math.ceil(widest * 0.8))) continue
    const labels = r.fields.filter(isLabelLike).length
    return labels >= n * 0.75 ? r : null
  }
  return null
}

/** A header after cleaning: names made unique, trailing empty columns dropped. */
export interface CleanHeader {
  names: string[]
  issues: ImportIssue[]
}

/**
 * Clean a header record: trim names (and a BOM), drop trailing empty columns (Excel writes
 * `a;b;;;`), name empty middle columns `column_N`, and make duplicates unique as `name_2`,
 * `name_3`… Each renaming is reported as a warning.
 */
export function cleanHeader(fields: readonly string[], line: number): CleanHeader {
  const raw = fields.map((f) => f.replace(/^\uFEFF/, '').trim())
  while (raw.length > 1 && raw[raw.length - 1] === '') raw.pop()
  const issues: ImportIssue[] = []
  const taken = new Set<string>()
  const names: string[] = []
  raw.forEach((name, i) => {
    let n = name
    if (n === '') {
      n = `column_${i + 1}`
      issues.push(makeIssue('empty_header', 'warning', { line, column: n }, { name: n }))
    }
    if (taken.has(normalizeHeaderName(n))) {
      let k = 2
      while (taken.has(normalizeHeaderName(`${name}_${k}`))) k++
      const renamed = `${name}_${k}`
      issues.push(
        makeIssue(
          'duplicate_header',
          'warning',
          { line, column: renamed },
          { value: name, name: renamed },
        ),
      )
      n = renamed
    }
    taken.add(normalizeHeaderName(n))
    names.push(n)
  })
  return { names, issues }
}
