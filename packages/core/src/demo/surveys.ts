/**
 * Survey answers of a demo customer (only customers who consented to surveys, while the consent
 * was in force):
 * - relationship NPS (0–10) every quarter, sent on the 15th of the quarter's middle month to
 *   customers acquired at least 30 days before, answered with probability `npsResponse` after an
 *   Exp(mean 2 days) delay; survey id `nps-YYYY-qN`;
 * - CSAT (1–5) after an order with probability `csatAfterOrder`, 2–8 days later (`csat-ordine`);
 * - CES (1–7, 7 = very easy) after a resolved ticket with probability `cesAfterTicket`
 *   (`ces-assistenza`).
 *
 * Link to churn: an answer is given by an *unhappy* customer when the customer's latent BG/NBD
 * dropout happened before it or happens within 120 days after it (for CSAT: the order was placed
 * in the 90 days before the dropout, or was refunded), or when the customer asks to cancel a
 * subscription between 30 days before and 120 days after it. Unhappy answers are drawn from a
 * distribution with NPS ≈ −45 instead of ≈ +50 (CSAT mean ≈ 2.9 instead of ≈ 4.3), so churned
 * customers score lower on average.
 */
import type { TSurveyAnswerRecord, TTicketRecord, TOrderRecord } from '../records/schemas.ts'
import { DAY_MS, isoSeconds } from './calendar.ts'
import { consentAt, type Persona } from './customer.ts'
import type { DemoParams } from './params.ts'
import { WeightedTable, type Rng } from './random.ts'
import { COMMENTS } from './texts.ts'

const scores = (weights: readonly number[], first: number): WeightedTable<number> =>
  new WeightedTable<number>(weights.map((w, i) => [first + i, w]))

/** NPS 0…10: promoters 60 %, detractors 10 % → NPS +50. */
const NPS_HAPPY = scores([0.5, 0.3, 0.5, 0.7, 1, 2.5, 4.5, 10, 20, 25, 35], 0)
/** NPS 0…10: promoters 13 %, detractors 58 % → NPS −45. */
const NPS_UNHAPPY = scores([6, 4, 6, 7, 9, 12, 14, 15, 14, 7, 6], 0)
const CSAT_HAPPY = scores([2, 3, 9, 34, 52], 1)
const CSAT_UNHAPPY = scores([14, 20, 30, 22, 14], 1)
const CES_HAPPY = scores([2, 3, 5, 10, 20, 30, 30], 1)
const CES_UNHAPPY = scores([15, 18, 20, 17, 14, 10, 6], 1)

export interface SurveyInputs {
  readonly orders: readonly TOrderRecord[]
  readonly orderMs: readonly number[]
  readonly tickets: readonly TTicketRecord[]
  readonly droppedMs: number | null
  readonly cancellationsMs: readonly number[]
}

interface Draft {
  readonly ms: number
  readonly survey: string
  readonly kind: 'nps' | 'csat' | 'ces'
  readonly score: number
}

function sentiment(kind: Draft['kind'], score: number): 'positive' | 'neutral' | 'negative' {
  const [good, fair] = kind === 'nps' ? [9, 7] : kind === 'csat' ? [4, 3] : [6, 4]
  return score >= good ? 'positive' : score >= fair ? 'neutral' : 'negative'
}

export function buildSurveyAnswers(
  rng: Rng,
  params: DemoParams,
  persona: Persona,
  inputs: SurveyInputs,
  nowMs: number,
): TSurveyAnswerRecord[] {
  const sp = params.surveys
  const consent = persona.surveys
  if (!consent.granted) return []
  const drafts: Draft[] = []
  const dropped = inputs.droppedMs
  const unhappyAt = (ms: number): boolean =>
    (dropped !== null && dropped <= ms + 120 * DAY_MS) ||
    inputs.cancellationsMs.some((c) => c >= ms - 30 * DAY_MS && c <= ms + 120 * DAY_MS)
  const push = (ms: number, survey: string, kind: Draft['kind'], score: number): void => {
    if (ms <= nowMs && consentAt(consent, ms)) drafts.push({ ms, survey, kind, score })
  }

  // quarterly relationship NPS
  const first = new Date(persona.createdMs + 30 * DAY_MS)
  let year = first.getUTCFullYear()
  let quarter = Math.floor(first.getUTCMonth() / 3)
  for (;;) {
    const sendMs = Date.UTC(year, quarter * 3 + 1, 15, 9)
    if (sendMs > nowMs) break
    if (sendMs >= persona.createdMs + 30 * DAY_MS && rng.chance(sp.npsResponse)) {
      const ms = sendMs + rng.exponential(0.5) * DAY_MS
      const score = (unhappyAt(ms) ? NPS_UNHAPPY : NPS_HAPPY).pick(rng)
      push(ms, `nps-${year}-q${quarter + 1}`, 'nps', score)
    }
    if (++quarter === 4) {
      quarter = 0
      year++
    }
  }

  // CSAT after orders
  for (let i = 0; i < inputs.orders.length; i++) {
    const o = inputs.orders[i] as TOrderRecord
    if (o.status === 'cancelled' || !rng.chance(sp.csatAfterOrder)) continue
    const placed = inputs.orderMs[i] as number
    const unhappy =
      o.status === 'refunded' ||
      (dropped !== null && placed >= dropped - 90 * DAY_MS) ||
      unhappyAt(placed)
    push(
      placed + rng.uniform(2, 8) * DAY_MS,
      'csat-ordine',
      'csat',
      (unhappy ? CSAT_UNHAPPY : CSAT_HAPPY).pick(rng),
    )
  }

  // CES after resolved tickets
  for (const t of inputs.tickets) {
    if (t.resolved_at === null || t.resolved_at === undefined || !rng.chance(sp.cesAfterTicket))
      continue
    const resolved = Date.parse(t.resolved_at)
    const slow = resolved - Date.parse(t.opened_at) > 2 * DAY_MS
    const unhappy = slow || unhappyAt(resolved)
    push(
      resolved + rng.uniform(0.05, 2) * DAY_MS,
      'ces-assistenza',
      'ces',
      (unhappy ? CES_UNHAPPY : CES_HAPPY).pick(rng),
    )
  }

  drafts.sort((x, y) => x.ms - y.ms)
  return drafts.map((d, j) => {
    const comment = rng.chance(sp.commentShare)
      ? rng.pick(COMMENTS[sentiment(d.kind, d.score)])[persona.lang]
      : null
    return {
      external_id: `srv_${persona.key}_${String(j + 1).padStart(2, '0')}`,
      customer_external_id: persona.customerId,
      survey: d.survey,
      kind: d.kind,
      score: d.score,
      comment,
      answered_at: isoSeconds(d.ms),
    }
  })
}
