import { makeIssue, type ImportIssue } from './messages.ts'

/**
 * Streaming tokenizers: text chunks in, records out, each with the 1-based physical line where it
 * starts (a quoted field with embedded newlines spans several physical lines; the next record's
 * line number accounts for them). CRLF, LF and a lone CR each end one line, also when a CRLF pair
 * is split across two chunks.
 *
 * Memory is constant in the file size: only the record in progress is kept between chunks.
 * Speed: fields are sliced from the chunk (`String#slice`), never built character by character;
 * see `tokenizer.bench.ts` for the measured rows/s.
 */

/** One record of a delimited or whitespace-separated file. A blank line is `fields: ['']`. */
export interface RawRecord {
  /** 1-based physical line where the record starts. */
  line: number
  fields: string[]
}

/** One line of a JSON Lines file, parsed. */
export interface JsonRecord {
  line: number
  object: Record<string, unknown>
}

/** The common shape of every tokenizer: feed text in order, then call `end()` once. */
export interface Tokenizer<R> {
  /** Records completed by this chunk. */
  push(text: string): R[]
  /** Records still pending at the end of the input. */
  end(): R[]
  /** Physical lines seen so far (a last line without a line end counts). */
  readonly lines: number
  /** True after a fatal problem (reported through `onIssue`): further input is ignored. */
  readonly failed: boolean
}

/** Options of `createDelimitedTokenizer`. */
export interface DelimitedTokenizerOptions {
  /** One character: `,` `;` tab `|` or any other. */
  delimiter: string
  /** Quote character, `"` by default; null when the file has no quoting at all. */
  quote?: string | null
  /**
   * Longest quoted field accepted, in characters (default 10 000 000). A longer one almost always
   * means an unclosed quote swallowing the rest of the file; the tokenizer then stops with a fatal
   * `field_too_long` issue instead of holding the whole file in memory.
   */
  maxFieldChars?: number
  /** Receives warnings (stray quote) and errors (unterminated quote, field too long). */
  onIssue?: (issue: ImportIssue) => void
}

const LF = 10
const CR = 13

// States between chunks.
const FIELD_START = 0 // at the start of a field (after a delimiter or at a record start)
const UNQUOTED = 1 // inside an unquoted field whose text starts at the carried-over string
const QUOTED = 2 // inside a quoted field; its unescaped text so far is in `qbuf`
const QUOTE_IN_QUOTED = 3 // the chunk ended right after a quote inside a quoted field
const AFTER_QUOTE = 4 // after a closing quote, before the delimiter or line end

/**
 * A CSV/TSV tokenizer (RFC 4180 plus what real exports do): quoted fields may contain the
 * delimiter, newlines and doubled quotes (`""`); text after a closing quote is kept (warning
 * `stray_quote`); a quote inside an unquoted field is literal; an unclosed quote at the end is
 * reported (`unterminated_quote`) and the record is still emitted.
 */
