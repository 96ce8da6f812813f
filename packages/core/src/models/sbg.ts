/**
 * Shifted-beta-geometric (sBG) model of contractual retention (Fader & Hardie 2007, "How to project
 * customer retention", Journal of Interactive Marketing 21(1), 76–90; FH2007 below).
 *
 * Each customer renews at the end of every period with probability 1 − θ until the first
 * non-renewal; churn probabilities θ ~ Beta(α, β) across customers. T ∈ {1, 2, …} is the period in
 * which a customer churns (the number of periods paid for).
 */
import betaln from '@stdlib/math-base-special-betaln'
import { hyp2f1 } from './hyp2f1.ts'
import { fitPositiveParameters, toModelFit } from './optimize.ts'
import type { LogSpaceFitOptions, ModelFit, Objective } from './optimize.ts'

export interface SbgParams {
  /** First shape of the beta distribution of churn probabilities. */
  alpha: number
  /** Second shape of the beta distribution of churn probabilities. */
  beta: number
}

const NAMES: (keyof SbgParams & string)[] = ['alpha', 'beta']

/** P(T = t) = B(α+1, β+t−1)/B(α, β), t = 1, 2, … (FH2007 eq. 7). */
export function sbgChurnProbability(params: SbgParams, t: number): number {
  const { alpha, beta } = params
  if (!(Number.isInteger(t) && t >= 1)) return 0
  return Math.exp(betaln(alpha + 1, beta + t - 1) - betaln(alpha, beta))
}

/** S(t) = P(T > t) = B(α, β+t)/B(α, β), t = 0, 1, … (FH2007 eq. 8); S(0) = 1. */
export function sbgSurvival(params: SbgParams, t: number): number {
  const { alpha, beta } = params
  if (t <= 0) return 1
  return Math.exp(betaln(alpha, beta + t) - betaln(alpha, beta))
}

/**
 * Retention rate of period t, r_t = S(t)/S(t−1) = (β + t − 1)/(α + β + t − 1) (FH2007 eq. 9):
 * increasing in t because the customers most likely to churn leave first.
 */
export function sbgRetentionRate(params: SbgParams, t: number): number {
  const { alpha, beta } = params
  return (beta + t - 1) / (alpha + beta + t - 1)
}

/**
 * Checks survivor counts: at least two entries, finite, non-negative, non-increasing, first > 0.
 * Returns an English reason or null.
 */
export function checkSurvivors(survivors: ArrayLike<number>): string | null {
  if (survivors.length < 2)
    return `need the cohort size and at least one later count, got ${survivors.length} value(s)`
  const first = survivors[0] as number
  if (!(Number.isFinite(first) && first > 0))
    return `survivors[0] must be a positive count, got ${first}`
  for (let t = 1; t < survivors.length; t++) {
    const v = survivors[t] as number
    const prev = survivors[t - 1] as number
    if (!(Number.isFinite(v) && v >= 0))
      return `survivors[${t}] must be a non-negative count, got ${v}`
    if (v > prev)
      return `survivors must not increase: survivors[${t}] = ${v} > survivors[${t - 1}] = ${prev}`
  }
  return null
}

/**
 * Log-likelihood of a cohort followed for K periods (FH2007 eq. 6): with n_t = survivors[t−1] −
 * survivors[t] customers churning in period t and survivors[K] still active,
 *
 *   LL = Σ_{t=1..K} n_t ln P(T = t) + survivors[K] ln S(K).
 */
export function sbgLogLikelihood(params: SbgParams, survivors: ArrayLike<number>): number {
  assertSurvivors(survivors)
  return -sbgObjective(survivors)(Float64Array.of(params.alpha, params.beta), new Float64Array(2))
}

/**
 * Negative log-likelihood and analytic gradient, by the recursions
 * ln S(t) = ln S(t−1) + ln(β+t−1) − ln(α+β+t−1) and ln P(T=t) = ln α − ln(α+β+t−1) + ln S(t−1)
 * (FH2007 eqs. 7–8 written as products), differentiated term by term.
 */
