import { createPrng, shuffled } from './prng.ts'

/**
 * Stratified k-fold assignment: the indices of each class are shuffled with the seeded PRNG
 * ({@link createPrng}) and dealt round-robin to folds 0 … k−1, negatives first, with the
 * positives continuing the same counter. Each fold then holds ⌊n_c/k⌋ or ⌈n_c/k⌉ rows of
 * every class c and fold sizes differ by at most one (as scikit-learn's `StratifiedKFold`
 * guarantees). Returns the fold number of every row. Same labels and seed → same folds.
 */
export const stratifiedKFold = (labels: ArrayLike<number>, k: number, seed: number): Int32Array => {
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`k must be an integer ≥ 2, got ${k}`)
  const prng = createPrng(seed)
  const negatives: number[] = []
  const positives: number[] = []
  for (let i = 0; i < labels.length; i++)
    ((labels[i] as number) === 1 ? positives : negatives).push(i)
  const folds = new Int32Array(labels.length)
  let counter = 0
  for (const group of [negatives, positives])
    for (const index of shuffled(group, prng)) {
      folds[index] = counter % k
      counter++
    }
  return folds
}
