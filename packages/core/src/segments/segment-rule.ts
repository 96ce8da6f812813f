/**
 * Custom segment rules: a small boolean AST over customer attributes, metrics, model
 * predictions, tags and RFM segments, defined as a zod schema (so it can be validated at the
 * HTTP edge and published in OpenAPI) plus a semantic validator against a caller-supplied
 * catalog of fields.
 */
import { z } from 'zod'
import type { LocalizedText } from '../churn/text.ts'
import type { Result } from '../shared/result.ts'
import { RFM_SEGMENT_IDS } from './rfm-segments.ts'
import type { RfmSegmentId } from './rfm-segments.ts'

/** Comparison operators of field conditions. */
export const SEGMENT_COMPARISON_OPERATORS = [
  'eq',
  'neq',
  'lt',
  'lte',
  'gt',
  'gte',
  'between',
  'in',
  'not_in',
  'contains',
  'starts_with',
  'is_null',
  'is_not_null',
] as const
export type SegmentComparisonOperator = (typeof SEGMENT_COMPARISON_OPERATORS)[number]

/** Value types of catalog fields. Dates are ISO 8601 strings (`2025-03-01` or a timestamp). */
export type SegmentFieldType = 'number' | 'string' | 'boolean' | 'date'

/** Operators allowed for each field type. */
export const SEGMENT_OPERATORS_BY_TYPE: Readonly<
  Record<SegmentFieldType, readonly SegmentComparisonOperator[]>
> = {
  number: [
    'eq',
    'neq',
    'lt',
    'lte',
    'gt',
    'gte',
    'between',
    'in',
    'not_in',
    'is_null',
    'is_not_null',
  ],
  string: ['eq', 'neq', 'in', 'not_in', 'contains', 'starts_with', 'is_null', 'is_not_null'],
  boolean: ['eq', 'neq', 'is_null', 'is_not_null'],
  date: ['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'between', 'is_null', 'is_not_null'],
}

export type SegmentScalar = string | number | boolean

/** attribute / metric / prediction compared with a value. */
export interface SegmentFieldCondition {
  readonly kind: 'attribute' | 'metric' | 'prediction'
  /** Field id, looked up in the catalog of its kind (never used as SQL). */
  readonly field: string
  readonly op: SegmentComparisonOperator
  /**
   * Scalar for eq…gte, contains, starts_with; [low, high] for between; a non-empty list for
   * in / not_in; absent for is_null / is_not_null.
   */
  readonly value?: SegmentScalar | readonly SegmentScalar[] | undefined
}

/** The customer has (or has not) a tag. */
export interface SegmentTagCondition {
  readonly kind: 'tag'
  readonly op: 'has' | 'not_has'
  readonly tag: string
}

/** The customer's RFM segment is (or is not) one of these. */
export interface SegmentRfmCondition {
  readonly kind: 'rfm_segment'
  readonly op: 'in' | 'not_in'
  readonly segments: readonly RfmSegmentId[]
}

export interface SegmentAndCondition {
  readonly kind: 'and'
  readonly conditions: readonly SegmentCondition[]
}
export interface SegmentOrCondition {
  readonly kind: 'or'
  readonly conditions: readonly SegmentCondition[]
}
export interface SegmentNotCondition {
  readonly kind: 'not'
  readonly condition: SegmentCondition
}

/** A segment rule: any condition, usually an `and` / `or` group at the top. */
export type SegmentCondition =
  | SegmentFieldCondition
  | SegmentTagCondition
  | SegmentRfmCondition
  | SegmentAndCondition
  | SegmentOrCondition
  | SegmentNotCondition

/** Limits that keep rules cheap to validate, compile and run. */
export const SEGMENT_RULE_LIMITS = {
  maxDepth: 12,
  maxNodes: 200,
  maxListValues: 1000,
  maxStringLength: 500,
} as const

const scalarSchema = z.union([
  z.string().max(SEGMENT_RULE_LIMITS.maxStringLength),
  z.number(),
  z.boolean(),
])

const fieldConditionSchema = z
  .object({
    kind: z.enum(['attribute', 'metric', 'prediction']),
    field: z.string().min(1).max(200),
    op: z.enum(SEGMENT_COMPARISON_OPERATORS),
    value: z
      .union([scalarSchema, z.array(scalarSchema).max(SEGMENT_RULE_LIMITS.maxListValues)])
      .optional(),
  })
  .strict()

const tagConditionSchema = z
  .object({
    kind: z.literal('tag'),
    op: z.enum(['has', 'not_has']),
    tag: z.string().min(1).max(SEGMENT_RULE_LIMITS.maxStringLength),
  })
  .strict()

const rfmConditionSchema = z
  .object({
    kind: z.literal('rfm_segment'),
    op: z.enum(['in', 'not_in']),
    segments: z.array(z.enum(RFM_SEGMENT_IDS as [RfmSegmentId, ...RfmSegmentId[]])).min(1),
  })
  .strict()

/**
 * Zod schema of {@link SegmentCondition} (structure only: operators, kinds and value shapes
 * are checked, field ids are not — see {@link validateSegmentRule}). Unknown keys are rejected.
 */
export const segmentConditionSchema: z.ZodType<SegmentCondition> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    fieldConditionSchema,
    tagConditionSchema,
    rfmConditionSchema,
    z.object({ kind: z.literal('and'), conditions: z.array(segmentConditionSchema) }).strict(),
    z.object({ kind: z.literal('or'), conditions: z.array(segmentConditionSchema) }).strict(),
    z.object({ kind: z.literal('not'), condition: segmentConditionSchema }).strict(),
  ]),
)

