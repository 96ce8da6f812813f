import type { EntityKind } from '@fedele/core'
import {
  isValidTimeZone,
  parseDateFormatOption,
  parseEncodingName,
  parseImportProfile,
  parseMapArguments,
  type ImportOptions,
} from '@fedele/core/import'
import { describeIssue } from './import.service.ts'

/**
 * The import options as the CLI (`--map`, `--date-format`, …) and the upload form (`map`,
 * `date_format`, …) give them, already split into values but not yet interpreted. One translator
 * turns both into core's `ImportOptions`, so that a flag means the same on either side.
 */
export type ImportOptionInput = {
  /** `field=column` or `field=#N` items (`--map`, repeatable; the form's lines). */
  map?: string[] | undefined
  preset?: string | undefined
  /** A profile already read as JSON (the CLI reads the file). */
  profile?: unknown
  /** `,` `;` `|`, a tab, or the word `tab`. */
  delimiter?: string | undefined
  encoding?: string | undefined
  /** `dd/mm/yyyy`, `mm/dd/yyyy`, `gg/mm/aaaa`, `yyyy-mm-dd`, … (`parseDateFormatOption`). */
  dateFormat?: string | undefined
  decimal?: string | undefined
  /** A physical line number, or `none`. */
  headerLine?: string | number | undefined
  timeZone?: string | undefined
  currency?: string | undefined
  mergeSameDay?: boolean | undefined
  /** `major` (12.34, the default for files) or `minor` (1234 cents, Stripe API/Sigma integers). */
  amountUnit?: string | undefined
}

/** One option that could not be read: which (the input's key) and why, in the chosen language. */
export type ImportOptionError = { option: keyof ImportOptionInput; message: string; value?: string }

export type ImportOptionsResult =
  | { ok: true; value: ImportOptions }
  | { ok: false; errors: ImportOptionError[] }

/**
 * Translate CLI/form options into `ImportOptions` for `entity`. Every option is checked and every
 * problem is returned (not only the first), each naming its option, so that nothing is written
 * with half of what the user asked.
 */
export function toImportOptions(
  entity: EntityKind,
  input: ImportOptionInput,
  locale: 'it' | 'en',
): ImportOptionsResult {
  const options: ImportOptions = { entity }
  const errors: ImportOptionError[] = []
  const fail = (option: keyof ImportOptionInput, it: string, en: string, value?: string) =>
    errors.push({ option, message: locale === 'it' ? it : en, ...(value !== undefined ? { value } : {}) })

  if (input.map?.length) {
    const m = parseMapArguments(input.map, entity)
    if (m.ok) options.map = m.value
    else
      for (const i of m.error)
        errors.push({ option: 'map', message: describeIssue(i, locale), ...(i.value !== null ? { value: i.value } : {}) })
  }
  if (input.profile !== undefined) {
    const p = parseImportProfile(input.profile)
    if (p.ok) options.profile = p.value
    else errors.push({ option: 'profile', message: describeIssue(p.error, locale) })
  }
  if (input.preset) options.preset = input.preset
  if (input.delimiter) {
    const d = input.delimiter.toLowerCase() === 'tab' || input.delimiter === '\\t' ? '\t' : input.delimiter
    if ([',', ';', '\t', '|'].includes(d) || (d.length === 1 && !/[\w"\s]/.test(d))) options.delimiter = d
    else fail('delimiter', 'separatore non valido: usare , ; tab oppure |', 'invalid separator: use , ; tab or |', input.delimiter)
  }
  if (input.encoding) {
    const e = parseEncodingName(input.encoding)
    if (e) options.encoding = e
    else
      fail(
        'encoding',
        `codifica sconosciuta "${input.encoding}": usare utf-8 o windows-1252`,
        `unknown encoding "${input.encoding}": use utf-8 or windows-1252`,
        input.encoding,
      )
  }
  if (input.dateFormat) {
    const d = parseDateFormatOption(input.dateFormat)
    if (d === null)
      fail(
        'dateFormat',
        `"${input.dateFormat}" non è un formato di data come gg/mm/aaaa o mm/gg/aaaa`,
        `"${input.dateFormat}" is not a date format such as dd/mm/yyyy or mm/dd/yyyy`,
        input.dateFormat,
      )
    else if (d !== 'auto') options.dateOrder = d
  }
  if (input.decimal) {
    if (input.decimal === ',' || input.decimal === '.') options.decimalSeparator = input.decimal
    else fail('decimal', 'separatore decimale: , oppure .', 'decimal separator: , or .', input.decimal)
  }
  if (input.headerLine !== undefined && input.headerLine !== '') {
    const h = String(input.headerLine).trim().toLowerCase()
    if (h === 'none') options.headerLine = 'none'
    else if (/^\d+$/.test(h) && Number(h) >= 1) options.headerLine = Number(h)
    else
      fail(
        'headerLine',
        'deve essere un numero di riga (da 1) oppure none',
        'must be a line number (from 1) or none',
        String(input.headerLine),
      )
  }
  if (input.timeZone) {
    if (isValidTimeZone(input.timeZone)) options.timeZone = input.timeZone
    else
      fail(
        'timeZone',
        `fuso orario sconosciuto "${input.timeZone}": usare un nome IANA come Europe/Rome`,
        `unknown time zone "${input.timeZone}": use an IANA name such as Europe/Rome`,
        input.timeZone,
      )
  }
  if (input.currency) {
    const c = input.currency.trim().toUpperCase()
    if (/^[A-Z]{3}$/.test(c)) options.currency = c
    else
      fail(
        'currency',
        'serve un codice ISO 4217 come EUR',
        'must be an ISO 4217 code such as EUR',
        input.currency,
      )
  }
  if (input.mergeSameDay) options.mergeSameDay = true
  if (input.amountUnit) {
    if (input.amountUnit === 'major' || input.amountUnit === 'minor') options.amountUnit = input.amountUnit
    else
      fail(
        'amountUnit',
        'unità degli importi: major (12,34) oppure minor (1234 centesimi)',
        'amount unit: major (12.34) or minor (1234 cents)',
        input.amountUnit,
      )
  }
  return errors.length ? { ok: false, errors } : { ok: true, value: options }
}
