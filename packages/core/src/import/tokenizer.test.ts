import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { ImportIssue } from './messages.ts'
import {
  createDelimitedTokenizer,
  createJsonLinesTokenizer,
  createLineSplitter,
  createWhitespaceTokenizer,
  splitWhitespace,
  type RawRecord,
} from './tokenizer.ts'

/** Tokenize a text fed in pieces of `size` characters. */
function tokenize(text: string, size: number, delimiter = ',', issues: ImportIssue[] = []) {
  const t = createDelimitedTokenizer({ delimiter, onIssue: (i) => issues.push(i) })
  const out: RawRecord[] = []
  for (let i = 0; i < text.length; i += size) out.push(...t.push(text.slice(i, i + size)))
  out.push(...t.end())
  return { records: out, lines: t.lines }
}

describe('delimited tokenizer', () => {
  it('reads quoted fields with delimiters, newlines and doubled quotes', () => {
    const text = 'a,b,"c,\r\nd",e\r\n"x""y",,\n'
    const { records } = tokenize(text, 1000)
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b', 'c,\r\nd', 'e'] },
      { line: 3, fields: ['x"y', '', ''] },
    ])
  })

  it('numbers records by physical line with CRLF, LF and lone CR, also inside quotes', () => {
    const text = 'h1;h2\r\n"multi\rline\nvalue";2\rnext;3\n\nlast;4'
    const { records, lines } = tokenize(text, 1000, ';')
    expect(records.map((r) => r.line)).toEqual([1, 2, 5, 6, 7])
    expect(records[1]!.fields[0]).toBe('multi\rline\nvalue')
    expect(records[3]!.fields).toEqual(['']) // a blank line
    expect(lines).toBe(7)
  })

  it('gives the same records whatever the chunk boundaries (CRLF and "" split included)', () => {
    const text = 'a,"b""\r\nc",d\r\n\r\n"",x\r"q"\r\n'
    const whole = tokenize(text, text.length).records
    for (let size = 1; size < text.length; size++)
      expect(tokenize(text, size).records).toEqual(whole)
  })

  it('round-trips random CSV in random chunks (property)', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'é', ',', '"', '\n', '\r', ' ', '€') })
    const rowsArb = fc.array(fc.array(field, { minLength: 1, maxLength: 5 }), {
      minLength: 1,
      maxLength: 8,
    })
    fc.assert(
      fc.property(
        rowsArb,
        fc.integer({ min: 1, max: 17 }),
        fc.constantFrom('\n', '\r\n'),
        (rows, size, eol) => {
          // A record of one empty field would be a blank line: quote it to keep it.
          const quote = (f: string) =>
            /[",\r\n]/.test(f) || f === '' ? `"${f.replace(/"/g, '""')}"` : f
          const text = rows.map((r) => r.map(quote).join(',')).join(eol) + eol
          const got = tokenize(text, size).records.map((r) => r.fields)
          expect(got).toEqual(rows)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('keeps text after a closing quote and warns (stray_quote)', () => {
    const issues: ImportIssue[] = []
    const { records } = tokenize('"ab"cd,e\n', 3, ',', issues)
    expect(records[0]!.fields).toEqual(['abcd', 'e'])
    expect(issues.map((i) => i.code)).toEqual(['stray_quote'])
  })

  it('treats a quote inside an unquoted field as text', () => {
    expect(tokenize('5" screen,x\n', 2).records[0]!.fields).toEqual(['5" screen', 'x'])
  })

  it('reports an unterminated quote and still emits the record', () => {
    const issues: ImportIssue[] = []
    const { records } = tokenize('a,"never closed\nb,c\n', 4, ',', issues)
    expect(records).toEqual([{ line: 1, fields: ['a', 'never closed\nb,c\n'] }])
    expect(issues[0]).toMatchObject({ code: 'unterminated_quote', line: 1, severity: 'error' })
  })

  it('stops with field_too_long instead of buffering a runaway quoted field', () => {
    const issues: ImportIssue[] = []
    const t = createDelimitedTokenizer({
      delimiter: ',',
      maxFieldChars: 10,
      onIssue: (i) => issues.push(i),
    })
    t.push('ok,1\n"')
    for (let i = 0; i < 5; i++) t.push('xxxxxx')
    expect(t.failed).toBe(true)
    expect(t.push('a,b\n')).toEqual([])
    expect(issues.map((i) => i.code)).toEqual(['field_too_long'])
  })

  it('emits a last record without a line end, and a trailing empty field', () => {
    expect(tokenize('a,b\nc,', 100).records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['c', ''] },
    ])
  })

  it('supports tab, pipe and no quoting', () => {
    expect(tokenize('a\tb\n', 10, '\t').records[0]!.fields).toEqual(['a', 'b'])
    expect(tokenize('a|"b|c"\n', 10, '|').records[0]!.fields).toEqual(['a', 'b|c'])
    const t = createDelimitedTokenizer({ delimiter: ',', quote: null })
    expect(t.push('"a,b"\n')[0]!.fields).toEqual(['"a', 'b"'])
  })
})

describe('line splitter, whitespace and JSON Lines', () => {
  it('splits lines across chunks with CRLF split in two', () => {
    const s = createLineSplitter()
    const out = [...s.push('one\r'), ...s.push('\ntwo\rthree'), ...s.push('\n'), ...s.end()]
    expect(out).toEqual([
      { line: 1, text: 'one' },
      { line: 2, text: 'two' },
      { line: 3, text: 'three' },
    ])
    expect(s.lines).toBe(3)
  })

  it('splits on runs of spaces and tabs', () => {
    expect(splitWhitespace(' 00001 19970101  1   11.77')).toEqual([
      '00001',
      '19970101',
      '1',
      '11.77',
    ])
    expect(splitWhitespace('   ')).toEqual([''])
    const t = createWhitespaceTokenizer()
    expect([...t.push(' a  b\r\n\tc d\r\n'), ...t.end()]).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['c', 'd'] },
    ])
  })

  it('parses JSON Lines, reporting bad lines with their number', () => {
    const issues: ImportIssue[] = []
    const t = createJsonLinesTokenizer({ onIssue: (i) => issues.push(i) })
    const out = [...t.push('{"a":1}\n\nnope\n[1]\n{"b":'), ...t.push('2}'), ...t.end()]
    expect(out).toEqual([
      { line: 1, object: { a: 1 } },
      { line: 5, object: { b: 2 } },
    ])
    expect(issues.map((i) => [i.code, i.line])).toEqual([
      ['invalid_json', 3],
      ['json_not_object', 4],
    ])
  })
})