/** One field of the catalog: its SQL expression (trusted, from the caller) and its type. */
export interface SegmentField {
  /** SQL expression, e.g. `c.country` or `m.orders_count`; written by the server, never by users. */
  readonly sql: string
  readonly type: SegmentFieldType
  readonly label?: LocalizedText
}

/**
 * The whitelist of what rules may refer to. Field ids map to SQL expressions chosen by the
 * caller; user input only selects among them and never becomes SQL text.
 */
export interface SegmentFieldCatalog {
  readonly attribute?: Readonly<Record<string, SegmentField>>
  readonly metric?: Readonly<Record<string, SegmentField>>
  readonly prediction?: Readonly<Record<string, SegmentField>>
  /**
   * Boolean SQL for "the customer has the tag whose name is bound to `placeholder`", e.g.
   * `(p) => \`EXISTS (SELECT 1 FROM customer_tags t WHERE t.customer_id = c.id AND t.tag = ${p})\``.
   * Without it, tag conditions are rejected.
   */
  readonly tag?: (placeholder: string) => string
  /** SQL expression of the customer's RFM segment id. Without it, RFM conditions are rejected. */
  readonly rfmSegment?: string
}

/** Codes of rule problems. */
export type SegmentRuleIssueCode =
  | 'invalid_structure'
  | 'unknown_condition'
  | 'unknown_operator'
  | 'unknown_field'
  | 'operator_not_allowed'
  | 'invalid_value'
  | 'unsupported_condition'
  | 'too_complex'

/** One problem in a rule, with where it is (path into the JSON) and a message in it/en. */
export interface SegmentRuleIssue {
  readonly code: SegmentRuleIssueCode
  readonly path: readonly (string | number)[]
  readonly message: LocalizedText
}

const pathText = (path: readonly (string | number)[]): string =>
  path.length === 0
    ? 'rule'
    : path
        .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
        .join('')
        .slice(1)

const issue = (
  code: SegmentRuleIssueCode,
  path: readonly (string | number)[],
  it: string,
  en: string,
): SegmentRuleIssue => ({
  code,
  path,
  message: { it: `${pathText(path)}: ${it}`, en: `${pathText(path)}: ${en}` },
})

/** Own-property lookup, so ids like `__proto__` or `constructor` never resolve. */
export const lookupSegmentField = (
  catalog: SegmentFieldCatalog,
  kind: SegmentFieldCondition['kind'],
  field: string,
): SegmentField | undefined => {
  const table = catalog[kind]
  return table !== undefined && Object.hasOwn(table, field) ? table[field] : undefined
}

const UNKNOWN_KIND: Record<SegmentFieldCondition['kind'], LocalizedText> = {
  attribute: { it: 'attributo sconosciuto', en: 'unknown attribute' },
  metric: { it: 'metrica sconosciuta', en: 'unknown metric' },
  prediction: { it: 'previsione sconosciuta', en: 'unknown prediction' },
}

const TYPE_NAMES: Record<SegmentFieldType, LocalizedText> = {
  number: { it: 'numero', en: 'number' },
  string: { it: 'testo', en: 'text' },
  boolean: { it: 'sì/no', en: 'yes/no' },
  date: { it: 'data', en: 'date' },
}

