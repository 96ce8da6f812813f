/**
 * RFM scoring (recency, frequency, monetary quintile scores 1–5) and the named RFM segments.
 */
import type { LocalizedText } from '../churn/text.ts'

/** A score from 1 (worst) to 5 (best). */
export type RfmScoreValue = 1 | 2 | 3 | 4 | 5

/** Per-customer RFM inputs (customers with at least one order). */
export interface RfmScoreInput {
  readonly id: string
  /** Days since the last order; smaller is better. */
  readonly recencyDays: number
  /** Number of orders; larger is better. */
  readonly frequency: number
  /** Spend (total or average, in any one unit, e.g. minor units); larger is better. */
  readonly monetary: number
}

/** The named RFM segments. */
export type RfmSegmentId =
  | 'champions'
  | 'loyal'
  | 'potential_loyalist'
  | 'new'
  | 'promising'
  | 'need_attention'
  | 'about_to_sleep'
  | 'at_risk'
  | 'cant_lose_them'
  | 'hibernating'
  | 'lost'

/** All segment ids, from best to worst. */
export const RFM_SEGMENT_IDS: readonly RfmSegmentId[] = [
  'champions',
  'loyal',
  'potential_loyalist',
  'new',
  'promising',
  'need_attention',
  'about_to_sleep',
  'at_risk',
  'cant_lose_them',
  'hibernating',
  'lost',
]

/** Display name and one-line description of every segment, in Italian and English. */
export const RFM_SEGMENTS: Readonly<
  Record<RfmSegmentId, { readonly name: LocalizedText; readonly description: LocalizedText }>
> = {
  champions: {
    name: { it: 'Campioni', en: 'Champions' },
    description: {
      it: 'Hanno comprato di recente, spesso e spendendo molto.',
      en: 'Bought recently, buy often and spend the most.',
    },
  },
  loyal: {
    name: { it: 'Fedeli', en: 'Loyal' },
    description: {
      it: 'Comprano con regolarità e spendono bene.',
      en: 'Buy regularly and spend well.',
    },
  },
  potential_loyalist: {
    name: { it: 'Potenziali fedeli', en: 'Potential loyalist' },
    description: {
      it: 'Clienti recenti con frequenza e spesa medie: possono diventare fedeli.',
      en: 'Recent customers with average frequency and spend who could become loyal.',
    },
  },
  new: {
    name: { it: 'Nuovi', en: 'New' },
    description: {
      it: 'Primo acquisto molto recente, pochi ordini finora.',
      en: 'Very recent first purchases, few orders so far.',
    },
  },
  promising: {
    name: { it: 'Promettenti', en: 'Promising' },
    description: {
      it: 'Acquisti abbastanza recenti ma ancora pochi e di basso valore.',
      en: 'Fairly recent buyers with few, low-value orders.',
    },
  },
  need_attention: {
    name: { it: 'Da seguire', en: 'Need attention' },
    description: {
      it: 'Valori medi su tutto: rischiano di raffreddarsi senza uno stimolo.',
      en: 'Average on everything; may cool down without a nudge.',
    },
  },
  about_to_sleep: {
    name: { it: 'Quasi dormienti', en: 'About to sleep' },
    description: {
      it: 'Recenza in calo, pochi ordini e spesa bassa.',
      en: 'Recency slipping, few orders and low spend.',
    },
  },
  at_risk: {
    name: { it: 'A rischio', en: 'At risk' },
    description: {
      it: 'Compravano spesso e spendevano bene, ma non tornano da tempo.',
      en: 'Used to buy often and spend well, but have not come back for a while.',
    },
  },
  cant_lose_them: {
    name: { it: 'Da non perdere', en: "Can't lose them" },
    description: {
      it: 'Tra i migliori per frequenza e spesa, ma assenti da molto tempo.',
      en: 'Among the best by frequency and spend, but gone for a long time.',
    },
  },
  hibernating: {
    name: { it: 'Dormienti', en: 'Hibernating' },
    description: {
      it: 'Ultimo acquisto lontano, pochi ordini e spesa bassa.',
      en: 'Last purchase long ago, few orders and low spend.',
    },
  },
  lost: {
    name: { it: 'Persi', en: 'Lost' },
    description: {
      it: 'Recenza, frequenza e spesa tra le più basse.',
      en: 'Lowest recency, frequency and spend.',
    },
  },
}

/**
 * Segment map on the 5×5 grid of R (rows) and FM (columns), where FM = ⌈(F + M) / 2⌉ (the
 * average of F and M, halves rounded up). Read as RFM_SEGMENT_GRID[R − 1][FM − 1]:
 *
 * | R \ FM | 1 | 2 | 3 | 4 | 5 |
 * |---|---|---|---|---|---|
 * | 5 | New | Potential loyalist | Potential loyalist | Champions | Champions |
 * | 4 | Promising | Potential loyalist | Potential loyalist | Loyal | Loyal |
 * | 3 | About to sleep | About to sleep | Need attention | Loyal | Loyal |
 * | 2 | Hibernating | Hibernating | At risk | At risk | Can't lose them |
 * | 1 | Lost | Lost | At risk | At risk | Can't lose them |
 *
 * It is the R×F segment map found in many open RFM notebooks (a `seg_map` of regular
 * expressions over the two-digit "RF" score: `[1-2][1-2]` hibernating, `[1-2][3-4]` at risk,
 * `[1-2]5` can't lose, `3[1-2]` about to sleep, `33` need attention, `[3-4][4-5]` loyal,
 * `41` promising, `51` new, `[4-5][2-3]` potential loyalists, `5[4-5]` champions), with two
 * changes: the column is FM instead of F, so spend counts as much as order count, and the
 * hibernating block is split so that R = 1 becomes Lost. Every cell is
 * covered, so every customer gets exactly one segment.
 */