export function createDelimitedTokenizer(options: DelimitedTokenizerOptions): Tokenizer<RawRecord> {
  if (options.delimiter.length !== 1) throw new RangeError('the delimiter must be one character')
  const D = options.delimiter.charCodeAt(0)
  const quoteChar = options.quote === undefined ? '"' : options.quote
  if (quoteChar !== null && quoteChar.length !== 1)
    throw new RangeError('the quote must be one character')
  const Q = quoteChar === null ? -1 : quoteChar.charCodeAt(0)
  const maxField = options.maxFieldChars ?? 10_000_000
  const onIssue = options.onIssue

  let state = FIELD_START
  let carry = '' // unquoted field text carried over from the previous chunk
  let qbuf = '' // unescaped text of the quoted field in progress
  let fields: string[] = []
  let line = 1 // current physical line
  let recordLine = 1 // line where the current record started
  let pendingCR = false // a chunk ended with CR: an LF at the next chunk's start belongs to it
  let quotedCR = false // inside a quoted field, the previous segment ended with CR
  let failed = false
  let trailing = false // the input so far ends with text after the last line end

  /** Count line ends in s[a, b) inside a quoted field (CRLF counts once, even across chunks). */
  const countLines = (s: string, a: number, b: number): void => {
    let i = a
    if (quotedCR && i < b && s.charCodeAt(i) === LF) i++
    quotedCR = false
    for (; i < b; i++) {
      const c = s.charCodeAt(i)
      if (c === LF) line++
      else if (c === CR) {
        line++
        if (i + 1 < b) {
          if (s.charCodeAt(i + 1) === LF) i++
        } else quotedCR = true
      }
    }
  }

  const fail = (): void => {
    failed = true
    onIssue?.(makeIssue('field_too_long', 'error', { line: recordLine }, { count: maxField }))
    fields = []
    qbuf = ''
    carry = ''
  }

  const push = (text: string): RawRecord[] => {
    const out: RawRecord[] = []
    if (failed) return out
    if (text.length > 0) {
      const last = text.charCodeAt(text.length - 1)
      trailing = last !== LF && last !== CR
    }
    let s = text
    let i = 0
    let scanFrom = 0 // for UNQUOTED: where to resume scanning for the field's end
    if (state === UNQUOTED) {
      scanFrom = carry.length
      s = carry + text
      carry = ''
    }
    const n = s.length
    if (pendingCR) {
      pendingCR = false
      if (n > 0 && s.charCodeAt(0) === LF) i = 1
    }
    if (state === QUOTE_IN_QUOTED && n > 0) {
      if (s.charCodeAt(0) === Q) {
        qbuf += quoteChar
        i = 1
        state = QUOTED
      } else state = AFTER_QUOTE
    }

    while (i < n) {
      if (state === QUOTED) {
        const j = s.indexOf(quoteChar as string, i)
        if (j === -1) {
          countLines(s, i, n)
          qbuf += s.slice(i, n)
          i = n
          if (qbuf.length > maxField) fail()
          break
        }
        countLines(s, i, j)
        qbuf += s.slice(i, j)
        i = j + 1
        if (i === n) {
          state = QUOTE_IN_QUOTED
          break
        }
        if (s.charCodeAt(i) === Q) {
          qbuf += quoteChar
          i++
          continue
        }
        state = AFTER_QUOTE
      }
      if (state === AFTER_QUOTE) {
        const c = s.charCodeAt(i)
        if (c === D) {
          fields.push(qbuf)
          qbuf = ''
          i++
          state = FIELD_START
          continue
        }
        if (c === LF || c === CR) {
          fields.push(qbuf)
          qbuf = ''
          out.push({ line: recordLine, fields })
          fields = []
          i++
          line++
          if (c === CR) {
            if (i < n) {
              if (s.charCodeAt(i) === LF) i++
            } else pendingCR = true
          }
          recordLine = line
          state = FIELD_START
          continue
        }
        // Text after the closing quote: keep it, as spreadsheets do, and warn.
        let k = i
        while (k < n) {
          const d = s.charCodeAt(k)
          if (d === D || d === LF || d === CR) break
          k++
        }
        onIssue?.(makeIssue('stray_quote', 'warning', { line: recordLine }))
        qbuf += s.slice(i, k)
        i = k
        continue
      }
      // FIELD_START or UNQUOTED
      let start = i
      let k = i
      if (state === UNQUOTED) {
        start = 0
        k = scanFrom
      } else if (s.charCodeAt(i) === Q) {
        state = QUOTED
        i++
        continue
      }
      while (k < n) {
        const c = s.charCodeAt(k)
        if (c === D || c === LF || c === CR) break
        k++
      }
      if (k === n) {
        carry = s.slice(start, n)
        state = UNQUOTED
        i = n
        break
      }
      fields.push(s.slice(start, k))
      state = FIELD_START
      const c = s.charCodeAt(k)
      i = k + 1
      // After a delimiter the next field starts (possibly empty, possibly in the next chunk).
      if (c === D) continue
      out.push({ line: recordLine, fields })
      fields = []
      line++
      if (c === CR) {
        if (i < n) {
          if (s.charCodeAt(i) === LF) i++
        } else pendingCR = true
      }
      recordLine = line
    }
    return out
  }

  const end = (): RawRecord[] => {
    if (failed) return []
    const out: RawRecord[] = []
    if (state === QUOTED) {
      onIssue?.(makeIssue('unterminated_quote', 'error', { line: recordLine }))
      fields.push(qbuf)
    } else if (state === QUOTE_IN_QUOTED || state === AFTER_QUOTE) {
      fields.push(qbuf)
    } else if (state === UNQUOTED) {
      fields.push(carry)
    } else if (fields.length > 0) {
      fields.push('') // the file ended right after a delimiter
    }
    if (fields.length > 0) out.push({ line: recordLine, fields })
    fields = []
    qbuf = ''
    carry = ''
    state = FIELD_START
    return out
  }

  return {
    push,
    end,
    get lines() {
      return line - 1 + (trailing ? 1 : 0)
    },
    get failed() {
      return failed
    },
  }
}

