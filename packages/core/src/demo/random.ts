/**
 * A small, fast, seeded pseudo-random number generator with the samplers the demo generator needs.
 *
 * Generator: SFC32 (Chris Doty-Humphrey's "Small Fast Counting" generator, 128-bit state, period
 * at least 2^32, typically ~2^127; passes PractRand/BigCrush). Pure 32-bit integer arithmetic, so
 * the stream is identical on every JavaScript engine.
 *
 * Seeding: {@link rngFor} hashes (seed, index, stream) into three independent 32-bit words with a
 * murmur3-style finaliser, so every customer and every facet of a customer (purchases, spend,
 * tickets, …) draws from its own stream. Changing one facet never shifts the numbers of another,
 * and customer i's data does not depend on how many customers are generated.
 */

const TWO_POW_32 = 4294967296
const INV_TWO_POW_32 = 1 / TWO_POW_32

/** murmur3 fmix32: a bijective 32-bit avalanche mix. */
export function mix32(x: number): number {
  x ^= x >>> 16
  x = Math.imul(x, 0x85ebca6b)
  x ^= x >>> 13
  x = Math.imul(x, 0xc2b2ae35)
  x ^= x >>> 16
  return x >>> 0
}

export class Rng {
  private a: number
  private b: number
  private c: number
  private d: number
  /** Second Box–Muller variate, or NaN when none is cached. */
  private spare = Number.NaN

  constructor(a: number, b: number, c: number) {
    this.a = a | 0
    this.b = b | 0
    this.c = c | 0
    this.d = 1
    for (let i = 0; i < 15; i++) this.uint32()
  }

  /** Next raw 32-bit unsigned integer (SFC32 step). */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return t >>> 0
  }

  /** Uniform on the OPEN interval (0, 1): (k + 0.5) / 2^32, never 0 nor 1, so logs are safe. */
  next(): number {
    return (this.uint32() + 0.5) * INV_TWO_POW_32
  }

  /** Uniform on (lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next()
  }

  /** Uniform integer in [0, n) for 1 ≤ n ≤ 2^32 (multiply-shift; bias < n / 2^32). */
  int(n: number): number {
    return Math.floor(this.uint32() * INV_TWO_POW_32 * n)
  }

  /** Uniform integer in [lo, hi] inclusive. */
  intBetween(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1)
  }

  /** true with probability p. */
  chance(p: number): boolean {
    return this.next() < p
  }

  /** A uniformly chosen element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T
  }

  /** Exponential with the given rate: −ln(U) / rate (mean 1/rate). */
  exponential(rate = 1): number {
    return -Math.log(this.next()) / rate
  }

  /** Standard normal by the Box–Muller transform (the second variate is cached). */
  normal(): number {
    const s = this.spare
    if (s === s) {
      this.spare = Number.NaN
      return s
    }
    const u = this.next()
    const v = this.next()
    const radius = Math.sqrt(-2 * Math.log(u))
    const theta = 2 * Math.PI * v
    this.spare = radius * Math.sin(theta)
    return radius * Math.cos(theta)
  }

  /** Log-normal: exp(μ + σ Z); its median is e^μ and its mean e^(μ + σ²/2). */
  lognormal(mu: number, sigma: number): number {
    return Math.exp(mu + sigma * this.normal())
  }

  /**
   * Gamma(shape k, rate θ⁻¹ = rate), density x^(k−1) e^(−rate·x) rate^k / Γ(k), mean k / rate.
   * Marsaglia & Tsang (2000), "A simple method for generating gamma variables", ACM TOMS 26(3):
   * d = k − 1/3, c = 1/√(9d); draw Z ~ N(0,1), v = (1 + cZ)³, accept d·v when
   * ln U < Z²/2 + d − d·v + d·ln v (with the squeeze U < 1 − 0.0331 Z⁴ first).
   * For k < 1 the boost Gamma(k) = Gamma(k + 1) · U^(1/k) is used.
   */
  gamma(shape: number, rate = 1): number {
    if (!(shape > 0) || !(rate > 0))
      throw new RangeError(`gamma needs shape, rate > 0 (${shape}, ${rate})`)
    let boost = 1
    let k = shape
    if (k < 1) {
      boost = Math.pow(this.next(), 1 / k)
      k += 1
    }
    const d = k - 1 / 3
    const c = 1 / Math.sqrt(9 * d)
    for (;;) {
      let z: number
      let v: number
      do {
        z = this.normal()
        v = 1 + c * z
      } while (v <= 0)
      v = v * v * v
      const u = this.next()
      const z2 = z * z
      if (u < 1 - 0.0331 * z2 * z2 || Math.log(u) < 0.5 * z2 + d * (1 - v + Math.log(v))) {
        return (d * v * boost) / rate
      }
    }
  }

  /** Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b); mean a / (a + b). */
  beta(a: number, b: number): number {
    const x = this.gamma(a)
    const y = this.gamma(b)
    const s = x + y
    // Both gammas underflow to 0 only for tiny shapes; fall back to the mean then.
    return s > 0 ? x / s : a / (a + b)
  }

  /**
   * Poisson(mean). Inversion by sequential search for mean < 12; otherwise Hörmann's PTRS
   * (transformed rejection with squeeze, "The transformed rejection method for generating Poisson
   * random variables", Insurance: Mathematics and Economics 12, 1993).
   */
  poisson(mean: number): number {
    if (!(mean > 0)) return 0
    if (mean < 12) {
      let k = 0
      let p = Math.exp(-mean)
      let s = p
      const u = this.next()
      while (u > s && k < 1000) {
        k++
        p *= mean / k
        s += p
      }
      return k
    }
    const slam = Math.sqrt(mean)
    const loglam = Math.log(mean)
    const b = 0.931 + 2.53 * slam
    const a = -0.059 + 0.02483 * b
    const invalpha = 1.1239 + 1.1328 / (b - 3.4)
    const vr = 0.9277 - 3.6224 / (b - 2)
    for (;;) {
      const u = this.next() - 0.5
      const v = this.next()
      const us = 0.5 - Math.abs(u)
      const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43)
      if (us >= 0.07 && v <= vr) return k
      if (k < 0 || (us < 0.013 && v > us)) continue
      if (
        Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <=
        -mean + k * loglam - lnFactorial(k)
      ) {
        return k
      }
    }
  }
}