export function sbgObjective(survivors: ArrayLike<number>): Objective {
  const counts = Float64Array.from(survivors)
  const K = counts.length - 1
  return (params, gradient) => {
    const alpha = params[0] as number
    const beta = params[1] as number
    let lnS = 0
    let dSa = 0
    let dSb = 0
    let ll = 0
    let ga = 0
    let gb = 0
    for (let t = 1; t <= K; t++) {
      const churned = (counts[t - 1] as number) - (counts[t] as number)
      const denom = alpha + beta + t - 1
      if (churned > 0) {
        ll += churned * (Math.log(alpha) - Math.log(denom) + lnS)
        ga += churned * (1 / alpha - 1 / denom + dSa)
        gb += churned * (-1 / denom + dSb)
      }
      lnS += Math.log(beta + t - 1) - Math.log(denom)
      dSa -= 1 / denom
      dSb += 1 / (beta + t - 1) - 1 / denom
    }
    const alive = counts[K] as number
    ll += alive * lnS
    ga += alive * dSa
    gb += alive * dSb
    gradient[0] = -ga
    gradient[1] = -gb
    return -ll
  }
}

export interface SbgFitOptions extends LogSpaceFitOptions {
  /** Starting values (default α = 1, β = 1). */
  start?: SbgParams
}

/**
 * Maximum-likelihood fit of the sBG model from the survivor counts of one cohort:
 * survivors[0] = customers at the start, survivors[t] = still active after t periods
 * (FH2007 §"Estimation"). BFGS on log-parameters with the analytic gradient, delta-method SEs.
 * Throws a RangeError for invalid counts (see `checkSurvivors`).
 */
export function sbgFit(
  survivors: ArrayLike<number>,
  options: SbgFitOptions = {},
): ModelFit<SbgParams> {
  assertSurvivors(survivors)
  const start = options.start ?? { alpha: 1, beta: 1 }
  const fit = fitPositiveParameters(sbgObjective(survivors), [start.alpha, start.beta], options)
  return toModelFit<SbgParams>(NAMES, fit, survivors[0] as number)
}

function assertSurvivors(survivors: ArrayLike<number>): void {
  const problem = checkSurvivors(survivors)
  if (problem) throw new RangeError(`invalid survivor counts: ${problem}`)
}

/**
 * Expected lifetime of a new customer in periods, E[T] = Σ_{t≥0} S(t) = (α + β − 1)/(α − 1) for
 * α > 1 (E[1/θ] under Beta(α, β)); Infinity for α ≤ 1, where the heavy tail of nearly loyal
 * customers makes the mean diverge (then use the discounted versions below).
 */
export function sbgExpectedLifetime(params: SbgParams): number {
  const { alpha, beta } = params
  return alpha > 1 ? (alpha + beta - 1) / (alpha - 1) : Infinity
}

/**
 * Discounted expected lifetime of a new customer, DEL(d) = Σ_{t≥0} S(t)/(1+d)^t
 * = ₂F₁(1, β; α+β; 1/(1+d)) (Fader & Hardie 2010, "Customer-base valuation in a contractual
 * setting: the perils of ignoring heterogeneity", Marketing Science 29(1), 85–93, eq. 4): the
 * number of payments, the first (at signup) undiscounted. Multiply by the payment per period for
 * a discounted CLV.
 */
export function sbgDiscountedExpectedLifetime(params: SbgParams, discountRate: number): number {
  assertDiscount(discountRate)
  return hyp2f1(1, params.beta, params.alpha + params.beta, 1 / (1 + discountRate))
}

/**
 * Discounted expected residual lifetime of a customer who has paid for n ≥ 1 periods (made n − 1
 * renewals), valued just before the next renewal decision (Fader & Hardie 2010, eq. 6):
 *
 *   DERL(d | n) = Σ_{k≥0} S(n+k)/S(n−1) / (1+d)^k
 *              = (β + n − 1)/(α + β + n − 1) · ₂F₁(1, β+n; α+β+n; 1/(1+d)).
 */
export function sbgDiscountedExpectedResidualLifetime(
  params: SbgParams,
  periodsPaid: number,
  discountRate: number,
): number {
  assertDiscount(discountRate)
  if (!(Number.isInteger(periodsPaid) && periodsPaid >= 1)) {
    throw new RangeError(`periodsPaid must be an integer ≥ 1, got ${periodsPaid}`)
  }
  const { alpha, beta } = params
  const n = periodsPaid
  return (
    ((beta + n - 1) / (alpha + beta + n - 1)) *
    hyp2f1(1, beta + n, alpha + beta + n, 1 / (1 + discountRate))
  )
}

function assertDiscount(d: number): void {
  if (!(Number.isFinite(d) && d >= 0)) {
    throw new RangeError(`discountRate must be finite and ≥ 0, got ${d}`)
  }
}
