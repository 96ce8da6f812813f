/** Small dense linear algebra for the churn models (p up to a few hundred). */

/**
 * Solves A x = b for a symmetric positive-definite A (n×n, row-major, only the lower triangle
 * is read) by Cholesky factorisation A = L Lᵀ (Golub & Van Loan, Matrix Computations, 4th ed.,
 * Alg. 4.2.1) followed by forward and back substitution. If a pivot is not positive
 * (A numerically semi-definite), `jitter · max(diag A)` is added to the diagonal and the
 * factorisation retried (up to 6 times, ×10 each). Returns `null` if it still fails.
 * A and b are not modified.
 */
export const solveSpd = (
  a: Float64Array,
  b: Float64Array,
  n: number,
  jitter = 1e-10,
): Float64Array | null => {
  let maxDiag = 0
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, Math.abs(a[i * n + i] as number))
  let added = 0
  for (let attempt = 0; attempt < 7; attempt++) {
    const l = cholesky(a, n, added)
    if (l !== null) return choleskySolve(l, b, n)
    added = added === 0 ? jitter * Math.max(maxDiag, 1) : added * 10
  }
  return null
}

const cholesky = (a: Float64Array, n: number, diagShift: number): Float64Array | null => {
  const l = new Float64Array(n * n)
  for (let j = 0; j < n; j++) {
    let s = (a[j * n + j] as number) + diagShift
    for (let k = 0; k < j; k++) {
      const v = l[j * n + k] as number
      s -= v * v
    }
    if (!(s > 0) || !Number.isFinite(s)) return null
    const d = Math.sqrt(s)
    l[j * n + j] = d
    for (let i = j + 1; i < n; i++) {
      let t = a[i * n + j] as number
      for (let k = 0; k < j; k++) t -= (l[i * n + k] as number) * (l[j * n + k] as number)
      l[i * n + j] = t / d
    }
  }
  return l
}

const choleskySolve = (l: Float64Array, b: Float64Array, n: number): Float64Array => {
  const y = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    let s = b[i] as number
    for (let k = 0; k < i; k++) s -= (l[i * n + k] as number) * (y[k] as number)
    y[i] = s / (l[i * n + i] as number)
  }
  const x = new Float64Array(n)
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i] as number
    for (let k = i + 1; k < n; k++) s -= (l[k * n + i] as number) * (x[k] as number)
    x[i] = s / (l[i * n + i] as number)
  }
  return x
}

/** Logistic function σ(z) = 1 / (1 + e^(−z)), evaluated without overflow for either sign. */
export const sigmoid = (z: number): number => {
  if (z >= 0) return 1 / (1 + Math.exp(-z))
  const e = Math.exp(z)
  return e / (1 + e)
}

/** log(1 + e^z) computed stably (softplus): max(z, 0) + log1p(e^(−|z|)). */
export const softplus = (z: number): number => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)))

/** Logit log(p / (1 − p)), with p clipped to [1e-15, 1 − 1e-15]. */
export const logit = (p: number): number => {
  const q = Math.min(1 - 1e-15, Math.max(1e-15, p))
  return Math.log(q / (1 - q))
}
