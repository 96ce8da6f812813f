/**
 * The known parameters of the demo business. Prediction code tests parameter recovery against
 * {@link DEMO_BGNBD_PARAMS} and {@link DEMO_GAMMA_GAMMA_PARAMS} (typed with the models' own
 * parameter types, so a fit's `params` compare directly); the rest shapes the realism.
 *
 * The processes, with the models' notation:
 * - BG/NBD (Fader, Hardie & Lee 2005), **time unit 1 day** of operational time (calendar.ts):
 *   while alive a customer buys as a Poisson process with rate λ ~ Gamma(shape r, rate α); after
 *   every *repeat* purchase they drop out for good with probability p ~ Beta(a, b); the first
 *   purchase is at acquisition. In weeks: α_weeks = α / 7 (r, a, b unchanged).
 *   E[λ] = r / α per day, E[p] = a / (a + b).
 * - Gamma-Gamma (Fader, Hardie & Lee 2005 JMR; Fader & Hardie 2013 note 025), **in euros**: every
 *   order total z ~ Gamma(shape p, rate ν), the customer's ν ~ Gamma(shape q, rate γ), independent
 *   of the purchase process; population mean order value p·γ / (q − 1).
 * - sBG (Fader & Hardie 2007) for voluntary subscription churn: θ ~ Beta(alpha, beta) per period.
 */
import type { BgnbdParams } from '../models/bgnbd.ts'
import type { GammaGammaParams } from '../models/gamma-gamma.ts'
import type { SbgParams } from '../models/sbg.ts'

export interface DemoAcquisitionParams {
  /** New customers per year grow by this factor (1.5 = +50 % a year); 1 = flat. */
  readonly growthPerYear: number
}

export interface DemoOrderParams {
  /** Probability that a repeat purchase is preceded by a cancelled order attempt. */
  readonly cancelledAttemptShare: number
  /** Probability that a purchase older than `refundAfterDays` was refunded. */
  readonly refundShare: number
  /** Among refunds, the share that is partial (one item returned). */
  readonly partialRefundShare: number
  /** A refund needs the order to be at least this old at `now` (days). */
  readonly refundAfterDays: number
}

export interface DemoSubscriptionParams {
  /** Probability that a customer ever subscribes to the Club. */
  readonly share: number
  /** Mean delay from acquisition to the first subscription (days, exponential). */
  readonly meanDaysToSubscribe: number
  /** Share of first subscriptions to a monthly plan that start with a free trial. */
  readonly trialShare: number
  readonly trialDays: number
  /** Probability that a trial converts into a paid subscription. */
  readonly trialConversion: number
  /** Voluntary churn per month of monthly plans. */
  readonly monthly: Readonly<SbgParams>
  /** Voluntary churn per year of the annual plan. */
  readonly yearly: Readonly<SbgParams>
  /** Probability per month of an upgrade or downgrade between the monthly plans. */
  readonly planChangePerPeriod: number
  /** Probability that a renewal payment fails (involuntary churn unless recovered). */
  readonly paymentFailurePerPeriod: number
  /** Probability that a failed payment is recovered within the dunning window. */
  readonly paymentRecovery: number
  readonly dunningDays: number
  /** Probability that a customer who cancelled subscribes again later. */
  readonly reactivation: number
  readonly meanDaysToReactivate: number
  /** Share of active subscriptions paused at `now`. */
  readonly pausedShare: number
}

export interface DemoTicketParams {
  /** Background tickets per customer-year of tenure. */
  readonly perYear: number
  /** Probability that an order leads to a ticket. */
  readonly perOrder: number
  /** Mean number of extra (mostly complaint) tickets in the ~90 days before a dropout. */
  readonly beforeDropout: number
  /** Mean number of extra tickets in the 45 days before a subscription cancellation. */
  readonly beforeCancellation: number
  /** Probability that a resolved ticket gets a satisfaction score. */
  readonly satisfactionShare: number
}

export interface DemoSurveyParams {
  /** Probability of answering each quarterly NPS survey (customers consenting to surveys). */
  readonly npsResponse: number
  /** Probability of answering the CSAT survey after an order. */
  readonly csatAfterOrder: number
  /** Probability of answering the CES survey after a resolved ticket. */
  readonly cesAfterTicket: number
  /** Share of answers with a free-text comment. */
  readonly commentShare: number
}

export interface DemoEventParams {
  /** Events per day while the customer is alive (operational days). */
  readonly activePerDay: number
  /** Events per day after the dropout (newsletter opens, a stray visit). */
  readonly inactivePerDay: number
  readonly maxPerCustomer: number
}

export interface DemoParams {
  readonly bgnbd: Readonly<BgnbdParams>
  readonly gammaGamma: Readonly<GammaGammaParams>
  readonly acquisition: DemoAcquisitionParams
  readonly orders: DemoOrderParams
  readonly subscriptions: DemoSubscriptionParams
  readonly tickets: DemoTicketParams
  readonly surveys: DemoSurveyParams
  readonly events: DemoEventParams
}

/** Overrides, group by group: `{ bgnbd: { r: 0.5 } }` keeps the other defaults. */
export type DemoParamsInput = { readonly [K in keyof DemoParams]?: Partial<DemoParams[K]> }

/**
 * Default BG/NBD parameters (days): r = 0.25, α = 40 → E[λ] = 0.00625/day ≈ 2.3 purchases a
 * year while alive; a = 0.8, b = 2.6 → E[p] ≈ 0.235 (about one customer in four stops after
 * each repeat purchase). Heterogeneity shapes close to CDNOW's (r 0.243, a 0.793, b 2.426).
 */
