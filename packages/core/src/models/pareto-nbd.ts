/**
 * Pareto/NBD model (Schmittlein, Morrison & Colombo 1987, "Counting your customers: who are they
 * and what will they do next?", Management Science 33(1), 1–24; likelihood as in Fader & Hardie
 * 2005, "A note on deriving the Pareto/NBD model and related expressions", note 009).
 *
 * While active, a customer buys at Poisson rate λ ~ Gamma(r, α); their lifetime is exponential
 * with rate μ ~ Gamma(s, β). Times are in the caller's unit, measured from the first purchase.
 */
import digamma from '@stdlib/math-base-special-digamma'
import gammaln from '@stdlib/math-base-special-gammaln'
import { discountedClv, solveQuantile } from './forecast.ts'
import type { ClvOptions } from './forecast.ts'
import { hyp2f1, logAbsHyp2f1 } from './hyp2f1.ts'
import { fitPositiveParameters, toModelFit } from './optimize.ts'
import type { LogSpaceFitOptions, ModelFit, Objective } from './optimize.ts'
import { assertValid, checkRfmData, distinctValues, groupByX, totalWeight } from './rfm.ts'
import type { RfmCustomer, RfmData } from './rfm.ts'
import { expm1Ratio, logAddExp, log1mExp, logistic } from './special.ts'

export interface ParetoNbdParams {
  /** Shape of the gamma distribution of purchase rates. */
  r: number
  /** Rate (1/time unit) of the gamma distribution of purchase rates. */
  alpha: number
  /** Shape of the gamma distribution of dropout rates. */
  s: number
  /** Rate (1/time unit) of the gamma distribution of dropout rates. */
  beta: number
}

const NAMES: (keyof ParetoNbdParams & string)[] = ['r', 'alpha', 's', 'beta']

/** Series below this argument; above it the general ₂F₁ (1 − z transformation) is used. */
const SERIES_Z_MAX = 0.95
const SERIES_MAX_TERMS = 5_000

/**
 * ln G(b, c, z) with G = ₂F₁(1, b; c; z) = Σ_n (b)_n/(c)_n z^n for 0 < b < c, 0 ≤ z < 1 (all terms
 * positive, ratio (b+n)z/(c+n) < z), plus the logarithmic derivatives G_b/G, G_c/G, G_z/G from
 * term-wise differentiation: ∂/∂b ln (b)_n = Σ_{j<n} 1/(b+j), ∂/∂c ln (c)_n^{−1} = −Σ_{j<n} 1/(c+j),
 * ∂/∂z z^n = n z^{n−1}. Results go to out[0..3]. Above z = 0.95 the value comes from
 * `logAbsHyp2f1` and the derivatives from central differences.
 */
function lnG(b: number, c: number, z: number, out: Float64Array, withDerivatives: boolean): void {
  if (z === 0) {
    out[0] = 0
    out[1] = 0
    out[2] = 0
    out[3] = b / c
    return
  }
  if (z <= SERIES_Z_MAX) {
    let g = 1
    let sum = 1
    let sumB = 0
    let sumC = 0
    let sumN = 0
    let hb = 0
    let hc = 0
    const tolScale = 1e-16 * (1 - z) * (1 - z) * Math.min(1, b)
    for (let n = 0; n < SERIES_MAX_TERMS; n++) {
      hb += 1 / (b + n)
      hc += 1 / (c + n)
      g *= ((b + n) * z) / (c + n)
      sum += g
      sumB += g * hb
      sumC += g * hc
      sumN += (n + 1) * g
      if ((n + 2) * g <= tolScale * sum) break
    }
    out[0] = Math.log(sum)
    if (withDerivatives) {
      out[1] = sumB / sum
      out[2] = -sumC / sum
      out[3] = sumN / (z * sum)
    }
    return
  }
  const f = (bb: number, cc: number, zz: number): number => logAbsHyp2f1(1, bb, cc, zz).logAbs
  out[0] = f(b, c, z)
  if (withDerivatives) {
    const hb = 1e-6 * Math.max(1, b)
    const hc = 1e-6 * Math.max(1, c)
    const hz = 1e-6 * (1 - z)
    out[1] = (f(b + hb, c, z) - f(b - hb, c, z)) / (2 * hb)
    out[2] = (f(b, c + hc, z) - f(b, c - hc, z)) / (2 * hc)
    out[3] = (f(b, c, z + hz) - f(b, c, z - hz)) / (2 * hz)
  }
}

