/**
 * The demo business generator: a seeded, deterministic, streaming simulation of an Italian
 * fashion-and-home retailer with an online shop, an app, marketplace listings, 14 stores and a
 * paid membership ("Club").
 *
 * For customer i (0-based) every facet draws from its own PRNG stream keyed by (seed, i, facet),
 * so customer i's records depend only on (seed, now, years, seasonality, params, i): generating
 * 10 or 10⁶ customers gives the same first 10, shards ([firstIndex, firstIndex + customers)) can be
 * generated in parallel, and memory stays constant while streaming.
 *
 * The processes (details in the modules named):
 * - acquisition (process.ts): created_at spread over [now − years, now] with density growing by
 *   `growthPerYear` a year; the first order is placed at created_at;
 * - purchase timing (process.ts): BG/NBD(r, α, a, b), time unit 1 day, simulated in operational
 *   time and mapped to calendar time by the seasonal time-warp (calendar.ts);
 * - order values (process.ts, orders.ts): Gamma-Gamma(p, q, γ) in euros; `total` is the drawn value
 *   in cents, lines + shipping − discount add up to it exactly, IVA 22 % included;
 * - cancelled attempts and refunds (orders.ts), subscriptions (subscriptions.ts), tickets
 *   (tickets.ts), survey answers (surveys.ts) and events (events.ts), each tied to the latent
 *   dropout where the real world would tie them.
 *
 * Using the data to test models:
 * - BG/NBD: per customer, the orders with status ≠ 'cancelled' are the purchases; the first is at
 *   created_at. x = their number − 1, t_x and T from the first one, in days. For exact recovery
 *   convert timestamps with `demo.clock.toOperationalDays` (or generate with `seasonality: false`);
 *   `includeTruth` gives x, t_x, T in operational days directly.
 *   Calendar-time fits are biased by 1–4 % (see calendar.ts for the measurement).
 * - Gamma-Gamma: the value of a purchase is its `total` (gross, before refunds), in euros = cents/100;
 *   average the repeat purchases (first one excluded). On 150,000 customers the project's fit gives
 *   p 6.05, q 3.995, γ 37.17 (truth 6, 4, 37.5; mean €75.07 against €75).
 * - sBG: truth.subscriptions gives each subscription's θ (see subscriptions.ts for censoring).
 */
import type {
  TCustomerRecord,
  TEventRecord,
  TOrderRecord,
  TSubscriptionChangeRecord,
  TSubscriptionRecord,
  TSurveyAnswerRecord,
  TTicketRecord,
} from '../records/schemas.ts'
import { createDemoClock, isoSeconds, type DemoClock } from './calendar.ts'
import { consentAt, customerRecord, samplePersona } from './customer.ts'
import { buildEvents } from './events.ts'
import { buildOrders, type Purchase } from './orders.ts'
import { resolveDemoParams, type DemoParams, type DemoParamsInput } from './params.ts'
import { sampleAcquisitionDay, sampleBgNbd, sampleOrderCents, sampleSpendRate } from './process.ts'
import { rngFor } from './random.ts'
import { buildSubscriptions, type SubscriptionTruth } from './subscriptions.ts'
import { buildSurveyAnswers } from './surveys.ts'
import { buildTickets } from './tickets.ts'

export interface DemoOptions {
  /** Any finite number; its integer part seeds every stream. */
  readonly seed: number
  /** The instant the data are observed at: nothing is dated after it. */
  readonly now: Date | string
  /** Number of customers to generate. */
  readonly customers: number
  /** Index of the first customer (default 0), to generate shards in parallel. */
  readonly firstIndex?: number
  /** Length of the history before `now`, in years of 365.2425 days (default 3). */
  readonly years?: number
  /** Apply the seasonal time-warp (default true); false gives pure BG/NBD timing. */
  readonly seasonality?: boolean
  /** Overrides of DEFAULT_DEMO_PARAMS, group by group. */
  readonly params?: DemoParamsInput
  /** Attach the latent truth to every bundle (default false). */
  readonly includeTruth?: boolean
}

/** What the simulation knows about a customer and the records do not show. */
export interface DemoCustomerTruth {
  readonly customer_external_id: string
  /** BG/NBD purchase rate λ per operational day while alive. */
  readonly lambda: number
  /** BG/NBD probability of dropping out after each repeat purchase. */
  readonly dropoutProbability: number
  /** Gamma-Gamma rate ν (per euro); the customer's expected order value is p / ν euros. */
  readonly spendRate: number
  readonly expectedOrderValue: number
  /** Whether the customer has dropped out by `now`; if so, at the purchase `droppedAt`. */
  readonly dropped: boolean
  readonly droppedAt: string | null
  /** BG/NBD summary in operational days from the first purchase: repeat purchases x, the time of
   * the last one t_x and the observation length T. */
  readonly x: number
  readonly tx: number
  readonly T: number
  /** sBG churn probability θ of each subscription. */
  readonly subscriptions: readonly SubscriptionTruth[]
}

