import { describe, expect, it } from 'vitest'
import {
  ZCustomerRecord,
  ZEventRecord,
  ZOrderRecord,
  ZSubscriptionChangeRecord,
  ZSubscriptionRecord,
  ZSurveyAnswerRecord,
  ZTicketRecord,
} from '../records/schemas.ts'
import { gammaGammaPopulationMean } from '../models/gamma-gamma.ts'
import { romeParts } from './calendar.ts'
import { CITIES, STORES } from './italy.ts'
import {
  createDemo,
  DEMO_BGNBD_PARAMS,
  DEMO_GAMMA_GAMMA_PARAMS,
  generateDemo,
  generateDemoArrays,
} from './index.ts'

const NOW = '2025-06-30T22:00:00Z'
const NOW_MS = Date.parse(NOW)
const DAY = 86_400_000

const small = [...generateDemo({ seed: 2024, now: NOW, customers: 1500, includeTruth: true })]
const demo = createDemo({ seed: 2024, now: NOW })

describe('determinism', () => {
  it('gives byte-identical output for the same seed and now', () => {
    const a = JSON.stringify(generateDemoArrays({ seed: 7, now: NOW, customers: 200 }))
    const b = JSON.stringify(generateDemoArrays({ seed: 7, now: new Date(NOW), customers: 200 }))
    expect(a).toBe(b)
    expect(JSON.stringify(generateDemoArrays({ seed: 8, now: NOW, customers: 200 }))).not.toBe(a)
  })

  it('pins the output (an intended change of the generator updates this digest, and says so)', () => {
    const s = JSON.stringify(
      generateDemoArrays({ seed: 3, now: NOW, customers: 300, includeTruth: true }),
    )
    let h = 0x811c9dc5 // FNV-1a, 32 bits
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
    expect({ digest: (h >>> 0).toString(16), length: s.length }).toEqual({
      digest: 'b36528fa',
      length: 1_047_574,
    })
  })

  it('does not change the first customers when more are generated, and shards compose', () => {
    const few = [...generateDemo({ seed: 7, now: NOW, customers: 50 })]
    const many = [...generateDemo({ seed: 7, now: NOW, customers: 120 })]
    expect(JSON.stringify(many.slice(0, 50))).toBe(JSON.stringify(few))
    const shard = [...generateDemo({ seed: 7, now: NOW, customers: 30, firstIndex: 60 })]
    expect(JSON.stringify(shard)).toBe(JSON.stringify(many.slice(60, 90)))
    expect(JSON.stringify(createDemo({ seed: 7, now: NOW }).customer(99))).toBe(
      JSON.stringify(many[99]),
    )
  })

  it('keeps the latent process when seasonality is switched off (only the calendar moves)', () => {
    const flat = [
      ...generateDemo({
        seed: 2024,
        now: NOW,
        customers: 300,
        includeTruth: true,
        seasonality: false,
      }),
    ]
    for (let i = 0; i < 300; i++) {
      expect(flat[i]!.truth!.lambda).toBe(small[i]!.truth!.lambda)
      expect(flat[i]!.truth!.x).toBe(small[i]!.truth!.x)
    }
  })

  it('attaches the truth only when asked', () => {
    const [b] = generateDemo({ seed: 1, now: NOW, customers: 1 })
    expect(b).toBeDefined()
    expect('truth' in b!).toBe(false)
    expect(generateDemoArrays({ seed: 1, now: NOW, customers: 3 }).truth).toBeUndefined()
    expect(
      generateDemoArrays({ seed: 1, now: NOW, customers: 3, includeTruth: true }).truth,
    ).toHaveLength(3)
  })
})

describe('options', () => {
  it('rejects bad input eagerly with a clear error', () => {
    expect(() => generateDemo({ seed: 1, now: 'yesterday', customers: 1 })).toThrow(/now/)
    expect(() => generateDemo({ seed: 1, now: NOW, customers: -1 })).toThrow(/customers/)
    expect(() => generateDemo({ seed: Number.NaN, now: NOW, customers: 1 })).toThrow(/seed/)
    expect(() => generateDemo({ seed: 1, now: NOW, customers: 1, years: 0 })).toThrow(/years/)
    expect(() =>
      generateDemo({ seed: 1, now: NOW, customers: 1, params: { bgnbd: { r: 0 } } }),
    ).toThrow(/bgnbd\.r/)
  })
})

