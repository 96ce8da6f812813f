import { generateDemoArrays } from '@fedele/core/demo'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeMetricsReplica } from '../../src/analytics/metrics/index.ts'
import { DIALECTS } from '../databases.ts'
import { startTestApp, type TestApp } from '../harness.ts'
import { getJson } from '../metrics/api.ts'
import { loadRecords } from '../metrics/load.ts'

type Rec = Record<string, any>
const NOW = '2026-06-01T00:00:00Z'
const demo = generateDemoArrays({ seed: 11, now: NOW, customers: 250 }) as unknown as Record<
  string,
  Rec[]
>
// Customers with plain ASCII names (collations agree on their order) and a literal % in one.
const named = [
  { external_id: 'srch_a', name: 'Aaron Zeta', email: 'aaron@example.com', tags: ['vip'] },
  {
    external_id: 'srch_b',
    name: 'Bianca 100% Rossi',
    email: 'b@example.com',
    tags: ['vip', 'b2b'],
  },
  { external_id: 'srch_c', name: 'Carla Verdi', email: 'carla@shop.example', tags: [] },
]
demo.customers!.push(
  ...named.map((c) => ({ ...c, country: 'IT', created_at: '2025-01-01T00:00:00Z' })),
)
demo.orders!.push(
  // srch_a: two EUR orders, one partly refunded; srch_b: one USD order (not EUR spend).
  {
    external_id: 'srch_o1',
    customer_external_id: 'srch_a',
    placed_at: '2026-03-10T10:00:00Z',
    status: 'completed',
    currency: 'EUR',
    total: 10_000,
  },
  {
    external_id: 'srch_o2',
    customer_external_id: 'srch_a',
    placed_at: '2026-05-10T10:00:00Z',
    status: 'completed',
    currency: 'EUR',
    total: 5_000,
    refunded_amount: 1_000,
  },
  {
    external_id: 'srch_o3',
    customer_external_id: 'srch_b',
    placed_at: '2026-04-01T10:00:00Z',
    status: 'completed',
    currency: 'USD',
    total: 99_999,
  },
)

type Fact = { orders: number; spend: number; last: number | null }

/** Per-customer facts by hand from the records: completed EUR orders, spend net of refunds. */
function reference(): Map<string, Fact & { tags: string[]; country: string | null }> {
  const out = new Map<string, Fact & { tags: string[]; country: string | null }>()
  for (const c of demo.customers!) {
    out.set(c.external_id, {
      orders: 0,
      spend: 0,
      last: null,
      tags: c.tags ?? [],
      country: c.country ?? null,
    })
  }
  for (const o of demo.orders!) {
    if (o.status !== 'completed' || o.currency !== 'EUR' || !o.customer_external_id) continue
    const f = out.get(o.customer_external_id)!
    f.orders++
    f.spend += o.total - (o.refunded_amount ?? 0)
    const at = Date.parse(o.placed_at)
    f.last = f.last === null ? at : Math.max(f.last, at)
  }
  return out
}

