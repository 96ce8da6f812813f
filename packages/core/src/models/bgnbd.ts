/**
 * BG/NBD model of repeat buying (Fader, Hardie & Lee 2005, "Counting your customers the easy way:
 * an alternative to the Pareto/NBD model", Marketing Science 24(2), 275–284; FHL below).
 *
 * While active, a customer buys at Poisson rate λ ~ Gamma(r, α) (shape r, rate α); after each
 * purchase they drop out with probability p ~ Beta(a, b). Times are in the caller's unit, measured
 * from each customer's first purchase; x counts repeat purchases.
 */
import betaln from '@stdlib/math-base-special-betaln'
import digamma from '@stdlib/math-base-special-digamma'
import gammaln from '@stdlib/math-base-special-gammaln'
import { discountedClv } from './forecast.ts'
import type { ClvOptions } from './forecast.ts'
import { hyp2f1 } from './hyp2f1.ts'
import { fitPositiveParameters, toModelFit } from './optimize.ts'
import type { LogSpaceFitOptions, ModelFit, Objective } from './optimize.ts'
import { assertValid, checkRfmData, distinctValues, groupByX, totalWeight } from './rfm.ts'
import type { RfmCustomer, RfmData } from './rfm.ts'
import { expm1Ratio, logAddExp, logistic } from './special.ts'

export interface BgnbdParams {
  /** Shape of the gamma distribution of purchase rates. */
  r: number
  /** Rate (inverse scale, in 1/time unit) of the gamma distribution of purchase rates. */
  alpha: number
  /** First shape of the beta distribution of dropout probabilities. */
  a: number
  /** Second shape of the beta distribution of dropout probabilities. */
  b: number
}

const NAMES: (keyof BgnbdParams & string)[] = ['r', 'alpha', 'a', 'b']

/**
 * Log-likelihood of one customer, FHL eq. 6 rearranged as in Hardie's note 027 ("Overcoming the
 * BG/NBD model's #NUM! error problem") so that nothing under- or overflows:
 *
 *   ℓ = lnΓ(r+x) − lnΓ(r) + r ln α + ln B(a, b+x) − ln B(a, b) − (r+x) ln(α+t_x)
 *       + logaddexp((r+x)[ln(α+t_x) − ln(α+T)], δ_{x>0}[ln a − ln(b+x−1)])
 *
 * (the second logaddexp argument is −∞ when x = 0).
 */
export function bgnbdCustomerLogLikelihood(params: BgnbdParams, customer: RfmCustomer): number {
  const { r, alpha, a, b } = params
  const { x, tx, T } = customer
  const lnTx = Math.log(alpha + tx)
  const u = (r + x) * (lnTx - Math.log(alpha + T))
  const v = x > 0 ? Math.log(a) - Math.log(b + x - 1) : -Infinity
  return (
    gammaln(r + x) -
    gammaln(r) +
    r * Math.log(alpha) +
    betaln(a, b + x) -
    betaln(a, b) -
    (r + x) * lnTx +
    logAddExp(u, v)
  )
}

/** Total log-likelihood Σ w_i ℓ_i over compressed data (see `bgnbdCustomerLogLikelihood`). */
export function bgnbdLogLikelihood(params: BgnbdParams, data: RfmData): number {
  assertValid(checkRfmData(data), 'RFM data')
  const objective = bgnbdObjective(data)
  const p = Float64Array.of(params.r, params.alpha, params.a, params.b)
  return -objective(p, new Float64Array(4))
}

/**
 * Negative log-likelihood with its analytic gradient, over compressed data. Terms that depend only
 * on x (gamma and beta functions, digammas) are computed once per distinct x value; the loop over
 * tuples needs one exponential and one log1p each (the logarithms of α+t_x and α+T are taken once
 * per distinct value), and allocates nothing. With
 * s = logistic(u − v) (the weight of the first logaddexp term, equal to P(alive)) and q = 1 − s:
 *
 *   ∂ℓ/∂r = ψ(r+x) − ψ(r) + ln α − ln(α+t_x) + s[ln(α+t_x) − ln(α+T)]
 *   ∂ℓ/∂α = r/α − (r+x)/(α+t_x) + s(r+x)[1/(α+t_x) − 1/(α+T)]
 *   ∂ℓ/∂a = ψ(a+b) − ψ(a+b+x) + q/a
 *   ∂ℓ/∂b = ψ(b+x) − ψ(b) + ψ(a+b) − ψ(a+b+x) − q/(b+x−1)
 */