const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/

/** True for an ISO 8601 date or date-time with a real calendar day (2024-02-30 is rejected). */
export const isIsoDateText = (text: string): boolean => {
  const m = ISO_DATE.exec(text)
  if (m === null) return false
  const year = Number(m[1])
  const month = Number(m[2])
  const day = Number(m[3])
  if (month < 1 || month > 12 || day < 1) return false
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] as number
  if (day > days) return false
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59))
    return false
  return true
}

const scalarFits = (type: SegmentFieldType, v: SegmentScalar): boolean => {
  switch (type) {
    case 'number':
      return typeof v === 'number' && Number.isFinite(v)
    case 'string':
      return typeof v === 'string'
    case 'boolean':
      return typeof v === 'boolean'
    case 'date':
      return typeof v === 'string' && isIsoDateText(v)
  }
}

const checkField = (
  c: SegmentFieldCondition,
  path: readonly (string | number)[],
  catalog: SegmentFieldCatalog,
  issues: SegmentRuleIssue[],
): void => {
  const field = lookupSegmentField(catalog, c.kind, c.field)
  if (field === undefined) {
    issues.push(
      issue(
        'unknown_field',
        [...path, 'field'],
        `${UNKNOWN_KIND[c.kind].it} "${c.field}"`,
        `${UNKNOWN_KIND[c.kind].en} "${c.field}"`,
      ),
    )
    return
  }
  const label = field.label ?? { it: c.field, en: c.field }
  if (!SEGMENT_OPERATORS_BY_TYPE[field.type].includes(c.op)) {
    issues.push(
      issue(
        'operator_not_allowed',
        [...path, 'op'],
        `l'operatore "${c.op}" non si applica a "${label.it}" (${TYPE_NAMES[field.type].it})`,
        `operator "${c.op}" does not apply to "${label.en}" (${TYPE_NAMES[field.type].en})`,
      ),
    )
    return
  }
  const type = TYPE_NAMES[field.type]
  const bad = (it: string, en: string) =>
    issues.push(issue('invalid_value', [...path, 'value'], it, en))
  const v = c.value
  switch (c.op) {
    case 'is_null':
    case 'is_not_null':
      if (v !== undefined) bad(`"${c.op}" non vuole un valore`, `"${c.op}" takes no value`)
      return
    case 'between':
      if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => scalarFits(field.type, x)))
        bad(
          `serve una coppia [minimo, massimo] di tipo ${type.it}`,
          `expected a [low, high] pair of ${type.en}`,
        )
      return
    case 'in':
    case 'not_in':
      if (!Array.isArray(v) || v.length === 0 || !v.every((x) => scalarFits(field.type, x)))
        bad(
          `serve un elenco non vuoto di valori di tipo ${type.it}`,
          `expected a non-empty list of ${type.en} values`,
        )
      return
    case 'contains':
    case 'starts_with':
      if (typeof v !== 'string' || v === '')
        bad('serve un testo non vuoto', 'expected non-empty text')
      return
    default:
      if (Array.isArray(v) || v === undefined || !scalarFits(field.type, v as SegmentScalar))
        bad(`serve un valore di tipo ${type.it}`, `expected a ${type.en} value`)
  }
}

const walk = (
  c: SegmentCondition,
  path: readonly (string | number)[],
  depth: number,
  catalog: SegmentFieldCatalog,
  issues: SegmentRuleIssue[],
  counter: { nodes: number },
): void => {
  counter.nodes++
  if (depth > SEGMENT_RULE_LIMITS.maxDepth) {
    issues.push(
      issue(
        'too_complex',
        path,
        `regola troppo annidata (massimo ${SEGMENT_RULE_LIMITS.maxDepth} livelli)`,
        `rule nested too deeply (at most ${SEGMENT_RULE_LIMITS.maxDepth} levels)`,
      ),
    )
    return
  }
  switch (c.kind) {
    case 'and':
    case 'or':
      c.conditions.forEach((child, i) =>
        walk(child, [...path, 'conditions', i], depth + 1, catalog, issues, counter),
      )
      return
    case 'not':
      walk(c.condition, [...path, 'condition'], depth + 1, catalog, issues, counter)
      return
    case 'tag':
      if (catalog.tag === undefined)
        issues.push(
          issue(
            'unsupported_condition',
            path,
            'le etichette non sono disponibili qui',
            'tags are not available here',
          ),
        )
      return
    case 'rfm_segment':
      if (catalog.rfmSegment === undefined)
        issues.push(
          issue(
            'unsupported_condition',
            path,
            'i segmenti RFM non sono disponibili qui',
            'RFM segments are not available here',
          ),
        )
      return
    default:
      checkField(c, path, catalog, issues)
  }
}

