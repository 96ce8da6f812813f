import { describe, expect, it } from 'vitest'
import { createStreamDecoder, detectEncoding, isValidUtf8, parseEncodingName } from './encoding.ts'
import { utf8Bytes } from './hash.ts'

const bytes = (...b: number[]) => new Uint8Array(b)

describe('encoding detection', () => {
  it('trusts a BOM', () => {
    expect(detectEncoding(bytes(0xef, 0xbb, 0xbf, 0x61))).toEqual({
      encoding: 'utf-8',
      bom: true,
      reason: 'bom',
    })
    expect(detectEncoding(bytes(0xff, 0xfe, 0x61, 0)).encoding).toBe('utf-16le')
    expect(detectEncoding(bytes(0xfe, 0xff, 0, 0x61)).encoding).toBe('utf-16be')
  })

  it('takes invalid UTF-8 for Windows-1252 (Italian Excel: "Nicolò" as 0xF2)', () => {
    const cp1252 = bytes(0x4e, 0x69, 0x63, 0x6f, 0x6c, 0xf2, 0x3b) // Nicolò;
    expect(detectEncoding(cp1252)).toMatchObject({
      encoding: 'windows-1252',
      reason: 'invalid-utf8',
    })
    // At the very end, 0xF2 could be a cut character, unless the sample is the whole file.
    expect(detectEncoding(cp1252.subarray(0, 6)).encoding).toBe('utf-8')
    expect(detectEncoding(cp1252.subarray(0, 6), true).encoding).toBe('windows-1252')
    expect(detectEncoding(utf8Bytes('Nicolò, Città'))).toMatchObject({
      encoding: 'utf-8',
      bom: false,
    })
  })

  it('accepts a sample that cuts a UTF-8 character in two', () => {
    const b = utf8Bytes('Città')
    expect(isValidUtf8(b.subarray(0, 5), true)).toBe(true)
    expect(isValidUtf8(b.subarray(0, 5), false)).toBe(false)
  })

  it('rejects overlong forms and surrogates', () => {
    expect(isValidUtf8(bytes(0xc0, 0xaf))).toBe(false)
    expect(isValidUtf8(bytes(0xed, 0xa0, 0x80))).toBe(false)
    expect(isValidUtf8(bytes(0xf4, 0x90, 0x80, 0x80))).toBe(false)
  })

  it('normalises encoding names', () => {
    expect(parseEncodingName('UTF8')).toBe('utf-8')
    expect(parseEncodingName('cp1252')).toBe('windows-1252')
    expect(parseEncodingName('latin1')).toBe('windows-1252')
    expect(parseEncodingName('ebcdic')).toBeNull()
  })
})

describe('stream decoder', () => {
  it('decodes Windows-1252 including the 0x80–0x9F block (€, curly quotes)', () => {
    const d = createStreamDecoder('windows-1252')
    expect(d.decode(bytes(0x80, 0x20, 0x93, 0x61, 0x94, 0x20, 0xe0, 0xf2, 0xec))).toBe('€ “a” àòì')
  })

  it('joins a UTF-8 character split across chunks and drops the BOM', () => {
    const b = utf8Bytes('\uFEFFCittà €')
    const d = createStreamDecoder('utf-8')
    let s = ''
    for (let i = 0; i < b.length; i++) s += d.decode(b.subarray(i, i + 1))
    s += d.end()
    expect(s).toBe('Città €')
    expect(d.replacements).toBe(0)
  })

  it('counts replacement characters for malformed input', () => {
    const d = createStreamDecoder('utf-8')
    expect(d.decode(bytes(0x61, 0xf2, 0x62))).toBe('a\uFFFDb')
    expect(d.replacements).toBe(1)
  })

  it('decodes UTF-16 LE with BOM (Excel "Unicode text")', () => {
    const d = createStreamDecoder('utf-16le')
    expect(d.decode(bytes(0xff, 0xfe, 0x61, 0, 0x09, 0, 0xe0, 0)) + d.end()).toBe('a\tà')
  })
})
