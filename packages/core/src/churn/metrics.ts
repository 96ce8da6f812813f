/**
 * Evaluation metrics for binary risk scores. Inputs are parallel arrays of scores (any
 * monotone risk score, or probabilities where stated) and 0/1 labels. Mismatched lengths are
 * programming errors and throw; undefined metrics (e.g. AUC with a single class) return NaN.
 */

const checkLengths = (scores: ArrayLike<number>, labels: ArrayLike<number>): void => {
  if (scores.length !== labels.length)
    throw new RangeError(`scores (${scores.length}) and labels (${labels.length}) differ in length`)
}

/** Indices sorted by descending score (stable on index for equal scores). */
const orderDescending = (scores: ArrayLike<number>): number[] =>
  Array.from({ length: scores.length }, (_, i) => i).sort(
    (a, b) => (scores[b] as number) - (scores[a] as number) || a - b,
  )

/**
 * Area under the ROC curve, tie-aware, via the Mann–Whitney U statistic with mid-ranks:
 * AUC = (R₊ − n₊(n₊ + 1)/2) / (n₊ n₋), where R₊ is the sum of the (average, for ties) ranks
 * of the positives among all scores in ascending order. Equals P(s₊ > s₋) + ½ P(s₊ = s₋)
 * (Hanley & McNeil 1982; Fawcett 2006, "An introduction to ROC analysis", §6), i.e. the
 * trapezoidal area that scikit-learn's `roc_auc_score` computes. NaN without both classes.
 */
export const rocAuc = (scores: ArrayLike<number>, labels: ArrayLike<number>): number => {
  checkLengths(scores, labels)
  const n = scores.length
  const idx = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (scores[a] as number) - (scores[b] as number),
  )
  let nPos = 0
  let rankSumPos = 0
  let i = 0
  while (i < n) {
    let j = i
    const s = scores[idx[i] as number] as number
    while (j + 1 < n && (scores[idx[j + 1] as number] as number) === s) j++
    const midRank = (i + j) / 2 + 1
    for (let k = i; k <= j; k++)
      if ((labels[idx[k] as number] as number) === 1) {
        nPos++
        rankSumPos += midRank
      }
    i = j + 1
  }
  const nNeg = n - nPos
  if (nPos === 0 || nNeg === 0) return Number.NaN
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg)
}

/**
 * Average precision (area under the precision–recall curve, step interpolation):
 * AP = Σ_k (R_k − R_{k−1}) P_k over the distinct score thresholds in descending order, where
 * P_k and R_k are precision and recall when flagging every row with score ≥ threshold k; tied
 * scores enter together. Same definition as scikit-learn's `average_precision_score`
 * (Zhu 2004; Manning, Raghavan & Schütze 2008, §8.4). A random score gives ≈ the positive
 * rate. NaN without positives.
 */
export const averagePrecision = (scores: ArrayLike<number>, labels: ArrayLike<number>): number => {
  checkLengths(scores, labels)
  const order = orderDescending(scores)
  let totalPos = 0
  for (let i = 0; i < labels.length; i++) if ((labels[i] as number) === 1) totalPos++
  if (totalPos === 0) return Number.NaN
  let tp = 0
  let seen = 0
  let ap = 0
  let prevRecall = 0
  let i = 0
  while (i < order.length) {
    const s = scores[order[i] as number] as number
    while (i < order.length && (scores[order[i] as number] as number) === s) {
      if ((labels[order[i] as number] as number) === 1) tp++
      seen++
      i++
    }
    const recall = tp / totalPos
    ap += (recall - prevRecall) * (tp / seen)
    prevRecall = recall
  }
  return ap
}

/**
 * Brier score (Brier 1950): mean squared error of probabilities, (1/n) Σ (p_i − y_i)².
 * 0 is perfect; always predicting the base rate π gives π(1 − π). NaN for empty input.
 */
export const brierScore = (probabilities: ArrayLike<number>, labels: ArrayLike<number>): number => {
  checkLengths(probabilities, labels)
  if (probabilities.length === 0) return Number.NaN
  let s = 0
  for (let i = 0; i < probabilities.length; i++)
    s += ((probabilities[i] as number) - (labels[i] as number)) ** 2
  return s / probabilities.length
}

