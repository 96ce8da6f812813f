import type { CustomerScore } from './models.ts'
import type { LabelledSummary } from './summaries.sql.ts'

/**
 * Columnar forms of the pipeline's rows, for the hand-over to and from the refresh worker
 * (refresh.worker.ts). Structured-cloning a million row objects costs seconds on the sending and
 * the receiving thread alike; typed arrays are transferred instead (their buffers change owner,
 * nothing is copied) and only a few small string tables are cloned. Every number survives the
 * round trip exactly: a Float64Array holds any JS number, NaN included, and a byte per row marks
 * the nulls.
 */

/** The number fields of a summary, in the order customerSummaries builds them. */
const SUMMARY_NUMBERS = [
  'customerId',
  'orderDays',
  'firstDay',
  'lastDay',
  'valueMinor',
  'valuedDays',
  'repeatValueMinor',
  'repeatValuedDays',
  'medianGapDays',
  'lastGapDays',
  'earlierMeanGapDays',
  'spendRecentMinor',
  'spendPreviousMinor',
  'tickets',
  'unresolvedTickets',
  'lastNps',
  'lastCsat',
  'planChanges',
] as const satisfies readonly (keyof LabelledSummary)[]

type SummaryNumber = (typeof SUMMARY_NUMBERS)[number]

export type SummaryColumns = {
  length: number
  numbers: Record<SummaryNumber, NumberColumn>
  /** Index into `plans`, −1 for none. */
  plan: Int32Array
  plans: string[]
  orderedInWindow: Uint8Array
  subscribedAtWindowEnd: Uint8Array
}

/** Lets the event loop run (an HTTP request, a job poll) between slices of main-thread work. */
export const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve))

/** A nullable number field: its values, and 1 in `nulls` where the row has null. */
export type NumberColumn = { values: Float64Array; nulls: Uint8Array }

const at = (c: NumberColumn, i: number): number | null =>
  c.nulls[i] === 1 ? null : (c.values[i] as number)

const numberBuffers = (cols: Record<string, NumberColumn>): ArrayBuffer[] =>
  Object.values(cols).flatMap((c) => [
    c.values.buffer as ArrayBuffer,
    c.nulls.buffer as ArrayBuffer,
  ])

const emptyColumn = (n: number): NumberColumn => ({
  values: new Float64Array(n),
  nulls: new Uint8Array(n),
})

function put(c: NumberColumn, i: number, v: number | null): void {
  if (v === null) c.nulls[i] = 1
  else c.values[i] = v
}

/**
 * Summaries → columns, one pass over the rows in slices of `slice` with the event loop between
 * them, so that a million rows never block the main thread for long.
 */
export async function encodeSummaries(
  rows: readonly LabelledSummary[],
  slice = 20_000,
): Promise<SummaryColumns> {
  const n = rows.length
  const v = Object.fromEntries(SUMMARY_NUMBERS.map((f) => [f, emptyColumn(n)])) as Record<
    SummaryNumber,
    NumberColumn
  >
  const plan = new Int32Array(n)
  const plans: string[] = []
  const planIndex = new Map<string, number>()
  const orderedInWindow = new Uint8Array(n)
  const subscribedAtWindowEnd = new Uint8Array(n)
  for (let start = 0; start < n; start += slice) {
    const end = Math.min(start + slice, n)
    for (let i = start; i < end; i++) {
      const r = rows[i] as LabelledSummary
      put(v.customerId, i, r.customerId)
      put(v.orderDays, i, r.orderDays)
      put(v.firstDay, i, r.firstDay)
      put(v.lastDay, i, r.lastDay)
      put(v.valueMinor, i, r.valueMinor)
      put(v.valuedDays, i, r.valuedDays)
      put(v.repeatValueMinor, i, r.repeatValueMinor)
      put(v.repeatValuedDays, i, r.repeatValuedDays)
      put(v.medianGapDays, i, r.medianGapDays)
      put(v.lastGapDays, i, r.lastGapDays)
      put(v.earlierMeanGapDays, i, r.earlierMeanGapDays)
      put(v.spendRecentMinor, i, r.spendRecentMinor)
      put(v.spendPreviousMinor, i, r.spendPreviousMinor)
      put(v.tickets, i, r.tickets)
      put(v.unresolvedTickets, i, r.unresolvedTickets)
      put(v.lastNps, i, r.lastNps)
      put(v.lastCsat, i, r.lastCsat)
      put(v.planChanges, i, r.planChanges)
      if (r.plan === null) plan[i] = -1
      else {
        let k = planIndex.get(r.plan)
        if (k === undefined) {
          k = plans.length
          plans.push(r.plan)
          planIndex.set(r.plan, k)
        }
        plan[i] = k
      }
      orderedInWindow[i] = r.orderedInWindow ? 1 : 0
      subscribedAtWindowEnd[i] = r.subscribedAtWindowEnd ? 1 : 0
    }
    await yieldToLoop()
  }
  return { length: n, numbers: v, plan, plans, orderedInWindow, subscribedAtWindowEnd }
}

