/** Value tiers of customers by predicted customer lifetime value (CLV). */
import type { LocalizedText } from '../churn/text.ts'

/** Tier ids, best first. */
export type ValueTierId = 'platinum' | 'gold' | 'silver' | 'standard'

/** Share of customers (by CLV rank) that each tier may hold at most, cumulatively. */
export interface ValueTierCutoffs {
  /** Default 0.01: the top 1 %. */
  readonly platinum: number
  /** Default 0.05: the top 5 % (including platinum). */
  readonly gold: number
  /** Default 0.2: the top 20 % (including gold). */
  readonly silver: number
}

/** Default cutoffs: top 1 % platinum, top 5 % gold, top 20 % silver, the rest standard. */
export const DEFAULT_VALUE_TIER_CUTOFFS: ValueTierCutoffs = {
  platinum: 0.01,
  gold: 0.05,
  silver: 0.2,
}

/** Display names of the tiers. */
export const VALUE_TIERS: Readonly<Record<ValueTierId, { readonly name: LocalizedText }>> = {
  platinum: { name: { it: 'Platino (primo 1%)', en: 'Platinum (top 1%)' } },
  gold: { name: { it: 'Oro (primo 5%)', en: 'Gold (top 5%)' } },
  silver: { name: { it: 'Argento (primo 20%)', en: 'Silver (top 20%)' } },
  standard: { name: { it: 'Standard', en: 'Standard' } },
}

/** Tier of one customer. */
export interface ValueTierResult {
  readonly id: string
  readonly tier: ValueTierId
  /** Share of customers whose CLV is ≥ this customer's (1/n for the single best). */
  readonly topShare: number
}

/**
 * Assigns value tiers by predicted CLV. For customer i, topShare_i = #{j : clv_j ≥ clv_i} / n
 * (the share of the base at least as valuable, ties counted against the customer); the tier
 * is platinum if topShare ≤ cutoffs.platinum, else gold if ≤ cutoffs.gold, else silver if
 * ≤ cutoffs.silver, else standard. Consequences: a tier never holds more than its share of
 * customers; tied customers share a tier; with few customers the top tiers may be empty
 * (with n < 100 nobody is in the top 1 %). Labels for defaults: top 1 % / 5 % / 20 % / rest.
 * Non-finite CLV throws a RangeError naming the customer; cutoffs must satisfy
 * 0 ≤ platinum ≤ gold ≤ silver ≤ 1.
 */
export const assignValueTiers = (
  customers: readonly { readonly id: string; readonly clv: number }[],
  cutoffs: ValueTierCutoffs = DEFAULT_VALUE_TIER_CUTOFFS,
): ValueTierResult[] => {
  for (const c of customers)
    if (!Number.isFinite(c.clv))
      throw new RangeError(`customer ${c.id}: clv must be a finite number, got ${c.clv}`)
  const clv = Float64Array.from(customers, (c) => c.clv)
  const { tiers, topShares } = valueTiersOf(clv, cutoffs)
  return customers.map((c, i) => ({
    id: c.id,
    tier: tiers[i] as ValueTierId,
    topShare: topShares[i] as number,
  }))
}

/**
 * {@link assignValueTiers} on bare finite values (a million customers at once: one typed-array
 * sort, no objects per customer). `tiers[i]` and `topShares[i]` belong to `clv[i]`.
 */
export const valueTiersOf = (
  clv: Float64Array,
  cutoffs: ValueTierCutoffs = DEFAULT_VALUE_TIER_CUTOFFS,
  withShares = true,
): { tiers: ValueTierId[]; topShares: Float64Array } => {
  const { platinum, gold, silver } = cutoffs
  if (!(platinum >= 0 && platinum <= gold && gold <= silver && silver <= 1))
    throw new RangeError(
      `cutoffs must satisfy 0 ≤ platinum ≤ gold ≤ silver ≤ 1, got ${platinum}, ${gold}, ${silver}`,
    )
  const n = clv.length
  const ascending = Float64Array.from(clv).sort()
  if (n > 0 && !(Number.isFinite(ascending[0]) && Number.isFinite(ascending[n - 1])))
    throw new RangeError('values must be finite numbers')
  // #{clv_j ≥ v} = n − (index of the first value ≥ v in the ascending array).
  const atLeast = (v: number): number => {
    let lo = 0
    let hi = n
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((ascending[mid] as number) < v) lo = mid + 1
      else hi = mid
    }
    return n - lo
  }
  const eps = 1e-12
  // topShare(v) only falls as v grows, so each tier is "v ≥ its threshold": the smallest value
  // whose share is within the cutoff (Infinity when none is). One binary search per tier and per
  // distinct value at the boundary, then one comparison per customer.
  const threshold = (cutoff: number): number => {
    let lo = 0
    let hi = n
    // The first position in ascending order whose value's share is within the cutoff.
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (atLeast(ascending[mid] as number) / n <= cutoff + eps) hi = mid
      else lo = mid + 1
    }
    return lo < n ? (ascending[lo] as number) : Infinity
  }
  const tPlatinum = threshold(platinum)
  const tGold = threshold(gold)
  const tSilver = threshold(silver)
  const tiers: ValueTierId[] = new Array(n)
  const topShares = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const v = clv[i] as number
    tiers[i] =
      v >= tPlatinum ? 'platinum' : v >= tGold ? 'gold' : v >= tSilver ? 'silver' : 'standard'
  }
  if (withShares) for (let i = 0; i < n; i++) topShares[i] = atLeast(clv[i] as number) / n
  return { tiers, topShares }
}
