import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../databases.ts'
import { sessionCookie, startTestApp, type TestApp } from '../harness.ts'

const customer = (id: string, extra: Record<string, unknown> = {}) => ({ external_id: id, ...extra })
const order = (id: string, customerId: string | null, extra: Record<string, unknown> = {}) => ({
  external_id: id,
  customer_external_id: customerId,
  placed_at: '2025-03-31T23:30:00Z',
  currency: 'EUR',
  total: 12_345,
  ...extra,
})

describe.each(DIALECTS)('HTTP API on %s', (kind) => {
  let t: TestApp
  let write: Record<string, string>
  beforeAll(async () => {
    t = await startTestApp(kind)
    write = await t.apiKey(['write'])
  })
  afterAll(() => t.close())

  it('answers health and readiness without credentials', async () => {
    expect((await t.app.inject('/api/health')).json()).toMatchObject({ status: 'ok' })
    expect((await t.app.inject('/api/ready')).json()).toEqual({ status: 'ready', database: kind })
  })

  it('refuses a second owner setup', async () => {
    await t.owner()
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: { email: 'other@example.it', password: 'a long enough password' },
    })
    expect(res.statusCode).toBe(409)
    expect(res.json().error.code).toBe('already_set_up')
  })

  it('401 without credentials, 401 with a wrong key, 403 for a missing right; no data in the body', async () => {
    await t.app.inject({ method: 'POST', url: '/api/customers', headers: write, payload: customer('secret-1', { email: 'secret@example.it' }) })
    const none = await t.app.inject('/api/customers')
    expect(none.statusCode).toBe(401)
    expect(none.body).not.toContain('secret')
    const wrong = await t.app.inject({ url: '/api/customers', headers: { authorization: 'Bearer fdl_000000000000_' + 'x'.repeat(43) } })
    expect(wrong.statusCode).toBe(401)
    const ingestOnly = await t.apiKey(['ingest'])
    const forbidden = await t.app.inject({ url: '/api/customers', headers: ingestOnly })
    expect(forbidden.statusCode).toBe(403)
    expect(forbidden.json()).toEqual({ error: expect.objectContaining({ code: 'forbidden' }) })
    expect(forbidden.body).not.toContain('secret')
    const readOnly = await t.apiKey(['read'])
    const cannotWrite = await t.app.inject({ method: 'POST', url: '/api/customers', headers: readOnly, payload: customer('x') })
    expect(cannotWrite.statusCode).toBe(403)
  })

  it('requires the CSRF token on cookie-authenticated writes', async () => {
    const h = await t.owner()
    const noToken = await t.app.inject({ method: 'PATCH', url: '/api/settings', headers: { cookie: h.cookie! }, payload: { name: 'Shop' } })
    expect(noToken.statusCode).toBe(403)
    expect(noToken.json().error.code).toBe('csrf_failed')
    const ok = await t.app.inject({ method: 'PATCH', url: '/api/settings', headers: h, payload: { name: 'Shop' } })
    expect(ok.statusCode).toBe(200)
    expect(ok.json()).toMatchObject({ name: 'Shop', time_zone: 'Europe/Rome', reporting_currency: 'EUR', activity_window_days: 365, default_locale: 'it' })
  })

  it('signs in with a password and answers errors in Italian when asked', async () => {
    const bad = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'accept-language': 'it-IT,it;q=0.9' }, payload: { email: 'owner@example.it', password: 'wrong password!' } })
    expect(bad.statusCode).toBe(401)
    expect(bad.json().error.message).toBe('Email o password errate.')
    const good = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'OWNER@example.it', password: 'a long enough password' } })
    expect(good.statusCode).toBe(200)
    const cookie = good.cookies.find((c) => c.name === 'fedele_session')
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' })
    const me = await t.app.inject({ url: '/api/auth/me', headers: { cookie: sessionCookie(good) } })
    expect(me.json().user.role).toBe('owner')
  })

  it('rejects unknown fields, wrong types, out-of-range values and missing fields with paths; writes nothing', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/orders/batch',
      headers: write,
      payload: {
        records: [
          { ...order('bad-1', null), colour: 'red' },
          { ...order('bad-2', null), total: 'ten' },
          { ...order('bad-3', null), total: -5 },
          { external_id: 'bad-4', customer_external_id: null, currency: 'EUR', total: 1 },
        ],
      },
    })
    expect(res.statusCode).toBe(400)
    const paths = (res.json().error.details as { path: string }[]).map((d) => d.path)
    expect(paths).toEqual(expect.arrayContaining(['records[0]', 'records[1].total', 'records[2].total', 'records[3].placed_at']))
    const list = await t.app.inject({ url: '/api/orders?limit=1000', headers: write })
    expect(list.json().items.filter((o: { external_id: string }) => o.external_id.startsWith('bad-'))).toEqual([])
  })

  it('rejects duplicate external ids in a batch naming both positions', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/customers/batch',
      headers: write,
      payload: { records: [customer('d1'), customer('d2'), customer('d1')] },
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.code).toBe('duplicate_external_id')
    expect(res.json().error.details[0]).toMatchObject({ path: 'records[2].external_id', message: expect.stringContaining('records[0]') })
    expect((await t.app.inject({ url: '/api/customers/d2', headers: write })).statusCode).toBe(404)
  })

  it('rejects an order for an unknown customer unless asked to create it', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/orders/batch', headers: write, payload: { records: [order('u1', 'ghost')] } })
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toMatchObject({ code: 'unknown_reference', details: [{ path: 'records[0].customer_external_id', value: 'ghost' }] })
    const created = await t.app.inject({ method: 'POST', url: '/api/orders/batch?create_customers=true', headers: write, payload: { records: [order('u1', 'ghost')] } })
    expect(created.json()).toMatchObject({ inserted: 1, customers_created: 1 })
    expect((await t.app.inject({ url: '/api/customers/ghost', headers: write })).statusCode).toBe(200)
  })

  it('is idempotent: the same batch with the same key returns the first answer and writes nothing', async () => {
    const payload = { records: [customer('i1', { name: 'Anna' }), customer('i2')] }
    const headers = { ...write, 'idempotency-key': 'batch-42' }
    const first = await t.app.inject({ method: 'POST', url: '/api/customers/batch', headers, payload })
    expect(first.json()).toMatchObject({ inserted: 2, replayed: false })
    const again = await t.app.inject({ method: 'POST', url: '/api/customers/batch', headers, payload })
    expect(again.json()).toMatchObject({ inserted: 2, replayed: true })
    const other = await t.app.inject({ method: 'POST', url: '/api/customers/batch', headers, payload: { records: [customer('i3')] } })
    expect(other.statusCode).toBe(422)
    const noKey = await t.app.inject({ method: 'POST', url: '/api/customers/batch', headers: write, payload })
    expect(noKey.json()).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 })
    const changed = await t.app.inject({ method: 'POST', url: '/api/customers/batch', headers: write, payload: { records: [customer('i1', { name: 'Anna Rossi' }), customer('i2')] } })
    expect(changed.json()).toMatchObject({ inserted: 0, updated: 1, unchanged: 1 })
  })

  it('stores amounts in any currency as given, in minor units, with order lines', async () => {
    await t.app.inject({ method: 'POST', url: '/api/customers', headers: write, payload: customer('cur') })
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/orders',
      headers: write,
      payload: order('usd-1', 'cur', { currency: 'USD', total: 1999, lines: [{ sku: 'S', quantity: 1, unit_price: 1999, line_total: 1999 }] }),
    })
    expect(res.statusCode).toBe(200)
    const got = (await t.app.inject({ url: '/api/orders/usd-1', headers: write })).json()
    expect(got).toMatchObject({ currency: 'USD', total: 1999, lines: [{ sku: 'S', quantity: 1, unit_price: 1999 }] })
  })

  it('pages lists with a cursor and filters', async () => {
    const records = Array.from({ length: 25 }, (_, i) => customer(`p${String(i).padStart(2, '0')}`, { country: i % 2 ? 'IT' : 'DE' }))
    await t.app.inject({ method: 'POST', url: '/api/customers/batch', headers: write, payload: { records } })
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const url: string = `/api/customers?limit=7${cursor ? `&cursor=${cursor}` : ''}`
      const page = (await t.app.inject({ url, headers: write })).json<{ items: { external_id: string }[]; next_cursor: string | null }>()
      seen.push(...page.items.map((i) => i.external_id))
      cursor = page.next_cursor
    } while (cursor)
    expect(seen.filter((id) => /^p\d\d$/.test(id))).toHaveLength(25)
    expect(new Set(seen).size).toBe(seen.length)
    const bad = await t.app.inject({ url: '/api/customers?cursor=nonsense', headers: write })
    expect(bad.statusCode).toBe(400)
  })

  it('exports and erases a customer (GDPR), keeping the facts anonymised', async () => {
    await t.app.inject({ method: 'POST', url: '/api/customers', headers: write, payload: customer('gdpr-1', { email: 'giulia@example.it', name: 'Giulia Bianchi', phone: '+39 333 1234567' }) })
    await t.app.inject({ method: 'POST', url: '/api/orders', headers: write, payload: order('gdpr-o1', 'gdpr-1') })
    // A scoring of this customer: profiling results, exported and erased with the person.
    const db = t.db.db
    const id = (await db.selectFrom('customers').select('id').where('external_id', '=', 'gdpr-1').executeTakeFirstOrThrow()).id
    const run = await sql<{ id: number }>`insert into model_runs (kind, model, model_version, status, cutoff)
      values ('churn', 'test', 't1', 'succeeded', now()) returning id`.execute(db)
    const reasons = '{"v":2,"top":[["recency_days","n",800000,120,0,"h"]],"ctx":{"usual_gap_days":30}}'
    await sql`insert into customer_predictions (id, run_id, model_version, scored_at, churn_risk, clv_minor, value_tier, churn_reasons)
      values (${id}, ${run.rows[0]!.id}, 't1', now(), 0.8, 5000, 'gold', ${reasons}::jsonb)`.execute(db)
    await sql`insert into customer_prediction_history (customer_id, scored_at, model_version, run_id, churn_risk, clv_minor)
      values (${id}, now(), 't1', ${run.rows[0]!.id}, 0.8, 5000)`.execute(db)
    const exp = await t.app.inject({ url: '/api/customers/gdpr-1/export', headers: write })
    expect(exp.json()).toMatchObject({
      customer: { email: 'giulia@example.it' },
      orders: [{ external_id: 'gdpr-o1' }],
      // The reasons in words, as the person reads them.
      predictions: {
        churn_risk: 0.8,
        value_tier: 'gold',
        churn_reasons: [{ column: 'recency_days', contribution: 0.8, en: 'no order for 120 days, usually every 30' }],
      },
      prediction_history: [{ churn_risk: 0.8 }],
    })
    const erase = await t.app.inject({ method: 'POST', url: '/api/customers/gdpr-1/erase', headers: write })
    expect(erase.statusCode).toBe(200)
    const anon = erase.json().anonymous_id as string
    expect((await t.app.inject({ url: '/api/customers/gdpr-1', headers: write })).statusCode).toBe(404)
    const after = (await t.app.inject({ url: `/api/customers/${anon}`, headers: write })).json()
    expect(after).toMatchObject({ email: null, name: null, phone: null })
    expect(after.erased_at).toBeTruthy()
    expect((await t.app.inject({ url: '/api/orders/gdpr-o1', headers: write })).json()).toMatchObject({ customer_external_id: anon, total: 12_345 })
    expect(await db.selectFrom('customer_predictions').select('id').where('id', '=', id).execute()).toEqual([])
    expect(await db.selectFrom('customer_prediction_history').select('customer_id').where('customer_id', '=', id).execute()).toEqual([])
  })

  it('publishes an OpenAPI 3.1 document listing every route and a reference page', async () => {
    const doc = (await t.app.inject('/api/openapi.json')).json()
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/orders/batch', '/api/customers/{externalId}/erase', '/api/health', '/api/ready']))
    expect(doc.paths['/api/orders/batch'].post.requestBody.content['application/json'].schema.properties.records.maxItems).toBe(10_000)
    const page = await t.app.inject('/api/docs')
    expect(page.headers['content-type']).toContain('text/html')
  })
})

describe.each(DIALECTS)('limits on %s', (kind) => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp(kind, { FEDELE_BODY_LIMIT_MB: '0.01' })
  })
  afterAll(() => t.close())

  it('answers 413 to a body over the limit', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'a@b.it', password: 'x'.repeat(20_000) } })
    expect(res.statusCode).toBe(413)
    expect(res.json().error.code).toBe('payload_too_large')
  })

  it('rate-limits sign-in attempts', async () => {
    const codes: number[] = []
    for (let i = 0; i < 12; i++) {
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'nobody@example.it', password: 'wrong password' } })
      codes.push(res.statusCode)
    }
    // 10 attempts a minute per address (the 413 test above spent one of them).
    expect(codes[0]).toBe(401)
    expect(codes.filter((c) => c === 401).length).toBeLessThanOrEqual(10)
    expect(codes.at(-1)).toBe(429)
  })
})
