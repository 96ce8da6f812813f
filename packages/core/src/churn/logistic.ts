/**
 * L2-regularised logistic regression fitted by Newton–Raphson (IRLS) with a backtracking line
 * search. Deterministic: no random initialisation, no data order dependence beyond float sums.
 */
import { sigmoid, softplus, solveSpd } from './linalg.ts'
import type { Matrix } from './encoder.ts'

/** Options for {@link fitLogistic}. */
export interface LogisticOptions {
  /** L2 penalty λ on the coefficients (not on the intercept). Default 1. */
  readonly l2?: number
  /**
   * Stop when half the Newton decrement, an estimate of the distance to the optimum of the
   * objective, is below tolerance · Σ weights. Default 1e-7.
   */
  readonly tolerance?: number
  /** Warm start: initial intercept and coefficients (e.g. a fit on overlapping data). */
  readonly initial?: { readonly intercept: number; readonly coefficients: readonly number[] }
  /** Iteration cap. Default 100. */
  readonly maxIterations?: number
  /** Optional non-negative row weights (default all 1). */
  readonly weights?: ArrayLike<number>
}

/** A fitted logistic regression on a standardised design matrix. */
export interface LogisticFit {
  readonly intercept: number
  readonly coefficients: readonly number[]
  readonly iterations: number
  readonly converged: boolean
  /** Penalised negative log-likelihood at the solution. */
  readonly objective: number
}

/**
 * Minimises the penalised negative log-likelihood
 *   J(b, w) = Σ_i v_i [log(1 + e^{η_i}) − y_i η_i] + (λ/2) ‖w‖²,  η_i = b + x_iᵀ w,
 * (v_i row weights) by Newton's method: gradient g = X̃ᵀ V (p − y) + λ (0, w), Hessian
 * H = X̃ᵀ V S X̃ + λ diag(0, 1, …, 1) with S = diag(p_i (1 − p_i)) and X̃ = [1 X]; the step
 * H⁻¹ g comes from a Cholesky solve and is halved until J decreases (Armijo, c = 1e-4).
 * J is strictly convex for λ > 0, so the minimiser is unique (Hastie, Tibshirani & Friedman,
 * The Elements of Statistical Learning, 2nd ed., §4.4.1 for IRLS; §3.4.1 for the ridge
 * penalty). Starts from w = 0, b = logit(ȳ) unless a warm start is given; stops when half the
 * Newton decrement gᵀH⁻¹g/2 ≤ tolerance · Σv (Boyd & Vandenberghe, Convex Optimization, §9.5).
 */
