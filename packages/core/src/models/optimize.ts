/**
 * Unconstrained minimisation (BFGS with a strong-Wolfe line search), numerical Hessians and the
 * log-parameter wrapper used by every maximum-likelihood fit in this folder.
 *
 * References: Nocedal & Wright (2006), Numerical Optimization, 2nd ed.: Algorithm 6.1 (BFGS),
 * eq. 6.17 (inverse update), eq. 6.20 (initial scaling), Algorithms 3.5/3.6 (line search and zoom).
 */

/**
 * An objective for minimisation: returns f(x) and writes ∇f(x) into `gradient`. It must not keep
 * references to `x` or `gradient` (the optimiser reuses both arrays).
 */
export type Objective = (x: Float64Array, gradient: Float64Array) => number

export interface BfgsOptions {
  /** Iteration limit (default 500). */
  maxIterations?: number
  /** Converged when max_i |∂f/∂x_i| ≤ gradientTolerance · max(1, |f|) (default 1e-9). */
  gradientTolerance?: number
  /** Largest change of any coordinate in one step (default 5; for log-parameters, a factor e⁵). */
  maxStep?: number
}

/** Why the minimiser stopped. Only 'gradient' (and a small gradient at 'no-progress') converge. */
export type StopReason = 'gradient' | 'no-progress' | 'max-iterations' | 'non-finite'

export interface BfgsResult {
  x: Float64Array
  value: number
  gradient: Float64Array
  iterations: number
  /** Objective evaluations, line searches included. */
  evaluations: number
  converged: boolean
  reason: StopReason
}

const C1 = 1e-4
const C2 = 0.9
const MAX_LINE_SEARCH = 40
/**
 * Relative rounding allowance in the sufficient-decrease test (Hager & Zhang 2005, "A new conjugate
 * gradient method with guaranteed descent and an efficient line search", SIAM J. Optim. 16(1),
 * approximate Wolfe conditions): near the optimum f is flat to rounding, and an exact test would
 * reject every step although the gradient still carries information.
 */
const F_ROUNDING = 1e-13
/** At 'no-progress' (no further decrease representable), a gradient this small still counts. */
const LOOSE_GRADIENT_FACTOR = 1e3

/**
 * Minimises `objective` from `x0` with BFGS (Nocedal & Wright, Alg. 6.1): inverse-Hessian update
 * H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, ρ = 1/(yᵀs) (eq. 6.17), H₀ scaled by yᵀs/yᵀy after the
 * first step (eq. 6.20), steps from a strong-Wolfe line search (c₁ = 1e-4, c₂ = 0.9). Non-finite
 * objective values are treated as +∞, so the line search backs off from them. The update is
 * skipped when yᵀs is not clearly positive; the matrix is reset to the identity when the search
 * direction is not a descent direction.
 */
