import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  currencyMinorDigits,
  decimalSeparatorEvidence,
  parseAmount,
  parseBoolean,
  parseDecimal,
  parseInteger,
  toMinorUnits,
} from './numbers.ts'

const cents = (s: string, decimalSeparator: ',' | '.' = '.') => {
  const r = parseAmount(s, { decimalSeparator })
  return r.ok ? r.value : r.error
}

describe('amounts to minor units', () => {
  it.each([
    ['1.234,56', ',', 123456],
    ['1234,56', ',', 123456],
    ['1234.56', '.', 123456],
    ['1,234.56', '.', 123456],
    ['1,234.56', ',', 123456], // both separators: the last one is decimal, whatever the file says
    ['1.234.567,8', ',', 123456780],
    ['€ 12,50', ',', 1250],
    ['12,50 €', ',', 1250],
    ['12,50 EUR', ',', 1250],
    ['EUR 12.50', '.', 1250],
    ['US$ 1,000.00', '.', 100000],
    ['1 234,56', ',', 123456], // space as thousands separator
    ['1\u00a0234,56', ',', 123456], // no-break space (French/Italian Excel)
    ["1'234.50", '.', 123450], // Swiss
    ['-12,50', ',', -1250],
    ['−12,50', ',', -1250], // U+2212 minus
    ['(12,50)', ',', -1250],
    ['12,50-', ',', -1250],
    ['-€ 3,00', ',', -300],
    ['€ -3,00', ',', -300],
    ['+7', '.', 700],
    ['0,5', ',', 50],
    [',5', ',', 50],
    ['12.', '.', 1200],
    ['0.10', '.', 10],
    ['-0,00', ',', 0],
    ['1.234', ',', 123400], // thousands in a comma-decimal file
    ['1,234', '.', 123400], // thousands in a dot-decimal file
  ] as const)('%s (decimal %s) → %d', (text, sep, expected) => {
    expect(cents(text, sep)).toBe(expected)
  })

  it.each(['', 'abc', '1,2,3.4.5', '12..5', '1.23,4.5', '--5', '1e5', '12 abc 3', '€'])(
    'rejects %j',
    (text) => {
      expect(cents(text)).toBe('invalid_number')
    },
  )

  it('never goes through a float: 0.1 + 0.2 style values are exact', () => {
    expect(cents('0.29')).toBe(29)
    expect(cents('1.15')).toBe(115)
    expect(cents('4.35')).toBe(435)
    expect(cents('9007199254.74')).toBe(900719925474)
  })

  it('agrees with integer arithmetic on random amounts (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (c) => {
        const neg = c < 0
        const abs = Math.abs(c)
        const int = Math.floor(abs / 100)
        const frac = String(abs % 100).padStart(2, '0')
        const it = `${neg ? '-' : ''}${int.toLocaleString('de-DE')},${frac}` // 1.234,56
        const en = `${neg ? '-' : ''}${int.toLocaleString('en-US')}.${frac}` // 1,234.56
        expect(cents(it, ',')).toBe(c)
        expect(cents(en, '.')).toBe(c)
      }),
    )
  })

  it('refuses more decimals than the currency has, unless rounding is asked', () => {
    expect(cents('0,125', ',')).toBe('too_many_decimals')
    expect(cents('12,500', ',')).toBe(1250) // extra zeros are fine
    expect(parseAmount('0.125', { rounding: 'half-up' })).toEqual({ ok: true, value: 13 })
    expect(parseAmount('0.125', { rounding: 'half-even' })).toEqual({ ok: true, value: 12 })
    expect(parseAmount('0.135', { rounding: 'half-even' })).toEqual({ ok: true, value: 14 })
    expect(parseAmount('0.1251', { rounding: 'half-even' })).toEqual({ ok: true, value: 13 })
    expect(parseAmount('0.001', { rounding: 'half-even' })).toEqual({ ok: true, value: 0 })
    expect(parseAmount('-0.126', { rounding: 'half-up' })).toEqual({ ok: true, value: -13 })
  })

  it('uses the currency minor unit', () => {
    expect(currencyMinorDigits('EUR')).toBe(2)
    expect(currencyMinorDigits('JPY')).toBe(0)
    expect(currencyMinorDigits('KWD')).toBe(3)
    expect(parseAmount('1.500', { digits: 0, decimalSeparator: ',' })).toEqual({
      ok: true,
      value: 1500,
    })
    expect(parseAmount('1,234', { digits: 3 })).toEqual({ ok: true, value: 1234000 })
  })

  it('reads minor units as given when the unit is minor', () => {
    expect(parseAmount('1250', { unit: 'minor' })).toEqual({ ok: true, value: 1250 })
    expect(parseAmount('12.5', { unit: 'minor' })).toEqual({ ok: false, error: 'invalid_integer' })
  })

  it('caps at 10^15 minor units', () => {
    expect(cents('10000000000000.00')).toBe(1e15)
    expect(cents('10000000000000.01')).toBe('amount_out_of_range')
    expect(toMinorUnits({ negative: false, int: '9'.repeat(20), frac: '' }, 2)).toEqual({
      ok: false,
      error: 'amount_out_of_range',
    })
  })
})

describe('other numbers', () => {
  it('reads whole numbers', () => {
    expect(parseInteger('3')).toEqual({ ok: true, value: 3 })
    expect(parseInteger('-2')).toEqual({ ok: true, value: -2 })
    expect(parseInteger('1.000', ',')).toEqual({ ok: true, value: 1000 })
    expect(parseInteger('3,0', ',')).toEqual({ ok: true, value: 3 })
    expect(parseInteger('2.5')).toEqual({ ok: false, error: 'invalid_integer' })
    expect(parseInteger('x')).toEqual({ ok: false, error: 'invalid_number' })
  })

  it('keeps the digits of a decimal', () => {
    expect(parseDecimal('007,50', ',')).toEqual({
      ok: true,
      value: { negative: false, int: '7', frac: '50' },
    })
  })

  it('says which decimal separator a value proves', () => {
    expect(decimalSeparatorEvidence('12,50')).toBe(',')
    expect(decimalSeparatorEvidence('1.234,5')).toBe(',')
    expect(decimalSeparatorEvidence('1,234.5')).toBe('.')
    expect(decimalSeparatorEvidence('1.234.567')).toBe(',')
    expect(decimalSeparatorEvidence('1.234')).toBeNull()
    expect(decimalSeparatorEvidence('12')).toBeNull()
    expect(decimalSeparatorEvidence('€ 7,0')).toBe(',')
  })

  it('reads yes/no in Italian and English', () => {
    for (const t of ['sì', 'Si', 'yes', 'TRUE', '1', 'x', 'vero'])
      expect(parseBoolean(t)).toEqual({ ok: true, value: true })
    for (const t of ['no', 'No', 'false', '0', 'falso', 'n'])
      expect(parseBoolean(t)).toEqual({ ok: true, value: false })
    expect(parseBoolean('forse').ok).toBe(false)
  })
})
