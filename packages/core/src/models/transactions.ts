/**
 * Transactions files for the customer-base models, the way an analyst brings them: one row per
 * purchase with a customer id, a date and (optionally) an amount. Reads the CDNOW files as they
 * are (whitespace separated, with or without a header, dates `YYYYMMDD`) and CSV/TSV with a
 * header, merges purchases of one customer on one calendar day (BTYD's
 * `dc.MergeTransactionsOnSameDate`, Fader, Hardie & Lee 2005), and summarises each customer at a
 * calibration end into (x, t_x, T, m) plus the holdout counts the diagnostics compare against.
 *
 * Layout detection, tokenizing, dates and numbers reuse the import module (`../import`), so a
 * file reads here exactly as `fedele import` would read it.
 */
import { err, ok, type Result } from '../shared/result.ts'
import { parseDateParts, type DateOrder } from '../import/dates.ts'
import { normalizeHeaderName } from '../import/mapping.ts'
import { parseFloatValue, type DecimalSeparator } from '../import/numbers.ts'
import {
  cleanHeader,
  completeLines,
  detectKind,
  findHeaderRecord,
  sampleRecords,
} from '../import/sniff.ts'
import {
  createDelimitedTokenizer,
  createWhitespaceTokenizer,
  type RawRecord,
  type Tokenizer,
} from '../import/tokenizer.ts'

/** Which column holds what: a header name (case-insensitive) or a 1-based position. */
export interface TransactionReaderOptions {
  idColumn?: string
  dateColumn?: string
  amountColumn?: string
  /** Day/month order of `nn/nn/yyyy` dates; without it only dates that settle it are read. */
  dateOrder?: DateOrder
  /** Decimal separator of the amounts (default `.`). */
  decimalSeparator?: DecimalSeparator
}

/** The layout the reader settled on (reported so the user can check the guess). */
export interface TransactionLayout {
  kind: 'delimited' | 'whitespace'
  delimiter: string | null
  /** Header names, or null for a headerless file (columns are then `column_1`, `column_2`, …). */
  header: string[] | null
  /** Names of the chosen columns (header names or `column_N`). */
  columns: { id: string; date: string; amount: string | null }
}

/** Why a transactions file cannot be read: the line (1-based), the field and the reason. */
export interface TransactionFileError {
  code:
    | 'empty_file'
    | 'jsonl_not_supported'
    | 'column_not_found'
    | 'missing_field'
    | 'invalid_date'
    | 'invalid_amount'
  line?: number
  field?: 'id' | 'date' | 'amount'
  message: { it: string; en: string }
}

/** Every purchase day of every customer, amounts of a day summed. */
export interface TransactionLog {
  layout: TransactionLayout
  /** Data rows read (before merging same-day purchases). */
  rows: number
  /** Customer id → (UTC day number → summed amount of that day). */
  customers: Map<string, Map<number, number>>
  /** Whether the file has an amount column. */
  hasAmounts: boolean
  /** First and last purchase dates (`YYYY-MM-DD`), null when there are no rows. */
  firstDate: string | null
  lastDate: string | null
}

/** A streaming reader: push text chunks in order, then call `end()` once. */
export interface TransactionReader {
  push(text: string): void
  end(): Result<TransactionLog, TransactionFileError>
}

const DAY_MS = 86_400_000
const SAMPLE_CHARS = 64 * 1024

/** UTC day number (days since 1970-01-01) of a `YYYY-MM-DD` date, or null when invalid. */
export function dayNumber(date: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date.trim())
  if (!m) return null
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const ms = Date.UTC(y, mo - 1, d)
  const back = new Date(ms)
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d)
    return null
  return ms / DAY_MS
}

/** `YYYY-MM-DD` of a UTC day number. */
export function dayToDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10)
}

const ID_NAMES = [
  /^(customer|client|cliente|user|buyer|member)[ _-]?id$/,
  /^id$/,
  /customer|cliente|client/,
]
const DATE_NAMES = [/^(date|data)$/, /date|data|time|placed|created|giorno|day/]
const AMOUNT_NAMES = [
  /^(amount|value|total|importo|totale|valore|revenue|sales|spend)$/,
  /amount|value|total|importo|valore|revenue|sales|spend|price|prezzo/,
]

const fail = (
  code: TransactionFileError['code'],
  it: string,
  en: string,
  where: { line?: number; field?: 'id' | 'date' | 'amount' } = {},
): { ok: false; error: TransactionFileError } => err({ code, ...where, message: { it, en } })

const FIELD_IT = { id: 'cliente', date: 'data', amount: 'importo' } as const

