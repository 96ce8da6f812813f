/**
 * Compiles a validated segment rule into a parameterised SQL boolean expression for the
 * customer query (PostgreSQL / PGlite / DuckDB syntax).
 */
import type { Result } from '../shared/result.ts'
import { checkSegmentRule, lookupSegmentField } from './segment-rule.ts'
import type {
  SegmentCondition,
  SegmentFieldCatalog,
  SegmentFieldCondition,
  SegmentRuleIssue,
  SegmentScalar,
} from './segment-rule.ts'

/** A SQL boolean expression and its positional parameters ($1, $2, …). */
export interface CompiledSegmentSql {
  readonly sql: string
  readonly params: readonly unknown[]
}

/** Options for {@link compileSegmentRule}. */
export interface CompileSegmentOptions {
  /**
   * Number of parameters already used by the surrounding query: the first placeholder is
   * `$(paramOffset + 1)`. Default 0.
   */
  readonly paramOffset?: number
}

/**
 * Escapes `\`, `%` and `_` so that a user string matches literally inside LIKE / ILIKE with
 * `ESCAPE '\'` (PostgreSQL §9.7.1; DuckDB supports the same clause).
 */
export const escapeLikePattern = (text: string): string =>
  text.replace(/[\\%_]/g, (ch) => `\\${ch}`)

/**
 * Compiles a rule to `{ sql, params }`. The rule is first checked with
 * {@link checkSegmentRule}; any issue is returned as `{ ok: false }`. SQL text comes only
 * from the catalog (field id → SQL expression chosen by the caller) and fixed keywords; every
 * user value is a `$n` parameter. Semantics — two-valued, a customer with a NULL field does
 * not match a condition on it, and `not` is its exact complement:
 *
 * | condition | SQL |
 * |---|---|
 * | eq, lt, lte, gt, gte | `(e = $1)`, `(e < $1)`, … |
 * | neq | `(e IS DISTINCT FROM $1)` (NULL counts as different) |
 * | between [a, b] | `(e BETWEEN $1 AND $2)` (inclusive) |
 * | in / not_in | `(e IN ($1, $2))` / `(NOT COALESCE(e IN ($1, $2), FALSE))` |
 * | contains / starts_with | `(e ILIKE $1 ESCAPE '\')` with `%text%` / `text%`, text escaped, case-insensitive |
 * | is_null / is_not_null | `(e IS NULL)` / `(e IS NOT NULL)` |
 * | tag has / not_has | catalog.tag($1) / `(NOT COALESCE(catalog.tag($1), FALSE))` |
 * | rfm_segment in / not_in | as in / not_in on catalog.rfmSegment |
 * | and / or | `(a AND b)` / `(a OR b)`; empty and = `TRUE`, empty or = `FALSE` |
 * | not | `(NOT COALESCE(a, FALSE))` |
 *
 * Because AND/OR are monotone, letting a NULL leaf propagate gives the same final WHERE
 * outcome as treating it as false; only negation needs the COALESCE.
 */
export const compileSegmentRule = (
  rule: SegmentCondition,
  catalog: SegmentFieldCatalog,
  options: CompileSegmentOptions = {},
): Result<CompiledSegmentSql, SegmentRuleIssue[]> => {
  const issues = checkSegmentRule(rule, catalog)
  if (issues.length > 0) return { ok: false, error: issues }
  const offset = options.paramOffset ?? 0
  if (!Number.isInteger(offset) || offset < 0)
    throw new RangeError(`paramOffset must be a non-negative integer, got ${offset}`)
  const params: unknown[] = []
  const bind = (value: unknown): string => {
    params.push(value)
    return `$${offset + params.length}`
  }
  const negate = (sql: string): string => `(NOT COALESCE(${sql}, FALSE))`
  const inList = (expr: string, values: readonly unknown[]): string =>
    `${expr} IN (${values.map(bind).join(', ')})`

  const field = (c: SegmentFieldCondition): string => {
    const expr = lookupSegmentField(catalog, c.kind, c.field)?.sql
    if (expr === undefined) throw new Error(`unreachable: field ${c.field} was checked`)
    const v = c.value
    switch (c.op) {
      case 'eq':
        return `(${expr} = ${bind(v)})`
      case 'neq':
        return `(${expr} IS DISTINCT FROM ${bind(v)})`
      case 'lt':
        return `(${expr} < ${bind(v)})`
      case 'lte':
        return `(${expr} <= ${bind(v)})`
      case 'gt':
        return `(${expr} > ${bind(v)})`
      case 'gte':
        return `(${expr} >= ${bind(v)})`
      case 'between': {
        const [low, high] = v as readonly SegmentScalar[]
        return `(${expr} BETWEEN ${bind(low)} AND ${bind(high)})`
      }
      case 'in':
        return `(${inList(expr, v as readonly SegmentScalar[])})`
      case 'not_in':
        return negate(inList(expr, v as readonly SegmentScalar[]))
      case 'contains':
        return `(${expr} ILIKE ${bind(`%${escapeLikePattern(v as string)}%`)} ESCAPE '\\')`
      case 'starts_with':
        return `(${expr} ILIKE ${bind(`${escapeLikePattern(v as string)}%`)} ESCAPE '\\')`
      case 'is_null':
        return `(${expr} IS NULL)`
      case 'is_not_null':
        return `(${expr} IS NOT NULL)`
    }
  }

  const compile = (c: SegmentCondition): string => {
    switch (c.kind) {
      case 'and':
        return c.conditions.length === 0 ? 'TRUE' : `(${c.conditions.map(compile).join(' AND ')})`
      case 'or':
        return c.conditions.length === 0 ? 'FALSE' : `(${c.conditions.map(compile).join(' OR ')})`
      case 'not':
        return negate(compile(c.condition))
      case 'tag': {
        const sql = `(${(catalog.tag as (p: string) => string)(bind(c.tag))})`
        return c.op === 'has' ? sql : negate(sql)
      }
      case 'rfm_segment': {
        const expr = catalog.rfmSegment as string
        return c.op === 'in' ? `(${inList(expr, c.segments)})` : negate(inList(expr, c.segments))
      }
      default:
        return field(c)
    }
  }
  return { ok: true, value: { sql: compile(rule), params } }
}
