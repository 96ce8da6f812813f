import { describe, expect, it } from 'vitest'
import {
  cleanHeader,
  detectDelimiter,
  detectKind,
  findHeaderRecord,
  isLabelLike,
  sampleRecords,
} from './sniff.ts'

describe('delimiter detection', () => {
  it('prefers the delimiter with a consistent field count', () => {
    expect(detectDelimiter('a,b,c\n1,2,3\n4,5,6\n')?.delimiter).toBe(',')
    expect(detectDelimiter('a\tb\n1\t2\n')?.delimiter).toBe('\t')
    expect(detectDelimiter('a|b|c\n1|2|3\n')?.delimiter).toBe('|')
  })

  it('is not fooled by decimal commas in a semicolon file (Italian Excel)', () => {
    const text = 'nome;importo;data\nNicolò;12,50;03/02/2024\nAnna;1.234,56;15/02/2024\n'
    expect(detectDelimiter(text)).toEqual({ delimiter: ';', fields: 3, consistency: 1 })
  })

  it('respects quotes when counting', () => {
    const text = 'name,comment\n"Rossi, Mario","uno, due, tre"\n"Bianchi","a;b;c;d"\n'
    expect(detectDelimiter(text)?.delimiter).toBe(',')
  })

  it('returns null when nothing splits the lines', () => {
    expect(detectDelimiter('one\ntwo\n')).toBeNull()
  })
})

describe('kind detection', () => {
  it('recognises JSON Lines', () => {
    expect(detectKind('{"a":1}\n{"a":2}\n')).toEqual({ kind: 'jsonl', delimiter: null })
  })
  it('recognises whitespace-separated numeric files (CDNOW)', () => {
    const text = ' 00001 19970101  1   11.77\r\n 00002 19970112  1   12.00\r\n'
    expect(detectKind(text)).toEqual({ kind: 'whitespace', delimiter: null })
  })
  it('falls back to a one-column CSV', () => {
    expect(detectKind('email\na@b.it\n')).toEqual({ kind: 'delimited', delimiter: ',' })
  })
})

describe('header detection', () => {
  const preamble =
    'Esportazione ordini;;;;\nGenerata il 05/03/2024;;;;\n;;;;\nnumero;data;cliente;totale;valuta\n1;01/03/2024;C1;10,00;EUR\n'

  it('skips preamble lines to the first header-like record', () => {
    const records = sampleRecords(preamble, ';')
    expect(findHeaderRecord(records, null)?.line).toBe(4)
  })

  it('uses the expected column names when known', () => {
    const records = sampleRecords(preamble, ';')
    expect(findHeaderRecord(records, new Set(['data', 'totale']))?.line).toBe(4)
    expect(findHeaderRecord(records, new Set(['nothing', 'here']))).toBeNull()
  })

  it('finds no header in a file of data', () => {
    const records = sampleRecords(
      ' 00001 19970101 1 11.77\n 00002 19970112 1 12.00\n',
      'whitespace',
    )
    expect(findHeaderRecord(records, null)).toBeNull()
  })

  it('tells labels from values', () => {
    expect(isLabelLike('Totale')).toBe(true)
    expect(isLabelLike('12,50')).toBe(false)
    expect(isLabelLike('03/02/2024')).toBe(false)
    expect(isLabelLike('2024-02-03 10:00')).toBe(false)
    expect(isLabelLike('')).toBe(false)
  })
})

describe('header cleaning', () => {
  it('renames duplicates as name_2, name_3 and reports them', () => {
    const h = cleanHeader(['id', 'email', 'Email', 'email', 'email_2'], 1)
    expect(h.names).toEqual(['id', 'email', 'Email_2', 'email_3', 'email_2_2'])
    expect(h.issues.map((i) => [i.code, i.value, i.column])).toEqual([
      ['duplicate_header', 'Email', 'Email_2'],
      ['duplicate_header', 'email', 'email_3'],
      ['duplicate_header', 'email_2', 'email_2_2'],
    ])
    expect(h.issues[0]!.message.it).toContain('Nome di colonna ripetuto')
  })

  it('drops trailing empty columns and names empty middle ones', () => {
    const h = cleanHeader(['\uFEFFid', ' name ', '', 'city', '', ''], 1)
    expect(h.names).toEqual(['id', 'name', 'column_3', 'city'])
    expect(h.issues.map((i) => i.code)).toEqual(['empty_header'])
  })
})