export function bgnbdObjective(data: RfmData): Objective {
  const n = data.x.length
  const { values: xs, index: xIndex, weight: xWeight } = groupByX(data.x, data.weight)
  const nx = xs.length
  // T and t_x take few distinct values (whole days or weeks): their logarithms are computed once
  // per distinct value and evaluation, not once per tuple.
  const { values: txs, index: txIndex } = distinctValues(data.tx)
  const { values: Ts, index: TIndex } = distinctValues(data.T)
  const lnTx = new Float64Array(txs.length)
  const invTx = new Float64Array(txs.length)
  const lnT = new Float64Array(Ts.length)
  const invT = new Float64Array(Ts.length)
  const w = Float64Array.from(data.weight)
  const total = totalWeight(w)
  const logDrop = new Float64Array(nx) // ln a − ln(b+x−1), −∞ for x = 0

  return (params, gradient) => {
    const r = params[0] as number
    const alpha = params[1] as number
    const a = params[2] as number
    const b = params[3] as number
    const lnAlpha = Math.log(alpha)
    const lnA = Math.log(a)
    const psiR = digamma(r)
    const psiB = digamma(b)
    const psiAB = digamma(a + b)
    const lgR = gammaln(r)
    const lbAB = betaln(a, b)
    let ll = total * r * lnAlpha
    let gr = total * lnAlpha
    let gAlpha = (total * r) / alpha
    let ga = 0
    let gb = 0
    for (let k = 0; k < nx; k++) {
      const x = xs[k] as number
      const wk = xWeight[k] as number
      const psiABX = digamma(a + b + x)
      ll += wk * (gammaln(r + x) - lgR + betaln(a, b + x) - lbAB)
      gr += wk * (digamma(r + x) - psiR)
      ga += wk * (psiAB - psiABX)
      gb += wk * (digamma(b + x) - psiB + psiAB - psiABX)
      logDrop[k] = x > 0 ? lnA - Math.log(b + x - 1) : -Infinity
    }
    for (let j = 0; j < txs.length; j++) {
      const v = alpha + (txs[j] as number)
      lnTx[j] = Math.log(v)
      invTx[j] = 1 / v
    }
    for (let j = 0; j < Ts.length; j++) {
      const v = alpha + (Ts[j] as number)
      lnT[j] = Math.log(v)
      invT[j] = 1 / v
    }
    for (let i = 0; i < n; i++) {
      const k = xIndex[i] as number
      const x = xs[k] as number
      const wi = w[i] as number
      const rx = r + x
      const jx = txIndex[i] as number
      const jT = TIndex[i] as number
      const lnAtx = lnTx[jx] as number
      const dLn = lnAtx - (lnT[jT] as number)
      const u = rx * dLn
      const v = logDrop[k] as number
      let lse: number
      let s: number
      if (v === -Infinity) {
        lse = u
        s = 1
      } else {
        const e = Math.exp(-Math.abs(u - v))
        lse = Math.max(u, v) + Math.log1p(e)
        s = u >= v ? 1 / (1 + e) : e / (1 + e)
      }
      const q = 1 - s
      const inv = invTx[jx] as number
      ll += wi * (lse - rx * lnAtx)
      gr += wi * (s * dLn - lnAtx)
      gAlpha += wi * (-rx * inv + s * rx * (inv - (invT[jT] as number)))
      if (x > 0) {
        ga += (wi * q) / a
        gb -= (wi * q) / (b + x - 1)
      }
    }
    gradient[0] = -gr
    gradient[1] = -gAlpha
    gradient[2] = -ga
    gradient[3] = -gb
    return -ll
  }
}

export interface BgnbdFitOptions extends LogSpaceFitOptions {
  /** Starting values (default r = 1, α = ΣT/(Σx + 1), a = 1, b = 3: purchase rate near the data's). */
  start?: BgnbdParams
}

/**
 * Maximum-likelihood fit of the BG/NBD model on compressed RFM data (FHL §3; BFGS on the
 * log-parameters with the analytic gradient of `bgnbdObjective`, standard errors from the
 * numerical Hessian by the delta method). Throws a RangeError for invalid data; check the data
 * with `assessFitData` first to get reasons instead of a poor fit.
 */
export function bgnbdFit(data: RfmData, options: BgnbdFitOptions = {}): ModelFit<BgnbdParams> {
  assertValid(checkRfmData(data), 'RFM data')
  let sumX = 0
  let sumT = 0
  for (let i = 0; i < data.x.length; i++) {
    sumX += (data.weight[i] as number) * (data.x[i] as number)
    sumT += (data.weight[i] as number) * (data.T[i] as number)
  }
  const start = options.start ?? { r: 1, alpha: sumT / (sumX + 1), a: 1, b: 3 }
  const fit = fitPositiveParameters(
    bgnbdObjective(data),
    [start.r, start.alpha, start.a, start.b],
    options,
  )
  return toModelFit<BgnbdParams>(NAMES, fit, totalWeight(data.weight))
}

