import type { CustomerSummary } from '@fedele/core/predictions'
import type { QueryParams } from '../analytics/replica.ts'

/** What the pipeline needs of the analytics replica (AnalyticsReplica and the metrics one have it). */
export type PredictionsReplica = {
  query<T = Record<string, unknown>>(
    text: string,
    params?: QueryParams,
    options?: { sync?: boolean },
  ): Promise<T[]>
}

/** A customer summary at a cut-off plus the outcome in the window after it (for training). */
export type LabelledSummary = CustomerSummary & {
  orderedInWindow: boolean
  subscribedAtWindowEnd: boolean
}

const DAY_MS = 86_400_000

/**
 * One row per customer at the cut-off: orders (cancelled ones excluded; same-day orders merged
 * into one order day, values in the reporting currency only), tickets, surveys, subscriptions,
 * plus the outcome window (cut-off, windowEnd]. Customers are those with an order before the
 * cut-off or a subscription active at it; erased customers and customers who refused profiling
 * (consent_profiling = false) are left out. Days are UTC day numbers (epoch days).
 */
const SUMMARY_SQL = `
with od as (
  select customer_id, floor(epoch(placed_at) / 86400)::BIGINT as day,
    sum(total) filter (where currency = $currency) as value,
    count(*) filter (where currency = $currency) as valued
  from orders
  where customer_id is not null and status <> 'cancelled' and placed_at < $cutoff
  group by all
),
g as (
  select *, row_number() over w as k, day - lag(day) over w as gap,
    count(*) over (partition by customer_id) as n
  from od window w as (partition by customer_id order by day)
),
per as (
  select customer_id,
    count(*) as order_days, min(day) as first_day, max(day) as last_day,
    coalesce(sum(value), 0) as value_minor,
    count(*) filter (where valued > 0) as valued_days,
    coalesce(sum(value) filter (where k > 1), 0) as repeat_value_minor,
    count(*) filter (where k > 1 and valued > 0) as repeat_valued_days,
    median(gap) as median_gap,
    max(gap) filter (where k = n and n > 1) as last_gap,
    avg(gap) filter (where k < n) as earlier_mean_gap,
    coalesce(sum(value) filter (where day >= $recentDay), 0) as spend_recent,
    coalesce(sum(value) filter (where day >= $previousDay and day < $recentDay), 0) as spend_previous
  from g group by customer_id
),
t as (
  select customer_id,
    count(*) filter (where opened_at >= $yearAgo) as tickets,
    count(*) filter (where (resolved_at is null and status in ('open', 'pending'))
      or resolved_at >= $cutoff) as unresolved
  from tickets where customer_id is not null and opened_at < $cutoff group by customer_id
),
sv as (
  select customer_id,
    arg_max(score, answered_at) filter (where kind = 'nps') as last_nps,
    arg_max(score, answered_at) filter (where kind = 'csat') as last_csat
  from survey_answers where customer_id is not null and answered_at < $cutoff group by customer_id
),
subs as (
  select customer_id, plan, started_at,
    coalesce(ended_at, case when status in ('canceled', 'ended') then coalesce(canceled_at, started_at) end,
      'infinity'::TIMESTAMPTZ) as ends_at
  from subscriptions
),
sub as (
  select customer_id,
    arg_max(plan, started_at) filter (where started_at < $cutoff and ends_at > $cutoff) as plan,
    bool_or(started_at < $windowEnd and ends_at > $windowEnd) as subscribed_at_end
  from subs group by customer_id
),
pc as (
  select s.customer_id, count(*) as plan_changes
  from subscription_changes c join subscriptions s on s.id = c.subscription_id
  where c.changed_at < $cutoff and c.changed_at >= $yearAgo and c.plan is not null
  group by s.customer_id
),
win as (
  select distinct customer_id from orders
  where customer_id is not null and status <> 'cancelled' and placed_at >= $cutoff and placed_at < $windowEnd
)
select c.id as customer_id,
  coalesce(per.order_days, 0) as order_days, per.first_day, per.last_day,
  coalesce(per.value_minor, 0)::DOUBLE as value_minor, coalesce(per.valued_days, 0) as valued_days,
  coalesce(per.repeat_value_minor, 0)::DOUBLE as repeat_value_minor,
  coalesce(per.repeat_valued_days, 0) as repeat_valued_days,
  per.median_gap::DOUBLE as median_gap, per.last_gap::DOUBLE as last_gap,
  per.earlier_mean_gap::DOUBLE as earlier_mean_gap,
  coalesce(per.spend_recent, 0)::DOUBLE as spend_recent,
  coalesce(per.spend_previous, 0)::DOUBLE as spend_previous,
  coalesce(t.tickets, 0) as tickets, coalesce(t.unresolved, 0) as unresolved,
  sv.last_nps, sv.last_csat, sub.plan, coalesce(pc.plan_changes, 0) as plan_changes,
  win.customer_id is not null as ordered_in_window,
  coalesce(sub.subscribed_at_end, false) as subscribed_at_end
from customers c
left join per on per.customer_id = c.id
left join t on t.customer_id = c.id
left join sv on sv.customer_id = c.id
left join sub on sub.customer_id = c.id
left join pc on pc.customer_id = c.id
left join win on win.customer_id = c.id
where c.erased_at is null and c.consent_profiling is distinct from false
  and (per.customer_id is not null or sub.plan is not null)
order by c.id`

type Row = {
  customer_id: number
  order_days: number
  first_day: number | null
  last_day: number | null
  value_minor: number
  valued_days: number
  repeat_value_minor: number
  repeat_valued_days: number
  median_gap: number | null
  last_gap: number | null
  earlier_mean_gap: number | null
  spend_recent: number
  spend_previous: number
  tickets: number
  unresolved: number
  last_nps: number | null
  last_csat: number | null
  plan: string | null
  plan_changes: number
  ordered_in_window: boolean
  subscribed_at_end: boolean
}

/**
 * Customer summaries at `cutoff` (only facts before it), with the outcome in (cutoff, windowEnd]
 * (pass windowEnd = cutoff when scoring: no outcome is known yet).
 */
export async function customerSummaries(
  replica: PredictionsReplica,
  o: { cutoff: Date; windowEnd: Date; currency: string },
): Promise<LabelledSummary[]> {
  const cutoffDay = Math.floor(o.cutoff.getTime() / DAY_MS)
  const rows = await replica.query<Row>(
    SUMMARY_SQL,
    {
      cutoff: o.cutoff,
      windowEnd: o.windowEnd,
      currency: o.currency,
      recentDay: cutoffDay - 90,
      previousDay: cutoffDay - 180,
      yearAgo: new Date(o.cutoff.getTime() - 365 * DAY_MS),
    },
    { sync: false },
  )
  return rows.map((r) => ({
    customerId: r.customer_id,
    orderDays: r.order_days,
    firstDay: r.first_day,
    lastDay: r.last_day,
    valueMinor: r.value_minor,
    valuedDays: r.valued_days,
    repeatValueMinor: r.repeat_value_minor,
    repeatValuedDays: r.repeat_valued_days,
    medianGapDays: r.median_gap,
    lastGapDays: r.last_gap,
    earlierMeanGapDays: r.earlier_mean_gap,
    spendRecentMinor: r.spend_recent,
    spendPreviousMinor: r.spend_previous,
    tickets: r.tickets,
    unresolvedTickets: r.unresolved,
    lastNps: r.last_nps,
    lastCsat: r.last_csat,
    plan: r.plan,
    planChanges: r.plan_changes,
    orderedInWindow: r.ordered_in_window,
    subscribedAtWindowEnd: r.subscribed_at_end,
  }))
}