/**
 * Semantic checks of a structurally valid rule against the catalog: every field id exists in
 * the catalog of its kind (own properties only), the operator suits the field type
 * ({@link SEGMENT_OPERATORS_BY_TYPE}), the value has the right shape and type (finite
 * numbers, real ISO dates), tag and RFM conditions are supported by the catalog, and the rule
 * stays within {@link SEGMENT_RULE_LIMITS}. Returns all issues found (empty = valid).
 */
export const checkSegmentRule = (
  rule: SegmentCondition,
  catalog: SegmentFieldCatalog,
): SegmentRuleIssue[] => {
  const issues: SegmentRuleIssue[] = []
  const counter = { nodes: 0 }
  walk(rule, [], 0, catalog, issues, counter)
  if (counter.nodes > SEGMENT_RULE_LIMITS.maxNodes)
    issues.push(
      issue(
        'too_complex',
        [],
        `troppe condizioni (${counter.nodes}, massimo ${SEGMENT_RULE_LIMITS.maxNodes})`,
        `too many conditions (${counter.nodes}, at most ${SEGMENT_RULE_LIMITS.maxNodes})`,
      ),
    )
  return issues
}

const zodIssueToSegmentIssue = (zi: z.core.$ZodIssue): SegmentRuleIssue => {
  const path = zi.path.filter((p): p is string | number => typeof p !== 'symbol')
  const last = path[path.length - 1]
  if (last === 'op' && zi.code === 'invalid_value')
    return issue(
      'unknown_operator',
      path,
      `operatore sconosciuto; ammessi: ${zi.values.join(', ')}`,
      `unknown operator; allowed: ${zi.values.join(', ')}`,
    )
  if (last === 'kind' && zi.code === 'invalid_union')
    return issue(
      'unknown_condition',
      path,
      'tipo di condizione sconosciuto (attribute, metric, prediction, tag, rfm_segment, and, or, not)',
      'unknown condition kind (attribute, metric, prediction, tag, rfm_segment, and, or, not)',
    )
  return issue(
    'invalid_structure',
    path,
    `struttura non valida (${zi.message})`,
    `invalid structure (${zi.message})`,
  )
}

/**
 * Validates untrusted input (e.g. a JSON body) as a segment rule: structure with
 * {@link segmentConditionSchema}, then meaning with {@link checkSegmentRule}. Expected
 * failures — unknown operators, kinds or fields, wrong values — come back as
 * `{ ok: false, error: issues }`, each issue with a path and an Italian and English message.
 * Nesting deeper than the limit is rejected before parsing.
 */
export const validateSegmentRule = (
  input: unknown,
  catalog: SegmentFieldCatalog,
): Result<SegmentCondition, SegmentRuleIssue[]> => {
  if (jsonDepth(input, 0) > 2 * SEGMENT_RULE_LIMITS.maxDepth + 4)
    return {
      ok: false,
      error: [
        issue(
          'too_complex',
          [],
          `regola troppo annidata (massimo ${SEGMENT_RULE_LIMITS.maxDepth} livelli)`,
          `rule nested too deeply (at most ${SEGMENT_RULE_LIMITS.maxDepth} levels)`,
        ),
      ],
    }
  const parsed = segmentConditionSchema.safeParse(input)
  if (!parsed.success) return { ok: false, error: parsed.error.issues.map(zodIssueToSegmentIssue) }
  const issues = checkSegmentRule(parsed.data, catalog)
  return issues.length === 0 ? { ok: true, value: parsed.data } : { ok: false, error: issues }
}

/** Nesting depth of a JSON-like value (capped at 101, so hostile input cannot recurse deeply). */
const jsonDepth = (value: unknown, depth: number): number => {
  if (depth > 100 || value === null || typeof value !== 'object') return depth
  let max = depth
  for (const child of Object.values(value)) max = Math.max(max, jsonDepth(child, depth + 1))
  return max
}