export const DEMO_BGNBD_PARAMS: Readonly<BgnbdParams> = Object.freeze({
  r: 0.25,
  alpha: 40,
  a: 0.8,
  b: 2.6,
})

/**
 * Default Gamma-Gamma parameters (euros): p = 6, q = 4, γ = 37.5 → mean order value
 * p·γ / (q − 1) = €75.00; a customer's orders vary with CV 1/√p ≈ 0.41 around their own mean.
 */
export const DEMO_GAMMA_GAMMA_PARAMS: Readonly<GammaGammaParams> = Object.freeze({
  p: 6,
  q: 4,
  gamma: 37.5,
})

export const DEFAULT_DEMO_PARAMS: DemoParams = Object.freeze({
  bgnbd: DEMO_BGNBD_PARAMS,
  gammaGamma: DEMO_GAMMA_GAMMA_PARAMS,
  acquisition: Object.freeze({ growthPerYear: 1.5 }),
  orders: Object.freeze({
    cancelledAttemptShare: 0.03,
    refundShare: 0.05,
    partialRefundShare: 0.4,
    refundAfterDays: 14,
  }),
  subscriptions: Object.freeze({
    share: 0.12,
    meanDaysToSubscribe: 60,
    trialShare: 0.6,
    trialDays: 30,
    trialConversion: 0.72,
    monthly: Object.freeze({ alpha: 1.1, beta: 11 }),
    yearly: Object.freeze({ alpha: 0.9, beta: 2.1 }),
    planChangePerPeriod: 0.025,
    paymentFailurePerPeriod: 0.02,
    paymentRecovery: 0.6,
    dunningDays: 10,
    reactivation: 0.2,
    meanDaysToReactivate: 150,
    pausedShare: 0.03,
  }),
  tickets: Object.freeze({
    perYear: 0.15,
    perOrder: 0.04,
    beforeDropout: 0.9,
    beforeCancellation: 0.6,
    satisfactionShare: 0.35,
  }),
  surveys: Object.freeze({
    npsResponse: 0.1,
    csatAfterOrder: 0.08,
    cesAfterTicket: 0.15,
    commentShare: 0.3,
  }),
  events: Object.freeze({ activePerDay: 0.015, inactivePerDay: 0.003, maxPerCustomer: 60 }),
})

const positive = ['bgnbd.r', 'bgnbd.alpha', 'bgnbd.a', 'bgnbd.b', 'gammaGamma.p', 'gammaGamma.q']
  .concat(['gammaGamma.gamma', 'acquisition.growthPerYear', 'subscriptions.trialDays'])
  .concat(['subscriptions.monthly', 'subscriptions.yearly', 'subscriptions.dunningDays'])
  .concat(['subscriptions.meanDaysToSubscribe', 'subscriptions.meanDaysToReactivate'])
const probabilities = [
  'orders.cancelledAttemptShare',
  'orders.refundShare',
  'orders.partialRefundShare',
  'subscriptions.share',
  'subscriptions.trialShare',
  'subscriptions.trialConversion',
  'subscriptions.planChangePerPeriod',
  'subscriptions.paymentFailurePerPeriod',
  'subscriptions.paymentRecovery',
  'subscriptions.reactivation',
  'subscriptions.pausedShare',
  'tickets.perOrder',
  'tickets.satisfactionShare',
  'surveys.npsResponse',
  'surveys.csatAfterOrder',
  'surveys.cesAfterTicket',
  'surveys.commentShare',
]

/**
 * Defaults overlaid with the given overrides, validated: rates and shapes must be finite and
 * > 0, probabilities in [0, 1], counts ≥ 0. Throws a RangeError naming the field otherwise.
 */
export function resolveDemoParams(input: DemoParamsInput | undefined): DemoParams {
  const d = DEFAULT_DEMO_PARAMS
  const i = input ?? {}
  const out: DemoParams = {
    bgnbd: { ...d.bgnbd, ...i.bgnbd },
    gammaGamma: { ...d.gammaGamma, ...i.gammaGamma },
    acquisition: { ...d.acquisition, ...i.acquisition },
    orders: { ...d.orders, ...i.orders },
    subscriptions: { ...d.subscriptions, ...i.subscriptions },
    tickets: { ...d.tickets, ...i.tickets },
    surveys: { ...d.surveys, ...i.surveys },
    events: { ...d.events, ...i.events },
  }
  const get = (path: string): unknown =>
    path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], out)
  const fail = (path: string, what: string): never => {
    throw new RangeError(`demo params: ${path} must be ${what}, got ${JSON.stringify(get(path))}`)
  }
  for (const path of positive) {
    const v = get(path)
    if (typeof v === 'object' && v !== null) {
      const s = v as SbgParams
      if (!(s.alpha > 0 && s.beta > 0 && Number.isFinite(s.alpha + s.beta))) {
        fail(path, '{ alpha > 0, beta > 0 }')
      }
    } else if (!(typeof v === 'number' && v > 0 && Number.isFinite(v))) fail(path, 'a number > 0')
  }
  for (const path of probabilities) {
    const v = get(path)
    if (!(typeof v === 'number' && v >= 0 && v <= 1)) fail(path, 'a probability in [0, 1]')
  }
  const nonNegative = [
    'orders.refundAfterDays',
    'tickets.perYear',
    'tickets.beforeDropout',
    'tickets.beforeCancellation',
    'events.activePerDay',
    'events.inactivePerDay',
    'events.maxPerCustomer',
  ]
  for (const path of nonNegative) {
    const v = get(path)
    if (!(typeof v === 'number' && v >= 0 && Number.isFinite(v))) fail(path, 'a number ≥ 0')
  }
  return out
}
