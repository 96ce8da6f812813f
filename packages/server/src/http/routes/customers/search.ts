import { z } from 'zod'
import {
  factsOf,
  hasPredictions,
  matchingIds,
  RISK_BANDS,
  searchCustomerFacts,
  type CustomerFacts,
  type CustomerFilters,
} from '../../../analytics/customers-search.ts'
import {
  identitiesOf,
  idsMatchingText,
  pageByName,
} from '../../../repositories/customer-search.repository.ts'
import { AppError } from '../../app-error.ts'
import { defineRoute } from '../../route.ts'
import { guard, METRIC_ERRORS, metricsRequest, ZInstant, ZSegmentQuery } from '../metrics/common.ts'

/** A text search narrows to at most this many customers (the first by id); the reply says so. */
const TEXT_CAP = 10_000
/** Sorting by name happens in the record over the ids the filters match, at most this many. */
const NAME_SORT_CAP = 200_000

const ZMinor = z.coerce.number().int().min(0)
const ZPipeList = z.string().transform((v) =>
  v
    .split('|')
    .map((x) => x.trim())
    .filter(Boolean),
)

const ZCustomerSearchQuery = z.object({
  q: z.string().trim().max(200).optional().describe('Part of the name, e-mail or external id'),
  ids: ZPipeList.pipe(
    z
      .array(
        z
          .string()
          .regex(/^\d{1,15}$/, 'a customer id')
          .transform(Number),
      )
      .max(1000),
  )
    .optional()
    .describe('Only these internal customer ids, "12|34" (e.g. a drill-down page), at most 1,000'),
  tags: ZPipeList.optional().describe('Any of these tags, "vip|b2b"'),
  last_order_from: ZInstant.optional().describe('Last completed order at or after'),
  last_order_to: ZInstant.optional().describe('Last completed order before'),
  spend_min: ZMinor.optional().describe('Total spend at least (minor units, reporting currency)'),
  spend_max: ZMinor.optional().describe('Total spend at most (minor units, reporting currency)'),
  segment: ZSegmentQuery,
  risk: ZPipeList.pipe(z.array(z.enum(['low', 'medium', 'high'])))
    .optional()
    .describe('Churn-risk bands "medium|high": low < 0.3 ≤ medium < 0.7 ≤ high'),
  clv_min: ZMinor.optional().describe('Predicted CLV at least (minor units)'),
  clv_max: ZMinor.optional().describe('Predicted CLV at most (minor units)'),
  sort: z
    .enum(['name', 'last_order', 'orders', 'total_spend', 'churn_risk', 'clv'])
    .default('last_order'),
  dir: z.enum(['asc', 'desc']).default('desc'),
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(200).default(50),
})

type Query = z.infer<typeof ZCustomerSearchQuery>

function rangeErrors(q: Query): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = []
  const pairs = [
    ['spend_min', 'spend_max'],
    ['clv_min', 'clv_max'],
    ['last_order_from', 'last_order_to'],
  ] as const
  for (const [lo, hi] of pairs) {
    const a = q[lo]
    const b = q[hi]
    if (a !== undefined && b !== undefined && a > b)
      out.push({ path: hi, message: `must not be below ${lo}` })
  }
  return out
}

