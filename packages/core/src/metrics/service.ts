/**
 * Reference implementation of the customer-service figures of a period: open and overdue tickets
 * at its end, median first-response and resolution times of the tickets opened in it, and
 * satisfaction (CSAT) by channel. Durations are milliseconds.
 */
import { toInstant, toPeriod } from './inputs.ts'
import type { PeriodInput, TicketInput } from './inputs.ts'
import { median } from './formulas.ts'
import type { CsatInputs } from './formulas.ts'
import { CSAT_SCALE, csatOf } from './feedback.ts'
import type { ScoreScale } from './feedback.ts'
import { defined, notDefined } from './result.ts'
import type { MetricId } from './catalogue.ts'
import type { MetricResult } from './result.ts'
import type { Period } from './time.ts'

export interface ServiceOptions {
  /** A ticket is overdue when open for more than this many hours. Default 48. */
  readonly overdueAfterHours?: number
  /** Scale of the ticket satisfaction answer. Default 1–5. */
  readonly satisfactionScale?: ScoreScale
  /** Lowest satisfied score. Default 4. */
  readonly satisfiedFrom?: number
}

export interface MedianTimeInputs {
  /** Tickets opened in the period with the event (a response, a resolution). */
  readonly measured: number
  /** Tickets opened in the period still without it. */
  readonly pending: number
}

export interface ServiceFigures {
  readonly period: Period
  /** Tickets open as of the end: openedAt < end ≤ resolvedAt (or unresolved). Indices into the input. */
  readonly open: { readonly count: number; readonly tickets: number[] }
  /** Open tickets with end − openedAt > overdue threshold. */
  readonly overdue: { readonly count: number; readonly tickets: number[] }
  /** median(firstResponseAt − openedAt) over tickets opened in the period that got a response. */
  readonly medianFirstResponseMs: MetricResult<MedianTimeInputs>
  /** median(resolvedAt − openedAt) over tickets opened in the period that were resolved. */
  readonly medianResolutionMs: MetricResult<MedianTimeInputs>
  /** CSAT of the ratings of tickets opened in the period, by channel (sorted by channel). */
  readonly satisfactionByChannel: ReadonlyArray<{
    readonly channel: string
    readonly csat: MetricResult<CsatInputs>
  }>
}

function medianTime(
  metric: MetricId,
  durations: readonly number[],
  pending: number,
  what: { en: string; it: string },
): MetricResult<MedianTimeInputs> {
  const inputs = { measured: durations.length, pending }
  const value = median(durations)
  return value === null
    ? notDefined(metric, { code: 'no-data', input: 'tickets', ...what }, inputs)
    : defined(metric, value, inputs)
}

/**
 * Customer-service figures for `[start, end)`: open = openedAt < end and not resolved before end;
 * overdue = open and end − openedAt > 48 h; median first-response and resolution times over the
 * tickets opened in the period (the mean of the two middle values for an even count); CSAT by
 * channel = ratings ≥ 4 / ratings, per channel, of tickets opened in the period.
 */
export function serviceFigures(
  tickets: readonly TicketInput[],
  period: PeriodInput,
  options: ServiceOptions = {},
): ServiceFigures {
  const { start, end } = toPeriod(period)
  const overdueMs = (options.overdueAfterHours ?? 48) * 3_600_000
  if (!(overdueMs >= 0)) throw new RangeError('serviceFigures: overdueAfterHours must be ≥ 0')
  const scale = options.satisfactionScale ?? CSAT_SCALE
  const satisfiedFrom = options.satisfiedFrom ?? 4
  const open: number[] = []
  const overdue: number[] = []
  const responseTimes: number[] = []
  const resolutionTimes: number[] = []
  let unanswered = 0
  let unresolved = 0
  const ratings = new Map<string, number[]>()
  tickets.forEach((ticket, i) => {
    const opened = toInstant(ticket.openedAt, `tickets[${i}].openedAt`)
    const later = (value: TicketInput['resolvedAt'], field: string): number | null => {
      if (value === undefined || value === null) return null
      const at = toInstant(value, `tickets[${i}].${field}`)
      if (at < opened) throw new RangeError(`tickets[${i}].${field} is before openedAt`)
      return at
    }
    const responded = later(ticket.firstResponseAt, 'firstResponseAt')
    const resolved = later(ticket.resolvedAt, 'resolvedAt')
    if (opened < end && (resolved === null || resolved >= end)) {
      open.push(i)
      if (end - opened > overdueMs) overdue.push(i)
    }
    if (opened < start || opened >= end) return
    if (responded === null) unanswered += 1
    else responseTimes.push(responded - opened)
    if (resolved === null) unresolved += 1
    else resolutionTimes.push(resolved - opened)
    const rating = ticket.satisfaction
    if (rating !== undefined && rating !== null) {
      if (!Number.isInteger(rating) || rating < scale.min || rating > scale.max) {
        throw new RangeError(
          `tickets[${i}].satisfaction must be an integer from ${scale.min} to ${scale.max}, got ${rating}`,
        )
      }
      const list = ratings.get(ticket.channel)
      if (list === undefined) ratings.set(ticket.channel, [rating])
      else list.push(rating)
    }
  })
  return {
    period: { start, end },
    open: { count: open.length, tickets: open },
    overdue: { count: overdue.length, tickets: overdue },
    medianFirstResponseMs: medianTime('median_first_response_time', responseTimes, unanswered, {
      en: 'No ticket opened in the period has been answered',
      it: 'Nessun ticket aperto nel periodo ha ricevuto risposta',
    }),
    medianResolutionMs: medianTime('median_resolution_time', resolutionTimes, unresolved, {
      en: 'No ticket opened in the period has been resolved',
      it: 'Nessun ticket aperto nel periodo è stato risolto',
    }),
    satisfactionByChannel: [...ratings.keys()].sort().map((channel) => ({
      channel,
      csat: csatOf(ratings.get(channel) ?? [], satisfiedFrom, 'csat_by_channel'),
    })),
  }
}