describe.each(DIALECTS)('GET /api/search/customers (%s)', (kind) => {
  let t: TestApp
  let read: Record<string, string>
  const ref = reference()

  /** Every item of a search, over all pages. */
  async function all(query: string): Promise<Rec[]> {
    const items: Rec[] = []
    for (let page = 1; ; page++) {
      const { status, body } = await getJson(
        t,
        `/api/search/customers?${query}&page=${page}&page_size=200`,
        read,
      )
      expect(status, JSON.stringify(body)).toBe(200)
      items.push(...body.items)
      if (items.length >= body.total || body.items.length === 0) return items
    }
  }

  beforeAll(async () => {
    t = await startTestApp(kind, { FEDELE_ANALYTICS_PATH: ':memory:' })
    read = await t.apiKey(['read'])
    await loadRecords(t.db.db, demo)
  }, 120_000)
  afterAll(async () => {
    await closeMetricsReplica(t.ctx.database)
    await t.close()
  })

  it('refuses a request without credentials', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/search/customers' })
    expect(res.statusCode).toBe(401)
  })

  it('lists every customer with orders, spend and last order equal to the records', async () => {
    const items = await all('sort=total_spend&dir=desc')
    expect(items).toHaveLength(ref.size)
    for (const item of items) {
      const r = ref.get(item.external_id)!
      expect(item, item.external_id).toMatchObject({
        orders: r.orders,
        total_spend: r.spend,
        last_order_at: r.last === null ? null : new Date(r.last).toISOString(),
      })
    }
    const spends = items.map((i) => i.total_spend)
    expect(spends).toEqual([...spends].sort((a, b) => b - a))
    expect(items.find((i) => i.external_id === 'srch_a')).toMatchObject({
      name: 'Aaron Zeta',
      email: 'aaron@example.com',
      orders: 2,
      total_spend: 14_000,
    })
    // USD orders are not EUR spend.
    expect(items.find((i) => i.external_id === 'srch_b')).toMatchObject({
      orders: 0,
      total_spend: 0,
    })
  })

  it('pages without overlap and sorts by last order with the never-ordered last', async () => {
    const { body: p1 } = await getJson(
      t,
      '/api/search/customers?sort=last_order&page_size=100',
      read,
    )
    const { body: p2 } = await getJson(
      t,
      '/api/search/customers?sort=last_order&page_size=100&page=2',
      read,
    )
    expect(p1.total).toBe(ref.size)
    const ids = [...p1.items, ...p2.items].map((i: Rec) => i.id)
    expect(new Set(ids).size).toBe(ids.length)
    const everything = await all('sort=last_order&dir=desc')
    const lasts = everything.map((i) => (i.last_order_at ? Date.parse(i.last_order_at) : null))
    const firstNull = lasts.indexOf(null)
    if (firstNull >= 0) expect(lasts.slice(firstNull).every((v) => v === null)).toBe(true)
    const dated = lasts.filter((v): v is number => v !== null)
    expect(dated).toEqual([...dated].sort((a, b) => b - a))
  })

  it('filters by tags, spend range, last-order range and a segment like the records', async () => {
    const from = Date.parse('2026-01-01T00:00:00Z')
    const to = Date.parse('2026-05-01T00:00:00Z')
    const got = await all(
      `tags=vip|b2b&spend_min=1000&spend_max=50000000&last_order_from=2026-01-01T00:00:00Z&last_order_to=2026-05-01T00:00:00Z&segment=country:IT`,
    )
    const expected = [...ref]
      .filter(
        ([, r]) =>
          r.tags.some((x) => x === 'vip' || x === 'b2b') &&
          r.spend >= 1000 &&
          r.spend <= 50_000_000 &&
          r.last !== null &&
          r.last >= from &&
          r.last < to &&
          r.country === 'IT',
      )
      .map(([id]) => id)
      .sort()
    // The demo tags its big spenders vip: the filter has something to find.
    expect(expected.length).toBeGreaterThan(1)
    expect(got.map((i) => i.external_id).sort()).toEqual(expected)
    const club = await all('tags=club')
    const clubRef = [...ref].filter(([, r]) => r.tags.includes('club')).map(([id]) => id)
    expect(clubRef.length).toBeGreaterThan(0)
    expect(club.map((i) => i.external_id).sort()).toEqual(clubRef.sort())
  })

  it('finds customers by part of the name, e-mail or external id, case-insensitively', async () => {
    expect((await all('q=aARON')).map((i) => i.external_id)).toEqual(['srch_a'])
    expect((await all('q=shop.example')).map((i) => i.external_id)).toEqual(['srch_c'])
    expect((await all('q=srch_')).map((i) => i.external_id).sort()).toEqual([
      'srch_a',
      'srch_b',
      'srch_c',
    ])
    // % and _ are literal: "0%" matches only the name that contains it.
    expect((await all('q=0%25')).map((i) => i.external_id)).toEqual(['srch_b'])
    expect(await all('q=nobody-has-this')).toEqual([])
  })

  it('narrows to given ids (a drill-down page) and to text matches among them', async () => {
    const rows = await t.db.db
      .selectFrom('customers')
      .select(['id', 'external_id'])
      .where('external_id', 'in', ['srch_a', 'srch_c'])
      .execute()
    const ids = rows.map((r) => r.id).join('|')
    const got = await all(`ids=${ids}&sort=name&dir=asc`)
    expect(got.map((i) => i.external_id)).toEqual(['srch_a', 'srch_c'])
    expect((await all(`ids=${ids}&q=carla`)).map((i) => i.external_id)).toEqual(['srch_c'])
    const { status } = await getJson(t, '/api/search/customers?ids=abc', read)
    expect(status).toBe(400)
  })

  it('sorts by name in the record, also within filters', async () => {
    const { body } = await getJson(t, '/api/search/customers?q=srch_&sort=name&dir=asc', read)
    expect(body.items.map((i: Rec) => i.name)).toEqual([
      'Aaron Zeta',
      'Bianca 100% Rossi',
      'Carla Verdi',
    ])
    const desc = await all('q=srch_&tags=vip&sort=name&dir=desc')
    expect(desc.map((i) => i.external_id)).toEqual(['srch_b', 'srch_a'])
    expect(desc[1]).toMatchObject({ orders: 2, total_spend: 14_000 })
  })

  it('filters and sorts by churn risk and CLV once predictions exist', async () => {
    const { body: before } = await getJson(t, '/api/search/customers?page_size=1', read)
    expect(before.predictions).toBe(false)
    const db = t.db.db
    const run = await sql<{ id: number }>`insert into model_runs
        (kind, model, model_version, status, cutoff)
        values ('churn', 'test', 't1', 'succeeded', now()) returning id`.execute(db)
    const runId = run.rows[0]!.id
    const ids = await db
      .selectFrom('customers')
      .select(['id', 'external_id'])
      .where('external_id', 'in', ['srch_a', 'srch_b', 'srch_c'])
      .execute()
    const risk: Record<string, [number, number]> = {
      srch_a: [0.1, 50_000],
      srch_b: [0.3, 20_000],
      srch_c: [0.85, 90_000],
    }
    for (const c of ids) {
      const [r, clv] = risk[c.external_id]!
      await sql`insert into customer_predictions
          (id, run_id, model_version, scored_at, churn_risk, clv_minor, value_tier)
          values (${c.id}, ${runId}, 't1', now(), ${r}, ${clv}, 'gold')`.execute(db)
    }
    const { body } = await getJson(
      t,
      '/api/search/customers?risk=medium|high&sort=churn_risk',
      read,
    )
    expect(body.predictions).toBe(true)
    // 0.3 is the lower bound of medium (half-open bands).
    expect(body.items.map((i: Rec) => [i.external_id, i.churn_risk])).toEqual([
      ['srch_c', 0.85],
      ['srch_b', 0.3],
    ])
    const clv = await all('clv_min=30000&sort=clv&dir=asc')
    expect(clv.map((i) => [i.external_id, i.clv])).toEqual([
      ['srch_a', 50_000],
      ['srch_c', 90_000],
    ])
    const low = await all('risk=low')
    expect(low.map((i) => i.external_id)).toEqual(['srch_a'])
  })

  it('names the field and the reason of a bad request', async () => {
    const cases: [string, string][] = [
      ['spend_min=500&spend_max=100', 'spend_max'],
      ['sort=height', 'sort'],
      ['risk=extreme', 'risk'],
      ['last_order_from=2026-02-01', 'last_order_from'],
      ['page_size=5000', 'page_size'],
      ['segment=planet:mars', 'segment'],
    ]
    for (const [query, field] of cases) {
      const { status, body } = await getJson(t, `/api/search/customers?${query}`, read)
      expect(status, query).toBe(400)
      expect(JSON.stringify(body.error ?? body), query).toContain(field)
    }
  })
})
