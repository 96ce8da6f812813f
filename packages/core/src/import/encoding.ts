/**
 * Text encodings of imported files: detection from a sample and streaming decoding.
 *
 * Supported: UTF-8 (with or without BOM), Windows-1252 (what Italian Excel writes for "CSV
 * (separato dal separatore di elenco)"), and UTF-16 LE/BE when a BOM says so (Excel's "Unicode
 * text"). Detection rule: a BOM decides; otherwise a sample that is not valid UTF-8 is Windows-1252
 * (every byte sequence is valid Windows-1252, and real UTF-8 text is almost never mistaken for it).
 */

// TextDecoder exists in browsers and Node; the core's tsconfig has no DOM/Node types, so declare
// the small part used here (module scoped: it does not clash with a global declaration).
interface TextDecoderLike {
  decode(input?: Uint8Array, options?: { stream?: boolean }): string
}
declare const TextDecoder: new (
  label?: string,
  options?: { fatal?: boolean; ignoreBOM?: boolean },
) => TextDecoderLike

/** An encoding the importer can read. */
export type TextEncodingName = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be'

/** The encodings accepted by name, for CLI validation. Aliases are normalised by `parseEncodingName`. */
export const TEXT_ENCODINGS: readonly TextEncodingName[] = [
  'utf-8',
  'windows-1252',
  'utf-16le',
  'utf-16be',
]

/** What `detectEncoding` found. `bom` tells whether the sample starts with a byte order mark. */
export interface EncodingDetection {
  encoding: TextEncodingName
  bom: boolean
  /** Why: `bom`, `valid-utf8` (including plain ASCII) or `invalid-utf8`. */
  reason: 'bom' | 'valid-utf8' | 'invalid-utf8'
}

/** Normalise a user-given encoding name (`utf8`, `cp1252`, `latin1`…); null when unsupported. */
export function parseEncodingName(name: string): TextEncodingName | null {
  const n = name.trim().toLowerCase().replace(/[_\s]/g, '-')
  if (n === 'utf-8' || n === 'utf8') return 'utf-8'
  // WHATWG decodes latin1 / iso-8859-1 labels as windows-1252 too: the same here.
  if (['windows-1252', 'cp1252', 'win1252', 'latin1', 'latin-1', 'iso-8859-1', 'ansi'].includes(n))
    return 'windows-1252'
  if (n === 'utf-16le' || n === 'utf16le' || n === 'utf-16') return 'utf-16le'
  if (n === 'utf-16be' || n === 'utf16be') return 'utf-16be'
  return null
}

/**
 * Detect the encoding of a file from its first bytes (a sample of 64 KB is plenty).
 * A sample cut in the middle of a multi-byte UTF-8 character is still valid UTF-8, unless the
 * sample is the whole file.
 */
export function detectEncoding(sample: Uint8Array, isWholeFile = false): EncodingDetection {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf)
    return { encoding: 'utf-8', bom: true, reason: 'bom' }
  if (sample[0] === 0xff && sample[1] === 0xfe)
    return { encoding: 'utf-16le', bom: true, reason: 'bom' }
  if (sample[0] === 0xfe && sample[1] === 0xff)
    return { encoding: 'utf-16be', bom: true, reason: 'bom' }
  return isValidUtf8(sample, !isWholeFile)
    ? { encoding: 'utf-8', bom: false, reason: 'valid-utf8' }
    : { encoding: 'windows-1252', bom: false, reason: 'invalid-utf8' }
}

/**
 * Whether bytes are well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, ≤ U+10FFFF).
 * With `allowTruncatedEnd`, an incomplete but so-far valid sequence at the very end is accepted,
 * because a sample may cut a character in two.
 */
export function isValidUtf8(bytes: Uint8Array, allowTruncatedEnd = false): boolean {
  const n = bytes.length
  let i = 0
  while (i < n) {
    const b = bytes[i]!
    if (b < 0x80) {
      i++
      continue
    }
    let need: number
    let min: number
    let max = 0xbf
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1
      min = 0x80
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2
      min = b === 0xe0 ? 0xa0 : 0x80
      if (b === 0xed) max = 0x9f // no UTF-16 surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3
      min = b === 0xf0 ? 0x90 : 0x80
      if (b === 0xf4) max = 0x8f
    } else {
      return false
    }
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return allowTruncatedEnd
      const c = bytes[i + k]!
      if (k === 1 ? c < min || c > max : c < 0x80 || c > 0xbf) return false
    }
    i += need + 1
  }
  return true
}

// Windows-1252 bytes 0x80–0x9F (WHATWG index); every other byte is its own code point.
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152,
  0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122,
  0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
]

function decodeWindows1252(bytes: Uint8Array): string {
  const n = bytes.length
  const codes = new Uint16Array(n)
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!
    codes[i] = b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80]! : b
  }
  let out = ''
  const STEP = 8192 // String.fromCharCode's argument count is limited
  for (let i = 0; i < n; i += STEP) {
    out += String.fromCharCode(...codes.subarray(i, Math.min(n, i + STEP)))
  }
  return out
}

/** A streaming decoder: feed byte chunks in order, then call `end()` once. */
export interface StreamDecoder {
  readonly encoding: TextEncodingName
  /** Decode one chunk; a character split across chunks is emitted with the next chunk. */
  decode(chunk: Uint8Array): string
  /** Flush what is left (an incomplete trailing character becomes U+FFFD). */
  end(): string
  /** How many U+FFFD replacement characters the decoded text contained so far. */
  readonly replacements: number
}

function countReplacements(s: string): number {
  let count = 0
  let i = s.indexOf('\uFFFD')
  while (i !== -1) {
    count++
    i = s.indexOf('\uFFFD', i + 1)
  }
  return count
}

/**
 * Create a streaming decoder. A leading BOM is removed. Windows-1252 never fails; UTF-8 and
 * UTF-16 replace malformed input with U+FFFD and count it in `replacements`.
 */
export function createStreamDecoder(encoding: TextEncodingName): StreamDecoder {
  let replacements = 0
  if (encoding === 'windows-1252') {
    return {
      encoding,
      decode: decodeWindows1252,
      end: () => '',
      get replacements() {
        return 0
      },
    }
  }
  const decoder = new TextDecoder(encoding, { fatal: false, ignoreBOM: false })
  return {
    encoding,
    decode(chunk) {
      const s = decoder.decode(chunk, { stream: true })
      replacements += countReplacements(s)
      return s
    },
    end() {
      const s = decoder.decode()
      replacements += countReplacements(s)
      return s
    },
    get replacements() {
      return replacements
    },
  }
}