export function minimizeBfgs(
  objective: Objective,
  x0: ArrayLike<number>,
  options: BfgsOptions = {},
): BfgsResult {
  const maxIterations = options.maxIterations ?? 500
  const gtol = options.gradientTolerance ?? 1e-9
  const maxStep = options.maxStep ?? 5
  const n = x0.length
  const x = Float64Array.from(x0)
  const g = new Float64Array(n)
  const xNew = new Float64Array(n)
  const gNew = new Float64Array(n)
  const p = new Float64Array(n)
  const s = new Float64Array(n)
  const y = new Float64Array(n)
  const hy = new Float64Array(n)
  const H = new Float64Array(n * n)
  let evaluations = 1
  let f = objective(x, g)
  const finish = (iterations: number, reason: StopReason): BfgsResult => {
    const small = maxAbs(g) <= LOOSE_GRADIENT_FACTOR * gtol * Math.max(1, Math.abs(f))
    return {
      x,
      value: f,
      gradient: g,
      iterations,
      evaluations,
      converged: reason === 'gradient' || (reason === 'no-progress' && small),
      reason,
    }
  }
  if (!Number.isFinite(f) || !allFinite(g)) return finish(0, 'non-finite')
  setIdentity(H, n)
  let scaled = false
  for (let iter = 0; iter < maxIterations; iter++) {
    if (maxAbs(g) <= gtol * Math.max(1, Math.abs(f))) return finish(iter, 'gradient')
    // p = −H g, a descent direction or else a reset to steepest descent.
    let slope = 0
    for (let i = 0; i < n; i++) {
      let v = 0
      for (let j = 0; j < n; j++) v -= (H[i * n + j] as number) * (g[j] as number)
      p[i] = v
      slope += v * (g[i] as number)
    }
    if (!(slope < 0)) {
      setIdentity(H, n)
      scaled = false
      slope = 0
      for (let i = 0; i < n; i++) {
        p[i] = -(g[i] as number)
        slope -= (g[i] as number) * (g[i] as number)
      }
    }
    const pMax = maxAbs(p)
    let alpha0 = scaled ? 1 : Math.min(1, 1 / pMax)
    if (alpha0 * pMax > maxStep) alpha0 = maxStep / pMax
    const search = lineSearch(objective, x, f, slope, p, alpha0, maxStep / pMax, xNew, gNew)
    evaluations += search.evaluations
    if (search.alpha === 0) {
      if (!scaled) return finish(iter, 'no-progress')
      setIdentity(H, n) // retry once from steepest descent before giving up
      scaled = false
      continue
    }
    const fOld = f
    let sy = 0
    let yy = 0
    for (let i = 0; i < n; i++) {
      const si = (xNew[i] as number) - (x[i] as number)
      const yi = (gNew[i] as number) - (g[i] as number)
      s[i] = si
      y[i] = yi
      sy += si * yi
      yy += yi * yi
      x[i] = xNew[i] as number
      g[i] = gNew[i] as number
    }
    f = search.value
    if (sy > 1e-12 * Math.sqrt(yy * dot(s, s))) {
      if (!scaled) {
        const gamma = sy / yy
        for (let i = 0; i < n * n; i++) H[i] = (H[i] as number) * gamma
        scaled = true
      }
      bfgsUpdate(H, n, s, y, hy, sy)
    }
    if (fOld - f <= 1e-15 * Math.abs(f) && maxAbs(s) <= 1e-12 * (1 + maxAbs(x))) {
      return finish(iter + 1, 'no-progress')
    }
  }
  return finish(maxIterations, 'max-iterations')
}

/** H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ in the expanded form H − ρ(s hᵀ + h sᵀ) + (ρ² yᵀHy + ρ) s sᵀ, h = H y. */
function bfgsUpdate(
  H: Float64Array,
  n: number,
  s: Float64Array,
  y: Float64Array,
  hy: Float64Array,
  sy: number,
): void {
  const rho = 1 / sy
  let yhy = 0
  for (let i = 0; i < n; i++) {
    let v = 0
    for (let j = 0; j < n; j++) v += (H[i * n + j] as number) * (y[j] as number)
    hy[i] = v
    yhy += (y[i] as number) * v
  }
  const coef = rho * rho * yhy + rho
  for (let i = 0; i < n; i++) {
    const si = s[i] as number
    const hi = hy[i] as number
    for (let j = 0; j < n; j++) {
      const sj = s[j] as number
      const hj = hy[j] as number
      H[i * n + j] = (H[i * n + j] as number) - rho * (si * hj + hi * sj) + coef * si * sj
    }
  }
}

interface LineSearchResult {
  alpha: number
  value: number
  evaluations: number
}

/**
 * Strong-Wolfe line search (Nocedal & Wright Alg. 3.5 with zoom, Alg. 3.6; quadratic
 * interpolation safeguarded by bisection), with function comparisons relaxed by F_ROUNDING·|f(0)|. On success xNew, gNew hold the accepted point;
 * alpha = 0 signals failure.
 */
