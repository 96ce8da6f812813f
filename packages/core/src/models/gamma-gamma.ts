/**
 * Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee 2005, "RFM and CLV: using
 * iso-value curves for customer base analysis", Journal of Marketing Research 42(4), 415–430;
 * Fader & Hardie 2013, "The Gamma-Gamma model of monetary value", note 025).
 *
 * Each transaction value is Gamma(p, ν); across customers ν ~ Gamma(q, γ). A customer's mean of x
 * repeat transactions, m, is then Gamma(px, νx). The model assumes spend independent of purchase
 * frequency: check `spendFrequencyCorrelation` before combining it with BG/NBD or Pareto/NBD.
 */
import digamma from '@stdlib/math-base-special-digamma'
import gammaln from '@stdlib/math-base-special-gammaln'
import { fitPositiveParameters, toModelFit } from './optimize.ts'
import type { LogSpaceFitOptions, ModelFit, Objective } from './optimize.ts'
import { assertValid, checkSpendData, groupByX, totalWeight } from './rfm.ts'
import type { SpendData } from './rfm.ts'

export interface GammaGammaParams {
  /** Shape of the gamma distribution of individual transaction values. */
  p: number
  /** Shape of the gamma distribution of the customers' scale parameters ν. */
  q: number
  /** Rate of the gamma distribution of ν (in currency units, like the spend). */
  gamma: number
}

const NAMES: (keyof GammaGammaParams & string)[] = ['p', 'q', 'gamma']

/**
 * Log-density of a customer's mean spend m over x ≥ 1 transactions (Fader & Hardie 2013, eq. 3;
 * reference §6.3):
 *
 *   ln f(m | p, q, γ, x) = lnΓ(px+q) − lnΓ(px) − lnΓ(q) + q ln γ + (px−1) ln m + px ln x
 *                          − (px+q) ln(γ + m x).
 */
export function gammaGammaCustomerLogLikelihood(
  params: GammaGammaParams,
  x: number,
  m: number,
): number {
  const { p, q, gamma } = params
  const px = p * x
  return (
    gammaln(px + q) -
    gammaln(px) -
    gammaln(q) +
    q * Math.log(gamma) +
    (px - 1) * Math.log(m) +
    px * Math.log(x) -
    (px + q) * Math.log(gamma + m * x)
  )
}

/** Total log-likelihood Σ w_i ln f(m_i | x_i) over compressed spend data. */
export function gammaGammaLogLikelihood(params: GammaGammaParams, data: SpendData): number {
  assertValid(checkSpendData(data), 'spend data')
  const v = Float64Array.of(params.p, params.q, params.gamma)
  return -gammaGammaObjective(data)(v, new Float64Array(3))
}

/**
 * Negative log-likelihood and analytic gradient over compressed spend data:
 *   ∂/∂p = x[ψ(px+q) − ψ(px) + ln m + ln x − ln(γ+mx)]
 *   ∂/∂q = ψ(px+q) − ψ(q) + ln γ − ln(γ+mx)
 *   ∂/∂γ = q/γ − (px+q)/(γ+mx)
 * Gamma and digamma terms are computed once per distinct x; one logarithm per tuple.
 */
export function gammaGammaObjective(data: SpendData): Objective {
  const n = data.x.length
  const { values: xs, index: xIndex, weight: xWeight } = groupByX(data.x, data.weight)
  const nx = xs.length
  const ms = Float64Array.from(data.m)
  const ws = Float64Array.from(data.weight)
  // Σ_i w_i x_i (ln m_i + ln x_i) and Σ_i w_i ln m_i do not depend on the parameters.
  let sumXLogMX = 0
  let sumLogM = 0
  for (let i = 0; i < n; i++) {
    const k = xIndex[i] as number
    const x = xs[k] as number
    const wi = ws[i] as number
    sumXLogMX += wi * x * (Math.log(ms[i] as number) + Math.log(x))
    sumLogM += wi * Math.log(ms[i] as number)
  }
  const total = totalWeight(ws)
  const perX = new Float64Array(nx) // ψ(px+q) per distinct x, reused in the tuple loop

  return (params, gradient) => {
    const p = params[0] as number
    const q = params[1] as number
    const gamma = params[2] as number
    const lnGamma = Math.log(gamma)
    const psiQ = digamma(q)
    let ll = total * (q * lnGamma - gammaln(q)) + p * sumXLogMX - sumLogM
    let gp = sumXLogMX
    let gq = total * (lnGamma - psiQ)
    let gg = (total * q) / gamma
    for (let k = 0; k < nx; k++) {
      const x = xs[k] as number
      const wk = xWeight[k] as number
      const px = p * x
      const psiPXQ = digamma(px + q)
      perX[k] = psiPXQ
      ll += wk * (gammaln(px + q) - gammaln(px))
      gp += wk * x * (psiPXQ - digamma(px))
      gq += wk * psiPXQ
    }
    for (let i = 0; i < n; i++) {
      const k = xIndex[i] as number
      const x = xs[k] as number
      const wi = ws[i] as number
      const denom = gamma + (ms[i] as number) * x
      const lnDenom = Math.log(denom)
      const pxq = p * x + q
      ll -= wi * pxq * lnDenom
      gp -= wi * x * lnDenom
      gq -= wi * lnDenom
      gg -= (wi * pxq) / denom
    }
    gradient[0] = -gp
    gradient[1] = -gq
    gradient[2] = -gg
    return -ll
  }
}