/**
 * P(alive | x, t_x, T) = 1 / (1 + δ_{x>0} · a/(b+x−1) · ((α+T)/(α+t_x))^{r+x})   (FHL eq. 11),
 * evaluated as a logistic of the log-odds. Equals 1 when x = 0 (the model only lets customers
 * drop out right after a purchase).
 */
export function bgnbdProbabilityAlive(params: BgnbdParams, customer: RfmCustomer): number {
  const { r, alpha, a, b } = params
  const { x, tx, T } = customer
  if (x === 0) return 1
  const logOdds =
    Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx))
  return logistic(-logOdds)
}

/**
 * (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^{r+x} ₂F₁(r+x, b+x; a+b+x−1; z)],  z = t/(α+T+t):
 * the expected purchases in (T, T+t] of a customer with x repeat purchases who is alive at T
 * (FHL eq. 10 without its P(alive) factor). Evaluated in Euler's form (reference §6.1)
 * ((α+T)/(α+T+t))^{r+x} ₂F₁(r+x, b+x; a+b+x−1; z) = (1−z)^{a−1} ₂F₁(a+b−1−r, a−1; a+b+x−1; z),
 * which stays finite for any x. Removable singularities are handled: a = 1 (0/0, by the series of
 * [₂F₁ − 1]/(a − 1)) and a + b + x − 1 = 0 (a pole of ₂F₁ cancelled by the prefactor).
 */
function expectedIfAlive(params: BgnbdParams, x: number, T: number, t: number): number {
  if (!(t > 0)) return 0
  const { r, alpha, a, b } = params
  const z = t / (alpha + T + t)
  const L = -Math.log1p(t / (alpha + T)) // ln(1 − z)
  const eps = a - 1
  const A = a + b - 1 - r
  const C = a + b + x - 1
  if (Math.abs(C) < 1e-9) {
    // lim_{C→0} C·₂F₁(A, ε; C; z) = A ε z ₂F₁(A+1, ε+1; 2; z), so E = −(1−z)^ε A z ₂F₁(A+1, a; 2; z).
    return -Math.exp(eps * L) * A * z * hyp2f1(A + 1, a, 2, z)
  }
  if (Math.abs(eps) < 1e-3) {
    const h = hyp2f1ExcessOverEps(A, eps, C, z)
    return C * (-expm1Ratio(eps, L) - Math.exp(eps * L) * h)
  }
  return (C / eps) * (1 - Math.exp(eps * L) * hyp2f1(A, eps, C, z))
}

/**
 * [₂F₁(A, ε; C; z) − 1]/ε = Σ_{n≥1} (A)_n (1+ε)_{n−1} / ((C)_n n!) z^n, summed directly so that it
 * stays accurate as ε → 0; falls back to the quotient when the series is too slow (z → 1).
 */
function hyp2f1ExcessOverEps(A: number, eps: number, C: number, z: number): number {
  let term = (A * z) / C
  let sum = term
  const kPositive = Math.max(0, Math.ceil(-A), Math.ceil(-C))
  for (let n = 1; n < 100_000; n++) {
    term *= ((A + n) * (eps + n) * z) / ((C + n) * (n + 1))
    sum += term
    if (n >= kPositive) {
      const rho =
        z * (A > 1 ? 1 + (A - 1) / (n + 2) : 1) * (eps > C ? 1 + (eps - C) / (C + n + 1) : 1)
      if (rho < 1 && (Math.abs(term) * rho) / (1 - rho) <= 1e-16 * Math.abs(sum)) return sum
    }
  }
  return eps === 0 ? NaN : (hyp2f1(A, eps, C, z) - 1) / eps
}

/**
 * E[Y(t) | x, t_x, T]: expected repeat purchases in the next t time units for a customer with
 * history (x, t_x, T) (FHL eq. 10):
 *
 *   (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^{r+x} ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))] · P(alive).
 */
export function bgnbdExpectedPurchases(
  params: BgnbdParams,
  customer: RfmCustomer,
  t: number,
): number {
  return (
    expectedIfAlive(params, customer.x, customer.T, t) * bgnbdProbabilityAlive(params, customer)
  )
}

/**
 * E[X(t)]: expected repeat purchases in (0, t] of a new customer (FHL eq. 9),
 *
 *   (a+b−1)/(a−1) · [1 − (α/(α+t))^r ₂F₁(r, b; a+b−1; t/(α+t))],
 *
 * the building block of aggregate tracking forecasts (`expectedCumulativePurchases`).
 */