export const RFM_SEGMENT_GRID: readonly (readonly RfmSegmentId[])[] = [
  ['lost', 'lost', 'at_risk', 'at_risk', 'cant_lose_them'],
  ['hibernating', 'hibernating', 'at_risk', 'at_risk', 'cant_lose_them'],
  ['about_to_sleep', 'about_to_sleep', 'need_attention', 'loyal', 'loyal'],
  ['promising', 'potential_loyalist', 'potential_loyalist', 'loyal', 'loyal'],
  ['new', 'potential_loyalist', 'potential_loyalist', 'champions', 'champions'],
]

const isScore = (v: number): v is RfmScoreValue => Number.isInteger(v) && v >= 1 && v <= 5

/** FM = ⌈(F + M) / 2⌉, the combined frequency–monetary score used by the segment grid. */
export const combineFrequencyMonetary = (f: RfmScoreValue, m: RfmScoreValue): RfmScoreValue =>
  Math.ceil((f + m) / 2) as RfmScoreValue

/**
 * Segment of an (R, F, M) triple via {@link RFM_SEGMENT_GRID} with FM from
 * {@link combineFrequencyMonetary}. Scores outside 1–5 are programming errors and throw.
 */
export const rfmSegmentOf = (r: number, f: number, m: number): RfmSegmentId => {
  if (!isScore(r) || !isScore(f) || !isScore(m))
    throw new RangeError(`RFM scores must be integers 1–5, got R=${r} F=${f} M=${m}`)
  const fm = combineFrequencyMonetary(f, m)
  return (RFM_SEGMENT_GRID[r - 1] as readonly RfmSegmentId[])[fm - 1] as RfmSegmentId
}

/**
 * Quintile scores 1–5 by rank, tie-aware: for value v among n values,
 *   score = 1 + ⌊5 · b / n⌋,  b = number of values strictly worse than v
 * ("worse" = smaller when `higherIsBetter`, larger otherwise). This is the percent-rank
 * (share of the population strictly below) cut at 20 % steps, so
 * * equal values always get the same score (unlike SQL NTILE, which splits ties by row order);
 * * a tied block gets the score of its lowest position, so with heavy ties some scores are
 *   unused (e.g. when 60 % of customers have exactly one order, all of them get F = 1 and the
 *   next frequency starts at F = 4);
 * * with n distinct values the scores are as equal in size as possible; a single customer
 *   scores 1. Non-finite values throw.
 */
export const quintileScores = (
  values: ArrayLike<number>,
  higherIsBetter = true,
): RfmScoreValue[] => {
  const n = values.length
  for (let i = 0; i < n; i++)
    if (!Number.isFinite(values[i]))
      throw new RangeError(`value at index ${i} is not a finite number: ${values[i]}`)
  const sign = higherIsBetter ? 1 : -1
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => sign * ((values[a] as number) - (values[b] as number)),
  )
  const scores: RfmScoreValue[] = new Array<RfmScoreValue>(n)
  let i = 0
  while (i < n) {
    const v = values[order[i] as number] as number
    let j = i
    while (j < n && (values[order[j] as number] as number) === v) j++
    const score = (1 + Math.floor((5 * i) / n)) as RfmScoreValue
    for (let k = i; k < j; k++) scores[order[k] as number] = score
    i = j
  }
  return scores
}

/** RFM scores and segment of one customer. */
export interface RfmScoreResult {
  readonly id: string
  readonly r: RfmScoreValue
  readonly f: RfmScoreValue
  readonly m: RfmScoreValue
  /** ⌈(F + M) / 2⌉. */
  readonly fm: RfmScoreValue
  readonly segment: RfmSegmentId
}

/**
 * Scores a customer base: R from recency (fewer days = higher score), F from frequency and M
 * from monetary, each with {@link quintileScores} over the given customers; segment from
 * {@link rfmSegmentOf}. The output is in input order. Scores are relative to the population
 * passed in, so score all active customers together. A non-finite input throws a RangeError
 * naming the customer and the field.
 */
export const computeRfmScores = (customers: readonly RfmScoreInput[]): RfmScoreResult[] => {
  for (const c of customers)
    for (const field of ['recencyDays', 'frequency', 'monetary'] as const)
      if (!Number.isFinite(c[field]))
        throw new RangeError(`customer ${c.id}: ${field} must be a finite number, got ${c[field]}`)
  const r = quintileScores(
    customers.map((c) => c.recencyDays),
    false,
  )
  const f = quintileScores(customers.map((c) => c.frequency))
  const m = quintileScores(customers.map((c) => c.monetary))
  return customers.map((c, i) => {
    const ri = r[i] as RfmScoreValue
    const fi = f[i] as RfmScoreValue
    const mi = m[i] as RfmScoreValue
    return {
      id: c.id,
      r: ri,
      f: fi,
      m: mi,
      fm: combineFrequencyMonetary(fi, mi),
      segment: rfmSegmentOf(ri, fi, mi),
    }
  })
}