/** Columns → summaries with the same fields, in the same order, as customerSummaries makes. */
export function decodeSummaries(c: SummaryColumns): LabelledSummary[] {
  const v = c.numbers
  const out: LabelledSummary[] = new Array(c.length)
  for (let i = 0; i < c.length; i++) {
    const plan = c.plan[i] as number
    out[i] = {
      customerId: at(v.customerId, i) as number,
      orderDays: at(v.orderDays, i) as number,
      firstDay: at(v.firstDay, i),
      lastDay: at(v.lastDay, i),
      valueMinor: at(v.valueMinor, i) as number,
      valuedDays: at(v.valuedDays, i) as number,
      repeatValueMinor: at(v.repeatValueMinor, i) as number,
      repeatValuedDays: at(v.repeatValuedDays, i) as number,
      medianGapDays: at(v.medianGapDays, i),
      lastGapDays: at(v.lastGapDays, i),
      earlierMeanGapDays: at(v.earlierMeanGapDays, i),
      spendRecentMinor: at(v.spendRecentMinor, i) as number,
      spendPreviousMinor: at(v.spendPreviousMinor, i) as number,
      tickets: at(v.tickets, i) as number,
      unresolvedTickets: at(v.unresolvedTickets, i) as number,
      lastNps: at(v.lastNps, i),
      lastCsat: at(v.lastCsat, i),
      plan: plan < 0 ? null : (c.plans[plan] as string),
      planChanges: at(v.planChanges, i) as number,
      orderedInWindow: c.orderedInWindow[i] === 1,
      subscribedAtWindowEnd: c.subscribedAtWindowEnd[i] === 1,
    }
  }
  return out
}

export function summaryBuffers(c: SummaryColumns): ArrayBuffer[] {
  return [
    ...numberBuffers(c.numbers),
    c.plan.buffer as ArrayBuffer,
    c.orderedInWindow.buffer as ArrayBuffer,
    c.subscribedAtWindowEnd.buffer as ArrayBuffer,
  ]
}

const SCORE_NUMBERS = [
  'customerId',
  'pAlive',
  'expectedPurchases30',
  'expectedPurchases90',
  'expectedPurchases365',
  'expectedAovMinor',
  'clvMinor',
  'churnRisk',
] as const satisfies readonly (keyof CustomerScore)[]

type ScoreNumber = (typeof SCORE_NUMBERS)[number]

const METHODS = [null, 'model', 'formula'] as const

/** Rows per slice of the scores' hand-over (see ScoreColumns.reasonBytes and decodeScores). */
const SCORE_SLICE = 20_000

export type ScoreColumns = {
  length: number
  numbers: Record<ScoreNumber, NumberColumn>
  /** Epoch milliseconds (a Date's time value is a whole number or NaN), NaN for none. */
  nextOrderAt: Float64Array
  /** Index into METHODS (0 = null). */
  clvMethod: Uint8Array
  /** 1 + index into `tiers`, 0 for none. */
  valueTier: Uint8Array
  tiers: string[]
  /**
   * The churn reasons' JSON texts, concatenated per slice of SCORE_SLICE rows and encoded as
   * UTF-8: slice k is bytes [sliceEnds[k − 1], sliceEnds[k]); row i's text is, within its
   * slice's decoded text, the UTF-16 units [reasonEnds[i − 1], reasonEnds[i]) (0 at a slice's
   * first row). One encode and one decode per slice instead of one per row.
   */
  reasonBytes: Uint8Array
  sliceEnds: Float64Array
  reasonEnds: Float64Array
}

