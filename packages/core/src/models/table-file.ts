/**
 * A per-customer table file (one row per customer, named columns) read into the churn trainer's
 * rows, for analysts who bring their own table (`fedele predict churn-cv --table FILE`). The
 * delimiter and the header line are detected with the import module's sniffers; cells stay text
 * (the churn encoder decides numeric or categorical and what is blank).
 */
import type { DataRow } from '../churn/table.ts'
import { err, ok, type Result } from '../shared/result.ts'
import {
  cleanHeader,
  completeLines,
  detectKind,
  findHeaderRecord,
  sampleRecords,
} from '../import/sniff.ts'
import { createDelimitedTokenizer, createWhitespaceTokenizer } from '../import/tokenizer.ts'

/** A table read from text. */
export interface DataTable {
  header: string[]
  rows: DataRow[]
  /** 1-based file line of each row, for messages. */
  lines: number[]
}

/** Why a table file cannot be read. */
export interface TableFileError {
  code: 'empty_file' | 'no_header' | 'too_many_fields' | 'jsonl_not_supported'
  line?: number
  message: { it: string; en: string }
}

/**
 * Reads a CSV/TSV (or whitespace-separated) table with a header line. Blank lines are skipped;
 * a row with fewer cells than the header gets blanks for the rest; a row with more cells than
 * the header is an error naming its line (a shifted row would silently mislabel every column).
 */
export function readDataTable(text: string): Result<DataTable, TableFileError> {
  const sample = completeLines(text.slice(0, 64 * 1024), text.length <= 64 * 1024)
  if (sample.trim() === '')
    return err({
      code: 'empty_file',
      message: { it: 'Il file è vuoto.', en: 'The file is empty.' },
    })
  const kind = detectKind(sample)
  if (kind.kind === 'jsonl')
    return err({
      code: 'jsonl_not_supported',
      message: {
        it: 'I file JSON Lines non sono letti qui: usa un CSV con intestazione.',
        en: 'JSON Lines files are not read here: use a CSV with a header line.',
      },
    })
  const delimiter = kind.kind === 'whitespace' ? 'whitespace' : (kind.delimiter ?? ',')
  const headerRecord = findHeaderRecord(
    sampleRecords(sample, delimiter).filter((r) => r.fields.some((f) => f.trim() !== '')),
    null,
  )
  if (!headerRecord)
    return err({
      code: 'no_header',
      message: {
        it: 'Manca la riga di intestazione con i nomi delle colonne.',
        en: 'The header line with the column names is missing.',
      },
    })
  const header = cleanHeader(headerRecord.fields, headerRecord.line).names
  const tokenizer =
    delimiter === 'whitespace'
      ? createWhitespaceTokenizer()
      : createDelimitedTokenizer({ delimiter })
  const records = [...tokenizer.push(text), ...tokenizer.end()]
  const rows: DataRow[] = []
  const lines: number[] = []
  for (const r of records) {
    if (r.line <= headerRecord.line || r.fields.every((f) => f.trim() === '')) continue
    let width = r.fields.length
    while (width > header.length && (r.fields[width - 1] ?? '').trim() === '') width--
    if (width > header.length)
      return err({
        code: 'too_many_fields',
        line: r.line,
        message: {
          it: `Riga ${r.line}: ${width} campi, ma l'intestazione ha ${header.length} colonne.`,
          en: `Line ${r.line}: ${width} fields, but the header has ${header.length} columns.`,
        },
      })
    rows.push(Object.fromEntries(header.map((name, k) => [name, r.fields[k] ?? ''])))
    lines.push(r.line)
  }
  if (rows.length === 0)
    return err({
      code: 'empty_file',
      message: { it: 'Il file non ha righe di dati.', en: 'The file has no data rows.' },
    })
  return ok({ header, rows, lines })
}