/** Resolves an explicit column option (name or 1-based position) against the header. */
function explicitColumn(spec: string, names: readonly string[]): number | null {
  const s = spec.trim()
  if (/^\d+$/.test(s)) {
    const i = Number(s) - 1
    return i >= 0 && i < names.length ? i : null
  }
  const wanted = normalizeHeaderName(s)
  const i = names.findIndex((n) => normalizeHeaderName(n) === wanted)
  return i >= 0 ? i : null
}

/** First header matching the most specific pattern, skipping columns already taken. */
function columnByName(
  names: readonly string[],
  patterns: RegExp[],
  taken: Set<number>,
): number | null {
  for (const p of patterns) {
    const i = names.findIndex((n, k) => !taken.has(k) && p.test(normalizeHeaderName(n)))
    if (i >= 0) return i
  }
  return null
}

/** Headerless files: the date is the first column whose sampled cells all read as dates. */
function columnsByContent(
  records: readonly RawRecord[],
  width: number,
  options: TransactionReaderOptions,
): { date: number | null; amount: number | null } {
  const cells = (k: number): string[] =>
    records.map((r) => (r.fields[k] ?? '').trim()).filter((c) => c !== '')
  let date: number | null = null
  for (let k = 0; k < width && date === null; k++) {
    const c = cells(k)
    if (
      c.length > 0 &&
      c.every((v) => parseDateParts(v, { order: options.dateOrder ?? null, excelSerial: false }).ok)
    )
      date = k
  }
  // The amount: the last numeric column with a fraction somewhere, else the last numeric one.
  let amount: number | null = null
  let plain: number | null = null
  for (let k = width - 1; k >= 0; k--) {
    if (k === date || k === 0) continue
    const c = cells(k)
    if (c.length === 0 || !c.every((v) => parseFloatValue(v, options.decimalSeparator).ok)) continue
    if (c.some((v) => /[.,]\d/.test(v))) {
      amount = k
      break
    }
    plain ??= k
  }
  return { date, amount: amount ?? plain }
}

interface Columns {
  id: number
  date: number
  amount: number | null
  names: string[]
}

function resolveColumns(
  header: string[] | null,
  sample: readonly RawRecord[],
  options: TransactionReaderOptions,
): Result<Columns, TransactionFileError> {
  const width = header?.length ?? Math.max(0, ...sample.map((r) => r.fields.length))
  const names = header ?? Array.from({ length: width }, (_, k) => `column_${k + 1}`)
  const taken = new Set<number>()
  const byContent = header === null ? columnsByContent(sample, width, options) : null
  const pick = (
    field: 'id' | 'date' | 'amount',
    spec: string | undefined,
    patterns: RegExp[],
    fallback: number | null,
  ): Result<number | null, TransactionFileError> => {
    if (spec !== undefined) {
      const i = explicitColumn(spec, names)
      if (i === null)
        return fail(
          'column_not_found',
          `Colonna "${spec}" (${FIELD_IT[field]}) non trovata; colonne del file: ${names.join(', ')}.`,
          `Column "${spec}" (${field}) not found; the file's columns: ${names.join(', ')}.`,
          { field },
        )
      taken.add(i)
      return ok(i)
    }
    const i = header !== null ? columnByName(names, patterns, taken) : fallback
    if (i !== null) taken.add(i)
    return ok(i)
  }
  // Explicit options first, so that guesses never take a column the user named.
  const date = pick('date', options.dateColumn, DATE_NAMES, byContent?.date ?? null)
  if (!date.ok) return date
  const amount = pick('amount', options.amountColumn, AMOUNT_NAMES, byContent?.amount ?? null)
  if (!amount.ok) return amount
  const firstFree = names.findIndex((_, k) => !taken.has(k))
  const id = pick('id', options.idColumn, ID_NAMES, firstFree >= 0 ? firstFree : null)
  if (!id.ok) return id
  for (const [field, value] of [
    ['id', id.value],
    ['date', date.value],
  ] as const) {
    if (value === null)
      return fail(
        'column_not_found',
        `Non trovo la colonna ${FIELD_IT[field]}: indicala con --${field}-column (nome o posizione); colonne: ${names.join(', ')}.`,
        `Cannot tell which column holds the ${field}: name it with --${field}-column (name or position); columns: ${names.join(', ')}.`,
        { field },
      )
  }
  return ok({ id: id.value as number, date: date.value as number, amount: amount.value, names })
}

