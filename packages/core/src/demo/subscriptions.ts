/**
 * The Club subscription line of the demo business: plans "Club Base" (€9.90/month), "Club Plus"
 * (€19.90/month) and "Club Annuale" (€99/year).
 *
 * Process, per customer:
 * 1. With probability `share` the customer subscribes, Exp(mean `meanDaysToSubscribe`) days after
 *    acquisition (if that is before `now`); the plan is drawn from PLAN_WEIGHTS.
 * 2. A first subscription to a monthly plan starts with a `trialDays` free trial with probability
 *    `trialShare`; the trial converts with probability `trialConversion`, otherwise it is cancelled
 *    during the trial and ends at `trial_end`.
 * 3. Paid periods are calendar months (or years) from the end of the trial. Voluntary churn is
 *    shifted-beta-geometric: the subscription has θ ~ Beta(α, β) (monthly or yearly parameters) and
 *    at each period, with probability θ, the customer cancels during it (canceled_at uniform in the
 *    period) and the service ends at the period's end (ended_at). Independently, a renewal payment
 *    fails with probability `paymentFailurePerPeriod`: the subscription is past_due for
 *    `dunningDays`, then recovered (probability `paymentRecovery`) or ended involuntarily — an extra
 *    hazard on top of the sBG one (0.8 % per period by default), so fit sBG on voluntary
 *    cancellations (status 'canceled') and treat 'ended' as censored.
 * 4. During a monthly paid period, with probability `planChangePerPeriod`, Base ↔ Plus switch
 *    (upgrade/downgrade), recorded as a subscription_change with the new plan and amount.
 * 5. After a voluntary cancellation the customer subscribes again with probability `reactivation`,
 *    Exp(mean `meanDaysToReactivate`) days after the end: a new subscription, no trial.
 *
 * Records describe the state at `now`: plan/amount are the current ones; status is trialing while
 * now < trial_end, past_due inside a dunning window, canceled/ended after the end, otherwise active
 * (a requested cancellation whose end is still ahead keeps status active with canceled_at set and
 * ended_at null — nothing after `now` is ever written), and a `pausedShare` of active
 * subscriptions are paused. Every subscription gets a first change record at started_at with its
 * initial plan and amount, so the amount in force at any time is the latest change before it.
 * Subscriptions create no orders: they are billed outside the shop, and the BG/NBD data stay pure.
 */
import type { TSubscriptionChangeRecord, TSubscriptionRecord } from '../records/schemas.ts'
import { DAY_MS, addMonthsUtc, isoSeconds } from './calendar.ts'
import { PLANS, PLAN_WEIGHTS, type PlanKey } from './catalogue.ts'
import type { Persona } from './customer.ts'
import type { DemoParams } from './params.ts'
import { WeightedTable, type Rng } from './random.ts'
import { CANCELLATION_REASONS, PAYMENT_FAILED_REASON, TRIAL_CANCELLATION_REASONS } from './texts.ts'

const PLAN_TABLE = new WeightedTable<PlanKey>(PLAN_WEIGHTS)
const REASONS = new WeightedTable(CANCELLATION_REASONS)
const TRIAL_REASONS = new WeightedTable(TRIAL_CANCELLATION_REASONS)

/** Latent truth of one subscription. */
export interface SubscriptionTruth {
  readonly subscription_external_id: string
  readonly interval: 'month' | 'year'
  /** sBG per-period voluntary churn probability. */
  readonly theta: number
}

export interface SubscriptionsResult {
  readonly subscriptions: TSubscriptionRecord[]
  readonly changes: TSubscriptionChangeRecord[]
  /** Times (ms ≤ now) at which the customer asked to cancel, for tickets and surveys. */
  readonly cancellationsMs: number[]
  readonly truth: SubscriptionTruth[]
}

const MAX_SUBSCRIPTIONS = 4

export function buildSubscriptions(
  rng: Rng,
  params: DemoParams,
  persona: Persona,
  nowMs: number,
): SubscriptionsResult {
  const sp = params.subscriptions
  const result: SubscriptionsResult = {
    subscriptions: [],
    changes: [],
    cancellationsMs: [],
    truth: [],
  }
  if (!rng.chance(sp.share)) return result
  let startMs = persona.createdMs + rng.exponential(1 / sp.meanDaysToSubscribe) * DAY_MS
  for (let n = 1; n <= MAX_SUBSCRIPTIONS && startMs <= nowMs; n++) {
    const s = simulateOne(rng, params, persona, n, startMs, nowMs, result)
    if (s.voluntaryEndMs === null || !rng.chance(sp.reactivation)) break
    startMs = s.voluntaryEndMs + rng.exponential(1 / sp.meanDaysToReactivate) * DAY_MS
  }
  return result
}