function lineSearch(
  objective: Objective,
  x: Float64Array,
  f0: number,
  slope0: number,
  p: Float64Array,
  alphaInit: number,
  alphaMax: number,
  xNew: Float64Array,
  gNew: Float64Array,
): LineSearchResult {
  let evaluations = 0
  const fTol = F_ROUNDING * Math.abs(f0)
  const phi = (alpha: number): number => {
    for (let i = 0; i < x.length; i++) xNew[i] = (x[i] as number) + alpha * (p[i] as number)
    evaluations++
    const v = objective(xNew, gNew)
    return Number.isFinite(v) && allFinite(gNew) ? v : Infinity
  }
  const dphi = (): number => dot(gNew, p)

  let aPrev = 0
  let fPrev = f0
  let dPrev = slope0
  let alpha = alphaInit
  let lo = 0
  let hi = 0
  let fLo = 0
  let fHi = 0
  let dLo = 0
  let bracketed = false
  for (let i = 0; i < MAX_LINE_SEARCH; i++) {
    const fa = phi(alpha)
    if (fa > f0 + C1 * alpha * slope0 + fTol || (i > 0 && fa > fPrev + fTol)) {
      ;[lo, hi, fLo, fHi, dLo] = [aPrev, alpha, fPrev, fa, dPrev]
      bracketed = true
      break
    }
    const da = dphi()
    if (Math.abs(da) <= -C2 * slope0) return { alpha, value: fa, evaluations }
    if (da >= 0) {
      ;[lo, hi, fLo, fHi, dLo] = [alpha, aPrev, fa, fPrev, da]
      bracketed = true
      break
    }
    if (alpha >= alphaMax) return { alpha, value: fa, evaluations } // longest allowed step, still descending
    aPrev = alpha
    fPrev = fa
    dPrev = da
    alpha = Math.min(2 * alpha, alphaMax)
  }
  if (!bracketed) return { alpha: 0, value: f0, evaluations }

  for (let j = 0; j < MAX_LINE_SEARCH; j++) {
    const width = hi - lo
    let a: number
    if (Number.isFinite(fHi)) {
      // Minimiser of the quadratic through (lo, fLo) with slope dLo and (hi, fHi).
      const denom = 2 * (fHi - fLo - dLo * width)
      a = denom !== 0 ? lo - (dLo * width * width) / denom : lo + width / 2
      const lower = Math.min(lo, hi) + 0.1 * Math.abs(width)
      const upper = Math.max(lo, hi) - 0.1 * Math.abs(width)
      if (!(a >= lower && a <= upper)) a = lo + width / 2
    } else {
      a = lo + width / 2
    }
    const fa = phi(a)
    if (fa > f0 + C1 * a * slope0 + fTol || fa > fLo + fTol) {
      hi = a
      fHi = fa
    } else {
      const da = dphi()
      if (Math.abs(da) <= -C2 * slope0) return { alpha: a, value: fa, evaluations }
      if (da * (hi - lo) >= 0) {
        hi = lo
        fHi = fLo
      }
      lo = a
      fLo = fa
      dLo = da
    }
    if (Math.abs(hi - lo) <= 1e-14 * Math.max(1, Math.abs(lo))) break
  }
  // Zoom did not meet the curvature condition; accept the best point with sufficient decrease.
  if (lo > 0 && fLo < f0) {
    const fa = phi(lo)
    return { alpha: lo, value: fa, evaluations }
  }
  return { alpha: 0, value: f0, evaluations }
}

/**
 * Hessian by central differences of the gradient, H_ij = [g_j(x + h_i e_i) − g_j(x − h_i e_i)]/(2h_i)
 * with h_i = step · max(1, |x_i|), then symmetrised (H + Hᵀ)/2. Returned row-major, n × n.
 */
export function hessianFromGradient(
  objective: Objective,
  x: ArrayLike<number>,
  step = 1e-5,
): Float64Array {
  const n = x.length
  const H = new Float64Array(n * n)
  const xp = Float64Array.from(x)
  const gPlus = new Float64Array(n)
  const gMinus = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const xi = x[i] as number
    const h = step * Math.max(1, Math.abs(xi))
    xp[i] = xi + h
    objective(xp, gPlus)
    xp[i] = xi - h
    objective(xp, gMinus)
    xp[i] = xi
    for (let j = 0; j < n; j++)
      H[i * n + j] = ((gPlus[j] as number) - (gMinus[j] as number)) / (2 * h)
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = ((H[i * n + j] as number) + (H[j * n + i] as number)) / 2
      H[i * n + j] = v
      H[j * n + i] = v
    }
  }
  return H
}

/**
 * Inverse of a symmetric positive-definite n × n matrix (row-major) through its Cholesky factor
 * A = L Lᵀ, A⁻¹ = L⁻ᵀ L⁻¹. Returns null when A is not positive definite (then the fit sits on a
 * boundary or a flat ridge and standard errors do not exist).
 */
