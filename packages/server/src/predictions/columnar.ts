import type { ValueTier } from '@fedele/core/predictions'
import type { CustomerScore } from './scoring.ts'
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

/** Row i of a nullable number column. */
export const at = (c: NumberColumn, i: number): number | null =>
  c.nulls[i] === 1 ? null : (c.values[i] as number)

const numberBuffers = (cols: Record<string, NumberColumn>): ArrayBuffer[] =>
  Object.values(cols).flatMap((c) => [
    c.values.buffer as ArrayBuffer,
    c.nulls.buffer as ArrayBuffer,
  ])

export const emptyColumn = (n: number): NumberColumn => ({
  values: new Float64Array(n),
  nulls: new Uint8Array(n),
})

export function put(c: NumberColumn, i: number, v: number | null): void {
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

/** clvMethod codes: index into METHODS (0 = none). */
export const METHODS = [null, 'model', 'formula'] as const
export const METHOD_MODEL = METHODS.indexOf('model')
export const METHOD_FORMULA = METHODS.indexOf('formula')

/** valueTier codes: 1 + index into VALUE_TIERS (0 = none). */
export const VALUE_TIERS = [
  'platinum',
  'gold',
  'silver',
  'standard',
] as const satisfies readonly ValueTier[]

/** Rows per slice of the reason texts (see ScoreColumns.reasonBytes). */
export const SCORE_SLICE = 20_000

/**
 * Every customer's scores as columns (scoring.ts builds them): what the refresh worker hands
 * back (the buffers are transferred) and what writeScores reads, with no object per customer
 * in between.
 */
export type ScoreColumns = {
  length: number
  numbers: Record<ScoreNumber, NumberColumn>
  /** Epoch milliseconds, NaN for none. */
  nextOrderAt: Float64Array
  /** Index into METHODS. */
  clvMethod: Uint8Array
  /** 1 + index into VALUE_TIERS, 0 for none. */
  valueTier: Uint8Array
  /**
   * The churn reasons' JSON texts, one after the other, as UTF-8: row i's text is bytes
   * [reasonEnds[i − 1], reasonEnds[i]) (from 0 for the first row). Written as bytes by the
   * scoring, read a slice of SCORE_SLICE rows per decode (scoreTexts).
   */
  reasonBytes: Uint8Array
  reasonEnds: Float64Array
}

/** Columns for `n` customers, every number 0 and not null, no next order, no texts yet. */
export function emptyScoreColumns(n: number): ScoreColumns {
  return {
    length: n,
    numbers: Object.fromEntries(SCORE_NUMBERS.map((f) => [f, emptyColumn(n)])) as Record<
      ScoreNumber,
      NumberColumn
    >,
    nextOrderAt: new Float64Array(n).fill(NaN),
    clvMethod: new Uint8Array(n),
    valueTier: new Uint8Array(n),
    reasonBytes: new Uint8Array(0),
    reasonEnds: new Float64Array(n),
  }
}

/**
 * Row i's reason text. Each slice of SCORE_SLICE rows is decoded once; when it is all ASCII (as
 * the pipeline's reasons are unless a plan name is not), its byte offsets are its string
 * offsets and a row's text is a slice of it; otherwise that slice's rows are decoded one by one.
 */
export function scoreTexts(c: ScoreColumns): { reason(i: number): string } {
  const decoder = new TextDecoder()
  const ends = c.reasonEnds
  const endOf = (i: number) => (i < 0 ? 0 : (ends[i] as number))
  let slice = -1
  let text = ''
  let base = 0
  let ascii = true
  return {
    reason(i: number): string {
      const k = Math.floor(i / SCORE_SLICE)
      if (k !== slice) {
        base = endOf(k * SCORE_SLICE - 1)
        const top = endOf(Math.min((k + 1) * SCORE_SLICE, c.length) - 1)
        text = decoder.decode(c.reasonBytes.subarray(base, top))
        ascii = text.length === top - base
        slice = k
      }
      const start = endOf(i - 1)
      const end = endOf(i)
      return ascii
        ? text.slice(start - base, end - base)
        : decoder.decode(c.reasonBytes.subarray(start, end))
    },
  }
}

export function scoreBuffers(c: ScoreColumns): ArrayBuffer[] {
  return [
    ...numberBuffers(c.numbers),
    c.nextOrderAt.buffer as ArrayBuffer,
    c.clvMethod.buffer as ArrayBuffer,
    c.valueTier.buffer as ArrayBuffer,
    c.reasonBytes.buffer as ArrayBuffer,
    c.reasonEnds.buffer as ArrayBuffer,
  ]
}
