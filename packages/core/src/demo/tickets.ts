/**
 * Support tickets of a demo customer.
 *
 * Arrivals (all clipped to [created_at, now], at most MAX_TICKETS per customer):
 * - background: Poisson(perYear × tenure in years) tickets at random times;
 * - after an order: with probability `perOrder`, 1–12 days later, an order-related topic;
 *   after a refunded order, with probability 1/2, a refund ticket 3–15 days later;
 * - before a dropout (latent, BG/NBD): Poisson(`beforeDropout`) complaint-heavy tickets in the
 *   90 days before to 14 days after it;
 * - before a subscription cancellation: Poisson(`beforeCancellation`) tickets in the 45 days before.
 * Times are drawn in operational time, so tickets follow the same hour-of-day and seasonal shape
 * as orders.
 *
 * Handling: first response after a log-normal delay and resolution a log-normal time after that,
 * both by channel (medians below); complaints and churn-related tickets take 2.5× longer, urgent
 * ones half as long, and 6 % get stuck in the queue (5–20× longer). Status at `now`: closed (resolved over 7 days ago, mostly) or resolved when
 * resolved_at ≤ now; pending (answered, waiting) or open otherwise — so recent tickets are still
 * unresolved at `now`, some for days. A `satisfactionShare` of resolved tickets carry a 1–5 score,
 * lower for complaints, churn-related and slow tickets.
 */
import type { TOrderRecord, TTicketRecord } from '../records/schemas.ts'
import { DAY_MS, HOUR_MS, MINUTE_MS, isoSeconds, type DemoClock } from './calendar.ts'
import type { Persona } from './customer.ts'
import type { DemoParams } from './params.ts'
import { WeightedTable, type Rng } from './random.ts'
import { AGENTS } from './italy.ts'
import {
  AGENT_REPLY,
  BOT_REPLY,
  REFUND_TOPIC_INDEX,
  RESOLUTION_NOTE,
  TICKET_TOPICS,
  type TicketTopic,
} from './texts.ts'

type Channel = TTicketRecord['channel']
type Priority = TTicketRecord['priority']

const MAX_TICKETS = 30
/** Share of tickets that get stuck in the queue (resolution 5–20× slower). */
const STUCK_SHARE = 0.06

const CHANNELS = new WeightedTable<Channel>([
  ['email', 34],
  ['chat', 24],
  ['phone', 14],
  ['messaging', 11],
  ['social', 7],
  ['chatbot', 8],
  ['video', 2],
])
const PRIORITIES = new WeightedTable<Priority>([
  ['low', 15],
  ['normal', 65],
  ['high', 15],
  ['urgent', 5],
])
const ALL_TOPICS = new WeightedTable<TicketTopic>(TICKET_TOPICS)
const COMPLAINT_TOPICS = new WeightedTable<TicketTopic>(
  TICKET_TOPICS.map(([t, w]) => [t, t.complaint ? w * 4 : w]),
)
const ORDER_TOPICS = new WeightedTable<TicketTopic>(TICKET_TOPICS.filter(([t]) => t.orderRelated))
const REFUND_TOPIC = (TICKET_TOPICS[REFUND_TOPIC_INDEX] as (typeof TICKET_TOPICS)[number])[0]

/** Log-normal (median, σ) of the first-response delay in minutes and the resolution time in hours. */
const HANDLING: Readonly<Record<Channel, readonly [number, number, number, number]>> = {
  email: [240, 1.0, 20, 1.1],
  chat: [2, 0.8, 0.5, 1.2],
  phone: [0.5, 0.6, 0.3, 1.3],
  social: [120, 1.0, 12, 1.1],
  messaging: [20, 1.0, 4, 1.2],
  video: [10, 0.7, 1, 1.0],
  chatbot: [0.05, 0.3, 0.2, 1.5],
}

/** Uniform in operational time between two instants, mapped to calendar time. */
export function timeBetween(rng: Rng, clock: DemoClock, fromMs: number, toMs: number): number {
  const a = clock.toOperationalDays(fromMs)
  const b = clock.toOperationalDays(toMs)
  return clock.toCalendarMs(a + (b - a) * rng.next())
}

interface Arrival {
  readonly ms: number
  readonly topic: TicketTopic
  readonly churn: boolean
}

export interface TicketInputs {
  readonly orders: readonly TOrderRecord[]
  readonly orderMs: readonly number[]
  readonly refunded: readonly number[]
  readonly droppedMs: number | null
  readonly cancellationsMs: readonly number[]
}