export function invertSpd(A: Float64Array, n: number): Float64Array | null {
  const L = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = A[i * n + j] as number
      for (let k = 0; k < j; k++) sum -= (L[i * n + k] as number) * (L[j * n + k] as number)
      if (i === j) {
        if (!(sum > 0)) return null
        L[i * n + i] = Math.sqrt(sum)
      } else {
        L[i * n + j] = sum / (L[j * n + j] as number)
      }
    }
  }
  // Linv = L⁻¹ (lower triangular), then A⁻¹ = Linvᵀ Linv.
  const Linv = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    Linv[i * n + i] = 1 / (L[i * n + i] as number)
    for (let j = 0; j < i; j++) {
      let sum = 0
      for (let k = j; k < i; k++) sum -= (L[i * n + k] as number) * (Linv[k * n + j] as number)
      Linv[i * n + j] = sum / (L[i * n + i] as number)
    }
  }
  const inv = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = 0
      for (let k = i; k < n; k++) sum += (Linv[k * n + i] as number) * (Linv[k * n + j] as number)
      inv[i * n + j] = sum
      inv[j * n + i] = sum
    }
  }
  return inv
}

export interface LogSpaceFitOptions extends BfgsOptions {
  /** Extra BFGS runs from the previous end point when a run does not converge (default 2). */
  restarts?: number
  /** Relative step for the numerical Hessian in log space (default 1e-5). */
  hessianStep?: number
}

export interface LogSpaceFit {
  /** Maximum-likelihood estimates on the natural (positive) scale. */
  params: Float64Array
  /** Delta-method standard errors on the natural scale; NaN when the Hessian is not positive definite. */
  standardErrors: Float64Array
  /** Covariance on the natural scale (row-major n × n); NaN entries when unavailable. */
  covariance: Float64Array
  /** Minimum of the objective (the negative log-likelihood). */
  value: number
  iterations: number
  evaluations: number
  converged: boolean
  reason: StopReason
}

/**
 * Minimises a negative log-likelihood over positive parameters by BFGS on θ = ln(params)
 * (so every iterate is feasible), then estimates uncertainty from the observed information:
 * Cov(θ̂) = [∇²_θ(−ℓ)]⁻¹ at the optimum, with the Hessian from central differences of the analytic
 * gradient, and by the delta method (params = e^θ, ∂params/∂θ = params)
 * Cov(params) = D Cov(θ̂) D, D = diag(params), SE_i = params_i · √Cov(θ̂)_ii.
 *
 * `negLogLik(params, gradient)` works on the natural scale; its gradient is mapped to θ here by
 * the chain rule ∂/∂θ_i = params_i ∂/∂params_i.
 */
export function fitPositiveParameters(
  negLogLik: Objective,
  start: ArrayLike<number>,
  options: LogSpaceFitOptions = {},
): LogSpaceFit {
  const n = start.length
  for (let i = 0; i < n; i++) {
    const v = start[i] as number
    if (!(Number.isFinite(v) && v > 0)) {
      throw new RangeError(`start values must be positive and finite, got ${v} at position ${i}`)
    }
  }
  const params = new Float64Array(n)
  const gradNatural = new Float64Array(n)
  const inLogSpace: Objective = (theta, gradient) => {
    for (let i = 0; i < n; i++) params[i] = Math.exp(theta[i] as number)
    const v = negLogLik(params, gradNatural)
    for (let i = 0; i < n; i++) gradient[i] = (gradNatural[i] as number) * (params[i] as number)
    return v
  }
  let theta = Float64Array.from(start, (v) => Math.log(v))
  let result = minimizeBfgs(inLogSpace, theta, options)
  let iterations = result.iterations
  let evaluations = result.evaluations
  for (let r = 0; r < (options.restarts ?? 2) && !result.converged; r++) {
    if (result.reason === 'non-finite') break
    result = minimizeBfgs(inLogSpace, result.x, options)
    iterations += result.iterations
    evaluations += result.evaluations
  }
  theta = Float64Array.from(result.x)
  const estimate = Float64Array.from(theta, (v) => Math.exp(v))
  const hessian = hessianFromGradient(inLogSpace, theta, options.hessianStep ?? 1e-5)
  evaluations += 2 * n
  const covTheta = invertSpd(hessian, n)
  const covariance = new Float64Array(n * n).fill(NaN)
  const standardErrors = new Float64Array(n).fill(NaN)
  if (covTheta) {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        covariance[i * n + j] =
          (covTheta[i * n + j] as number) * (estimate[i] as number) * (estimate[j] as number)
      }
      standardErrors[i] = (estimate[i] as number) * Math.sqrt(covTheta[i * n + i] as number)
    }
  }
  return {
    params: estimate,
    standardErrors,
    covariance,
    value: result.value,
    iterations,
    evaluations,
    converged: result.converged,
    reason: result.reason,
  }
}

