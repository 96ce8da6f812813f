import { describe, expect, it } from 'vitest'
import { compileSegmentRule, escapeLikePattern } from './segment-sql.ts'
import { isIsoDateText, validateSegmentRule } from './segment-rule.ts'
import type { SegmentCondition, SegmentFieldCatalog } from './segment-rule.ts'

const catalog: SegmentFieldCatalog = {
  attribute: {
    country: { sql: 'c.country', type: 'string', label: { it: 'Paese', en: 'Country' } },
    email: { sql: 'c.email', type: 'string' },
    marketing_consent: { sql: 'c.marketing_consent', type: 'boolean' },
    signup_date: { sql: 'c.created_at', type: 'date' },
  },
  metric: {
    orders: { sql: 'm.orders_count', type: 'number' },
    recency_days: { sql: 'm.recency_days', type: 'number' },
  },
  prediction: { churn_risk: { sql: 'p.churn_probability', type: 'number' } },
  tag: (p) => `EXISTS (SELECT 1 FROM customer_tags t WHERE t.customer_id = c.id AND t.tag = ${p})`,
  rfmSegment: 'r.segment',
}

const validRule = {
  kind: 'and',
  conditions: [
    { kind: 'attribute', field: 'country', op: 'in', value: ['IT', 'SM'] },
    { kind: 'prediction', field: 'churn_risk', op: 'gte', value: 0.6 },
    {
      kind: 'or',
      conditions: [
        { kind: 'rfm_segment', op: 'in', segments: ['at_risk', 'cant_lose_them'] },
        { kind: 'metric', field: 'orders', op: 'between', value: [3, 10] },
      ],
    },
    { kind: 'not', condition: { kind: 'tag', op: 'has', tag: 'vip' } },
    { kind: 'attribute', field: 'email', op: 'contains', value: '50%_off\\' },
  ],
}

describe('validateSegmentRule', () => {
  it('accepts a well-formed rule', () => {
    const r = validateSegmentRule(validRule, catalog)
    expect(r.ok).toBe(true)
  })

  it('returns unknown operators, kinds and fields as values with paths', () => {
    const r = validateSegmentRule(
      {
        kind: 'and',
        conditions: [
          { kind: 'metric', field: 'orders', op: 'like', value: 3 },
          { kind: 'xor', conditions: [] },
        ],
      },
      catalog,
    )
    expect(r.ok).toBe(false)
    if (r.ok) return
    const codes = r.error.map((i) => [i.code, i.path.join('.')])
    expect(codes).toContainEqual(['unknown_operator', 'conditions.0.op'])
    expect(codes).toContainEqual(['unknown_condition', 'conditions.1.kind'])
    const unknownField = validateSegmentRule(
      { kind: 'attribute', field: 'password_hash', op: 'eq', value: 'x' },
      catalog,
    )
    expect(!unknownField.ok && unknownField.error[0]).toMatchObject({
      code: 'unknown_field',
      path: ['field'],
      message: {
        it: 'field: attributo sconosciuto "password_hash"',
        en: 'field: unknown attribute "password_hash"',
      },
    })
  })

  it('never resolves inherited object keys as fields', () => {
    for (const field of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const r = validateSegmentRule({ kind: 'metric', field, op: 'eq', value: 1 }, catalog)
      expect(!r.ok && r.error[0]?.code).toBe('unknown_field')
    }
  })

  it('checks operators against field types and values against operators', () => {
    const cases: [unknown, string][] = [
      [
        { kind: 'attribute', field: 'marketing_consent', op: 'gt', value: true },
        'operator_not_allowed',
      ],
      [{ kind: 'attribute', field: 'country', op: 'lt', value: 'IT' }, 'operator_not_allowed'],
      [{ kind: 'metric', field: 'orders', op: 'eq', value: '3' }, 'invalid_value'],
      [{ kind: 'metric', field: 'orders', op: 'between', value: [3] }, 'invalid_value'],
      [{ kind: 'metric', field: 'orders', op: 'in', value: [] }, 'invalid_value'],
      [{ kind: 'metric', field: 'orders', op: 'is_null', value: 1 }, 'invalid_value'],
      [{ kind: 'attribute', field: 'signup_date', op: 'gt', value: '2024-02-30' }, 'invalid_value'],
      [{ kind: 'attribute', field: 'email', op: 'contains', value: '' }, 'invalid_value'],
      [{ kind: 'metric', field: 'orders', op: 'eq' }, 'invalid_value'],
      [{ kind: 'rfm_segment', op: 'in', segments: ['vip'] }, 'invalid_structure'],
      [
        { kind: 'metric', field: 'orders', op: 'eq', value: 1, sql: 'DROP TABLE x' },
        'invalid_structure',
      ],
      ['not a rule', 'invalid_structure'],
    ]
    for (const [input, code] of cases) {
      const r = validateSegmentRule(input, catalog)
      expect(r.ok, JSON.stringify(input)).toBe(false)
      if (!r.ok)
        expect(
          r.error.map((i) => i.code),
          JSON.stringify(input),
        ).toContain(code)
    }
  })

  it('rejects tag and RFM conditions when the catalog does not support them', () => {
    const r = validateSegmentRule(
      { kind: 'tag', op: 'has', tag: 'vip' },
      { metric: catalog.metric },
    )
    expect(!r.ok && r.error[0]?.code).toBe('unsupported_condition')
  })

  it('rejects rules that are too deep or too large', () => {
    let deep: unknown = { kind: 'metric', field: 'orders', op: 'gt', value: 1 }
    for (let i = 0; i < 14; i++) deep = { kind: 'not', condition: deep }
    const r = validateSegmentRule(deep, catalog)
    expect(!r.ok && r.error[0]?.code).toBe('too_complex')
    let veryDeep: unknown = {}
    for (let i = 0; i < 5000; i++) veryDeep = { kind: 'not', condition: veryDeep }
    const r2 = validateSegmentRule(veryDeep, catalog)
    expect(!r2.ok && r2.error[0]?.code).toBe('too_complex')
    const wide = {
      kind: 'or',
      conditions: Array.from({ length: 250 }, (_, i) => ({
        kind: 'metric',
        field: 'orders',
        op: 'eq',
        value: i,
      })),
    }
    const r3 = validateSegmentRule(wide, catalog)
    expect(!r3.ok && r3.error.map((i) => i.code)).toContain('too_complex')
  })

  it('validates ISO dates by the calendar', () => {
    expect(isIsoDateText('2024-02-29')).toBe(true)
    expect(isIsoDateText('2023-02-29')).toBe(false)
    expect(isIsoDateText('2025-03-30T02:30:00+01:00')).toBe(true)
    expect(isIsoDateText('2025-13-01')).toBe(false)
    expect(isIsoDateText('yesterday')).toBe(false)
  })
})

