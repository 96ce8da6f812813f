/**
 * The builder's editable form of a segment rule and its conversion to and from the server's rule
 * AST. Values are kept as the text the user typed; money is typed in major units (12,50 €) and
 * sent in minor units (1250), like every amount on the wire.
 */
import type { CatalogField, FieldType, Rule } from '../../hooks/api/segments.ts'
import { currencyDigits } from '../../lib/format.ts'

export type FieldLeaf = {
  id: string
  type: 'field'
  /** `<kind>:<field>`, e.g. `metric:orders_count`; '' before one is chosen. */
  key: string
  op: string
  value: string
  value2: string
}
export type TagLeaf = { id: string; type: 'tag'; op: 'has' | 'not_has'; tag: string }
export type RfmLeaf = { id: string; type: 'rfm'; op: 'in' | 'not_in'; segments: string[] }
export type Group = {
  id: string
  type: 'group'
  join: 'and' | 'or'
  negate: boolean
  children: Node[]
}
export type Node = FieldLeaf | TagLeaf | RfmLeaf | Group

/** Operators by field type, as the server's catalog allows them (core SEGMENT_OPERATORS_BY_TYPE). */
export const OPERATORS: Record<FieldType, string[]> = {
  number: ['gte', 'lte', 'eq', 'neq', 'gt', 'lt', 'between', 'is_null', 'is_not_null'],
  string: ['eq', 'neq', 'in', 'not_in', 'contains', 'starts_with', 'is_null', 'is_not_null'],
  boolean: ['eq', 'neq', 'is_null', 'is_not_null'],
  date: ['gte', 'lte', 'eq', 'neq', 'gt', 'lt', 'between', 'is_null', 'is_not_null'],
}

let counter = 0
export const newId = () => `n${++counter}`

export const emptyLeaf = (): FieldLeaf => ({
  id: newId(),
  type: 'field',
  key: '',
  op: '',
  value: '',
  value2: '',
})
export const emptyGroup = (join: 'and' | 'or' = 'and'): Group => ({
  id: newId(),
  type: 'group',
  join,
  negate: false,
  children: [emptyLeaf()],
})

export const fieldOf = (fields: readonly CatalogField[], key: string) =>
  fields.find((f) => `${f.kind}:${f.field}` === key)

const scale = (f: CatalogField, currency: string) =>
  f.unit === 'money' ? 10 ** currencyDigits(currency) : 1

/** One typed value, or undefined when the text does not fit the type. */
function parse(
  f: CatalogField,
  text: string,
  currency: string,
): string | number | boolean | undefined {
  const s = text.trim()
  if (s === '') return undefined
  switch (f.type) {
    case 'number': {
      const n = Number(s.replace(',', '.'))
      return Number.isFinite(n) ? Math.round(n * scale(f, currency) * 1e6) / 1e6 : undefined
    }
    case 'boolean':
      return s === 'true' ? true : s === 'false' ? false : undefined
    default:
      return s
  }
}

/** The server's rule, or null while some condition is incomplete. */
export function toRule(node: Node, fields: readonly CatalogField[], currency: string): Rule | null {
  switch (node.type) {
    case 'group': {
      const children = node.children.map((c) => toRule(c, fields, currency))
      if (children.some((c) => c === null)) return null
      const group: Rule = { kind: node.join, conditions: children as Rule[] }
      return node.negate ? { kind: 'not', condition: group } : group
    }
    case 'tag':
      return node.tag.trim() === '' ? null : { kind: 'tag', op: node.op, tag: node.tag.trim() }
    case 'rfm':
      return node.segments.length === 0
        ? null
        : { kind: 'rfm_segment', op: node.op, segments: node.segments }
    case 'field': {
      const f = fieldOf(fields, node.key)
      if (!f || !node.op) return null
      const base = { kind: f.kind, field: f.field, op: node.op }
      if (node.op === 'is_null' || node.op === 'is_not_null') return base
      if (node.op === 'between') {
        const a = parse(f, node.value, currency)
        const b = parse(f, node.value2, currency)
        return a === undefined || b === undefined ? null : { ...base, value: [a, b] }
      }
      if (node.op === 'in' || node.op === 'not_in') {
        const list = node.value
          .split(',')
          .map((v) => parse(f, v, currency))
          .filter((v) => v !== undefined)
        return list.length === 0 ? null : { ...base, value: list }
      }
      const v = parse(f, node.value, currency)
      return v === undefined ? null : { ...base, value: v }
    }
  }
}

const show = (
  f: CatalogField | undefined,
  v: string | number | boolean | undefined,
  currency: string,
): string => (typeof v === 'number' && f ? String(v / scale(f, currency)) : String(v ?? ''))

/** The editable tree of a saved rule; the top is always a group. */
export function fromRule(rule: Rule, fields: readonly CatalogField[], currency: string): Group {
  const node = toNode(rule, fields, currency)
  return node.type === 'group' ? node : { ...emptyGroup(), children: [node] }
}

function toNode(rule: Rule, fields: readonly CatalogField[], currency: string): Node {
  switch (rule.kind) {
    case 'and':
    case 'or':
      return {
        id: newId(),
        type: 'group',
        join: rule.kind,
        negate: false,
        children: rule.conditions.map((c) => toNode(c, fields, currency)),
      }
    case 'not': {
      const inner = toNode(rule.condition, fields, currency)
      return inner.type === 'group' && !inner.negate
        ? { ...inner, negate: true }
        : { id: newId(), type: 'group', join: 'and', negate: true, children: [inner] }
    }
    case 'tag':
      return { id: newId(), type: 'tag', op: rule.op, tag: rule.tag }
    case 'rfm_segment':
      return { id: newId(), type: 'rfm', op: rule.op, segments: [...rule.segments] }
    default: {
      const key = `${rule.kind}:${rule.field}`
      const f = fieldOf(fields, key)
      const v = rule.value
      return {
        id: newId(),
        type: 'field',
        key,
        op: rule.op,
        value: Array.isArray(v)
          ? rule.op === 'between'
            ? show(f, v[0], currency)
            : v.map((x) => show(f, x, currency)).join(', ')
          : show(f, v, currency),
        value2: Array.isArray(v) && rule.op === 'between' ? show(f, v[1], currency) : '',
      }
    }
  }
}

/** Replaces the node with `id` (anywhere in the tree) by `next(node)`; null removes it. */
export function updateNode(root: Group, id: string, next: (n: Node) => Node | null): Group {
  const walk = (n: Node): Node | null => {
    if (n.id === id) return next(n)
    if (n.type !== 'group') return n
    return { ...n, children: n.children.map(walk).filter((c): c is Node => c !== null) }
  }
  return walk(root) as Group
}
