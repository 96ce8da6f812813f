/**
 * Probability calibration of a risk score (here: the logistic model's linear predictor),
 * fitted on held-out (out-of-fold) scores so that the map is not tuned on the rows the model
 * has memorised.
 */
import { sigmoid } from './linalg.ts'

/**
 * Platt scaling: P(y = 1 | s) = σ(a·s + b). With `s` the model logit, a ≈ 1, b ≈ 0 means the
 * model was already calibrated; a < 1 shrinks over-confident scores.
 */
export interface PlattCalibration {
  readonly method: 'platt'
  readonly a: number
  readonly b: number
}

/**
 * Isotonic calibration: a non-decreasing step map from score to probability, stored as the
 * pooled blocks of the pool-adjacent-violators fit (score range and block value).
 */
export interface IsotonicCalibration {
  readonly method: 'isotonic'
  /** Blocks in ascending score order; values are non-decreasing. */
  readonly blocks: readonly { readonly lo: number; readonly hi: number; readonly value: number }[]
}

/** No calibration: the probability is σ(s). */
export interface IdentityCalibration {
  readonly method: 'none'
}

export type Calibration = PlattCalibration | IsotonicCalibration | IdentityCalibration

/**
 * Fits Platt scaling (Platt 1999, "Probabilistic outputs for support vector machines") by
 * Newton's method on the log-loss of σ(a·s_i + b) against Platt's smoothed targets
 * t₊ = (N₊ + 1)/(N₊ + 2) for positives and t₋ = 1/(N₋ + 2) for negatives, which keep a and b
 * finite on separable data (Lin, Lin & Weng 2007, "A note on Platt's probabilistic outputs",
 * whose safeguarded Newton iteration this follows: step halving until the loss decreases).
 */
export const fitPlatt = (
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
): PlattCalibration => {
  const n = scores.length
  if (labels.length !== n) throw new RangeError('scores and labels differ in length')
  let nPos = 0
  for (let i = 0; i < n; i++) if ((labels[i] as number) === 1) nPos++
  const nNeg = n - nPos
  const hiTarget = (nPos + 1) / (nPos + 2)
  const loTarget = 1 / (nNeg + 2)
  const target = (i: number): number => ((labels[i] as number) === 1 ? hiTarget : loTarget)
  const loss = (a: number, b: number): number => {
    let f = 0
    for (let i = 0; i < n; i++) {
      const z = a * (scores[i] as number) + b
      const t = target(i)
      // −[t log σ(z) + (1 − t) log(1 − σ(z))] = log(1 + e^z) − t z
      f += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - t * z
    }
    return f
  }
  let a = 1
  let b = 0
  let f = loss(a, b)
  for (let iter = 0; iter < 100; iter++) {
    let ga = 0
    let gb = 0
    let haa = 1e-12
    let hab = 0
    let hbb = 1e-12
    for (let i = 0; i < n; i++) {
      const s = scores[i] as number
      const p = sigmoid(a * s + b)
      const d = p - target(i)
      const w = p * (1 - p)
      ga += d * s
      gb += d
      haa += w * s * s
      hab += w * s
      hbb += w
    }
    if (Math.abs(ga) < 1e-9 * Math.max(1, n) && Math.abs(gb) < 1e-9 * Math.max(1, n)) break
    const det = haa * hbb - hab * hab
    if (!(det > 0)) break
    const da = (hbb * ga - hab * gb) / det
    const db = (haa * gb - hab * ga) / det
    let t = 1
    let improved = false
    while (t > 1e-10) {
      const trial = loss(a - t * da, b - t * db)
      if (trial < f) {
        a -= t * da
        b -= t * db
        f = trial
        improved = true
        break
      }
      t /= 2
    }
    if (!improved) break
  }
  return { method: 'platt', a, b }
}

/**
 * Fits isotonic regression of labels on scores with the pool-adjacent-violators algorithm
 * (Ayer et al. 1955; Zadrozny & Elkan 2002 for calibration): rows sorted by score, equal
 * scores pooled first, then adjacent blocks whose means decrease are merged until the block
 * means are non-decreasing. Flexible but step-shaped; needs more held-out rows than Platt
 * (Niculescu-Mizil & Caruana 2005 suggest Platt below ~1,000 calibration rows).
 */
export const fitIsotonic = (
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
): IsotonicCalibration => {
  const n = scores.length
  if (labels.length !== n) throw new RangeError('scores and labels differ in length')
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (x, y) => (scores[x] as number) - (scores[y] as number),
  )
  type Block = { lo: number; hi: number; sum: number; weight: number }
  const stack: Block[] = []
  let i = 0
  while (i < n) {
    const s = scores[order[i] as number] as number
    let sum = 0
    let weight = 0
    while (i < n && (scores[order[i] as number] as number) === s) {
      sum += labels[order[i] as number] as number
      weight++
      i++
    }
    stack.push({ lo: s, hi: s, sum, weight })
    while (stack.length >= 2) {
      const last = stack[stack.length - 1] as Block
      const prev = stack[stack.length - 2] as Block
      if (prev.sum / prev.weight < last.sum / last.weight) break
      stack.pop()
      stack[stack.length - 1] = {
        lo: prev.lo,
        hi: last.hi,
        sum: prev.sum + last.sum,
        weight: prev.weight + last.weight,
      }
    }
  }
  return {
    method: 'isotonic',
    blocks: stack.map((b) => ({ lo: b.lo, hi: b.hi, value: b.sum / b.weight })),
  }
}

/**
 * Maps a score to a calibrated probability. Platt: σ(a·s + b). Isotonic: the block value when
 * s falls inside a block, linear interpolation between the end of one block and the start of
 * the next when s falls in a gap (as scikit-learn's `IsotonicRegression` interpolates), and the
 * first/last block value outside the fitted range. None: σ(s).
 */
export const applyCalibration = (calibration: Calibration, score: number): number => {
  if (calibration.method === 'none') return sigmoid(score)
  if (calibration.method === 'platt') return sigmoid(calibration.a * score + calibration.b)
  const blocks = calibration.blocks
  if (blocks.length === 0) return sigmoid(score)
  const first = blocks[0] as (typeof blocks)[number]
  const last = blocks[blocks.length - 1] as (typeof blocks)[number]
  if (score <= first.hi) return first.value
  if (score >= last.lo) return last.value
  let lo = 0
  let hi = blocks.length - 1
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1
    if ((blocks[mid] as (typeof blocks)[number]).lo <= score) lo = mid
    else hi = mid
  }
  const left = blocks[lo] as (typeof blocks)[number]
  const right = blocks[hi] as (typeof blocks)[number]
  if (score <= left.hi) return left.value
  const t = (score - left.hi) / (right.lo - left.hi)
  return left.value + t * (right.value - left.value)
}