/** All records of one customer, each array in time order. */
export interface DemoCustomerBundle {
  readonly index: number
  readonly customer: TCustomerRecord
  readonly orders: TOrderRecord[]
  readonly subscriptions: TSubscriptionRecord[]
  readonly subscription_changes: TSubscriptionChangeRecord[]
  readonly tickets: TTicketRecord[]
  readonly events: TEventRecord[]
  readonly survey_answers: TSurveyAnswerRecord[]
  readonly truth?: DemoCustomerTruth
}

/** A configured demo: random access to any customer, plus what is needed to interpret the data. */
export interface Demo {
  readonly seed: number
  readonly nowMs: number
  readonly years: number
  readonly params: DemoParams
  /** The operational clock (identity when seasonality is off). */
  readonly clock: DemoClock
  /** The bundle of customer `index` (any non-negative integer; independent of other customers). */
  customer(index: number): DemoCustomerBundle
}

/** Facet stream ids; never renumber (it would change every generated dataset). */
const STREAM = {
  acquisition: 0,
  profile: 1,
  purchases: 2,
  spend: 3,
  orders: 4,
  subscriptions: 5,
  tickets: 6,
  surveys: 7,
  events: 8,
  record: 9,
} as const

const floorSecond = (ms: number): number => Math.floor(ms / 1000) * 1000

function parseNow(now: Date | string): number {
  const ms = typeof now === 'string' ? Date.parse(now) : now instanceof Date ? now.getTime() : NaN
  if (!Number.isFinite(ms))
    throw new RangeError(`demo: now must be a valid Date or ISO 8601 string, got ${String(now)}`)
  return ms
}

/** Validate the options and prepare the clock; customers are generated on demand. */
export function createDemo(options: Omit<DemoOptions, 'customers'> & { customers?: number }): Demo {
  const { seed } = options
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw new RangeError(`demo: seed must be a finite number, got ${String(seed)}`)
  }
  const nowMs = parseNow(options.now)
  const years = options.years ?? 3
  if (!(typeof years === 'number' && years > 0 && years <= 50)) {
    throw new RangeError(`demo: years must be in (0, 50], got ${String(years)}`)
  }
  const params = resolveDemoParams(options.params)
  const clock = createDemoClock({ nowMs, years, seasonal: options.seasonality ?? true })
  const includeTruth = options.includeTruth ?? false
  return {
    seed,
    nowMs,
    years,
    params,
    clock,
    customer: (index) => customerBundle(seed, nowMs, params, clock, includeTruth, index),
  }
}