export const customerSearchRoute = defineRoute({
  method: 'GET',
  url: '/api/search/customers',
  operationId: 'searchCustomers',
  summary: 'Search, filter, sort and page customers (text in the record, facts on the replica)',
  description:
    'Facts per customer: completed orders, spend in the reporting currency (total − refunds), last order, ' +
    'and the latest prediction (churn risk, CLV, value tier; null before the first prediction run). ' +
    '`predictions` says whether any customer has one. A text search considers the first ' +
    `${TEXT_CAP.toLocaleString('en')} matches (\`search_capped\`).`,
  tags: ['customers'],
  access: { permission: 'data:read' },
  query: ZCustomerSearchQuery,
  response: z.object({
    total: z.number(),
    page: z.number(),
    page_size: z.number(),
    currency: z.string(),
    predictions: z.boolean(),
    search_capped: z.boolean(),
    risk_bands: z.record(z.string(), z.array(z.number().nullable())),
    items: z.array(z.record(z.string(), z.unknown())),
  }),
  errors: [...METRIC_ERRORS],
  handler: async ({ ctx, query }) => {
    const errors = rangeErrors(query)
    if (errors.length) throw new AppError('validation_failed', errors)
    const { scope, replica } = await metricsRequest(ctx, query.segment)
    const db = ctx.database.db
    const page = { limit: query.page_size, offset: (query.page - 1) * query.page_size }

    let searchCapped = false
    let textIds: number[] | undefined
    if (query.q) {
      textIds = await idsMatchingText(db, query.q, TEXT_CAP)
      searchCapped = textIds.length > TEXT_CAP
      if (searchCapped) textIds = textIds.slice(0, TEXT_CAP)
    }
    if (query.ids) {
      const wanted = new Set(query.ids)
      textIds = textIds ? textIds.filter((id) => wanted.has(id)) : [...wanted]
    }
    const filters: CustomerFilters = {
      ...(textIds ? { ids: textIds } : {}),
      ...(query.tags?.length ? { tags: query.tags } : {}),
      ...(query.last_order_from !== undefined ? { lastOrderFrom: query.last_order_from } : {}),
      ...(query.last_order_to !== undefined ? { lastOrderTo: query.last_order_to } : {}),
      ...(query.spend_min !== undefined ? { spendMin: query.spend_min } : {}),
      ...(query.spend_max !== undefined ? { spendMax: query.spend_max } : {}),
      ...(query.risk?.length ? { riskBands: query.risk } : {}),
      ...(query.clv_min !== undefined ? { clvMin: query.clv_min } : {}),
      ...(query.clv_max !== undefined ? { clvMax: query.clv_max } : {}),
    }

    const found = await guard(async () => {
      if (query.sort !== 'name') {
        const r = await searchCustomerFacts(
          replica,
          scope,
          filters,
          { sort: query.sort, dir: query.dir },
          page,
        )
        return {
          total: r.total,
          ids: r.rows.map((x) => x.id),
          facts: new Map(r.rows.map((x) => [x.id, x])),
        }
      }
      // The replica has no names: it narrows (when anything but text filters), the record sorts.
      const narrowed = Object.keys(filters).some((k) => k !== 'ids') || scope.segment.length > 0
      let ids = textIds
      if (narrowed) {
        ids = await matchingIds(replica, scope, filters, NAME_SORT_CAP)
        if (ids.length > NAME_SORT_CAP) {
          throw new AppError('validation_failed', [
            {
              path: 'sort',
              message: `sorting by name works on up to ${NAME_SORT_CAP.toLocaleString('en')} customers: add a filter or sort by another column`,
            },
          ])
        }
      }
      const r = await pageByName(db, ids, query.dir, page)
      return { total: r.total, ids: r.ids, facts: await factsOf(replica, scope, r.ids) }
    })

    const [who, predictions] = await Promise.all([
      identitiesOf(db, found.ids),
      hasPredictions(replica, scope),
    ])
    const empty = (id: number): CustomerFacts => ({
      id,
      country: null,
      city: null,
      tags: [],
      orders: 0,
      total_spend: 0,
      last_order_at: null,
      churn_risk: null,
      clv: null,
      value_tier: null,
    })
    return {
      total: found.total,
      page: query.page,
      page_size: query.page_size,
      currency: scope.settings.reportingCurrency,
      predictions,
      search_capped: searchCapped,
      risk_bands: Object.fromEntries(
        Object.entries(RISK_BANDS).map(([k, [lo, hi]]) => [
          k,
          [lo, Number.isFinite(hi) ? hi : null],
        ]),
      ),
      items: found.ids.map((id) => {
        const w = who.get(id)
        return {
          ...(found.facts.get(id) ?? empty(id)),
          external_id: w?.external_id ?? null,
          name: w?.erased_at ? null : (w?.name ?? null),
          email: w?.erased_at ? null : (w?.email ?? null),
          erased: Boolean(w?.erased_at),
        }
      }),
    }
  },
})
