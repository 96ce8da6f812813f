import { generateDemoArrays } from '@fedele/core/demo'
import { bucketFromKey, periodCustomers } from '@fedele/core/metrics'
import { computeRfmScores } from '@fedele/core/segments'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeMetricsReplica } from '../../src/analytics/metrics/index.ts'
import { snapshotSegments } from '../../src/segments/segments.service.ts'
import { DIALECTS } from '../databases.ts'
import { startTestApp, type TestApp } from '../harness.ts'
import { getJson } from '../metrics/api.ts'
import { loadRecords, referenceOrders } from '../metrics/load.ts'

type Rec = Record<string, any>
const NOW = '2026-06-01T00:00:00Z'
const ZONE = 'Europe/Rome'
const DAY = 86_400_000
const demo = generateDemoArrays({ seed: 7, now: NOW, customers: 300 }) as unknown as Record<
  string,
  Rec[]
>
// Two customers who buy in another currency: their USD orders are not added to EUR spend.
demo.customers!.push(
  {
    external_id: 'usd_1',
    country: 'US',
    tags: ['vip'],
    attributes: { tier: 'gold' },
    created_at: '2025-01-01T00:00:00Z',
  },
  {
    external_id: 'usd_2',
    country: 'US',
    tags: [],
    attributes: { tier: "o'hara" },
    created_at: '2025-01-01T00:00:00Z',
  },
)
demo.orders!.push(
  ...[1, 2, 3].map((i) => ({
    external_id: `usd_o${i}`,
    customer_external_id: 'usd_1',
    placed_at: `2026-0${i}-10T10:00:00Z`,
    status: 'completed',
    currency: 'USD',
    total: 100_000,
  })),
  {
    external_id: 'usd_o9',
    customer_external_id: 'usd_2',
    placed_at: '2026-05-10T10:00:00Z',
    status: 'completed',
    currency: 'EUR',
    total: 1234,
  },
)

const orders = demo.orders!
const customers = demo.customers!

/** Per-customer figures by hand from the records: completed EUR orders up to `asOf`. */
function figures(asOf: number) {
  const out = new Map<string, { n: number; spend: number; first: number; last: number }>()
  for (const o of orders) {
    const at = Date.parse(o.placed_at)
    if (o.status !== 'completed' || o.currency !== 'EUR' || !o.customer_external_id || at > asOf)
      continue
    const f = out.get(o.customer_external_id) ?? { n: 0, spend: 0, first: at, last: at }
    f.n++
    f.spend += o.total - (o.refunded_amount ?? 0)
    f.first = Math.min(f.first, at)
    f.last = Math.max(f.last, at)
    out.set(o.customer_external_id, f)
  }
  return out
}

const post = async (
  t: TestApp,
  url: string,
  headers: Record<string, string>,
  payload: unknown,
  method: 'POST' | 'PATCH' = 'POST',
) => {
  const res = await t.app.inject({
    method,
    url,
    headers,
    payload: payload as Record<string, unknown>,
  })
  return { status: res.statusCode, body: res.json<any>() }
}