function simulateOne(
  rng: Rng,
  params: DemoParams,
  persona: Persona,
  n: number,
  startMs: number,
  nowMs: number,
  out: SubscriptionsResult,
): { voluntaryEndMs: number | null } {
  const sp = params.subscriptions
  const id = `sub_${persona.key}_${n}`
  let planKey = PLAN_TABLE.pick(rng)
  const initial = PLANS[planKey]
  const yearly = initial.interval === 'year'
  const sbg = yearly ? sp.yearly : sp.monthly
  const theta = rng.beta(sbg.alpha, sbg.beta)
  out.truth.push({ subscription_external_id: id, interval: initial.interval, theta })
  let changeNo = 0
  const change = (ms: number, key: PlanKey): void => {
    out.changes.push({
      external_id: `sbc_${persona.key}_${n}_${String(changeNo++).padStart(2, '0')}`,
      subscription_external_id: id,
      changed_at: isoSeconds(ms),
      plan: PLANS[key].name,
      quantity: 1,
      amount: PLANS[key].amount,
      currency: 'EUR',
    })
  }
  change(startMs, planKey)
  const lang = persona.lang
  const trial = n === 1 && initial.trial && rng.chance(sp.trialShare)
  const trialEndMs = trial ? startMs + sp.trialDays * DAY_MS : null
  let canceledMs: number | null = null
  let endedMs: number | null = null
  let involuntary = false
  let pastDue = false
  let reason: string | null = null

  if (trialEndMs !== null && !rng.chance(sp.trialConversion)) {
    canceledMs = startMs + rng.uniform(0.1, sp.trialDays - 0.5) * DAY_MS
    endedMs = trialEndMs
    reason = rng.chance(0.85) ? TRIAL_REASONS.pick(rng)[lang] : null
  } else {
    const anchor = trialEndMs ?? startMs
    const months = yearly ? 12 : 1
    for (let k = 0; ; k++) {
      const periodStart = addMonthsUtc(anchor, k * months)
      if (periodStart > nowMs) break
      const periodEnd = addMonthsUtc(anchor, (k + 1) * months)
      const len = periodEnd - periodStart
      if (rng.chance(theta)) {
        canceledMs = periodStart + rng.uniform(0.05, 0.95) * len
        endedMs = periodEnd
        reason = rng.chance(0.88) ? REASONS.pick(rng)[lang] : null
        break
      }
      if (!yearly && rng.chance(sp.planChangePerPeriod)) {
        const at = periodStart + rng.uniform(0.05, 0.95) * len
        if (at <= nowMs) {
          planKey = planKey === 'base' ? 'plus' : 'base'
          change(at, planKey)
        }
      }
      if (rng.chance(sp.paymentFailurePerPeriod)) {
        const dunningEnd = periodEnd + sp.dunningDays * DAY_MS
        if (periodEnd <= nowMs && nowMs < dunningEnd) pastDue = true
        if (!rng.chance(sp.paymentRecovery)) {
          endedMs = dunningEnd
          involuntary = true
          reason = PAYMENT_FAILED_REASON[lang]
          break
        }
      }
    }
  }

  // Only what has happened by `now` is written.
  const canceledSeen = canceledMs !== null && canceledMs <= nowMs
  const endedSeen = endedMs !== null && endedMs <= nowMs
  let status: TSubscriptionRecord['status']
  if (endedSeen) status = involuntary ? 'ended' : 'canceled'
  else if (trialEndMs !== null && nowMs < trialEndMs) status = 'trialing'
  else if (pastDue) status = 'past_due'
  else status = !canceledSeen && rng.chance(sp.pausedShare) ? 'paused' : 'active'
  if (canceledSeen && canceledMs !== null) out.cancellationsMs.push(canceledMs)
  const plan = PLANS[planKey]
  out.subscriptions.push({
    external_id: id,
    customer_external_id: persona.customerId,
    plan: plan.name,
    status,
    started_at: isoSeconds(startMs),
    trial_end: trialEndMs === null ? null : isoSeconds(trialEndMs),
    canceled_at: canceledSeen && canceledMs !== null ? isoSeconds(canceledMs) : null,
    ended_at: endedSeen && endedMs !== null ? isoSeconds(endedMs) : null,
    interval: plan.interval,
    interval_count: 1,
    quantity: 1,
    amount: plan.amount,
    currency: 'EUR',
    cancellation_reason: (involuntary ? endedSeen : canceledSeen) ? reason : null,
  })
  return { voluntaryEndMs: !involuntary && endedSeen ? endedMs : null }
}