/**
 * ln A₀ of the Pareto/NBD likelihood (reference §6.2), A₀ = w ∫_{t_x}^{T} (α+τ)^{−(r+x)} (β+τ)^{−(s+1)} dτ,
 * w = r+s+x, written after Euler's transformation of the ₂F₁(w, k; w+1; ·) terms as
 * A₀ = e^{L(t_x)} − e^{L(T)} with, for α ≥ β,
 *   L(t) = −s ln(β+t) − (r+x) ln(α+t) + ln ₂F₁(1, r+x; w+1; (α−β)/(α+t)),
 * and for α < β,
 *   L(t) = (1−r−x) ln(α+t) − (s+1) ln(β+t) + ln ₂F₁(1, s+1; w+1; (β−α)/(β+t)),
 * series with positive terms and ratio below z < 1, so neither huge x nor a large |α − β|
 * overflows. ln A₀ = L(t_x) + ln(1 − e^{L(T)−L(t_x)}); −∞ when t_x = T.
 */
export function paretoNbdLogA0(params: ParetoNbdParams, customer: RfmCustomer): number {
  const scratch = new Float64Array(4)
  const { r, alpha, s, beta } = params
  const { x, tx, T } = customer
  if (tx >= T) return -Infinity
  const w = r + s + x
  const ge = alpha >= beta
  const bb = ge ? r + x : s + 1
  const hi = ge ? alpha : beta
  const lo = ge ? beta : alpha
  const u = ge ? -s : 1 - r - x
  lnG(bb, w + 1, (hi - lo) / (hi + tx), scratch, false)
  const l1 = u * Math.log(lo + tx) - bb * Math.log(hi + tx) + (scratch[0] as number)
  lnG(bb, w + 1, (hi - lo) / (hi + T), scratch, false)
  const l2 = u * Math.log(lo + T) - bb * Math.log(hi + T) + (scratch[0] as number)
  return l1 + log1mExp(Math.min(0, l2 - l1))
}

/**
 * Log-likelihood of one customer (Fader & Hardie note 009, eq. 22, in the log-sum-exp form of
 * the reference §6.2):
 *
 *   ℓ = lnΓ(r+x) − lnΓ(r) + r ln α + s ln β
 *       + logaddexp(−(r+x) ln(α+T) − s ln(β+T),  ln s − ln(r+s+x) + ln A₀).
 */
export function paretoNbdCustomerLogLikelihood(
  params: ParetoNbdParams,
  customer: RfmCustomer,
): number {
  const { r, alpha, s, beta } = params
  const { x, T } = customer
  const e1 = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T)
  const e2 = Math.log(s) - Math.log(r + s + x) + paretoNbdLogA0(params, customer)
  return gammaln(r + x) - gammaln(r) + r * Math.log(alpha) + s * Math.log(beta) + logAddExp(e1, e2)
}

/** Total log-likelihood Σ w_i ℓ_i over compressed data. */
export function paretoNbdLogLikelihood(params: ParetoNbdParams, data: RfmData): number {
  assertValid(checkRfmData(data), 'RFM data')
  const p = Float64Array.of(params.r, params.alpha, params.s, params.beta)
  return -paretoNbdObjective(data)(p, new Float64Array(4))
}

/**
 * Negative log-likelihood and analytic gradient over compressed data. With E₁, E₂ the two
 * logaddexp arguments, p₁ = logistic(E₁ − E₂) (= P(alive)) and p₂ = 1 − p₁:
 *   ∂ℓ = ∂C₀ + p₁ ∂E₁ + p₂ ∂E₂,  ∂ ln A₀ = (∂L(t_x) − ρ ∂L(T))/(1 − ρ),  ρ = e^{L(T)−L(t_x)},
 * and ∂L(t) from the explicit logarithms plus the series derivatives of `lnG` through
 * b′ (r+x or s+1), c′ = r+s+x+1 and z = |α−β|/(max(α,β)+t). Terms in x alone (lnΓ(r+x), ψ(r+x))
 * are computed once per distinct x, L(t) and ∂L(t) once per distinct (x, t) pair; the tuple loop
 * allocates nothing.
 */