function customerBundle(
  seed: number,
  nowMs: number,
  params: DemoParams,
  clock: DemoClock,
  includeTruth: boolean,
  index: number,
): DemoCustomerBundle {
  if (!(Number.isSafeInteger(index) && index >= 0)) {
    throw new RangeError(`demo: customer index must be a non-negative integer, got ${index}`)
  }
  const acquisitionRng = rngFor(seed, index, STREAM.acquisition)
  const acquiredDay = sampleAcquisitionDay(
    acquisitionRng,
    clock.spanDays,
    params.acquisition.growthPerYear,
  )
  const createdMs = floorSecond(clock.toCalendarMs(acquiredDay))
  const persona = samplePersona(rngFor(seed, index, STREAM.profile), index, createdMs, nowMs)

  // BG/NBD in operational days, from the recorded acquisition instant to now
  const start = clock.toOperationalDays(createdMs)
  const bg = sampleBgNbd(rngFor(seed, index, STREAM.purchases), params.bgnbd, start, clock.spanDays)
  const spendRng = rngFor(seed, index, STREAM.spend)
  const nu = sampleSpendRate(spendRng, params.gammaGamma)
  const purchases: Purchase[] = bg.times.map((t, k) => ({
    ms: k === 0 ? createdMs : Math.max(createdMs, floorSecond(clock.toCalendarMs(t))),
    cents: sampleOrderCents(spendRng, params.gammaGamma, nu),
  }))
  const last = purchases[purchases.length - 1] as Purchase
  const droppedMs = bg.dropped ? last.ms : null

  const { orders, orderMs, refunded } = buildOrders(
    rngFor(seed, index, STREAM.orders),
    params,
    persona,
    nu,
    purchases,
    nowMs,
  )
  const subs = buildSubscriptions(rngFor(seed, index, STREAM.subscriptions), params, persona, nowMs)
  const tickets = buildTickets(
    rngFor(seed, index, STREAM.tickets),
    params,
    clock,
    persona,
    { orders, orderMs, refunded, droppedMs, cancellationsMs: subs.cancellationsMs },
    nowMs,
  )
  const survey_answers = buildSurveyAnswers(
    rngFor(seed, index, STREAM.surveys),
    params,
    persona,
    { orders, orderMs, tickets, droppedMs, cancellationsMs: subs.cancellationsMs },
    nowMs,
  )
  const events = buildEvents(
    rngFor(seed, index, STREAM.events),
    params,
    clock,
    persona,
    droppedMs,
    nowMs,
  )

  const recordRng = rngFor(seed, index, STREAM.record)
  let net = 0
  for (const o of orders) if (o.status !== 'cancelled') net += o.total - o.refunded_amount
  const tags: string[] = []
  if (net >= 100_000) tags.push('vip')
  if (subs.subscriptions.length > 0) tags.push('club')
  if (consentAt(persona.marketing, nowMs)) tags.push('newsletter')
  if (persona.usesApp) tags.push('app')
  if (refunded.length >= 2) tags.push('reso_frequente')
  if (recordRng.chance(0.004)) tags.push('dipendente')
  const customer = customerRecord(recordRng, persona, nowMs, tags)

  const bundle: DemoCustomerBundle = {
    index,
    customer,
    orders,
    subscriptions: subs.subscriptions,
    subscription_changes: subs.changes,
    tickets,
    events,
    survey_answers,
  }
  if (!includeTruth) return bundle
  const times = bg.times
  const truth: DemoCustomerTruth = {
    customer_external_id: persona.customerId,
    lambda: bg.lambda,
    dropoutProbability: bg.p,
    spendRate: nu,
    expectedOrderValue: params.gammaGamma.p / nu,
    dropped: bg.dropped,
    droppedAt: droppedMs === null ? null : isoSeconds(droppedMs),
    x: times.length - 1,
    tx: (times[times.length - 1] as number) - start,
    T: clock.spanDays - start,
    subscriptions: subs.truth,
  }
  return { ...bundle, truth }
}

/**
 * Stream customers [firstIndex, firstIndex + customers) one bundle at a time (constant memory).
 * Options are validated and the clock is built eagerly, when this function is called.
 */
export function generateDemo(options: DemoOptions): Generator<DemoCustomerBundle, void, undefined> {
  const n = options.customers
  if (!(Number.isSafeInteger(n) && n >= 0)) {
    throw new RangeError(`demo: customers must be a non-negative integer, got ${String(n)}`)
  }
  const first = options.firstIndex ?? 0
  if (!(Number.isSafeInteger(first) && first >= 0)) {
    throw new RangeError(`demo: firstIndex must be a non-negative integer, got ${String(first)}`)
  }
  const demo = createDemo(options)
  return (function* stream() {
    for (let i = first; i < first + n; i++) yield demo.customer(i)
  })()
}

/** All records of a demo as arrays keyed by entity kind (the names of RECORD_SCHEMAS). */
export interface DemoArrays {
  readonly customers: TCustomerRecord[]
  readonly orders: TOrderRecord[]
  readonly subscriptions: TSubscriptionRecord[]
  readonly subscription_changes: TSubscriptionChangeRecord[]
  readonly tickets: TTicketRecord[]
  readonly events: TEventRecord[]
  readonly survey_answers: TSurveyAnswerRecord[]
  /** Present when `includeTruth` is set, in customer order. */
  readonly truth?: DemoCustomerTruth[]
}

/** Convenience for small demos and tests: every record in memory (use generateDemo for big ones). */
export function generateDemoArrays(options: DemoOptions): DemoArrays {
  const out = {
    customers: [] as TCustomerRecord[],
    orders: [] as TOrderRecord[],
    subscriptions: [] as TSubscriptionRecord[],
    subscription_changes: [] as TSubscriptionChangeRecord[],
    tickets: [] as TTicketRecord[],
    events: [] as TEventRecord[],
    survey_answers: [] as TSurveyAnswerRecord[],
  }
  const truth: DemoCustomerTruth[] = []
  for (const b of generateDemo(options)) {
    out.customers.push(b.customer)
    for (const r of b.orders) out.orders.push(r)
    for (const r of b.subscriptions) out.subscriptions.push(r)
    for (const r of b.subscription_changes) out.subscription_changes.push(r)
    for (const r of b.tickets) out.tickets.push(r)
    for (const r of b.events) out.events.push(r)
    for (const r of b.survey_answers) out.survey_answers.push(r)
    if (b.truth !== undefined) truth.push(b.truth)
  }
  return options.includeTruth === true ? { ...out, truth } : out
}