function setIdentity(H: Float64Array, n: number): void {
  H.fill(0)
  for (let i = 0; i < n; i++) H[i * n + i] = 1
}

function maxAbs(v: Float64Array): number {
  let m = 0
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i] as number))
  return m
}

function dot(u: Float64Array, v: Float64Array): number {
  let s = 0
  for (let i = 0; i < u.length; i++) s += (u[i] as number) * (v[i] as number)
  return s
}

function allFinite(v: Float64Array): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false
  return true
}

/** Result of a model fit by maximum likelihood. */
export interface ModelFit<P extends object> {
  /** Maximum-likelihood estimates. */
  params: P
  /** Delta-method standard errors (NaN when the observed information is not positive definite). */
  standardErrors: P
  /** Parameter names in the order used by `covariance`. */
  parameterNames: (keyof P & string)[]
  /** Covariance of the estimates on the parameter scale (rows and columns in `parameterNames` order). */
  covariance: number[][]
  /** Maximised log-likelihood (weighted sum over customers). */
  logLikelihood: number
  iterations: number
  evaluations: number
  converged: boolean
  reason: StopReason
  /** Number of customers (Σ weights) the model was fitted on. */
  customers: number
}

/** Turns a `LogSpaceFit` of a negative log-likelihood into a named `ModelFit`. */
export function toModelFit<P extends object>(
  names: (keyof P & string)[],
  fit: LogSpaceFit,
  customers: number,
): ModelFit<P> {
  const n = names.length
  const params = {} as Record<string, number>
  const standardErrors = {} as Record<string, number>
  names.forEach((name, i) => {
    params[name] = fit.params[i] as number
    standardErrors[name] = fit.standardErrors[i] as number
  })
  const covariance = names.map((_, i) =>
    Array.from({ length: n }, (_, j) => fit.covariance[i * n + j] as number),
  )
  return {
    params: params as P,
    standardErrors: standardErrors as P,
    parameterNames: names,
    covariance,
    logLikelihood: -fit.value,
    iterations: fit.iterations,
    evaluations: fit.evaluations,
    converged: fit.converged,
    reason: fit.reason,
    customers,
  }
}

/**
 * Checks an objective's analytic gradient against central differences
 * (f(x + h eᵢ) − f(x − h eᵢ))/(2h), h = step·|xᵢ| (step when xᵢ = 0), and returns the largest
 * discrepancy relative to max(1, |numerical derivative|). Values around 1e-8 or below mean the
 * gradient is right; use it when writing an `Objective` for `minimizeBfgs`.
 */
export function gradientError(objective: Objective, x: ArrayLike<number>, step = 1e-6): number {
  const n = x.length
  const point = Float64Array.from(x)
  const analytic = new Float64Array(n)
  const scratch = new Float64Array(n)
  objective(point, analytic)
  let worst = 0
  for (let i = 0; i < n; i++) {
    const xi = x[i] as number
    const h = xi === 0 ? step : step * Math.abs(xi)
    point[i] = xi + h
    const up = objective(point, scratch)
    point[i] = xi - h
    const down = objective(point, scratch)
    point[i] = xi
    const numeric = (up - down) / (2 * h)
    const err = Math.abs((analytic[i] as number) - numeric) / Math.max(1, Math.abs(numeric))
    worst = Math.max(worst, Number.isNaN(err) ? Infinity : err)
  }
  return worst
}
