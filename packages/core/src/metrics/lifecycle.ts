/**
 * Reference implementation of the lifecycle (growth accounting) of a period: each customer active
 * in the period or the previous one is new, returning, resurrecting or dormant.
 *
 * "Active in a period" = a completed order in it, or a subscription active at some instant of it
 * (no activity window), as for cohorts.
 */
import { firstPresence, presenceByCustomer, presentDuring, sortIds, toPeriod } from './inputs.ts'
import type { ActivityOptions, ActivitySource, CustomerId, PeriodInput } from './inputs.ts'
import { classifyLifecycle } from './formulas.ts'
import type { LifecycleState } from './formulas.ts'
import type { Period } from './time.ts'

export interface Lifecycle {
  readonly period: Period
  readonly previous: Period
  readonly counts: Readonly<Record<LifecycleState, number>>
  readonly customers: Readonly<Record<LifecycleState, CustomerId[]>>
  /** new + returning + resurrecting. */
  readonly activeNow: number
  /** returning + dormant. */
  readonly activePrevious: number
}

/**
 * Lifecycle of `period` against `previous` (which must end no later than `period` starts):
 * new = first activity in the period; returning = active in both; resurrecting = active now, not
 * in the previous period, not new; dormant = active in the previous period, not now.
 * So active(now) − active(previous) = new + resurrecting − dormant.
 */
export function lifecycle(
  source: ActivitySource,
  period: PeriodInput,
  previous: PeriodInput,
  options: ActivityOptions = {},
): Lifecycle {
  const now = toPeriod(period)
  const before = toPeriod(previous, 'previous')
  if (before.end > now.start)
    throw new RangeError('lifecycle: previous must end before period starts')
  const customers: Record<LifecycleState, CustomerId[]> = {
    new: [],
    returning: [],
    resurrecting: [],
    dormant: [],
  }
  for (const [customerId, p] of presenceByCustomer(source, options)) {
    const first = firstPresence(p)
    const state = classifyLifecycle({
      activeNow: presentDuring(p, now),
      activePrevious: presentDuring(p, before),
      firstActivityNow: now.start <= first && first < now.end,
    })
    if (state !== null) customers[state].push(customerId)
  }
  const counts = {
    new: customers.new.length,
    returning: customers.returning.length,
    resurrecting: customers.resurrecting.length,
    dormant: customers.dormant.length,
  }
  return {
    period: now,
    previous: before,
    counts,
    customers: {
      new: sortIds(customers.new),
      returning: sortIds(customers.returning),
      resurrecting: sortIds(customers.resurrecting),
      dormant: sortIds(customers.dormant),
    },
    activeNow: counts.new + counts.returning + counts.resurrecting,
    activePrevious: counts.returning + counts.dormant,
  }
}