/** Scores → columns (in the worker). */
export function encodeScores(scores: readonly CustomerScore[]): ScoreColumns {
  const n = scores.length
  const numbers = Object.fromEntries(SCORE_NUMBERS.map((f) => [f, emptyColumn(n)])) as Record<
    ScoreNumber,
    NumberColumn
  >
  const nextOrderAt = new Float64Array(n)
  const clvMethod = new Uint8Array(n)
  const valueTier = new Uint8Array(n)
  const tiers: string[] = []
  const reasonEnds = new Float64Array(n)
  const sliceEnds = new Float64Array(Math.ceil(n / SCORE_SLICE))
  const encoder = new TextEncoder()
  let reasonBytes = new Uint8Array(1024)
  let used = 0
  for (let start = 0, k = 0; start < n; start += SCORE_SLICE, k++) {
    const end = Math.min(start + SCORE_SLICE, n)
    let text = ''
    for (let i = start; i < end; i++) {
      const s = scores[i] as CustomerScore
      put(numbers.customerId, i, s.customerId)
      put(numbers.pAlive, i, s.pAlive)
      put(numbers.expectedPurchases30, i, s.expectedPurchases30)
      put(numbers.expectedPurchases90, i, s.expectedPurchases90)
      put(numbers.expectedPurchases365, i, s.expectedPurchases365)
      put(numbers.expectedAovMinor, i, s.expectedAovMinor)
      put(numbers.clvMinor, i, s.clvMinor)
      put(numbers.churnRisk, i, s.churnRisk)
      nextOrderAt[i] = s.nextOrderAt === null ? NaN : s.nextOrderAt.getTime()
      clvMethod[i] = METHODS.indexOf(s.clvMethod)
      if (s.valueTier !== null) {
        let t = tiers.indexOf(s.valueTier)
        if (t < 0) t = tiers.push(s.valueTier) - 1
        valueTier[i] = t + 1
      }
      text += s.churnReasons
      reasonEnds[i] = text.length
    }
    // A UTF-16 unit takes at most 3 UTF-8 bytes.
    if (used + text.length * 3 > reasonBytes.length) {
      const grown = new Uint8Array(Math.max(used + text.length * 3, reasonBytes.length * 2))
      grown.set(reasonBytes.subarray(0, used))
      reasonBytes = grown
    }
    used += encoder.encodeInto(text, reasonBytes.subarray(used)).written
    sliceEnds[k] = used
  }
  return {
    length: n,
    numbers,
    nextOrderAt,
    clvMethod,
    valueTier,
    tiers,
    reasonBytes: reasonBytes.slice(0, used),
    sliceEnds,
    reasonEnds,
  }
}

export function scoreBuffers(c: ScoreColumns): ArrayBuffer[] {
  return [
    ...numberBuffers(c.numbers),
    c.nextOrderAt.buffer as ArrayBuffer,
    c.clvMethod.buffer as ArrayBuffer,
    c.valueTier.buffer as ArrayBuffer,
    c.reasonBytes.buffer as ArrayBuffer,
    c.sliceEnds.buffer as ArrayBuffer,
    c.reasonEnds.buffer as ArrayBuffer,
  ]
}

/** Columns → scores (on the main thread), a slice at a time with the event loop between. */
export async function decodeScores(c: ScoreColumns): Promise<CustomerScore[]> {
  const v = c.numbers
  const decoder = new TextDecoder()
  const out: CustomerScore[] = new Array(c.length)
  for (let start = 0, k = 0; start < c.length; start += SCORE_SLICE, k++) {
    const end = Math.min(start + SCORE_SLICE, c.length)
    const text = decoder.decode(
      c.reasonBytes.subarray(k === 0 ? 0 : c.sliceEnds[k - 1], c.sliceEnds[k]),
    )
    for (let i = start; i < end; i++) {
      const next = c.nextOrderAt[i] as number
      const tier = c.valueTier[i] as number
      out[i] = {
        customerId: at(v.customerId, i) as number,
        pAlive: at(v.pAlive, i),
        expectedPurchases30: at(v.expectedPurchases30, i),
        expectedPurchases90: at(v.expectedPurchases90, i),
        expectedPurchases365: at(v.expectedPurchases365, i),
        expectedAovMinor: at(v.expectedAovMinor, i),
        clvMinor: at(v.clvMinor, i),
        clvMethod: METHODS[c.clvMethod[i] as number] ?? null,
        nextOrderAt: Number.isNaN(next) ? null : new Date(next),
        churnRisk: at(v.churnRisk, i),
        churnReasons: text.slice(i === start ? 0 : c.reasonEnds[i - 1], c.reasonEnds[i]),
        valueTier: tier === 0 ? null : (c.tiers[tier - 1] as CustomerScore['valueTier']),
      }
    }
    if (end < c.length) await yieldToLoop()
  }
  return out
}