export function paretoNbdObjective(data: RfmData): Objective {
  const n = data.x.length
  const { values: xs, index: xIndex, weight: xWeight } = groupByX(data.x, data.weight)
  const nx = xs.length
  const ws = Float64Array.from(data.weight)
  const total = totalWeight(ws)
  // L(t) and its derivatives depend on the tuple only through (x, t), with t = t_x or T: they are
  // computed once per distinct (x, t) pair and evaluation (a few thousand pairs for a hundred
  // thousand tuples), likewise ln(α+T) and ln(β+T) once per distinct T.
  const allTimes = new Float64Array(2 * n)
  for (let i = 0; i < n; i++) {
    allTimes[i] = data.tx[i] as number
    allTimes[n + i] = data.T[i] as number
  }
  const { values: times, index: timeIndex } = distinctValues(allTimes)
  const pairOf = new Map<number, number>()
  const pairX: number[] = []
  const pairT: number[] = []
  const pair = (k: number, j: number): number => {
    const key = k * times.length + j
    let p = pairOf.get(key)
    if (p === undefined) {
      p = pairX.length
      pairOf.set(key, p)
      pairX.push(xs[k] as number)
      pairT.push(times[j] as number)
    }
    return p
  }
  const pairTx = new Int32Array(n)
  const pairTT = new Int32Array(n)
  const Tindex = new Int32Array(n)
  const open = new Uint8Array(n) // t_x < T: A₀ > 0
  for (let i = 0; i < n; i++) {
    const k = xIndex[i] as number
    pairTx[i] = pair(k, timeIndex[i] as number)
    pairTT[i] = pair(k, timeIndex[n + i] as number)
    Tindex[i] = timeIndex[n + i] as number
    open[i] = (data.tx[i] as number) < (data.T[i] as number) ? 1 : 0
  }
  const np = pairX.length
  const L = new Float64Array(np)
  const dLs = new Float64Array(np * 4)
  const lnAT = new Float64Array(times.length)
  const lnBT = new Float64Array(times.length)
  const g = new Float64Array(4)
  const lnW = new Float64Array(nx) // ln(r+s+x) per distinct x

  return (params, gradient) => {
    const r = params[0] as number
    const alpha = params[1] as number
    const s = params[2] as number
    const beta = params[3] as number
    const lnAlpha = Math.log(alpha)
    const lnBeta = Math.log(beta)
    const lnS = Math.log(s)
    const psiR = digamma(r)
    const lgR = gammaln(r)
    let ll = total * (r * lnAlpha + s * lnBeta)
    let gr = total * lnAlpha
    let gAlpha = (total * r) / alpha
    let gs = total * lnBeta
    let gBeta = (total * s) / beta
    for (let k = 0; k < nx; k++) {
      const x = xs[k] as number
      const wk = xWeight[k] as number
      ll += wk * (gammaln(r + x) - lgR)
      gr += wk * (digamma(r + x) - psiR)
      lnW[k] = Math.log(r + s + x)
    }
    const ge = alpha >= beta
    const hi = ge ? alpha : beta
    const lo = ge ? beta : alpha
    const diff = hi - lo
    for (let j = 0; j < times.length; j++) {
      lnAT[j] = Math.log(alpha + (times[j] as number))
      lnBT[j] = Math.log(beta + (times[j] as number))
    }
    // L(t) = u ln(lo+t) − b′ ln(hi+t) + ln G(b′, r+s+x+1; z(t)) and ∂L(t) w.r.t. (r, α, s, β),
    // with b′ = r+x, u = −s when α ≥ β, b′ = s+1, u = 1−r−x otherwise.
    for (let p = 0; p < np; p++) {
      const x = pairX[p] as number
      const t = pairT[p] as number
      const bb = ge ? r + x : s + 1
      const u = ge ? -s : 1 - r - x
      lnG(bb, r + s + x + 1, diff / (hi + t), g, true)
      L[p] = u * Math.log(lo + t) - bb * Math.log(hi + t) + (g[0] as number)
      const gb = g[1] as number
      const gc = g[2] as number
      const gz = g[3] as number
      const at = alpha + t
      const bt = beta + t
      const d = p * 4
      if (ge) {
        dLs[d] = -Math.log(at) + gb + gc
        dLs[d + 1] = -(r + x) / at + (gz * bt) / (at * at)
        dLs[d + 2] = -Math.log(bt) + gc
        dLs[d + 3] = -s / bt - gz / at
      } else {
        dLs[d] = -Math.log(at) + gc
        dLs[d + 1] = (1 - r - x) / at - gz / bt
        dLs[d + 2] = -Math.log(bt) + gb + gc
        dLs[d + 3] = -(s + 1) / bt + (gz * at) / (bt * bt)
      }
    }
    for (let i = 0; i < n; i++) {
      const x = xs[xIndex[i] as number] as number
      const wi = ws[i] as number
      const T = pairT[pairTT[i] as number] as number
      const jT = Tindex[i] as number
      const w = r + s + x
      const lAT = lnAT[jT] as number
      const lBT = lnBT[jT] as number
      const e1 = -(r + x) * lAT - s * lBT
      const p1i = pairTx[i] as number
      const p2i = pairTT[i] as number
      const l1 = open[i] ? (L[p1i] as number) : 0
      const l2 = open[i] ? (L[p2i] as number) : 0
      if (!(l2 < l1)) {
        // A₀ = 0 (t_x = T, or so close that it rounds to 0): only the "alive at T" term.
        ll += wi * e1
        gr -= wi * lAT
        gAlpha -= (wi * (r + x)) / (alpha + T)
        gs -= wi * lBT
        gBeta -= (wi * s) / (beta + T)
        continue
      }
      const rho = Math.exp(l2 - l1)
      const lnA0 = l1 + Math.log1p(-rho)
      const e2 = lnS - (lnW[xIndex[i] as number] as number) + lnA0
      // p₁ = logistic(E₁ − E₂), p₂ = logistic(E₂ − E₁) and logaddexp(E₁, E₂) from one
      // exponential: with q = e^{−|E₁−E₂|}, the larger side gets 1/(1+q), the other q/(1+q).
      const q = Math.exp(-Math.abs(e1 - e2))
      const big = 1 / (1 + q)
      const p1 = e1 >= e2 ? big : q * big
      const p2 = e1 >= e2 ? q * big : big
      ll += wi * (Math.max(e1, e2) + Math.log1p(q))
      const inv = 1 / (1 - rho)
      const d1 = p1i * 4
      const d2 = p2i * 4
      const a0r = ((dLs[d1] as number) - rho * (dLs[d2] as number)) * inv
      const a0a = ((dLs[d1 + 1] as number) - rho * (dLs[d2 + 1] as number)) * inv
      const a0s = ((dLs[d1 + 2] as number) - rho * (dLs[d2 + 2] as number)) * inv
      const a0b = ((dLs[d1 + 3] as number) - rho * (dLs[d2 + 3] as number)) * inv
      gr += wi * (p1 * -lAT + p2 * (a0r - 1 / w))
      gAlpha += wi * ((p1 * -(r + x)) / (alpha + T) + p2 * a0a)
      gs += wi * (p1 * -lBT + p2 * (1 / s - 1 / w + a0s))
      gBeta += wi * ((p1 * -s) / (beta + T) + p2 * a0b)
    }
    gradient[0] = -gr
    gradient[1] = -gAlpha
    gradient[2] = -gs
    gradient[3] = -gBeta
    return -ll
  }
}

