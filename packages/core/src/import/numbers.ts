import { err, ok, type Result } from '../shared/result.ts'

/**
 * Numbers and money as people type them in spreadsheets: `1.234,56` (Italian), `1,234.56`,
 * `1234.56`, `€ 12,50`, `12,50 EUR`, `-5`, `(5,00)`, `5,00-`. Amounts become integer minor units
 * exactly: the digits are handled as strings, never through a float.
 */

/** The character that separates the integer part from the fraction. */
export type DecimalSeparator = ',' | '.'

/** How to treat more fractional digits than the currency has (e.g. `0,125` EUR). */
export type RoundingMode = 'reject' | 'half-up' | 'half-even'

/** A decimal number as digit strings: `-1.234,50` → `{ negative: true, int: '1234', frac: '50' }`. */
export interface ParsedDecimal {
  negative: boolean
  /** Integer digits without leading zeros ('' for zero). */
  int: string
  /** Fraction digits as written, trailing zeros kept. */
  frac: string
}

/** Why a number could not be read. */
export type NumberErrorCode =
  'invalid_number' | 'invalid_integer' | 'too_many_decimals' | 'amount_out_of_range'

// Spaces used as thousands separators or padding: normal, no-break, narrow no-break, thin; and
// the Swiss apostrophe.
const SPACES = /[\s\u00a0\u202f\u2009'’]/g
const CURRENCY_SYMBOLS = /[€$£¥₹₽₩¢₺₪]/g
const CODE_PREFIX = /^[A-Za-z]{1,3}\.?(?=[-+−(]?\d|[-+−(]?[.,]\d)/ // EUR12, US12, Fr.12
const CODE_SUFFIX = /(?<=[\d)\-−])[A-Za-z]{1,3}\.?$/

/**
 * Read a decimal number. The separator given is the file's decimal separator; it only matters when
 * the text alone cannot tell (one separator followed by exactly three digits: `1.234`). Rules:
 * both `.` and `,` present → the last one is the decimal separator; one kind repeated → thousands
 * separators (groups of three); one occurrence → decimal, unless it is not the file's decimal
 * separator and is followed by exactly three digits (then thousands).
 */
export function parseDecimal(
  raw: string,
  decimalSeparator: DecimalSeparator = '.',
): Result<ParsedDecimal, 'invalid_number'> {
  const fast = parsePlainDecimal(raw, decimalSeparator)
  if (fast !== null) return ok(fast)
  let s = raw.replace(SPACES, '').replace(CURRENCY_SYMBOLS, '')
  s = s.replace(CODE_PREFIX, '').replace(CODE_SUFFIX, '')
  if (s === '') return err('invalid_number')
  let negative = false
  if (s.charCodeAt(0) === 40 /* ( */ && s.charCodeAt(s.length - 1) === 41 /* ) */) {
    negative = true
    s = s.slice(1, -1)
  }
  const first = s[0]
  if (first === '-' || first === '−' || first === '+') {
    if (first !== '+') negative = !negative
    s = s.slice(1)
  } else if (s.endsWith('-')) {
    negative = !negative
    s = s.slice(0, -1)
  }
  // A currency symbol between the sign and the digits (`-€12`) was already removed above.
  if (!/^[0-9.,]+$/.test(s) || !/[0-9]/.test(s)) return err('invalid_number')

  const lastDot = s.lastIndexOf('.')
  const lastComma = s.lastIndexOf(',')
  let decimalAt = -1
  let thousands: string | null = null
  if (lastDot !== -1 && lastComma !== -1) {
    decimalAt = Math.max(lastDot, lastComma)
    thousands = decimalAt === lastDot ? ',' : '.'
  } else if (lastDot !== -1 || lastComma !== -1) {
    const sep = lastDot !== -1 ? '.' : ','
    const at = Math.max(lastDot, lastComma)
    const repeated = s.indexOf(sep) !== at
    if (repeated) thousands = sep
    else if (sep !== decimalSeparator && s.length - at - 1 === 3 && at >= 1 && at <= 3)
      thousands = sep
    else decimalAt = at
  }
  const intPart = decimalAt === -1 ? s : s.slice(0, decimalAt)
  const frac = decimalAt === -1 ? '' : s.slice(decimalAt + 1)
  if (frac.includes('.') || frac.includes(',')) return err('invalid_number')
  let digits = intPart
  if (thousands !== null) {
    const groups = intPart.split(thousands)
    const [head, ...rest] = groups
    if (head === undefined || head.length < 1 || head.length > 3) return err('invalid_number')
    if (rest.some((g) => g.length !== 3)) return err('invalid_number')
    digits = groups.join('')
  }
  if (!/^[0-9]*$/.test(digits)) return err('invalid_number')
  if (digits === '' && frac === '') return err('invalid_number')
  const int = digits.replace(/^0+/, '')
  if (int === '' && /^0*$/.test(frac)) negative = false // -0 is 0
  return ok({ negative, int, frac })
}

/**
 * Fast path for the common case: optional `-`, digits, at most one separator that is the file's
 * decimal separator or is not followed by exactly three digits. Null when the general parser is
 * needed.
 */
function parsePlainDecimal(s: string, decimalSeparator: DecimalSeparator): ParsedDecimal | null {
  const n = s.length
  let i = 0
  let negative = false
  if (n > 0 && s.charCodeAt(0) === 45) {
    negative = true
    i = 1
  }
  const start = i
  let sep = -1
  for (; i < n; i++) {
    const c = s.charCodeAt(i)
    if (c >= 48 && c <= 57) continue
    if ((c === 46 || c === 44) && sep === -1) {
      sep = i
      continue
    }
    return null
  }
  if (sep === -1) {
    if (n === start) return null
    const int = stripZeros(s.slice(start))
    return { negative: negative && int !== '', int, frac: '' }
  }
  const after = n - sep - 1
  const before = sep - start
  if (after === 0 && before === 0) return null
  if (s[sep] !== decimalSeparator && after === 3 && before >= 1 && before <= 3) return null
  const int = stripZeros(s.slice(start, sep))
  const frac = s.slice(sep + 1)
  return { negative: negative && (int !== '' || !/^0*$/.test(frac)), int, frac }
}

function stripZeros(d: string): string {
  let k = 0
  while (k < d.length && d.charCodeAt(k) === 48) k++
  return k === 0 ? d : d.slice(k)
}

/** Which decimal separator a single value proves, or null when it cannot tell (`1.234`, `12`). */
export function decimalSeparatorEvidence(raw: string): DecimalSeparator | null {
  const s = raw.replace(SPACES, '').replace(CURRENCY_SYMBOLS, '')
  const lastDot = s.lastIndexOf('.')
  const lastComma = s.lastIndexOf(',')
  if (lastDot !== -1 && lastComma !== -1) return lastDot > lastComma ? '.' : ','
  if (lastDot === -1 && lastComma === -1) return null
  const sep = lastDot !== -1 ? '.' : ','
  const at = Math.max(lastDot, lastComma)
  if (s.indexOf(sep) !== at) return sep === '.' ? ',' : '.' // repeated: thousands
  let after = 0
  for (let i = at + 1; i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57; i++) after++
  let before = 0
  for (let i = at - 1; i >= 0 && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57; i--) before++
  if (after === 3 && before >= 1 && before <= 3) return null // 1.234: either
  return after > 0 ? sep : null
}

/** ISO 4217 minor-unit digits that are not 2. */
const MINOR_DIGITS: Record<string, number> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
}

/** Digits of the minor unit of a currency (ISO 4217): 2 for EUR, 0 for JPY, 3 for KWD. */
export function currencyMinorDigits(currency: string): number {
  return MINOR_DIGITS[currency.toUpperCase()] ?? 2
}

const MAX_MINOR = 1e15

/**
 * Convert a parsed decimal to integer minor units with `digits` fraction digits. Extra fraction
 * digits that are zeros are fine; others are rejected (`too_many_decimals`) unless a rounding mode
 * is given. The result is within ±10^15 (the records' limit) or `amount_out_of_range`.
 */
export function toMinorUnits(
  d: ParsedDecimal,
  digits: number,
  rounding: RoundingMode = 'reject',
): Result<number, 'too_many_decimals' | 'amount_out_of_range'> {
  let frac = d.frac
  let roundUp = false
  if (frac.length > digits) {
    const extra = frac.slice(digits)
    frac = frac.slice(0, digits)
    if (!/^0*$/.test(extra)) {
      if (rounding === 'reject') return err('too_many_decimals')
      const first = extra.charCodeAt(0) - 48
      const rest = extra.slice(1)
      if (first > 5 || (first === 5 && rounding === 'half-up')) roundUp = true
      else if (first === 5 && !/^0*$/.test(rest)) roundUp = true
      else if (first === 5) {
        // half-even: round to the even neighbour
        const lastKept = (d.int + frac).slice(-1)
        roundUp = lastKept !== '' && (lastKept.charCodeAt(0) - 48) % 2 === 1
      }
    }
  }
  const all = (d.int + frac.padEnd(digits, '0')).replace(/^0+/, '')
  if (all.length > 16) return err('amount_out_of_range')
  let value = all === '' ? 0 : Number(all)
  if (roundUp) value += 1
  if (value > MAX_MINOR) return err('amount_out_of_range')
  return ok(d.negative && value !== 0 ? -value : value)
}

/** Options of `parseAmount`. */
export interface AmountOptions {
  decimalSeparator?: DecimalSeparator
  /** Fraction digits of the currency (see `currencyMinorDigits`); 2 by default. */
  digits?: number
  rounding?: RoundingMode
  /** `major`: the text is `12,50` (default); `minor`: the text is already `1250` cents. */
  unit?: 'major' | 'minor'
}

/** Parse money text to signed integer minor units: `'€ 1.234,56'` → `123456`. */
export function parseAmount(
  raw: string,
  options: AmountOptions = {},
): Result<number, NumberErrorCode> {
  const d = parseDecimal(raw, options.decimalSeparator ?? '.')
  if (!d.ok) return d
  if (options.unit === 'minor') {
    if (!/^0*$/.test(d.value.frac)) return err('invalid_integer')
    return toMinorUnits(d.value, 0, 'reject')
  }
  return toMinorUnits(d.value, options.digits ?? 2, options.rounding ?? 'reject')
}

/** Parse a whole number (`3`, `1.000` with decimal comma, `-2`, `3,0`). */
export function parseInteger(
  raw: string,
  decimalSeparator: DecimalSeparator = '.',
): Result<number, 'invalid_number' | 'invalid_integer'> {
  const d = parseDecimal(raw, decimalSeparator)
  if (!d.ok) return d
  if (!/^0*$/.test(d.value.frac)) return err('invalid_integer')
  if (d.value.int.length > 15) return err('invalid_integer')
  const n = d.value.int === '' ? 0 : Number(d.value.int)
  return ok(d.value.negative && n !== 0 ? -n : n)
}

/** A number that may have a fraction (Excel serial dates, scores): returned as a float. */
export function parseFloatValue(
  raw: string,
  decimalSeparator: DecimalSeparator = '.',
): Result<number, 'invalid_number'> {
  const d = parseDecimal(raw, decimalSeparator)
  if (!d.ok) return d
  const n = Number(`${d.value.int || '0'}.${d.value.frac || '0'}`)
  return ok(d.value.negative ? -n : n)
}

const TRUE_WORDS = new Set([
  '1',
  'true',
  'yes',
  'y',
  'si',
  'sì',
  'vero',
  'x',
  'on',
  'ok',
  'granted',
  'accepted',
  'subscribed',
  'opt-in',
  'optin',
])
const FALSE_WORDS = new Set([
  '0',
  'false',
  'no',
  'n',
  'falso',
  'off',
  'denied',
  'declined',
  'unsubscribed',
  'not_subscribed',
  'opt-out',
  'optout',
])

/** Parse yes/no in English and Italian (`sì`, `no`, `vero`, `true`, `1`, `yes`…). */
export function parseBoolean(raw: string): Result<boolean, 'invalid_boolean'> {
  const s = raw.trim().toLowerCase()
  if (TRUE_WORDS.has(s)) return ok(true)
  if (FALSE_WORDS.has(s)) return ok(false)
  return err('invalid_boolean')
}