describe('records', () => {
  it('every record passes its zod schema unchanged (defaults already filled in)', () => {
    for (const b of small) {
      expect(ZCustomerRecord.parse(b.customer)).toEqual(b.customer)
      for (const r of b.orders) expect(ZOrderRecord.parse(r)).toEqual(r)
      for (const r of b.subscriptions) expect(ZSubscriptionRecord.parse(r)).toEqual(r)
      for (const r of b.subscription_changes) expect(ZSubscriptionChangeRecord.parse(r)).toEqual(r)
      for (const r of b.tickets) expect(ZTicketRecord.parse(r)).toEqual(r)
      for (const r of b.events) expect(ZEventRecord.parse(r)).toEqual(r)
      for (const r of b.survey_answers) expect(ZSurveyAnswerRecord.parse(r)).toEqual(r)
    }
  })

  it('has unique ids and e-mails, and every reference resolves', () => {
    const ids = new Set<string>()
    const emails = new Set<string>()
    let n = 0
    for (const b of small) {
      const subs = new Set(b.subscriptions.map((s) => s.external_id))
      for (const r of [
        b.customer,
        ...b.orders,
        ...b.subscriptions,
        ...b.subscription_changes,
        ...b.tickets,
        ...b.events,
        ...b.survey_answers,
      ]) {
        ids.add(r.external_id)
        n++
      }
      if (b.customer.email) emails.add(b.customer.email)
      for (const r of [
        ...b.orders,
        ...b.subscriptions,
        ...b.tickets,
        ...b.events,
        ...b.survey_answers,
      ]) {
        expect(r.customer_external_id).toBe(b.customer.external_id)
      }
      for (const c of b.subscription_changes)
        expect(subs.has(c.subscription_external_id)).toBe(true)
    }
    expect(ids.size).toBe(n)
    expect(emails.size).toBe(small.filter((b) => b.customer.email).length)
  })

  it('dates nothing after now nor before the customer was created (trial_end of a running trial excepted)', () => {
    for (const b of small) {
      const created = Date.parse(b.customer.created_at!)
      const within = (iso: string | null | undefined) => {
        if (iso === null || iso === undefined) return
        const t = Date.parse(iso)
        expect(t).toBeLessThanOrEqual(NOW_MS)
        expect(t).toBeGreaterThanOrEqual(created)
      }
      expect(created).toBeGreaterThanOrEqual(NOW_MS - 3 * 365.2425 * DAY)
      for (const c of Object.values(b.customer.consent ?? {})) within(c?.at)
      for (const o of b.orders) within(o.placed_at)
      for (const s of b.subscriptions) {
        for (const t of [s.started_at, s.canceled_at, s.ended_at]) within(t)
        if (s.status !== 'trialing') within(s.trial_end)
      }
      for (const c of b.subscription_changes) within(c.changed_at)
      for (const t of b.tickets) {
        for (const x of [t.opened_at, t.first_response_at, t.resolved_at]) within(x)
        for (const m of t.messages ?? []) within(m.at)
      }
      for (const e of b.events) within(e.occurred_at)
      for (const a of b.survey_answers) within(a.answered_at)
      if (b.customer.birthday)
        expect(Date.parse(b.customer.birthday)).toBeLessThan(created - 18 * 365 * DAY)
    }
  })

  it('describes Italian customers: real city, region and postcode; +39 phones; it/en locales', () => {
    const regions = new Set(CITIES.map((c) => c.region))
    expect(regions.size).toBe(20)
    const byName = new Map(CITIES.map((c) => [c.name, c]))
    const locales = new Map<string, number>()
    for (const { customer: c } of small) {
      const city = byName.get(c.city!)!
      expect(c.region).toBe(city.region)
      expect(Number(c.postcode)).toBeGreaterThanOrEqual(city.capFrom)
      expect(Number(c.postcode)).toBeLessThanOrEqual(city.capTo)
      expect(c.postcode).toMatch(/^\d{5}$/)
      if (c.phone) expect(c.phone).toMatch(/^\+39 3\d{2} \d{7}$/)
      if (c.email) expect(c.email).toMatch(/^[a-z._]+\d+@(mail\.)?example\.(it|com|net|org)$/)
      locales.set(c.locale!, (locales.get(c.locale!) ?? 0) + 1)
    }
    expect(locales.get('it')! / small.length).toBeGreaterThan(0.85)
    expect(locales.get('en')! / small.length).toBeGreaterThan(0.03)
    const romans = small.filter((b) => b.customer.city === 'Roma').length / small.length
    expect(romans).toBeGreaterThan(0.1) // the biggest city, by population weight
  })
})