export interface ParetoNbdFitOptions extends LogSpaceFitOptions {
  /** Starting values (default r = 1, α = ΣT/(Σx+1), s = 1, β = mean T). */
  start?: ParetoNbdParams
}

/**
 * Maximum-likelihood fit of the Pareto/NBD model on compressed RFM data (BFGS on log-parameters
 * with the analytic gradient, delta-method standard errors). The likelihood is typically very
 * flat in β (CDNOW: SE ≈ 6 on β ≈ 12), so compare fits by log-likelihood, not by β.
 */
export function paretoNbdFit(
  data: RfmData,
  options: ParetoNbdFitOptions = {},
): ModelFit<ParetoNbdParams> {
  assertValid(checkRfmData(data), 'RFM data')
  let sumX = 0
  let sumT = 0
  let total = 0
  for (let i = 0; i < data.x.length; i++) {
    const wi = data.weight[i] as number
    sumX += wi * (data.x[i] as number)
    sumT += wi * (data.T[i] as number)
    total += wi
  }
  const start = options.start ?? { r: 1, alpha: sumT / (sumX + 1), s: 1, beta: sumT / total }
  const fit = fitPositiveParameters(
    paretoNbdObjective(data),
    [start.r, start.alpha, start.s, start.beta],
    options,
  )
  return toModelFit<ParetoNbdParams>(NAMES, fit, total)
}

/**
 * P(alive | x, t_x, T) = 1 / (1 + s/(r+s+x) · (α+T)^{r+x} (β+T)^s · A₀)   (reference §6.2;
 * Fader & Hardie note 009, eq. 18), as a logistic of the log-odds so that large x neither
 * overflows nor returns NaN.
 */
export function paretoNbdProbabilityAlive(params: ParetoNbdParams, customer: RfmCustomer): number {
  const { r, alpha, s, beta } = params
  const { x, T } = customer
  const lnA0 = paretoNbdLogA0(params, customer)
  if (lnA0 === -Infinity) return 1
  const logOdds =
    Math.log(s) -
    Math.log(r + s + x) +
    (r + x) * Math.log(alpha + T) +
    s * Math.log(beta + T) +
    lnA0
  return logistic(-logOdds)
}