describe('compileSegmentRule', () => {
  it('compiles to parameterised SQL with catalog expressions only', () => {
    const parsed = validateSegmentRule(validRule, catalog)
    if (!parsed.ok) throw new Error('invalid')
    const r = compileSegmentRule(parsed.value, catalog)
    if (!r.ok) throw new Error('compile failed')
    expect(r.value.sql).toBe(
      '((c.country IN ($1, $2)) AND (p.churn_probability >= $3) AND ((r.segment IN ($4, $5)) OR ' +
        '(m.orders_count BETWEEN $6 AND $7)) AND (NOT COALESCE((EXISTS (SELECT 1 FROM customer_tags t ' +
        "WHERE t.customer_id = c.id AND t.tag = $8)), FALSE)) AND (c.email ILIKE $9 ESCAPE '\\'))",
    )
    expect(r.value.params).toEqual([
      'IT',
      'SM',
      0.6,
      'at_risk',
      'cant_lose_them',
      3,
      10,
      'vip',
      '%50\\%\\_off\\\\%',
    ])
  })

  it('numbers placeholders after an offset', () => {
    const r = compileSegmentRule({ kind: 'metric', field: 'orders', op: 'gt', value: 2 }, catalog, {
      paramOffset: 3,
    })
    expect(r.ok && r.value).toEqual({ sql: '(m.orders_count > $4)', params: [2] })
  })

  it('compiles every operator with two-valued NULL semantics', () => {
    const one = (c: SegmentCondition) => {
      const r = compileSegmentRule(c, catalog)
      if (!r.ok) throw new Error(JSON.stringify(r.error))
      return r.value
    }
    expect(one({ kind: 'attribute', field: 'country', op: 'neq', value: 'IT' }).sql).toBe(
      '(c.country IS DISTINCT FROM $1)',
    )
    expect(one({ kind: 'attribute', field: 'country', op: 'not_in', value: ['IT'] }).sql).toBe(
      '(NOT COALESCE(c.country IN ($1), FALSE))',
    )
    expect(one({ kind: 'attribute', field: 'email', op: 'starts_with', value: 'info' })).toEqual({
      sql: "(c.email ILIKE $1 ESCAPE '\\')",
      params: ['info%'],
    })
    expect(one({ kind: 'attribute', field: 'country', op: 'is_null' })).toEqual({
      sql: '(c.country IS NULL)',
      params: [],
    })
    expect(one({ kind: 'metric', field: 'orders', op: 'is_not_null' }).sql).toBe(
      '(m.orders_count IS NOT NULL)',
    )
    expect(one({ kind: 'metric', field: 'orders', op: 'lt', value: 1 }).sql).toBe(
      '(m.orders_count < $1)',
    )
    expect(one({ kind: 'metric', field: 'orders', op: 'lte', value: 1 }).sql).toBe(
      '(m.orders_count <= $1)',
    )
    expect(one({ kind: 'metric', field: 'orders', op: 'eq', value: 1 }).sql).toBe(
      '(m.orders_count = $1)',
    )
    expect(
      one({ kind: 'attribute', field: 'marketing_consent', op: 'eq', value: true }).params,
    ).toEqual([true])
    expect(one({ kind: 'and', conditions: [] }).sql).toBe('TRUE')
    expect(one({ kind: 'or', conditions: [] }).sql).toBe('FALSE')
    expect(one({ kind: 'tag', op: 'not_has', tag: 'x' }).sql).toContain('NOT COALESCE((EXISTS')
    expect(one({ kind: 'rfm_segment', op: 'not_in', segments: ['lost'] }).sql).toBe(
      '(NOT COALESCE(r.segment IN ($1), FALSE))',
    )
  })

  it('keeps hostile strings out of the SQL text', () => {
    const hostile = "'; DROP TABLE customers; --"
    const r = compileSegmentRule(
      { kind: 'attribute', field: 'country', op: 'eq', value: hostile },
      catalog,
    )
    expect(r.ok && r.value.sql).toBe('(c.country = $1)')
    expect(r.ok && r.value.params).toEqual([hostile])
    const bad = compileSegmentRule(
      { kind: 'attribute', field: 'country; DROP TABLE customers', op: 'eq', value: 'IT' },
      catalog,
    )
    expect(!bad.ok && bad.error[0]?.code).toBe('unknown_field')
  })

  it('escapes LIKE wildcards', () => {
    expect(escapeLikePattern('100%_a\\b')).toBe('100\\%\\_a\\\\b')
  })
})