export function buildTickets(
  rng: Rng,
  params: DemoParams,
  clock: DemoClock,
  persona: Persona,
  inputs: TicketInputs,
  nowMs: number,
): TTicketRecord[] {
  const tp = params.tickets
  const from = persona.createdMs
  const arrivals: Arrival[] = []
  const add = (ms: number, topic: TicketTopic, churn: boolean): void => {
    if (ms >= from && ms <= nowMs) arrivals.push({ ms, topic, churn })
  }
  const tenureYears = (nowMs - from) / DAY_MS / 365.2425
  const background = rng.poisson(tp.perYear * tenureYears)
  for (let i = 0; i < background; i++)
    add(timeBetween(rng, clock, from, nowMs), ALL_TOPICS.pick(rng), false)
  for (let i = 0; i < inputs.orders.length; i++) {
    if ((inputs.orders[i] as TOrderRecord).status === 'cancelled') continue
    if (rng.chance(tp.perOrder)) {
      add(
        (inputs.orderMs[i] as number) + rng.uniform(1, 12) * DAY_MS,
        ORDER_TOPICS.pick(rng),
        false,
      )
    }
  }
  for (const i of inputs.refunded) {
    if (rng.chance(0.5))
      add((inputs.orderMs[i] as number) + rng.uniform(3, 15) * DAY_MS, REFUND_TOPIC, false)
  }
  if (inputs.droppedMs !== null) {
    const n = rng.poisson(tp.beforeDropout)
    const lo = Math.max(from, inputs.droppedMs - 90 * DAY_MS)
    const hi = Math.min(nowMs, inputs.droppedMs + 14 * DAY_MS)
    for (let i = 0; i < n; i++)
      add(timeBetween(rng, clock, lo, hi), COMPLAINT_TOPICS.pick(rng), true)
  }
  for (const c of inputs.cancellationsMs) {
    const n = rng.poisson(tp.beforeCancellation)
    const lo = Math.max(from, c - 45 * DAY_MS)
    for (let i = 0; i < n; i++)
      add(timeBetween(rng, clock, lo, c), COMPLAINT_TOPICS.pick(rng), true)
  }
  arrivals.sort((x, y) => x.ms - y.ms)
  if (arrivals.length > MAX_TICKETS) arrivals.length = MAX_TICKETS
  return arrivals.map((a, j) => ticketRecord(rng, tp.satisfactionShare, persona, a, j, nowMs))
}

const HAPPY_CSAT = new WeightedTable<number>([
  [1, 3],
  [2, 4],
  [3, 10],
  [4, 31],
  [5, 52],
])
const UNHAPPY_CSAT = new WeightedTable<number>([
  [1, 22],
  [2, 24],
  [3, 24],
  [4, 18],
  [5, 12],
])

function ticketRecord(
  rng: Rng,
  satisfactionShare: number,
  persona: Persona,
  a: Arrival,
  j: number,
  nowMs: number,
): TTicketRecord {
  const lang = persona.lang
  const channel = CHANNELS.pick(rng)
  const priority = a.churn && rng.chance(0.3) ? 'high' : PRIORITIES.pick(rng)
  const [respMedian, respSigma, resMedian, resSigma] = HANDLING[channel]
  const stuck = rng.chance(STUCK_SHARE) ? rng.uniform(5, 20) : 1
  const slow =
    (a.topic.complaint ? 2.5 : 1) * (a.churn ? 2 : 1) * (priority === 'urgent' ? 0.5 : 1) * stuck
  const firstMs = a.ms + rng.lognormal(Math.log(respMedian), respSigma) * MINUTE_MS
  const resolvedMs = firstMs + rng.lognormal(Math.log(resMedian * slow), resSigma) * HOUR_MS
  const responded = firstMs <= nowMs
  const resolved = resolvedMs <= nowMs
  let status: TTicketRecord['status']
  if (resolved) status = nowMs - resolvedMs > 7 * DAY_MS && rng.chance(0.9) ? 'closed' : 'resolved'
  else if (responded) status = rng.chance(0.5) ? 'pending' : 'open'
  else status = 'open'
  const escalated = channel !== 'chatbot' || resolvedMs - a.ms > HOUR_MS
  const assignee = responded && escalated ? rng.pick(AGENTS) : null
  let satisfaction: number | null = null
  if (resolved && rng.chance(satisfactionShare)) {
    const unhappy = a.churn || a.topic.complaint
    const score = (unhappy ? UNHAPPY_CSAT : HAPPY_CSAT).pick(rng)
    satisfaction = resolvedMs - a.ms > 3 * DAY_MS ? Math.max(1, score - 1) : score
  }
  const messages: NonNullable<TTicketRecord['messages']> = [
    { at: isoSeconds(a.ms), author: 'customer', body: a.topic.message[lang] },
  ]
  if (responded) {
    const bot = channel === 'chatbot'
    messages.push({
      at: isoSeconds(firstMs),
      author: bot ? 'bot' : 'agent',
      body: (bot ? BOT_REPLY : AGENT_REPLY)[lang],
    })
  }
  if (resolved) {
    messages.push({
      at: isoSeconds(resolvedMs),
      author: escalated ? 'agent' : 'bot',
      body: RESOLUTION_NOTE[lang],
    })
  }
  return {
    external_id: `tkt_${persona.key}_${String(j + 1).padStart(2, '0')}`,
    customer_external_id: persona.customerId,
    channel,
    subject: a.topic.subject[lang],
    opened_at: isoSeconds(a.ms),
    first_response_at: responded ? isoSeconds(firstMs) : null,
    resolved_at: resolved ? isoSeconds(resolvedMs) : null,
    status,
    priority,
    assignee,
    satisfaction,
    messages,
  }
}