/**
 * E[Y(t) | x, t_x, T] (Schmittlein et al. 1987, eq. 22; reference §6.2):
 *
 *   (r+x)(β+T) / ((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^{s−1}] · P(alive),
 *
 * with the removable singularity at s = 1 (limit (r+x)(β+T)/(α+T) · ln(1 + t/(β+T))).
 */
export function paretoNbdExpectedPurchases(
  params: ParetoNbdParams,
  customer: RfmCustomer,
  t: number,
): number {
  if (!(t > 0)) return 0
  const { r, alpha, s, beta } = params
  const { x, T } = customer
  const bracket = -expm1Ratio(s - 1, -Math.log1p(t / (beta + T)))
  return (
    (((r + x) * (beta + T)) / (alpha + T)) * bracket * paretoNbdProbabilityAlive(params, customer)
  )
}

/**
 * E[X(t)] of a new customer (Schmittlein et al. 1987, eq. 17):
 * rβ/(α(s−1)) · [1 − (β/(β+t))^{s−1}], continuous at s = 1.
 */
export function paretoNbdExpectedPurchasesNewCustomer(params: ParetoNbdParams, t: number): number {
  if (!(t > 0)) return 0
  const { r, alpha, s, beta } = params
  return ((r * beta) / alpha) * -expm1Ratio(s - 1, -Math.log1p(t / beta))
}

/**
 * Probability of at least one purchase in (T, T+t]. Given activity at T, λ ~ Gamma(R, A) and
 * μ ~ Gamma(S, B) independently (R = r+x, A = α+T, S = s, B = β+T), so
 *   P = P(alive) ∫₀ᵗ E[λ e^{−λu}] E[e^{−μu}] du = P(alive) ∫₀ᵗ (R/A)(A/(A+u))^{R+1} (B/(B+u))^S du
 *     = P(alive) · R/(R+S) · (B/A)^S · [F(z) − y₀^{R+S} F(z y₀)],
 * F(·) = ₂F₁(S, R+S; R+S+1; ·), z = 1 − B/A, y₀ = A/(A+t) (substitute y = A/(A+u) and use
 * ∫₀^Y y^{b−1}(1−zy)^{−a} dy = Y^b/b · ₂F₁(a, b; b+1; zY), A&S 15.3.1). Derived here; checked in
 * the tests against numerical integration.
 */
export function paretoNbdProbabilityOfPurchaseWithin(
  params: ParetoNbdParams,
  customer: RfmCustomer,
  t: number,
): number {
  if (!(t > 0)) return 0
  return paretoNbdProbabilityAlive(params, customer) * purchaseIfAlive(params, customer, t)
}

function purchaseIfAlive(params: ParetoNbdParams, customer: RfmCustomer, t: number): number {
  const R = params.r + customer.x
  const S = params.s
  const A = params.alpha + customer.T
  const B = params.beta + customer.T
  const z = 1 - B / A
  const lead = (R / (R + S)) * Math.pow(B / A, S)
  const full = hyp2f1(S, R + S, R + S + 1, z)
  if (t === Infinity) return lead * full
  const y0 = A / (A + t)
  return lead * (full - Math.pow(y0, R + S) * hyp2f1(S, R + S, R + S + 1, z * y0))
}

/**
 * Expected time to the next order, as the q-quantile (default: median) of the time from T to the
 * next purchase: the smallest t with P(purchase in (T, T+t]) ≥ q (see
 * `paretoNbdProbabilityOfPurchaseWithin`), found by bisection; ∞ when the probability of ever
 * buying again, P(alive) · R/(R+S) · (B/A)^S · F(1 − B/A), does not exceed q.
 */
export function paretoNbdNextPurchaseTime(
  params: ParetoNbdParams,
  customer: RfmCustomer,
  q = 0.5,
): number {
  const alive = paretoNbdProbabilityAlive(params, customer)
  const limit = alive * purchaseIfAlive(params, customer, Infinity)
  return solveQuantile(
    (t) => alive * purchaseIfAlive(params, customer, t),
    limit,
    q,
    (params.alpha + customer.T) / (params.r + customer.x),
  )
}

/** Discounted CLV of one customer from this model's E[Y(t)] (formula in `discountedClv`). */
export function paretoNbdClv(
  params: ParetoNbdParams,
  customer: RfmCustomer,
  expectedValue: number,
  options: ClvOptions,
): number {
  return discountedClv(
    (t) => paretoNbdExpectedPurchases(params, customer, t),
    expectedValue,
    options,
  )
}