/**
 * A line splitter: text chunks in, complete lines out with their 1-based line number. The shared
 * base of the whitespace and JSON Lines tokenizers (neither has quoting).
 */
export function createLineSplitter(): Tokenizer<{ line: number; text: string }> {
  let carry = ''
  let line = 1
  let pendingCR = false
  let trailing = false
  const push = (text: string): { line: number; text: string }[] => {
    const out: { line: number; text: string }[] = []
    if (text.length > 0) {
      const last = text.charCodeAt(text.length - 1)
      trailing = last !== LF && last !== CR
    }
    const s = carry.length > 0 ? carry + text : text
    const n = s.length
    let i = 0
    if (pendingCR) {
      pendingCR = false
      if (n > 0 && s.charCodeAt(0) === LF) i = 1
    }
    let start = i
    let k = carry.length > 0 ? carry.length : i
    carry = ''
    for (; k < n; k++) {
      const c = s.charCodeAt(k)
      if (c !== LF && c !== CR) continue
      out.push({ line, text: s.slice(start, k) })
      line++
      if (c === CR) {
        if (k + 1 < n) {
          if (s.charCodeAt(k + 1) === LF) k++
        } else pendingCR = true
      }
      start = k + 1
    }
    if (start < n) carry = s.slice(start)
    return out
  }
  return {
    push,
    end() {
      const out = carry.length > 0 ? [{ line, text: carry }] : []
      carry = ''
      return out
    },
    get lines() {
      return line - 1 + (trailing ? 1 : 0)
    },
    failed: false,
  }
}

/** Split one line on runs of spaces and tabs, ignoring leading and trailing ones. */
export function splitWhitespace(text: string): string[] {
  const fields: string[] = []
  const n = text.length
  let i = 0
  while (i < n) {
    let c = text.charCodeAt(i)
    while (i < n && (c === 32 || c === 9)) c = text.charCodeAt(++i)
    if (i >= n) break
    const start = i
    while (i < n && c !== 32 && c !== 9) c = text.charCodeAt(++i)
    fields.push(text.slice(start, i))
  }
  return fields.length > 0 ? fields : ['']
}

/**
 * A tokenizer for whitespace-separated files (fixed-width-looking text such as the CDNOW master
 * file): fields are separated by runs of spaces or tabs, there is no quoting.
 */
export function createWhitespaceTokenizer(): Tokenizer<RawRecord> {
  const lines = createLineSplitter()
  const map = (ls: { line: number; text: string }[]): RawRecord[] =>
    ls.map((l) => ({ line: l.line, fields: splitWhitespace(l.text) }))
  return {
    push: (text) => map(lines.push(text)),
    end: () => map(lines.end()),
    get lines() {
      return lines.lines
    },
    failed: false,
  }
}

/**
 * A JSON Lines reader: one JSON object per line; blank lines are skipped. A line that is not
 * valid JSON (`invalid_json`) or not an object (`json_not_object`) is reported and skipped.
 */
export function createJsonLinesTokenizer(
  options: {
    onIssue?: (issue: ImportIssue) => void
  } = {},
): Tokenizer<JsonRecord> {
  const lines = createLineSplitter()
  const map = (ls: { line: number; text: string }[]): JsonRecord[] => {
    const out: JsonRecord[] = []
    for (const l of ls) {
      if (l.text.trim() === '') continue
      let value: unknown
      try {
        value = JSON.parse(l.text)
      } catch (e) {
        options.onIssue?.(
          makeIssue(
            'invalid_json',
            'error',
            { line: l.line },
            { detail: e instanceof Error ? e.message : String(e), value: l.text },
          ),
        )
        continue
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        options.onIssue?.(
          makeIssue('json_not_object', 'error', { line: l.line }, { value: l.text }),
        )
        continue
      }
      out.push({ line: l.line, object: value as Record<string, unknown> })
    }
    return out
  }
  return {
    push: (text) => map(lines.push(text)),
    end: () => map(lines.end()),
    get lines() {
      return lines.lines
    },
    failed: false,
  }
}
