/**
 * Segment filters: a segment is a list of conditions on filterable fields, combined with AND
 * (values of one condition with OR). Every field compiles to a SQL predicate over the replica's
 * `customers` table aliased `c`, so a segment is always "a set of customer ids": RFM segments,
 * tiers and predictions plug in later as new registry entries (e.g. a predicate over a scores
 * table joined on c.id) without touching the metric SQL.
 *
 * Values are always bound parameters; only the registry's fixed SQL fragments reach the query text.
 */

export type SegmentCondition = {
  field: string
  values: readonly string[]
  /**
   * For fields whose predicate needs the record or the workspace settings (`segment`, a saved
   * segment's rule; `rfm_segment`, scores as of now): filled by segments/resolve.ts before the
   * segment is compiled. `$p…` names in `sql` and `p…` keys in `params` are renamed per condition.
   */
  resolved?: { sql: string; params: Record<string, unknown> }
}
export type Segment = readonly SegmentCondition[]

export type CompiledSegment = {
  /** A predicate over `customers c`, or null for "every customer". */
  predicate: string | null
  params: Record<string, unknown>
}

type FieldSpec = {
  description: string
  /** SQL over `c` with `$p` (a VARCHAR[] of the values) as the only parameter. */
  sql: string
}

/** Marks a field whose predicate is filled in by segments/resolve.ts (`resolved`). */
const RESOLVED = ''

/**
 * The registry of filterable fields. Attribute fields (`attribute.<key>`) are matched by the
 * pattern below; the key itself is bound, never concatenated.
 */
export const SEGMENT_FIELDS: Readonly<Record<string, FieldSpec>> = {
  country: { description: 'Customer country (ISO 3166-1 alpha-2)', sql: 'c.country = ANY($p)' },
  region: { description: 'Customer region', sql: 'c.region = ANY($p)' },
  city: { description: 'Customer city', sql: 'c.city = ANY($p)' },
  locale: { description: 'Customer locale', sql: 'c.locale = ANY($p)' },
  acquisition_channel: {
    description: 'Acquisition channel',
    sql: 'c.acquisition_channel = ANY($p)',
  },
  tag: { description: 'Customer tag (any of the values)', sql: 'list_has_any(c.tags, $p)' },
  plan: {
    description: 'Has (or had) a subscription to the plan',
    sql: 'EXISTS (SELECT 1 FROM subscriptions s WHERE s.customer_id = c.id AND s.plan = ANY($p))',
  },
  order_channel: {
    description: 'Has a completed order through the channel',
    sql: "EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.status = 'completed' AND o.channel = ANY($p))",
  },
  store: {
    description: 'Has a completed order in the store',
    sql: "EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.status = 'completed' AND o.store = ANY($p))",
  },
  category: {
    description: 'Has bought a product of the category',
    sql:
      'EXISTS (SELECT 1 FROM orders o JOIN order_lines l ON l.order_id = o.id ' +
      "WHERE o.customer_id = c.id AND o.status = 'completed' AND l.category = ANY($p))",
  },
  cohort: {
    description:
      'Acquisition cohort as an instant range "from/to" (ISO 8601 with zone) of the first completed order',
    sql: "(SELECT min(o.placed_at) FROM orders o WHERE o.customer_id = c.id AND o.status = 'completed') >= CAST($p[1] AS TIMESTAMPTZ) AND (SELECT min(o.placed_at) FROM orders o WHERE o.customer_id = c.id AND o.status = 'completed') < CAST($p[2] AS TIMESTAMPTZ)",
  },
  segment: {
    description: 'Member of a saved segment (its id; several ids: member of any)',
    sql: RESOLVED,
  },
  rfm_segment: {
    description:
      'RFM segment now (champions, loyal, potential_loyalist, new, promising, need_attention, about_to_sleep, at_risk, cant_lose_them, hibernating, lost)',
    sql: RESOLVED,
  },
}

const ATTRIBUTE = /^attribute\.([A-Za-z0-9_-]{1,64})$/

export class SegmentError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message)
    this.name = 'SegmentError'
  }
}

/** Compiles a segment; throws SegmentError naming an unknown field or a malformed value. */
export function compileSegment(segment: Segment): CompiledSegment {
  const parts: string[] = []
  const params: Record<string, unknown> = {}
  segment.forEach((condition, i) => {
    const name = `seg${i}`
    const attribute = ATTRIBUTE.exec(condition.field)
    let sql: string
    const spec = attribute ? undefined : SEGMENT_FIELDS[condition.field]
    if (attribute) {
      params[`${name}k`] = `$.${attribute[1] ?? ''}`
      sql = `json_extract_string(c.attributes, $${name}k) = ANY($p)`
    } else {
      if (!spec) throw new SegmentError(condition.field, `unknown segment field ${condition.field}`)
      sql = spec.sql
    }
    if (condition.values.length === 0) {
      throw new SegmentError(condition.field, `segment field ${condition.field} needs a value`)
    }
    if (condition.resolved) {
      for (const [key, value] of Object.entries(condition.resolved.params)) {
        params[`${name}${key.slice(1)}`] = value
      }
      parts.push(`(${condition.resolved.sql.replaceAll('$p', `$${name}`)})`)
      return
    }
    if (spec?.sql === RESOLVED) {
      throw new SegmentError(condition.field, `segment field ${condition.field} was not resolved`)
    }
    if (condition.field === 'cohort') {
      const [from, to] = condition.values[0]?.split('/') ?? []
      if (!from || !to || !Number.isFinite(Date.parse(from)) || !Number.isFinite(Date.parse(to))) {
        throw new SegmentError('cohort', 'cohort must be "from/to", two ISO 8601 instants')
      }
      params[name] = [new Date(from).toISOString(), new Date(to).toISOString()]
    } else {
      params[name] = [...condition.values]
    }
    parts.push(`(${sql.replaceAll('$p', `$${name}`)})`)
  })
  return { predicate: parts.length ? parts.join(' AND ') : null, params }
}

/**
 * Parses the query-string form `field:value1|value2;field2:value`. Separate from the compiler so
 * a JSON body (or a saved segment) can produce the same structure.
 */
export function parseSegment(text: string | undefined): Segment {
  if (!text) return []
  return text
    .split(';')
    .filter((part) => part.trim() !== '')
    .map((part) => {
      const colon = part.indexOf(':')
      if (colon < 1) throw new SegmentError(part, `segment condition "${part}" must be field:value`)
      return {
        field: part.slice(0, colon).trim(),
        values: part
          .slice(colon + 1)
          .split('|')
          .map((v) => v.trim())
          .filter((v) => v !== ''),
      }
    })
}
