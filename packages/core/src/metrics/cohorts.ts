/**
 * Reference implementation of cohort tables: customers grouped by the calendar bucket (week,
 * month, quarter in the workspace zone) of their first activity; for each later bucket the share
 * of the cohort active in it ("on"), the share active in it or any later one ("on or after"),
 * revenue retention and cumulative revenue per customer.
 *
 * "Active in a bucket" = a completed order in it, or a subscription active at some instant of it
 * (no activity window: the question is whether the customer did something in that bucket).
 * Nothing at or after `asOf` is seen; the bucket containing `asOf` is included, marked incomplete.
 */
import {
  firstPresence,
  presenceByCustomer,
  presentDuring,
  sortIds,
  toInstant,
  toPeriod,
  validOrders,
} from './inputs.ts'
import type { ActivityOptions, ActivitySource, CustomerId, Instant, PeriodInput } from './inputs.ts'
import { cohortRetention, cumulativeRevenuePerCustomer, revenueRetention } from './formulas.ts'
import type {
  CohortCellInputs,
  CumulativeRevenueInputs,
  RevenueRetentionInputs,
} from './formulas.ts'
import { bucketsBetween } from './time.ts'
import type { Bucket, Grain } from './time.ts'
import type { MetricResult } from './result.ts'

export interface CohortOptions extends ActivityOptions {
  readonly grain: Grain
  /** IANA zone of the buckets, e.g. `Europe/Rome`. */
  readonly timeZone: string
  /** Data at or after this instant is ignored; cells starting at or after it are not computed. */
  readonly asOf: Instant
  /** Only cohorts whose first activity falls in this period. Default: all before `asOf`. */
  readonly firstActivityIn?: PeriodInput
}

export interface CohortCell {
  /** 0 for the cohort's own bucket. */
  readonly offset: number
  readonly key: string
  readonly start: number
  readonly end: number
  /** False for the bucket containing `asOf`. */
  readonly complete: boolean
  /** Cohort customers active in this bucket. */
  readonly active: number
  /** Cohort customers active in this bucket or a later one (before `asOf`). */
  readonly activeOnOrAfter: number
  /** Cohort revenue in this bucket, minor units. */
  readonly revenue: number
  /** Cohort revenue in buckets 0..offset, minor units. */
  readonly cumulativeRevenue: number
  /** active / cohort size. */
  readonly retention: MetricResult<CohortCellInputs>
  /** activeOnOrAfter / cohort size. */
  readonly retentionOnOrAfter: MetricResult<CohortCellInputs>
  /** revenue / revenue in bucket 0. */
  readonly revenueRetention: MetricResult<RevenueRetentionInputs>
  /** cumulativeRevenue / cohort size. */
  readonly cumulativeRevenuePerCustomer: MetricResult<CumulativeRevenueInputs>
}

export interface Cohort {
  readonly key: string
  readonly start: number
  readonly end: number
  readonly size: number
  readonly customers: CustomerId[]
  readonly cells: readonly CohortCell[]
}

/**
 * The cohort table. For cohort c and offset k, with B_k the k-th bucket after c's and only data
 * before `asOf`: retention(on) = |active in B_k| / |c|, retention(on or after) = |active in
 * B_k ∪ B_k+1 ∪ …| / |c|, revenue retention = revenue(B_k) / revenue(B_0), cumulative revenue per
 * customer = Σ revenue(B_0..B_k) / |c|. Offset 0 is always 100 % (the first activity is in B_0).
 */
export function cohortTable(source: ActivitySource, options: CohortOptions): Cohort[] {
  const asOf = toInstant(options.asOf, 'asOf')
  const range =
    options.firstActivityIn === undefined
      ? undefined
      : toPeriod(options.firstActivityIn, 'firstActivityIn')
  const presence = presenceByCustomer(source, options)
  const ordersByCustomer = new Map<CustomerId, Array<{ at: number; revenue: number }>>()
  for (const order of validOrders(source.orders ?? [])) {
    if (order.customerId === null) continue
    const list = ordersByCustomer.get(order.customerId)
    if (list === undefined) ordersByCustomer.set(order.customerId, [order])
    else list.push(order)
  }

  const firsts = new Map<CustomerId, number>()
  for (const [customerId, p] of presence) {
    const first = firstPresence(p)
    if (first >= asOf) continue
    if (range !== undefined && (first < range.start || first >= range.end)) continue
    firsts.set(customerId, first)
  }
  // One grid of buckets from the earliest cohort up to asOf; cohort c's cells are the grid from c on.
  let earliest = asOf
  for (const first of firsts.values()) earliest = Math.min(earliest, first)
  const grid = bucketsBetween(earliest, asOf, options.grain, options.timeZone)
  const members = new Map<number, CustomerId[]>()
  for (const [customerId, first] of firsts) {
    const index = grid.findIndex((b) => b.start <= first && first < b.end)
    const list = members.get(index)
    if (list === undefined) members.set(index, [customerId])
    else list.push(customerId)
  }

  return [...members.keys()]
    .sort((a, b) => a - b)
    .map((index) => {
      const customers = sortIds(members.get(index) ?? [])
      const size = customers.length
      const revenueIn = (start: number, end: number): number => {
        let total = 0
        for (const id of customers) {
          for (const o of ordersByCustomer.get(id) ?? []) {
            if (start <= o.at && o.at < end) total += o.revenue
          }
        }
        return total
      }
      const cells: CohortCell[] = []
      let baseRevenue = 0
      let cumulativeRevenue = 0
      for (const [offset, bucket] of grid.slice(index).entries()) {
        const seen = { start: bucket.start, end: Math.min(bucket.end, asOf) }
        const onOrAfter = { start: bucket.start, end: asOf }
        let active = 0
        let activeOnOrAfter = 0
        for (const id of customers) {
          const p = presence.get(id)
          if (p === undefined) continue
          if (presentDuring(p, seen)) active += 1
          if (presentDuring(p, onOrAfter)) activeOnOrAfter += 1
        }
        const revenue = revenueIn(seen.start, seen.end)
        if (offset === 0) baseRevenue = revenue
        cumulativeRevenue += revenue
        cells.push({
          offset,
          key: bucket.key,
          start: bucket.start,
          end: bucket.end,
          complete: bucket.end <= asOf,
          active,
          activeOnOrAfter,
          revenue,
          cumulativeRevenue,
          retention: cohortRetention({ cohortSize: size, active }),
          retentionOnOrAfter: cohortRetention(
            { cohortSize: size, active: activeOnOrAfter },
            'cohort_retention_on_or_after',
          ),
          revenueRetention: revenueRetention({ baseRevenue, revenue }),
          cumulativeRevenuePerCustomer: cumulativeRevenuePerCustomer({
            cumulativeRevenue,
            cohortSize: size,
          }),
        })
      }
      const own = grid[index] as Bucket
      return { key: own.key, start: own.start, end: own.end, size, customers, cells }
    })
}