describe('orders', () => {
  it('add up: lines + shipping − discount = total, IVA 22 % included, refunds within the total', () => {
    for (const b of small) {
      for (const o of b.orders) {
        let lines = 0
        for (const l of o.lines!) {
          expect(l.line_total).toBe(l.unit_price * l.quantity)
          expect(l.quantity).toBeGreaterThan(0)
          lines += l.line_total
        }
        expect(lines + o.shipping - o.discount).toBe(o.total)
        expect(o.tax).toBe(Math.round((o.total * 22) / 122))
        expect(o.currency).toBe('EUR')
        expect(o.refunded_amount).toBeLessThanOrEqual(o.total)
        expect(o.refunded_amount > 0).toBe(o.status === 'refunded')
        if (o.channel === 'store') expect(STORES).toContain(o.store)
        else expect(o.store).toBeNull()
      }
    }
  })

  it('start with a purchase at acquisition and are in time order', () => {
    for (const b of small) {
      const purchases = b.orders.filter((o) => o.status !== 'cancelled')
      expect(purchases[0]!.placed_at).toBe(b.customer.created_at)
      expect(b.orders.map((o) => o.placed_at)).toEqual(b.orders.map((o) => o.placed_at).sort())
    }
  })

  it('give the truth’s BG/NBD summary back when timestamps are mapped to operational time', () => {
    for (const b of small) {
      const t = b.orders
        .filter((o) => o.status !== 'cancelled')
        .map((o) => demo.clock.toOperationalDays(Date.parse(o.placed_at)))
      const truth = b.truth!
      const eps = 1e-4 // timestamps are truncated to whole seconds (≤ ~6 operational seconds)
      expect(t.length - 1).toBe(truth.x)
      expect(Math.abs(t[t.length - 1]! - t[0]! - truth.tx)).toBeLessThan(eps)
      expect(Math.abs(demo.clock.spanDays - t[0]! - truth.T)).toBeLessThan(eps)
      if (truth.dropped)
        expect(truth.droppedAt).toBe(
          b.orders.filter((o) => o.status !== 'cancelled').at(-1)!.placed_at,
        )
    }
  })
})