export function bgnbdExpectedPurchasesNewCustomer(params: BgnbdParams, t: number): number {
  return expectedIfAlive(params, 0, 0, t)
}

/**
 * P(X(t) = n) for a new customer (FHL eq. 8):
 *
 *   B(a, b+n)/B(a, b) · Γ(r+n)/(Γ(r) n!) · (α/(α+t))^r (t/(α+t))^n
 *   + δ_{n>0} B(a+1, b+n−1)/B(a, b) · [1 − (α/(α+t))^r Σ_{j<n} Γ(r+j)/(Γ(r) j!) (t/(α+t))^j].
 *
 * The bracket is the upper tail of a negative binomial; it is summed as a tail when the head is
 * large, so small probabilities keep their relative precision.
 */
export function bgnbdProbabilityOfPurchases(params: BgnbdParams, t: number, n: number): number {
  const { r, alpha, a, b } = params
  if (!(Number.isInteger(n) && n >= 0))
    throw new RangeError(`n must be a non-negative integer, got ${n}`)
  if (!(t > 0)) return n === 0 ? 1 : 0
  const lnP0 = r * Math.log(alpha / (alpha + t)) // ln (α/(α+t))^r
  const lnZ = Math.log(t / (alpha + t))
  const lbAB = betaln(a, b)
  const first = Math.exp(
    betaln(a, b + n) - lbAB + gammaln(r + n) - gammaln(r) - gammaln(n + 1) + lnP0 + n * lnZ,
  )
  if (n === 0) return first
  // NBD probabilities π_j = Γ(r+j)/(Γ(r) j!) (α/(α+t))^r (t/(α+t))^j, head Σ_{j<n} π_j.
  let pi = Math.exp(lnP0)
  let head = 0
  for (let j = 0; j < n; j++) {
    head += pi
    pi *= ((r + j) / (j + 1)) * Math.exp(lnZ)
  }
  let tail: number
  if (head < 0.5) {
    tail = 1 - head
  } else {
    // Σ_{j≥n} π_j, starting from π_n (now in `pi`), ratio (r+j)z/(j+1) → z < 1.
    tail = 0
    let term = pi
    const z = Math.exp(lnZ)
    for (let j = n; j < n + 1_000_000 && term > 1e-17 * tail; j++) {
      tail += term
      term *= ((r + j) * z) / (j + 1)
    }
  }
  return first + Math.exp(betaln(a + 1, b + n - 1) - lbAB) * tail
}

/**
 * Probability of at least one purchase in (T, T+t]:
 *
 *   P(alive) · [1 − ((α+T)/(α+T+t))^{r+x}],
 *
 * because an active BG/NBD customer cannot drop out before their next purchase and, given the
 * history and being active, λ ~ Gamma(r+x, α+T) (FHL eq. 12 and its derivation).
 */
export function bgnbdProbabilityOfPurchaseWithin(
  params: BgnbdParams,
  customer: RfmCustomer,
  t: number,
): number {
  if (!(t > 0)) return 0
  const { r, alpha } = params
  const alive = bgnbdProbabilityAlive(params, customer)
  return alive * -Math.expm1(-(r + customer.x) * Math.log1p(t / (alpha + customer.T)))
}

/**
 * Expected time to the next order, as the q-quantile (default: median) of the time from T to the
 * next purchase under the fitted model. From `bgnbdProbabilityOfPurchaseWithin`, in closed form:
 *
 *   t_q = (α+T) · [(1 − q/P(alive))^{−1/(r+x)} − 1]   if P(alive) > q, else ∞
 *
 * (∞: more likely than not the customer never buys again). Add t_q to the calibration end date
 * to get a calendar date. Method: quantile of the (defective) next-purchase time distribution,
 * not "the time when E[Y(t)] reaches 1".
 */
export function bgnbdNextPurchaseTime(params: BgnbdParams, customer: RfmCustomer, q = 0.5): number {
  const { r, alpha } = params
  const alive = bgnbdProbabilityAlive(params, customer)
  if (!(alive > q)) return Infinity
  return (alpha + customer.T) * Math.expm1(-Math.log1p(-q / alive) / (r + customer.x))
}

/**
 * Discounted CLV of one customer from E[Y(t)] of this model (formula in `discountedClv`):
 * margin · E[M] · Σ_k (E[Y(kΔ)] − E[Y((k−1)Δ)]) / (1+d)^k.
 */
export function bgnbdClv(
  params: BgnbdParams,
  customer: RfmCustomer,
  expectedValue: number,
  options: ClvOptions,
): number {
  return discountedClv((t) => bgnbdExpectedPurchases(params, customer, t), expectedValue, options)
}