/**
 * A streaming transactions reader. The first 64 KB settle the layout (delimiter or whitespace,
 * header line, which columns are id, date and amount: by header name — `customer_id`, `date`,
 * `dollar_value`, `importo`, … — or, without a header, by content: the date column is the one
 * whose cells all read as dates, the amount the last numeric column with decimals, the id the
 * first remaining column); options override every guess. Then every row is read: blank lines are
 * skipped, a row with a missing id or date, an unreadable date or amount stops the reading with an
 * error naming the line and field. Dates keep their calendar day as written (a time or offset is
 * ignored), so same-day purchases merge by the day the customer saw.
 */
export function createTransactionReader(options: TransactionReaderOptions = {}): TransactionReader {
  let buffered = ''
  let tokenizer: Tokenizer<RawRecord> | null = null
  let columns: Columns | null = null
  let layout: TransactionLayout | null = null
  let headerLine = 0
  let error: TransactionFileError | null = null
  let rows = 0
  let minDay = Infinity
  let maxDay = -Infinity
  const customers = new Map<string, Map<number, number>>()

  const setup = (sample: string, whole: boolean): void => {
    const text = completeLines(sample, whole)
    if (text.trim() === '') return
    const kind = detectKind(text)
    if (kind.kind === 'jsonl') {
      error = fail(
        'jsonl_not_supported',
        'I file JSON Lines non sono letti qui: usa un CSV o un file separato da spazi.',
        'JSON Lines files are not read here: use a CSV or a whitespace-separated file.',
      ).error
      return
    }
    const delimiter = kind.kind === 'whitespace' ? 'whitespace' : (kind.delimiter ?? ',')
    const records = sampleRecords(text, delimiter).filter((r) =>
      r.fields.some((f) => f.trim() !== ''),
    )
    const headerRecord = findHeaderRecord(records, null)
    const header = headerRecord ? cleanHeader(headerRecord.fields, headerRecord.line).names : null
    headerLine = headerRecord?.line ?? 0
    const data = records.filter((r) => r.line > headerLine)
    const resolved = resolveColumns(header, data, options)
    if (!resolved.ok) {
      error = resolved.error
      return
    }
    columns = resolved.value
    layout = {
      kind: kind.kind === 'whitespace' ? 'whitespace' : 'delimited',
      delimiter: kind.kind === 'whitespace' ? null : delimiter,
      header,
      columns: {
        id: columns.names[columns.id] as string,
        date: columns.names[columns.date] as string,
        amount: columns.amount === null ? null : (columns.names[columns.amount] as string),
      },
    }
    tokenizer =
      delimiter === 'whitespace'
        ? createWhitespaceTokenizer()
        : createDelimitedTokenizer({ delimiter })
  }

  const isBlankRecord = (r: RawRecord): boolean => r.fields.every((f) => f.trim() === '')

  // Per-row work is kept free of closures: this loop runs once per purchase.
  const consume = (records: RawRecord[]): void => {
    const c = columns as Columns
    const name = (k: number) => c.names[k] as string
    const where = (line: number, field: 'id' | 'date' | 'amount') => ({ line, field })
    const dateOptions = { order: options.dateOrder ?? null, excelSerial: false }
    const separator = options.decimalSeparator ?? '.'
    for (const r of records) {
      if (error) return
      if (r.line <= headerLine || isBlankRecord(r)) continue
      const id = (r.fields[c.id] ?? '').trim()
      const dateText = (r.fields[c.date] ?? '').trim()
      if (id === '') {
        error = fail(
          'missing_field',
          `Riga ${r.line}: manca il cliente (colonna "${name(c.id)}").`,
          `Line ${r.line}: the customer id is missing (column "${name(c.id)}").`,
          where(r.line, 'id'),
        ).error
        return
      }
      const parts = parseDateParts(dateText, dateOptions)
      if (!parts.ok) {
        const ambiguous = parts.error.code === 'date_ambiguous'
        error = fail(
          dateText === '' ? 'missing_field' : 'invalid_date',
          `Riga ${r.line}: data "${dateText}" non valida (colonna "${name(c.date)}")${ambiguous ? ': giorno e mese ambigui, indica --date-format' : parts.error.detail ? `: ${parts.error.detail.it}` : ''}.`,
          `Line ${r.line}: invalid date "${dateText}" (column "${name(c.date)}")${ambiguous ? ': day and month are ambiguous, set --date-format' : parts.error.detail ? `: ${parts.error.detail.en}` : ''}.`,
          where(r.line, 'date'),
        ).error
        return
      }
      let amount = 0
      if (c.amount !== null) {
        const text = (r.fields[c.amount] ?? '').trim()
        const v = parseFloatValue(text, separator)
        if (!v.ok || !Number.isFinite(v.value)) {
          error = fail(
            'invalid_amount',
            `Riga ${r.line}: importo "${text}" non valido (colonna "${name(c.amount)}").`,
            `Line ${r.line}: invalid amount "${text}" (column "${name(c.amount)}").`,
            where(r.line, 'amount'),
          ).error
          return
        }
        amount = v.value
      }
      const p = parts.value
      const day = Date.UTC(p.year, p.month - 1, p.day) / DAY_MS
      let perDay = customers.get(id)
      if (!perDay) customers.set(id, (perDay = new Map()))
      perDay.set(day, (perDay.get(day) ?? 0) + amount)
      if (day < minDay) minDay = day
      if (day > maxDay) maxDay = day
      rows++
    }
  }

  return {
    push(text: string): void {
      if (error) return
      if (tokenizer) return consume(tokenizer.push(text))
      buffered += text
      if (buffered.length < SAMPLE_CHARS) return
      setup(buffered.slice(0, SAMPLE_CHARS), false)
      if (tokenizer) consume((tokenizer as Tokenizer<RawRecord>).push(buffered))
      buffered = ''
    },
    end(): Result<TransactionLog, TransactionFileError> {
      if (!error && !tokenizer) {
        setup(buffered.slice(0, SAMPLE_CHARS), buffered.length <= SAMPLE_CHARS)
        if (tokenizer) consume((tokenizer as Tokenizer<RawRecord>).push(buffered))
      }
      if (!error && tokenizer) consume(tokenizer.end())
      if (error) return err(error)
      if (!layout || rows === 0)
        return fail(
          'empty_file',
          'Il file non contiene transazioni.',
          'The file holds no transactions.',
        )
      return ok({
        layout,
        rows,
        customers,
        hasAmounts: (columns as Columns).amount !== null,
        firstDate: dayToDate(minDay),
        lastDate: dayToDate(maxDay),
      })
    },
  }
}