/**
 * Mean log-loss (cross-entropy), −(1/n) Σ [y log p + (1 − y) log(1 − p)], with p clipped to
 * [1e-15, 1 − 1e-15]. NaN for empty input.
 */
export const logLoss = (probabilities: ArrayLike<number>, labels: ArrayLike<number>): number => {
  checkLengths(probabilities, labels)
  if (probabilities.length === 0) return Number.NaN
  let s = 0
  for (let i = 0; i < probabilities.length; i++) {
    const p = Math.min(1 - 1e-15, Math.max(1e-15, probabilities[i] as number))
    s -= (labels[i] as number) === 1 ? Math.log(p) : Math.log(1 - p)
  }
  return s / probabilities.length
}

/** One bin of a calibration (reliability) curve. */
export interface CalibrationBin {
  /** 1-based bin number, 1 = lowest predicted probabilities. */
  readonly bin: number
  readonly count: number
  readonly meanPredicted: number
  readonly observedRate: number
  readonly minPredicted: number
  readonly maxPredicted: number
}

/**
 * Calibration (reliability) curve by quantile bins (deciles by default): rows are sorted by
 * predicted probability and split into `bins` groups of as equal size as possible (group b
 * holds sorted positions ⌊(b−1)n/B⌋ … ⌊bn/B⌋−1; rows with equal probabilities may straddle a
 * boundary). Each bin reports mean predicted probability and observed positive rate; a
 * calibrated model has them close (DeGroot & Fienberg 1983; Niculescu-Mizil & Caruana 2005).
 * Empty bins (n < B) are omitted.
 */
export const calibrationCurve = (
  probabilities: ArrayLike<number>,
  labels: ArrayLike<number>,
  bins = 10,
): CalibrationBin[] => {
  checkLengths(probabilities, labels)
  if (!Number.isInteger(bins) || bins < 1)
    throw new RangeError(`bins must be a positive integer, got ${bins}`)
  const n = probabilities.length
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (probabilities[a] as number) - (probabilities[b] as number) || a - b,
  )
  const out: CalibrationBin[] = []
  for (let b = 0; b < bins; b++) {
    const lo = Math.floor((b * n) / bins)
    const hi = Math.floor(((b + 1) * n) / bins)
    if (hi <= lo) continue
    let sp = 0
    let sy = 0
    for (let k = lo; k < hi; k++) {
      const idx = order[k] as number
      sp += probabilities[idx] as number
      sy += labels[idx] as number
    }
    out.push({
      bin: b + 1,
      count: hi - lo,
      meanPredicted: sp / (hi - lo),
      observedRate: sy / (hi - lo),
      minPredicted: probabilities[order[lo] as number] as number,
      maxPredicted: probabilities[order[hi - 1] as number] as number,
    })
  }
  return out
}

/**
 * Lift in the top fraction (default 10 %, "top-decile lift"): the positive rate among the
 * `fraction · n` highest-scored rows divided by the overall positive rate. Ties at the cut-off
 * are shared pro rata: if the cut falls inside a group of g tied rows of which t are positive
 * and only m of the group fit, the group contributes m·t/g positives. So the result does not
 * depend on row order. 1 = no better than random; 1/π is the maximum. NaN without positives.
 */
export const liftAtTop = (
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  fraction = 0.1,
): number => {
  checkLengths(scores, labels)
  if (!(fraction > 0 && fraction <= 1))
    throw new RangeError(`fraction must be in (0, 1], got ${fraction}`)
  const n = scores.length
  let totalPos = 0
  for (let i = 0; i < n; i++) if ((labels[i] as number) === 1) totalPos++
  if (totalPos === 0) return Number.NaN
  const capacity = fraction * n
  const order = orderDescending(scores)
  let taken = 0
  let positives = 0
  let i = 0
  while (i < n && taken < capacity) {
    const s = scores[order[i] as number] as number
    let g = 0
    let t = 0
    while (i < n && (scores[order[i] as number] as number) === s) {
      if ((labels[order[i] as number] as number) === 1) t++
      g++
      i++
    }
    const m = Math.min(g, capacity - taken)
    positives += (m * t) / g
    taken += m
  }
  return positives / taken / (totalPos / n)
}
