/**
 * Tabular input for the churn trainer: rows of named cells, as they come from a CSV import or
 * from a per-customer feature query. Blank handling and number parsing live here so that the
 * encoder, the label reader and the reasons agree on what "missing" means.
 */

/** One cell: numbers, strings, booleans; `null`, `undefined`, `NaN` and blank strings are missing. */
export type CellValue = number | string | boolean | null | undefined

/** One row of named cells (e.g. one customer). */
export type DataRow = Readonly<Record<string, CellValue>>

const NUMERIC_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/

/**
 * True when the cell is missing: `null`, `undefined`, a non-finite number, or a string that is
 * empty after trimming (Telco's `TotalCharges` holds a single space for new customers).
 */
export const isBlank = (value: CellValue): boolean =>
  value === null ||
  value === undefined ||
  (typeof value === 'number' && !Number.isFinite(value)) ||
  (typeof value === 'string' && value.trim() === '')

/**
 * Reads a cell as a number: finite numbers as they are; strings that are plain decimal or
 * scientific literals with a dot as decimal separator (`"29.85"`, `"-1e3"`); anything else
 * (blank, booleans, `"1,5"`, `"12 €"`) gives `null`. Locale-aware parsing belongs to the importer.
 */
export const parseNumericCell = (value: CellValue): number | null => {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (typeof value !== 'string') return null
  const text = value.trim()
  if (!NUMERIC_TEXT.test(text)) return null
  const n = Number(text)
  return Number.isFinite(n) ? n : null
}

/**
 * Reads a cell as a category label: trimmed strings, `String(n)` for numbers, `"true"`/`"false"`
 * for booleans; blank cells give `null`.
 */
export const categoryOf = (value: CellValue): string | null => {
  if (isBlank(value)) return null
  if (typeof value === 'string') return value.trim()
  return String(value)
}

const POSITIVE = new Set(['1', 'true', 'yes', 'y', 'si', 'sì', 'churn', 'churned', 'lost'])
const NEGATIVE = new Set(['0', 'false', 'no', 'n', 'retained', 'active', 'stayed'])

/**
 * Reads a binary label. With `positive` given, the cell is positive when its category text
 * equals `String(positive)` (case-insensitive) and negative otherwise (blank stays `null`).
 * Without it the usual spellings are recognised, case-insensitive: positive
 * 1/true/yes/y/sì/si/churn/churned/lost, negative 0/false/no/n/retained/active/stayed; any
 * other value gives `null` so the caller can report it.
 */
export const parseBinaryLabel = (
  value: CellValue,
  positive?: string | number | boolean,
): 0 | 1 | null => {
  const text = categoryOf(value)
  if (text === null) return null
  const lower = text.toLowerCase()
  if (positive !== undefined) return lower === String(positive).trim().toLowerCase() ? 1 : 0
  if (POSITIVE.has(lower)) return 1
  if (NEGATIVE.has(lower)) return 0
  return null
}