const LN_FACT_TABLE: number[] = [0]
for (let k = 1; k < 128; k++) LN_FACT_TABLE.push((LN_FACT_TABLE[k - 1] as number) + Math.log(k))

/** ln(k!) — exact sum of logs below 128, Stirling's series (error < 1e-12) above. */
export function lnFactorial(k: number): number {
  if (k < 128) return LN_FACT_TABLE[k] as number
  const x = k + 1
  return (
    (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x * x)
  )
}

/**
 * The generator for one (seed, index, stream) triple. `seed` may be any finite number: its integer
 * part's low and high 32-bit halves both enter the hash; `index` is the customer index; `stream`
 * names the facet (see the STREAM constants of the generator).
 */
export function rngFor(seed: number, index: number, stream: number): Rng {
  const s = Math.trunc(seed)
  const lo = s >>> 0
  const hi = Math.floor(s / TWO_POW_32) >>> 0
  const idxLo = index >>> 0
  const idxHi = Math.floor(index / TWO_POW_32) >>> 0
  let h = mix32(lo ^ 0x243f6a88)
  h = mix32(h ^ hi ^ 0x85a308d3)
  h = mix32(h ^ idxLo)
  h = mix32(h ^ idxHi ^ 0x13198a2e)
  h = mix32((h + Math.imul(stream + 1, 0x9e3779b9)) | 0)
  const a = mix32(h ^ 0x03707344)
  const b = mix32(mix32(h + 0x299f31d0) ^ lo)
  const c = mix32(mix32(h ^ 0xa4093822) + idxLo)
  return new Rng(a, b, c)
}

/**
 * Weighted choice among a fixed list: cumulative weights and a binary search, O(log n) per draw.
 */
export class WeightedTable<T> {
  readonly items: readonly T[]
  private readonly cum: Float64Array
  private readonly total: number

  constructor(entries: readonly (readonly [T, number])[]) {
    if (entries.length === 0) throw new RangeError('WeightedTable needs at least one entry')
    this.items = entries.map((e) => e[0])
    this.cum = new Float64Array(entries.length)
    let s = 0
    entries.forEach(([, w], i) => {
      if (!(w >= 0)) throw new RangeError(`negative or NaN weight at ${i}`)
      s += w
      this.cum[i] = s
    })
    if (!(s > 0)) throw new RangeError('WeightedTable needs a positive total weight')
    this.total = s
  }

  pick(rng: Rng): T {
    const u = rng.next() * this.total
    const cum = this.cum
    let lo = 0
    let hi = cum.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((cum[mid] as number) > u) hi = mid
      else lo = mid + 1
    }
    return this.items[lo] as T
  }
}