describe.each(DIALECTS)('segments (%s)', (kind) => {
  let t: TestApp
  let owner: Record<string, string>
  let read: Record<string, string>
  const byExternal = new Map<number, string>()
  beforeAll(async () => {
    t = await startTestApp(kind, { FEDELE_ANALYTICS_PATH: ':memory:' })
    owner = await t.owner()
    read = await t.apiKey(['read'])
    await loadRecords(t.db.db, demo)
    const rows = await t.db.db.selectFrom('customers').select(['id', 'external_id']).execute()
    for (const r of rows) byExternal.set(Number(r.id), r.external_id)
  }, 120_000)
  afterAll(async () => {
    await closeMetricsReplica(t.ctx.database)
    await t.close()
  })

  it('RFM grid: every cell equals core computeRfmScores on the same customers', async () => {
    const asOf = Date.parse(NOW)
    const { status, body } = await getJson(t, `/api/segments/rfm?as_of=${NOW}`, read)
    expect(status, JSON.stringify(body)).toBe(200)
    const f = figures(asOf)
    const scores = computeRfmScores(
      [...f].map(([id, x]) => ({
        id,
        recencyDays: (asOf - x.last) / DAY,
        frequency: x.n,
        monetary: x.spend,
      })),
    )
    const expected = new Map<
      string,
      { customers: number; value: number; active: number; segment: string }
    >()
    for (const s of scores) {
      const key = `${s.r}:${s.fm}`
      const cell = expected.get(key) ?? { customers: 0, value: 0, active: 0, segment: s.segment }
      const x = f.get(s.id)!
      cell.customers++
      cell.value += x.spend
      if (x.last > asOf - body.activity_window_days * DAY) cell.active++
      expected.set(key, cell)
    }
    expect(body.activity_window_days).toBe(365)
    expect(body.cells).toHaveLength(25)
    for (const cell of body.cells) {
      const e = expected.get(`${cell.r}:${cell.fm}`)
      expect(cell, `${cell.r}:${cell.fm}`).toMatchObject(e ?? { customers: 0, value: 0, active: 0 })
    }
    expect(body.customers).toBe(f.size)
    // usd_1 bought only in USD: not scored.
    expect(f.has('usd_1')).toBe(false)
    const champions = scores.filter((s) => s.segment === 'champions')
    expect(body.segments.find((s: any) => s.id === 'champions')).toMatchObject({
      customers: champions.length,
      value: champions.reduce((a, s) => a + f.get(s.id)!.spend, 0),
      name: { it: 'Campioni', en: 'Champions' },
    })
    expect(body.segments.reduce((a: number, s: any) => a + s.customers, 0)).toBe(f.size)
  })

  it('preview: count, value and sample of a rule equal the same filter by hand', async () => {
    const f = figures(Date.now())
    const rule = {
      kind: 'and',
      conditions: [
        { kind: 'metric', field: 'orders_count', op: 'gte', value: 3 },
        {
          kind: 'or',
          conditions: [
            { kind: 'tag', op: 'has', tag: 'vip' },
            { kind: 'attribute', field: 'region', op: 'in', value: ['Lombardia', 'Lazio'] },
          ],
        },
        {
          kind: 'not',
          condition: { kind: 'metric', field: 'total_spend', op: 'lt', value: 10_000 },
        },
      ],
    }
    const expected = customers.filter((c) => {
      const x = f.get(c.external_id)
      const n = x?.n ?? 0
      const spend = x?.spend ?? 0
      return (
        n >= 3 &&
        ((c.tags ?? []).includes('vip') || ['Lombardia', 'Lazio'].includes(c.region)) &&
        !(spend < 10_000)
      )
    })
    expect(expected.length).toBeGreaterThan(3)
    const { status, body } = await post(t, '/api/segments/preview', read, { rule, sample_size: 5 })
    expect(status, JSON.stringify(body)).toBe(200)
    expect(body.count).toBe(expected.length)
    expect(body.value).toBe(expected.reduce((a, c) => a + f.get(c.external_id)!.spend, 0))
    const top = [...expected].sort(
      (a, b) => f.get(b.external_id)!.spend - f.get(a.external_id)!.spend,
    )
    expect(body.sample).toHaveLength(5)
    expect(body.sample[0].external_id).toBe(top[0]!.external_id)
    expect(body.sample[0].total_spend).toBe(f.get(top[0]!.external_id)!.spend)
    expect(body.sample[0].name).toBe(top[0]!.name)
  })

  it('preview: free attributes, hostile strings, dates and RFM segments are bound values', async () => {
    const one = async (rule: unknown) => {
      const { status, body } = await post(t, '/api/segments/preview', read, { rule })
      expect(status, JSON.stringify(body)).toBe(200)
      return body.count as number
    }
    expect(
      await one({ kind: 'attribute', field: 'attributes.tier', op: 'eq', value: "o'hara" }),
    ).toBe(1)
    expect(
      await one({
        kind: 'attribute',
        field: 'country',
        op: 'eq',
        value: "IT'; DROP TABLE customers; --",
      }),
    ).toBe(0)
    expect(await one({ kind: 'attribute', field: 'country', op: 'eq', value: 'US' })).toBe(2)
    const since = customers.filter(
      (c) => c.created_at >= '2026-01-01T00:00:00+01:00' && !c.external_id.startsWith('usd'),
    ).length
    expect(
      await one({ kind: 'attribute', field: 'first_seen', op: 'gte', value: '2026-01-01' }),
    ).toBe(since)
    const f = figures(Date.now())
    const scores = computeRfmScores(
      [...f].map(([id, x]) => ({
        id,
        recencyDays: (Date.now() - x.last) / DAY,
        frequency: x.n,
        monetary: x.spend,
      })),
    )
    const lostOrAtRisk = scores.filter(
      (s) => s.segment === 'lost' || s.segment === 'at_risk',
    ).length
    expect(await one({ kind: 'rfm_segment', op: 'in', segments: ['lost', 'at_risk'] })).toBe(
      lostOrAtRisk,
    )
    // not_in counts customers without a segment (no orders) too: the exact complement.
    expect(await one({ kind: 'rfm_segment', op: 'not_in', segments: ['lost', 'at_risk'] })).toBe(
      customers.length - lostOrAtRisk,
    )
  })

  it('rejects bad rules with the path and reason, in Italian and English', async () => {
    const bad = await post(t, '/api/segments/preview', read, {
      rule: {
        kind: 'and',
        conditions: [
          { kind: 'metric', field: 'orders_count', op: 'gte', value: 'three' },
          { kind: 'attribute', field: 'password_hash', op: 'eq', value: 'x' },
        ],
      },
    })
    expect(bad.status).toBe(400)
    expect(bad.body.error.code).toBe('validation_failed')
    const paths = bad.body.error.details.map((d: any) => d.path)
    expect(paths).toContain('rule.conditions[0].value')
    expect(paths).toContain('rule.conditions[1].field')
    const italian = await post(
      t,
      '/api/segments/preview',
      { ...read, 'accept-language': 'it' },
      {
        rule: { kind: 'attribute', field: 'password_hash', op: 'eq', value: 'x' },
      },
    )
    expect(italian.body.error.details[0].message).toBe(
      'field: attributo sconosciuto "password_hash"',
    )
    const unknownField = bad.body.error.details.find(
      (d: any) => d.path === 'rule.conditions[1].field',
    )
    expect(unknownField.value.it).toContain('attributo sconosciuto')
    // The replica has customer_predictions (empty until a scoring run): its fields are offered,
    // an unknown prediction is refused, and nobody has a churn risk yet.
    const pred = await post(t, '/api/segments/preview', read, {
      rule: { kind: 'prediction', field: 'churn_probability', op: 'gte', value: 0.5 },
    })
    expect(pred.status).toBe(400)
    expect(pred.body.error.details[0].path).toBe('rule.field')
    const risky = await post(t, '/api/segments/preview', read, {
      rule: { kind: 'prediction', field: 'churn_risk', op: 'gte', value: 0.5 },
    })
    expect(risky.status, JSON.stringify(risky.body)).toBe(200)
    expect(risky.body.count).toBe(0)
    const catalog = await getJson(t, '/api/segments/catalog', read)
    expect(catalog.status).toBe(200)
    expect(
      catalog.body.fields.filter((x: any) => x.kind === 'prediction').map((x: any) => x.field),
    ).toContain('churn_risk')
    expect(catalog.body.fields.map((x: any) => x.field)).toContain('attributes.tier')
    expect(catalog.body.tags).toContain('vip')
  })

  it('saved segments: CRUD with permissions, members paged, metrics filtered by the segment', async () => {
    const rule = { kind: 'metric', field: 'orders_count', op: 'gte', value: 3 }
    expect((await post(t, '/api/segments', {}, { name: 'x', rule })).status).toBe(401)
    expect((await post(t, '/api/segments', read, { name: 'x', rule })).status).toBe(403)
    const bad = await post(t, '/api/segments', owner, { name: '', rule: { kind: 'nope' } })
    expect(bad.status).toBe(400)
    expect(bad.body.error.details.map((d: any) => d.path)).toContain('name')
    const created = await post(t, '/api/segments', owner, {
      name: 'Frequent',
      description: '3+ orders',
      rule,
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const id = created.body.id as number
    expect((await post(t, '/api/segments', owner, { name: 'Frequent', rule })).status).toBe(409)
    // Roles: an agent reads but cannot save; an analyst can.
    const signIn = async (role: 'agent' | 'analyst') => {
      const email = `${role}@example.it`
      const created = await post(t, '/api/users', owner, {
        email,
        password: 'a long enough password',
        role,
      })
      expect(created.status, JSON.stringify(created.body)).toBe(201)
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email, password: 'a long enough password' },
      })
      const cookie = res.cookies.find((c) => c.name === 'fedele_session')!
      return {
        cookie: `fedele_session=${cookie.value}`,
        'x-csrf-token': res.json<any>().csrf_token as string,
      }
    }
    const agent = await signIn('agent')
    expect((await getJson(t, '/api/segments', agent)).status).toBe(200)
    expect((await post(t, '/api/segments', agent, { name: 'By agent', rule })).status).toBe(403)
    const analyst = await signIn('analyst')
    const byAnalyst = await post(t, '/api/segments', analyst, { name: 'By analyst', rule })
    expect(byAnalyst.status).toBe(201)
    expect(
      (
        await t.app.inject({
          method: 'DELETE',
          url: `/api/segments/${byAnalyst.body.id}`,
          headers: analyst,
        })
      ).statusCode,
    ).toBe(200)
    const writer = await t.apiKey(['write'])
    const other = await post(t, '/api/segments', writer, {
      name: 'Other',
      rule: { kind: 'and', conditions: [] },
    })
    expect(other.status).toBe(201)
    const list = await getJson(t, '/api/segments', read)
    expect(list.body.segments.map((s: any) => s.name)).toEqual(['Frequent', 'Other'])

    // Members, paged: every page together is the whole segment, most valuable first.
    const f = figures(Date.now())
    const expected = customers
      .filter((c) => (f.get(c.external_id)?.n ?? 0) >= 3)
      .map((c) => c.external_id)
    const seen: string[] = []
    const spends: number[] = []
    for (let page = 1; page < 20; page++) {
      const r = await getJson(t, `/api/segments/${id}/customers?page=${page}&page_size=7`, read)
      expect(r.status).toBe(200)
      expect(r.body.total).toBe(expected.length)
      if (r.body.customers.length === 0) break
      for (const c of r.body.customers) {
        seen.push(c.external_id)
        spends.push(c.total_spend)
      }
    }
    expect(seen.sort()).toEqual([...expected].sort())
    expect([...spends].sort((a, b) => b - a)).toEqual(
      spends.length ? [...spends].sort((a, b) => b - a) : [],
    )

    // A metric over the saved segment equals the metric over the same customers by hand.
    const key = '2026-03'
    const b = bucketFromKey(key, ZONE)
    const iso = (ms: number) => new Date(ms).toISOString()
    const { status, body } = await getJson(
      t,
      `/api/metrics/kpis?from=${iso(b.start)}&to=${iso(b.end)}&compare=false&segment=segment:${id}`,
      read,
    )
    expect(status, JSON.stringify(body)).toBe(200)
    const members = new Set(expected)
    const ref = periodCustomers(
      { orders: referenceOrders(orders.filter((o) => members.has(o.customer_external_id))) },
      b,
    )
    expect(body.period.counts).toEqual(ref.counts)
    expect(body.period.counts.S + body.period.counts.N).toBeGreaterThan(0)
    // rfm_segment filter and an unknown segment id.
    const rfm = await getJson(
      t,
      `/api/metrics/kpis?from=${iso(b.start)}&to=${iso(b.end)}&compare=false&segment=rfm_segment:champions|loyal`,
      read,
    )
    expect(rfm.status, JSON.stringify(rfm.body)).toBe(200)
    // Two resolved conditions and a plain one in one filter keep their parameters apart.
    const combined = await getJson(
      t,
      `/api/metrics/kpis?from=${iso(b.start)}&to=${iso(b.end)}&compare=false&segment=segment:${id}|${other.body.id};rfm_segment:champions;region:Lazio`,
      read,
    )
    expect(combined.status, JSON.stringify(combined.body)).toBe(200)
    // "Other" has every customer, so the filter is: champions now, in Lazio.
    const champions = new Set(
      computeRfmScores(
        [...f].map(([cid, x]) => ({
          id: cid,
          recencyDays: (Date.now() - x.last) / DAY,
          frequency: x.n,
          monetary: x.spend,
        })),
      )
        .filter((s) => s.segment === 'champions')
        .map((s) => s.id),
    )
    const lazio = new Set(
      customers
        .filter((c) => c.region === 'Lazio' && champions.has(c.external_id))
        .map((c) => c.external_id),
    )
    expect(lazio.size).toBeGreaterThan(0)
    expect(combined.body.period.counts).toEqual(
      periodCustomers(
        { orders: referenceOrders(orders.filter((o) => lazio.has(o.customer_external_id))) },
        b,
      ).counts,
    )
    const missing = await getJson(
      t,
      `/api/metrics/kpis?from=${iso(b.start)}&to=${iso(b.end)}&segment=segment:99999`,
      read,
    )
    expect(missing.status).toBe(400)
    expect(missing.body.error.details[0].path).toBe('segment')

    // Update and delete.
    const renamed = await post(
      t,
      `/api/segments/${id}`,
      owner,
      { name: 'Very frequent', rule: { ...rule, value: 5 } },
      'PATCH',
    )
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200)
    expect(renamed.body.rule.value).toBe(5)
    expect(
      (
        await post(
          t,
          `/api/segments/${id}`,
          owner,
          { rule: { kind: 'metric', field: 'nope', op: 'eq', value: 1 } },
          'PATCH',
        )
      ).status,
    ).toBe(400)
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/segments/${other.body.id}`,
      headers: owner,
    })
    expect(del.statusCode).toBe(200)
    expect((await getJson(t, `/api/segments/${other.body.id}`, read)).status).toBe(404)
  })

  it('membership history: snapshots count, value, entered and exited', async () => {
    const created = await post(t, '/api/segments', owner, {
      name: 'Big spenders',
      rule: { kind: 'metric', field: 'total_spend', op: 'gte', value: 50_000 },
    })
    const id = created.body.id as number
    await snapshotSegments(t.ctx, 'test', new Date('2026-06-01T00:00:00Z'))
    // usd_2 jumps in, one big spender drops out (their orders cancelled).
    const f = figures(Date.now())
    const before = customers.filter((c) => (f.get(c.external_id)?.spend ?? 0) >= 50_000)
    expect(before.length).toBeGreaterThan(1)
    const leaver = before[0]!.external_id
    await loadRecords(t.db.db, {
      orders: [
        {
          external_id: 'usd_big',
          customer_external_id: 'usd_2',
          placed_at: '2026-05-20T10:00:00Z',
          status: 'completed',
          currency: 'EUR',
          total: 60_000,
        },
        ...orders
          .filter((o) => o.customer_external_id === leaver)
          .map((o) => ({ ...o, status: 'cancelled' })),
      ],
    })
    await snapshotSegments(t.ctx, 'test', new Date('2026-06-02T00:00:00Z'))
    const { status, body } = await getJson(t, `/api/segments/${id}/history`, read)
    expect(status).toBe(200)
    const [first, second] = body.snapshots.filter((s: any) => s.reason === 'test')
    expect(first).toMatchObject({
      count: before.length,
      entered: null,
      exited: null,
      currency: 'EUR',
    })
    expect(first.value).toBe(before.reduce((a, c) => a + f.get(c.external_id)!.spend, 0))
    expect(second).toMatchObject({ count: before.length, entered: 1, exited: 1 })
  })

  it('the snapshot job runs after a save and queues the next daily run', async () => {
    const created = await post(t, '/api/segments', owner, {
      name: 'Vip',
      rule: { kind: 'tag', op: 'has', tag: 'vip' },
    })
    expect(created.status).toBe(201)
    expect(await t.ctx.jobs.drain()).toBeGreaterThanOrEqual(1)
    const { body } = await getJson(t, `/api/segments/${created.body.id}/history`, read)
    const vip = customers.filter((c) => (c.tags ?? []).includes('vip')).length
    expect(body.snapshots.at(-1)).toMatchObject({ reason: 'saved', count: vip })
    const daily = await t.db.db
      .selectFrom('jobs')
      .select(['dedupe_key', 'run_at', 'status'])
      .where('name', '=', 'segments-snapshot')
      .where('status', '=', 'queued')
      .execute()
    expect(daily).toHaveLength(1)
    expect(daily[0]!.dedupe_key).toMatch(/^segments-snapshot:daily:\d{4}-\d{2}-\d{2}$/)
    expect(new Date(daily[0]!.run_at).getTime()).toBeGreaterThan(Date.now())
  })

  it('an import queues a snapshot of the saved segments', async () => {
    const form = new FormData()
    form.append(
      'file',
      new Blob(['external_id,email,country\nimp-1,imp1@example.it,FR\n']),
      'c.csv',
    )
    const req = new Request('http://localhost/', { method: 'POST', body: form })
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/imports/customers',
      headers: { ...(await t.apiKey(['write'])), 'content-type': req.headers.get('content-type')! },
      payload: Buffer.from(await req.arrayBuffer()),
    })
    expect(res.statusCode, res.body).toBe(202)
    await t.ctx.jobs.drain()
    const list = await getJson(t, '/api/segments', read)
    const vip = list.body.segments.find((s: any) => s.name === 'Vip')
    const { body } = await getJson(t, `/api/segments/${vip.id}/history`, read)
    expect(body.snapshots.at(-1)).toMatchObject({ reason: 'import', entered: 0, exited: 0 })
  })
})
