import {
  DuckDBTypeId,
  JSDuckDBValueConverter,
  listValue,
  timestampTZValue,
  type DuckDBDateValue,
  type DuckDBDecimalValue,
  type DuckDBResultReader,
  type DuckDBValue,
  type DuckDBValueConverter,
  type JS,
} from '@duckdb/node-api'

/**
 * DuckDB values to plain JS for analytics callers, close to what Kysely gives for the record:
 * - BIGINT/HUGEINT (and the unsigned ones): a number when it is a safe integer, else a bigint
 *   (never a silently rounded number; sums of money stay exact or fail loudly in arithmetic);
 * - DECIMAL: a number (money is BIGINT here; decimals only come from explicit casts or avg);
 * - TIMESTAMP/TIMESTAMPTZ: a Date (millisecond precision: the microseconds are dropped);
 * - DATE: a 'YYYY-MM-DD' string, as the record returns `date` columns;
 * - JSON: parsed; LIST/STRUCT: arrays/objects of converted values; the rest as the library's
 *   JS converter does (VARCHAR string, DOUBLE number, BOOLEAN boolean).
 */
export const toJs: DuckDBValueConverter<unknown> = (value, type, converter) => {
  if (value === null) return null
  switch (type.typeId) {
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.BIGNUM: {
      const n = value as bigint
      return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(n)
        : n
    }
    case DuckDBTypeId.DECIMAL:
      return (value as DuckDBDecimalValue).toDouble()
    case DuckDBTypeId.DATE:
      return (value as DuckDBDateValue).toString()
    case DuckDBTypeId.VARCHAR:
      return type.alias === 'JSON' ? JSON.parse(value as string) : value
    default:
      // Nested values (LIST, STRUCT, MAP) recurse through `converter`, i.e. back into toJs.
      return JSDuckDBValueConverter(value, type, converter as DuckDBValueConverter<JS>)
  }
}

/**
 * A result as row objects. Converted with the result's column types rather than the vectors':
 * only the former carry the JSON alias.
 */
export function rowObjects(reader: DuckDBResultReader): Record<string, unknown>[] {
  const names = reader.deduplicatedColumnNames()
  const types = reader.columnTypes()
  return reader.getRows().map((row) => {
    const object: Record<string, unknown> = {}
    row.forEach((value, i) => {
      const type = types[i]
      const name = names[i]
      if (type && name !== undefined) object[name] = toJs(value, type, toJs)
    })
    return object
  })
}

/** A caller's parameter as a DuckDB value; Dates become TIMESTAMPTZ. */
export function toDuckDB(value: unknown, where: string): DuckDBValue {
  if (value === null || value === undefined) return null
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'number':
    case 'bigint':
      return value
    case 'object':
      if (value instanceof Date) return timestampTZValue(BigInt(value.getTime()) * 1000n)
      if (Array.isArray(value)) return listValue(value.map((v, i) => toDuckDB(v, `${where}[${i}]`)))
  }
  throw new TypeError(`query parameter ${where}: unsupported ${typeof value} value`)
}