/** Reads a whole transactions text at once (see `createTransactionReader`). */
export function readTransactions(
  text: string,
  options: TransactionReaderOptions = {},
): Result<TransactionLog, TransactionFileError> {
  const reader = createTransactionReader(options)
  reader.push(text)
  return reader.end()
}

/** Options of `summarizeTransactions`. Dates are `YYYY-MM-DD`, inclusive. */
export interface SummaryOptions {
  /** Last day of the calibration period. */
  calibrationEnd: string
  /** Last day of the holdout period; default the last purchase date in the file. */
  holdoutEnd?: string
  /** Time unit of x, t_x, T: days, or weeks (days / 7, as in the CDNOW literature). */
  unit: 'day' | 'week'
}

/** One customer summarised at the calibration end (times in the chosen unit). */
export interface CustomerSummary {
  id: string
  /** Repeat purchase days in the calibration period. */
  x: number
  /** Time from the first purchase to the last calibration purchase. */
  tx: number
  /** Time from the first purchase to the calibration end. */
  T: number
  /** Mean amount of the calibration repeat purchases (0 when x = 0). */
  m: number
  /** First purchase, time since the cohort origin (the earliest first purchase). */
  birth: number
  /** Purchase days in the holdout period. */
  holdout: number
}

/** The summary the fits and diagnostics take. */
export interface TransactionSummary {
  unit: 'day' | 'week'
  /** Earliest first purchase among the summarised customers (time 0 of `birth`). */
  origin: string
  calibrationEnd: string
  holdoutEnd: string
  /** Whole periods from the origin that the calibration covers (39 weeks for CDNOW). */
  calibrationPeriods: number
  /** Whole periods from the origin to the holdout end (78 weeks for CDNOW). */
  totalPeriods: number
  /** Holdout length in the unit (days after the calibration end up to the holdout end). */
  holdoutLength: number
  /** Customers whose first purchase is before the calibration end, sorted by id. */
  customers: CustomerSummary[]
  /** Customers left out because their first purchase is on or after the calibration end (T = 0). */
  lateCustomers: number
  /**
   * Repeat purchase days of the summarised customers by period k = 1…totalPeriods since the
   * origin: period k holds days d with (k − 1)·L ≤ d − origin < k·L (L = 1 or 7 days).
   */
  repeatsByPeriod: number[]
  /** Purchase days after the holdout end, not counted anywhere. */
  ignoredAfterHoldout: number
}