describe('subscriptions', () => {
  const subs = small.flatMap((b) => b.subscriptions)
  it('are consistent with now', () => {
    expect(subs.length).toBeGreaterThan(100)
    let canceled = 0
    let withReason = 0
    for (const s of subs) {
      const start = Date.parse(s.started_at)
      if (s.ended_at) expect(Date.parse(s.ended_at)).toBeGreaterThanOrEqual(start)
      if (s.canceled_at) expect(Date.parse(s.canceled_at)).toBeGreaterThanOrEqual(start)
      if (s.canceled_at && s.ended_at)
        expect(Date.parse(s.ended_at)).toBeGreaterThanOrEqual(Date.parse(s.canceled_at))
      switch (s.status) {
        case 'canceled':
          expect(s.canceled_at).toBeTruthy()
          expect(s.ended_at).toBeTruthy()
          canceled++
          if (s.cancellation_reason) withReason++
          break
        case 'ended':
          expect(s.ended_at).toBeTruthy()
          expect(s.cancellation_reason).toMatch(/pagamento non riuscito|payment failed/)
          break
        case 'trialing':
          expect(Date.parse(s.trial_end!)).toBeGreaterThan(NOW_MS)
          expect(s.ended_at).toBeNull()
          break
        default:
          expect(s.ended_at).toBeNull()
      }
      expect(['Club Base', 'Club Plus', 'Club Annuale']).toContain(s.plan)
      expect(s.interval).toBe(s.plan === 'Club Annuale' ? 'year' : 'month')
    }
    expect(canceled).toBeGreaterThan(20)
    expect(withReason / canceled).toBeGreaterThan(0.75)
  })

  it('record every plan change, the first at the start, the last giving the current amount', () => {
    let upgrades = 0
    for (const b of small) {
      for (const s of b.subscriptions) {
        const changes = b.subscription_changes.filter(
          (c) => c.subscription_external_id === s.external_id,
        )
        expect(changes[0]!.changed_at).toBe(s.started_at)
        expect(changes.at(-1)!.amount).toBe(s.amount)
        expect(changes.at(-1)!.plan).toBe(s.plan)
        upgrades += changes.length - 1
      }
    }
    expect(upgrades).toBeGreaterThan(5)
  })

  it('include reactivations: a later subscription of a customer who cancelled', () => {
    const again = small.filter((b) => b.subscriptions.length > 1)
    expect(again.length).toBeGreaterThan(3)
    for (const b of again) {
      expect(b.subscriptions[0]!.status).toBe('canceled')
      expect(Date.parse(b.subscriptions[1]!.started_at)).toBeGreaterThan(
        Date.parse(b.subscriptions[0]!.ended_at!),
      )
    }
  })
})

describe('tickets and surveys', () => {
  it('tickets are answered after opening and resolved after the answer; status follows', () => {
    for (const b of small) {
      for (const t of b.tickets) {
        const opened = Date.parse(t.opened_at)
        if (t.first_response_at)
          expect(Date.parse(t.first_response_at)).toBeGreaterThanOrEqual(opened)
        if (t.resolved_at)
          expect(Date.parse(t.resolved_at)).toBeGreaterThanOrEqual(Date.parse(t.first_response_at!))
        expect(t.resolved_at != null).toBe(t.status === 'resolved' || t.status === 'closed')
        if (t.satisfaction != null) expect(t.resolved_at).toBeTruthy()
      }
    }
  })

  it('answers only while the customer consents to surveys, with scores on the kind’s scale', () => {
    let answers = 0
    for (const b of small) {
      const consent = b.customer.consent!.surveys!
      for (const a of b.survey_answers) {
        answers++
        // granted, or withdrawn later (the flag then records the withdrawal)
        if (!consent.granted) {
          expect(consent.source).toBe('preference_center')
          expect(Date.parse(a.answered_at)).toBeLessThan(Date.parse(consent.at!))
        }
        const [lo, hi] = a.kind === 'nps' ? [0, 10] : a.kind === 'csat' ? [1, 5] : [1, 7]
        expect(a.score).toBeGreaterThanOrEqual(lo)
        expect(a.score).toBeLessThanOrEqual(hi)
      }
    }
    expect(answers).toBeGreaterThan(300)
  })
})