export const fitLogistic = (
  x: Matrix,
  y: ArrayLike<number>,
  options: LogisticOptions = {},
): LogisticFit => {
  const n = x.rows
  const p = x.cols
  const q = p + 1
  const lambda = options.l2 ?? 1
  const tolerance = options.tolerance ?? 1e-7
  const maxIterations = options.maxIterations ?? 100
  const v = options.weights
  const data = x.data
  const weight = (i: number): number => (v === undefined ? 1 : (v[i] as number))
  if (v !== undefined && v.length !== n) throw new RangeError('weights and rows differ in length')
  if (y.length !== n) throw new RangeError(`labels (${y.length}) and rows (${n}) differ in length`)

  let sw = 0
  let swy = 0
  for (let i = 0; i < n; i++) {
    sw += weight(i)
    swy += weight(i) * (y[i] as number)
  }
  const ybar = Math.min(1 - 1e-6, Math.max(1e-6, sw > 0 ? swy / sw : 0.5))
  const beta = new Float64Array(q)
  beta[0] = Math.log(ybar / (1 - ybar))
  if (options.initial !== undefined) {
    if (options.initial.coefficients.length !== p)
      throw new RangeError(
        `initial coefficients (${options.initial.coefficients.length}) ≠ columns (${p})`,
      )
    beta[0] = options.initial.intercept
    beta.set(options.initial.coefficients, 1)
  }

  // Column-major copy: the Hessian X̃ᵀ S X̃ is then q(q+1)/2 contiguous dot products.
  const cols = new Float64Array(n * p)
  for (let i = 0; i < n; i++)
    for (let j = 0; j < p; j++) cols[j * n + i] = data[i * p + j] as number
  const w = new Float64Array(n)
  for (let i = 0; i < n; i++) w[i] = weight(i)

  const eta = new Float64Array(n)
  const computeEta = (b: Float64Array, out: Float64Array): void => {
    out.fill(b[0] as number)
    for (let j = 0; j < p; j++) {
      const bj = b[j + 1] as number
      if (bj === 0) continue
      const off = j * n
      for (let i = 0; i < n; i++) out[i] = (out[i] as number) + bj * (cols[off + i] as number)
    }
  }
  const objectiveAt = (b: Float64Array, e: Float64Array): number => {
    let total = 0
    for (let i = 0; i < n; i++) {
      const ei = e[i] as number
      total += (w[i] as number) * (softplus(ei) - (y[i] as number) * ei)
    }
    let r = 0
    for (let k = 1; k < q; k++) r += (b[k] as number) ** 2
    return total + 0.5 * lambda * r
  }

  computeEta(beta, eta)
  let objective = objectiveAt(beta, eta)
  let converged = false
  let iterations = 0
  const grad = new Float64Array(q)
  const hess = new Float64Array(q * q)
  const resid = new Float64Array(n)
  const curv = new Float64Array(n)
  const scaled = new Float64Array(n)
  const trialBeta = new Float64Array(q)
  const trialEta = new Float64Array(n)
  const stopAt = tolerance * Math.max(1, sw)

  while (iterations < maxIterations) {
    let g0 = 0
    let h00 = 0
    for (let i = 0; i < n; i++) {
      const pi = sigmoid(eta[i] as number)
      const wi = w[i] as number
      const r = wi * (pi - (y[i] as number))
      const s = wi * pi * (1 - pi)
      resid[i] = r
      curv[i] = s
      g0 += r
      h00 += s
    }
    grad[0] = g0
    hess[0] = h00
    for (let j = 0; j < p; j++) {
      const off = j * n
      let g = 0
      let h0 = 0
      for (let i = 0; i < n; i++) {
        const xij = cols[off + i] as number
        g += (resid[i] as number) * xij
        const sx = (curv[i] as number) * xij
        scaled[i] = sx
        h0 += sx
      }
      grad[j + 1] = g + lambda * (beta[j + 1] as number)
      const row = (j + 1) * q
      hess[row] = h0
      // Four dot products per pass share the loads of `scaled` (about twice as fast in V8).
      let k = 0
      for (; k + 3 <= j; k += 4) {
        const o0 = k * n
        const o1 = o0 + n
        const o2 = o1 + n
        const o3 = o2 + n
        let h0 = 0
        let h1 = 0
        let h2 = 0
        let h3 = 0
        for (let i = 0; i < n; i++) {
          const sx = scaled[i] as number
          h0 += sx * (cols[o0 + i] as number)
          h1 += sx * (cols[o1 + i] as number)
          h2 += sx * (cols[o2 + i] as number)
          h3 += sx * (cols[o3 + i] as number)
        }
        hess[row + k + 1] = h0
        hess[row + k + 2] = h1
        hess[row + k + 3] = h2
        hess[row + k + 4] = h3
      }
      for (; k <= j; k++) {
        const offK = k * n
        let h = 0
        for (let i = 0; i < n; i++) h += (scaled[i] as number) * (cols[offK + i] as number)
        hess[row + k + 1] = h
      }
      hess[row + j + 1] = (hess[row + j + 1] as number) + lambda
    }
    const step = solveSpd(hess, grad, q)
    if (step === null) break
    // Newton decrement δ = gᵀH⁻¹g; δ/2 estimates J − J* (Boyd & Vandenberghe 2004, §9.5.1).
    let decrement = 0
    for (let k = 0; k < q; k++) decrement += (grad[k] as number) * (step[k] as number)
    let t = 1
    let accepted = false
    for (let halving = 0; halving < 40; halving++) {
      for (let k = 0; k < q; k++) trialBeta[k] = (beta[k] as number) - t * (step[k] as number)
      computeEta(trialBeta, trialEta)
      const trial = objectiveAt(trialBeta, trialEta)
      if (trial <= objective - 1e-4 * t * decrement) {
        beta.set(trialBeta)
        eta.set(trialEta)
        objective = trial
        accepted = true
        break
      }
      t /= 2
    }
    iterations++
    // No decrease at machine precision means the current point already is the minimiser.
    if (!accepted || decrement / 2 <= stopAt) {
      converged = true
      break
    }
  }
  return {
    intercept: beta[0],
    coefficients: Array.from(beta.subarray(1)),
    iterations,
    converged,
    objective,
  }
}

/** Linear predictor η = b + xᵀw for every row of a standardised matrix. */
export const logisticLinearPredictor = (
  fit: Pick<LogisticFit, 'intercept' | 'coefficients'>,
  x: Matrix,
): Float64Array => {
  const out = new Float64Array(x.rows)
  const p = x.cols
  for (let i = 0; i < x.rows; i++) {
    let s = fit.intercept
    for (let j = 0; j < p; j++) s += (x.data[i * p + j] as number) * (fit.coefficients[j] as number)
    out[i] = s
  }
  return out
}
