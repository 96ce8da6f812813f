/**
 * Model-independent forecasting helpers: discounted customer lifetime value from any conditional
 * expectation E[Y(t)], and the aggregate (cohort) tracking forecast from E[X(t)].
 */

export interface ClvOptions {
  /** Number of discounting periods K in the horizon (e.g. 12 for one year of months). */
  periods: number
  /** Length of one period in the model's time unit (e.g. 52/12 weeks per month). */
  periodLength: number
  /** Discount rate per period d (e.g. 0.01 for 1 % a month); 0 disables discounting. */
  discountRate: number
  /** Multiplier for the expected order value, e.g. a gross margin of 0.3 (default 1: revenue). */
  margin?: number
}

/**
 * Discounted CLV over a finite horizon:
 *
 *   CLV = margin · E[M] · Σ_{k=1..K} (E[Y(kΔ)] − E[Y((k−1)Δ)]) / (1 + d)^k
 *
 * where E[Y(t)] is the expected number of purchases in (T, T + t] given the customer's history,
 * E[M] the expected value of one purchase (e.g. from Gamma-Gamma), Δ the period length and d the
 * discount rate per period. Purchases expected during period k are discounted as if made at its
 * end. This is the formula of lifetimes' `_customer_lifetime_value` (CamDavidsonPilon/lifetimes
 * utils.py), with the period length explicit instead of a frequency code. The result is an
 * expectation in the currency unit of E[M], not an amount of money: round it when persisting.
 */
export function discountedClv(
  expectedPurchases: (t: number) => number,
  expectedValue: number,
  options: ClvOptions,
): number {
  assertClvOptions(options)
  const { periods, periodLength, discountRate } = options
  const margin = options.margin ?? 1
  let previous = 0
  let total = 0
  let discount = 1
  for (let k = 1; k <= periods; k++) {
    const cumulative = expectedPurchases(k * periodLength)
    discount /= 1 + discountRate
    total += (cumulative - previous) * discount
    previous = cumulative
  }
  return margin * expectedValue * total
}

function assertClvOptions(options: ClvOptions): void {
  const { periods, periodLength, discountRate, margin } = options
  if (!(Number.isInteger(periods) && periods >= 0)) {
    throw new RangeError(`periods must be a non-negative integer, got ${periods}`)
  }
  if (!(Number.isFinite(periodLength) && periodLength > 0)) {
    throw new RangeError(`periodLength must be positive and finite, got ${periodLength}`)
  }
  if (!(Number.isFinite(discountRate) && discountRate > -1)) {
    throw new RangeError(`discountRate must be finite and > −1, got ${discountRate}`)
  }
  if (margin !== undefined && !Number.isFinite(margin)) {
    throw new RangeError(`margin must be finite, got ${margin}`)
  }
}

/**
 * Aggregate tracking forecast for a cohort (Fader, Hardie & Lee 2005, §4 and Fig. 2): the expected
 * cumulative number of repeat purchases by calendar time τ is
 *
 *   Σ_i w_i · E[X(τ − b_i)]   over customers with first purchase b_i < τ,
 *
 * with E[X(t)] the unconditional expectation for a new customer of the model. `births` are the
 * first-purchase times on the same clock as `times` (e.g. weeks since the cohort start), `weights`
 * optional counts for grouped births. Returns one value per entry of `times`.
 */
export function expectedCumulativePurchases(
  expectedNewCustomer: (t: number) => number,
  births: ArrayLike<number>,
  times: ArrayLike<number>,
  weights?: ArrayLike<number>,
): Float64Array {
  if (weights && weights.length !== births.length) {
    throw new RangeError(
      `weights must match births in length, got ${weights.length} and ${births.length}`,
    )
  }
  const out = new Float64Array(times.length)
  for (let j = 0; j < times.length; j++) {
    const tau = times[j] as number
    let sum = 0
    for (let i = 0; i < births.length; i++) {
      const age = tau - (births[i] as number)
      if (age > 0) sum += (weights ? (weights[i] as number) : 1) * expectedNewCustomer(age)
    }
    out[j] = sum
  }
  return out
}

/**
 * Smallest t ≥ 0 with F(t) ≥ q for a non-decreasing F on [0, ∞) with F(0) = 0 and a known limit
 * F(∞): Infinity when F(∞) ≤ q. Bracketing by doubling from `scale`, then bisection to relative
 * precision 1e-10. Used for quantiles of the time to the next purchase.
 */
export function solveQuantile(
  cdf: (t: number) => number,
  limit: number,
  q: number,
  scale: number,
): number {
  if (!(q > 0)) return 0
  if (!(limit > q)) return Infinity
  let lo = 0
  let hi = scale > 0 ? scale : 1
  for (let i = 0; i < 200 && cdf(hi) < q; i++) {
    lo = hi
    hi *= 2
  }
  for (let i = 0; i < 200 && hi - lo > 1e-10 * hi; i++) {
    const mid = (lo + hi) / 2
    if (cdf(mid) < q) lo = mid
    else hi = mid
  }
  return (lo + hi) / 2
}
