/**
 * Seeded pseudo-random numbers for the churn module. The core package never calls
 * `Math.random()`: every random choice (fold assignment, subsampling) takes a seed.
 */

/** A deterministic stream of uniform numbers in [0, 1). */
export interface Prng {
  /** Next uniform number in [0, 1), 2^-32 resolution. */
  next(): number
  /** Next integer uniform in [0, n), for 1 ≤ n ≤ 2^32. */
  nextInt(n: number): number
}

/**
 * Mulberry32 generator (Tommy Ettinger, public domain, 2017): a 32-bit state advanced by the
 * Weyl increment 0x6D2B79F5 and mixed by two xor-shift-multiply rounds. Period 2^32, passes
 * gjrand/PractRand for the sizes used here (shuffling up to millions of rows). Not
 * cryptographic. The seed is any finite number; it is reduced to an unsigned 32-bit integer
 * (`seed >>> 0`), so seeds that differ by a multiple of 2^32 give the same stream.
 */
export const createPrng = (seed: number): Prng => {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`)
  let state = Math.trunc(seed) >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const nextInt = (n: number): number => {
    if (!Number.isInteger(n) || n < 1)
      throw new RangeError(`n must be a positive integer, got ${n}`)
    return Math.floor(next() * n)
  }
  return { next, nextInt }
}

/**
 * Fisher–Yates (Durstenfeld) shuffle of a copy of `items`: for i = n−1 … 1 swap item i with a
 * uniformly chosen j ∈ [0, i]. Every permutation is equally likely given a uniform generator.
 * The input array is not modified.
 */
export const shuffled = <T>(items: readonly T[], prng: Prng): T[] => {
  const out = items.slice()
  for (let i = out.length - 1; i > 0; i--) {
    const j = prng.nextInt(i + 1)
    const tmp = out[i] as T
    out[i] = out[j] as T
    out[j] = tmp
  }
  return out
}