export interface GammaGammaFitOptions extends LogSpaceFitOptions {
  /** Starting values (default p = 1, q = 2, γ = mean of m: a population mean near the data's). */
  start?: GammaGammaParams
}

/**
 * Maximum-likelihood fit of the Gamma-Gamma model on compressed (x, m) data of customers with at
 * least one repeat purchase (BFGS on log-parameters, analytic gradient, delta-method SEs).
 */
export function gammaGammaFit(
  data: SpendData,
  options: GammaGammaFitOptions = {},
): ModelFit<GammaGammaParams> {
  assertValid(checkSpendData(data), 'spend data')
  let sumM = 0
  let total = 0
  for (let i = 0; i < data.m.length; i++) {
    sumM += (data.weight[i] as number) * (data.m[i] as number)
    total += data.weight[i] as number
  }
  const start = options.start ?? { p: 1, q: 2, gamma: sumM / total }
  const fit = fitPositiveParameters(
    gammaGammaObjective(data),
    [start.p, start.q, start.gamma],
    options,
  )
  return toModelFit<GammaGammaParams>(NAMES, fit, total)
}

/**
 * Population mean transaction value E[Z] = pγ/(q − 1) (Fader & Hardie 2013, eq. 4); Infinity when
 * q ≤ 1 (the mean does not exist).
 */
export function gammaGammaPopulationMean(params: GammaGammaParams): number {
  const { p, q, gamma } = params
  return q > 1 ? (p * gamma) / (q - 1) : Infinity
}

/**
 * Expected value of a customer's transactions given x repeat purchases with mean value m
 * (Fader & Hardie 2013, eq. 5):
 *
 *   E[M | m, x] = p(γ + m x)/(p x + q − 1) = w · pγ/(q−1) + (1 − w) · m,  w = (q−1)/(px + q − 1),
 *
 * a weighted average of the population mean and the customer's own mean. For x = 0 it is the
 * population mean. Requires q > 1 for x = 0 (Infinity otherwise).
 */
export function gammaGammaExpectedValue(params: GammaGammaParams, x: number, m: number): number {
  if (x === 0) return gammaGammaPopulationMean(params)
  const { p, q, gamma } = params
  return (p * (gamma + m * x)) / (p * x + q - 1)
}

/**
 * Weighted Pearson correlation between purchase count x and mean spend m. The Gamma-Gamma model
 * assumes independence; CDNOW shows 0.11 (Fader & Hardie 2013), usually judged acceptable.
 * NaN when either variable has no variance.
 */
export function spendFrequencyCorrelation(data: SpendData): number {
  assertValid(checkSpendData(data), 'spend data')
  let sw = 0
  let sx = 0
  let sm = 0
  for (let i = 0; i < data.x.length; i++) {
    const w = data.weight[i] as number
    sw += w
    sx += w * (data.x[i] as number)
    sm += w * (data.m[i] as number)
  }
  const mx = sx / sw
  const mm = sm / sw
  let cxx = 0
  let cmm = 0
  let cxm = 0
  for (let i = 0; i < data.x.length; i++) {
    const w = data.weight[i] as number
    const dx = (data.x[i] as number) - mx
    const dm = (data.m[i] as number) - mm
    cxx += w * dx * dx
    cmm += w * dm * dm
    cxm += w * dx * dm
  }
  return cxm / Math.sqrt(cxx * cmm)
}