/** Why a summary cannot be made (bad dates or an empty calibration period). */
export interface SummaryError {
  code: 'invalid_option' | 'no_customers'
  field: 'calibrationEnd' | 'holdoutEnd'
  message: { it: string; en: string }
}

/**
 * Summarises each customer at the calibration end, following Fader, Hardie & Lee (2005) and the
 * BTYD walkthrough: purchases of one day are one purchase; x = repeat purchase days up to the
 * calibration end, t_x = (last − first) / L, T = (calibration end − first) / L with L = 1 day or
 * 7 days; m = mean amount of the repeat purchase days (Fader & Hardie 2013 exclude the first);
 * holdout = purchase days in (calibration end, holdout end]. Customers first seen after the
 * calibration end (T would be 0) are counted in `lateCustomers` and left out. On the CDNOW sample (calibration end
 * 1997-09-30, weeks) this gives 2,357 customers, Σx = 2,457 and 1,882 holdout purchases.
 */
export function summarizeTransactions(
  log: TransactionLog,
  options: SummaryOptions,
): Result<TransactionSummary, SummaryError> {
  const L = options.unit === 'week' ? 7 : 1
  const calEnd = dayNumber(options.calibrationEnd)
  if (calEnd === null)
    return err({
      code: 'invalid_option',
      field: 'calibrationEnd',
      message: {
        it: `Fine calibrazione "${options.calibrationEnd}" non valida: usa AAAA-MM-GG.`,
        en: `Calibration end "${options.calibrationEnd}" is not a valid date: use YYYY-MM-DD.`,
      },
    })
  const lastDay = log.lastDate === null ? calEnd : (dayNumber(log.lastDate) as number)
  const holdEnd =
    options.holdoutEnd === undefined ? Math.max(lastDay, calEnd) : dayNumber(options.holdoutEnd)
  if (holdEnd === null || holdEnd < calEnd)
    return err({
      code: 'invalid_option',
      field: 'holdoutEnd',
      message: {
        it: `Fine holdout "${options.holdoutEnd}" non valida: serve una data AAAA-MM-GG non precedente alla fine calibrazione ${options.calibrationEnd}.`,
        en: `Holdout end "${options.holdoutEnd}" is not valid: it must be a YYYY-MM-DD date not before the calibration end ${options.calibrationEnd}.`,
      },
    })
  let origin = Infinity
  let late = 0
  const kept: [string, number[]][] = []
  for (const [id, perDay] of log.customers) {
    const days = [...perDay.keys()].sort((a, b) => a - b)
    const first = days[0] as number
    // A customer first seen on the last calibration day has T = 0: no information for the fits.
    if (first >= calEnd) {
      late++
      continue
    }
    if (first < origin) origin = first
    kept.push([id, days])
  }
  if (kept.length === 0)
    return err({
      code: 'no_customers',
      field: 'calibrationEnd',
      message: {
        it: `Nessun cliente ha acquistato prima della fine calibrazione ${options.calibrationEnd} (primo acquisto nel file: ${log.firstDate}).`,
        en: `No customer bought before the calibration end ${options.calibrationEnd} (first purchase in the file: ${log.firstDate}).`,
      },
    })
  const totalPeriods = Math.ceil((holdEnd - origin + 1) / L)
  const repeatsByPeriod = new Array<number>(totalPeriods).fill(0)
  let ignored = 0
  const customers: CustomerSummary[] = kept
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([id, days]) => {
      const perDay = log.customers.get(id) as Map<number, number>
      const first = days[0] as number
      let x = 0
      let last = first
      let value = 0
      let holdout = 0
      for (let i = 1; i < days.length; i++) {
        const d = days[i] as number
        if (d > holdEnd) {
          ignored++
          continue
        }
        const k = Math.floor((d - origin) / L)
        repeatsByPeriod[k] = (repeatsByPeriod[k] as number) + 1
        if (d <= calEnd) {
          x++
          last = d
          value += perDay.get(d) as number
        } else holdout++
      }
      return {
        id,
        x,
        tx: (last - first) / L,
        T: (calEnd - first) / L,
        m: x > 0 ? value / x : 0,
        birth: (first - origin) / L,
        holdout,
      }
    })
  return ok({
    unit: options.unit,
    origin: dayToDate(origin),
    calibrationEnd: dayToDate(calEnd),
    holdoutEnd: dayToDate(holdEnd),
    calibrationPeriods: Math.ceil((calEnd - origin + 1) / L),
    totalPeriods,
    holdoutLength: (holdEnd - calEnd) / L,
    customers,
    lateCustomers: late,
    repeatsByPeriod,
    ignoredAfterHoldout: ignored,
  })
}