/** One streaming pass over the customers, collecting the figures the distribution tests check. */
function stats(seasonality: boolean, customers: number) {
  const s = {
    customers: 0,
    purchases: 0,
    cancelled: 0,
    refunded: 0,
    partial: 0,
    valueSum: 0,
    december: 0,
    repeaters: 0,
    expectedRepeaters: 0,
    events: 0,
    ticketsDropped: 0,
    ticketsAlive: 0,
    dropped: 0,
    nps: { dropped: [0, 0], alive: [0, 0] },
    open: 0,
    openForDays: 0,
  }
  const { r, alpha } = DEMO_BGNBD_PARAMS
  for (const b of generateDemo({
    seed: 99,
    now: NOW,
    customers,
    includeTruth: true,
    seasonality,
  })) {
    s.customers++
    const truth = b.truth!
    for (const o of b.orders) {
      if (o.status === 'cancelled') {
        s.cancelled++
        continue
      }
      s.purchases++
      s.valueSum += o.total / 100
      if (o.status === 'refunded') {
        s.refunded++
        if (o.refunded_amount < o.total) s.partial++
      }
      if (romeParts(Date.parse(o.placed_at)).month0 === 11) s.december++
    }
    if (truth.x > 0) s.repeaters++
    s.expectedRepeaters += 1 - (alpha / (alpha + truth.T)) ** r
    s.events += b.events.length
    if (truth.dropped) {
      s.dropped++
      s.ticketsDropped += b.tickets.length
    } else s.ticketsAlive += b.tickets.length
    for (const a of b.survey_answers) {
      if (a.kind !== 'nps') continue
      const g = truth.dropped ? s.nps.dropped : s.nps.alive
      g[0]! += a.score
      g[1]! += 1
    }
    for (const t of b.tickets) {
      if (t.resolved_at) continue
      s.open++
      if (NOW_MS - Date.parse(t.opened_at) > 2 * DAY) s.openForDays++
    }
  }
  return s
}

describe('distributions (20,000 customers)', () => {
  const seasonal = stats(true, 20_000)
  const flat = stats(false, 10_000)

  it('mean order value is near the Gamma-Gamma mean pγ/(q−1) = €75', () => {
    expect(gammaGammaPopulationMean(DEMO_GAMMA_GAMMA_PARAMS)).toBe(75)
    // sd of an order value ≈ €65; ~46k orders (clustered by customer) → 3 % is > 4 standard errors
    expect(Math.abs(seasonal.valueSum / seasonal.purchases / 75 - 1)).toBeLessThan(0.03)
  })

  it('the share of repeat customers matches BG/NBD: E[1 − (α/(α+T))^r]', () => {
    const share = seasonal.repeaters / seasonal.customers
    const expected = seasonal.expectedRepeaters / seasonal.customers
    expect(Math.abs(share - expected)).toBeLessThan(0.015)
    expect(share).toBeGreaterThan(0.3)
    expect(share).toBeLessThan(0.55)
  })

  it('December is visibly busier with seasonality, and not without', () => {
    const seasonalDec = seasonal.december / seasonal.purchases
    const flatDec = flat.december / flat.purchases
    expect(seasonalDec / flatDec).toBeGreaterThan(1.25)
    expect(flatDec).toBeLessThan(0.1) // ~1/12 when time is not warped
  })

  it('has a few per cent of cancelled and refunded orders, some refunds partial', () => {
    expect(seasonal.cancelled / (seasonal.purchases + seasonal.cancelled)).toBeGreaterThan(0.005)
    expect(seasonal.cancelled / (seasonal.purchases + seasonal.cancelled)).toBeLessThan(0.04)
    expect(seasonal.refunded / seasonal.purchases).toBeGreaterThan(0.02)
    expect(seasonal.refunded / seasonal.purchases).toBeLessThan(0.08)
    expect(seasonal.partial / seasonal.refunded).toBeGreaterThan(0.2)
    expect(seasonal.partial / seasonal.refunded).toBeLessThan(0.6)
  })

  it('customers who dropped out give lower NPS and open more tickets', () => {
    const npsDropped = seasonal.nps.dropped[0]! / seasonal.nps.dropped[1]!
    const npsAlive = seasonal.nps.alive[0]! / seasonal.nps.alive[1]!
    expect(npsAlive - npsDropped).toBeGreaterThan(1.5)
    const perDropped = seasonal.ticketsDropped / seasonal.dropped
    const perAlive = seasonal.ticketsAlive / (seasonal.customers - seasonal.dropped)
    expect(perDropped).toBeGreaterThan(1.5 * perAlive)
  })

  it('leaves some tickets unresolved at now, some for days', () => {
    expect(seasonal.open).toBeGreaterThan(5)
    expect(seasonal.openForDays).toBeGreaterThan(0)
  })

  it('keeps events modest', () => {
    expect(seasonal.events / seasonal.customers).toBeGreaterThan(1)
    expect(seasonal.events / seasonal.customers).toBeLessThan(15)
  })
})
