/**
 * The worked examples of shared/reference/metrics.md, reproduced exactly from raw customers,
 * orders, subscriptions and answers built to match (the formula-level versions are in
 * formulas.test.ts). Periods are calendar buckets in Europe/Rome.
 */
import { describe, expect, it } from 'vitest'
import { periodCustomers } from './customers.ts'
import { csatFromAnswers, npsFromAnswers } from './feedback.ts'
import { mrrFromArpc, retentionRate } from './formulas.ts'
import type { OrderInput, SubscriptionInput, SurveyAnswerInput } from './inputs.ts'
import { clvFromHistory, periodOrders } from './orders.ts'
import { mrrAsOf } from './subscriptions.ts'
import { DAY, ids, ROME } from './test-fixtures.ts'
import { bucketFromKey } from './time.ts'

const order = (customerId: string, at: number, amount = 1000): OrderInput => ({
  customerId,
  at,
  amount,
})

describe('worked examples from raw histories', () => {
  it('#1 S = 1000, E = 900, N = 200 over a quarter → CRR = 70 %, churn (inverse) = 30 %', () => {
    const q = bucketFromKey('2024-Q2', ROME)
    const orders = [
      ...ids('retained', 700).map((id) => order(id, q.start - 30 * DAY)),
      // last order 360 days before the start: active at the start, lapsed before the end
      ...ids('lost', 300).map((id) => order(id, q.start - 360 * DAY)),
      ...ids('new', 200).map((id) => order(id, q.start + 10 * DAY)),
    ]
    const result = periodCustomers({ orders }, q)
    expect(result.counts).toMatchObject({
      S: 1000,
      E: 900,
      N: 200,
      N_end: 200,
      retained: 700,
      lost: 300,
    })
    expect(result.crr.value).toBe(0.7)
    expect(result.churnRateInverse.value).toBe(0.3)
    expect(result.churnRate.value).toBe(0.3)
    expect(result.explanation.differs).toBe(false)
  })

  it('#1 with 50 reactivated customers: CRR stays 70 %, exact retention is 65 %, and says why', () => {
    const q = bucketFromKey('2024-Q2', ROME)
    const orders = [
      ...ids('retained', 650).map((id) => order(id, q.start - 30 * DAY)),
      ...ids('lost', 350).map((id) => order(id, q.start - 360 * DAY)),
      ...ids('back', 50).flatMap((id) => [
        order(id, q.start - 800 * DAY),
        order(id, q.start + 20 * DAY),
      ]),
      ...ids('new', 200).map((id) => order(id, q.start + 10 * DAY)),
    ]
    const result = periodCustomers({ orders }, q)
    expect(result.counts).toMatchObject({
      S: 1000,
      E: 900,
      N: 200,
      retained: 650,
      reactivated: 50,
      lost: 350,
    })
    expect(result.crr.value).toBe(0.7)
    expect(result.churnRateInverse.value).toBe(0.3)
    expect(result.retentionRate.value).toBe(0.65)
    expect(result.churnRate.value).toBe(0.35)
    expect(result.explanation.en).toContain('50 reactivated customers')
  })

  it('#2 S = 70, 30 new, 10 lost, E = 90 → CRR = 85.71… % (86 % rounded)', () => {
    const april = bucketFromKey('2024-04', ROME)
    const orders = [
      ...ids('kept', 60).map((id) => order(id, april.start - 30 * DAY)),
      ...ids('lost', 10).map((id) => order(id, april.start - 364 * DAY)),
      ...ids('new', 30).map((id) => order(id, april.start + 5 * DAY)),
    ]
    const result = periodCustomers({ orders }, april)
    expect(result.counts).toMatchObject({ S: 70, E: 90, N: 30, lost: 10 })
    expect(result.crr.value).toBe(60 / 70)
    expect(Math.round((result.crr.value ?? 0) * 100)).toBe(86)
  })

  const monthWith50Lost = () => {
    const may = bucketFromKey('2024-05', ROME)
    const orders = [
      ...ids('kept', 950).map((id) => order(id, may.start - 30 * DAY)),
      ...ids('lost', 50).map((id) => order(id, may.start - 350 * DAY)),
    ]
    return periodCustomers({ orders }, may)
  }

  it('#3 1000 customers at the start of the month, 50 lost → churn = 5 %', () => {
    const result = monthWith50Lost()
    expect(result.counts).toMatchObject({ S: 1000, lost: 50 })
    expect(result.churnRate.value).toBe(0.05)
  })

  it('#4 50 per purchase, 4 purchases a year, 5 years → CLV = 1000 (100 000 cents)', () => {
    const year = bucketFromKey('2024', ROME)
    const orders = [
      // 8 customers active at the start who buy 4 times in the year at 50.00
      ...ids('loyal', 8).flatMap((id) => [
        order(id, year.start - 20 * DAY, 5000),
        ...[1, 2, 3, 4].map((q) => order(id, year.start + q * 80 * DAY, 5000)),
      ]),
      // 2 customers active at the start who lapse during the year: annual churn 2 / 10 = 20 %
      ...ids('lapsing', 2).map((id) => order(id, year.start - 200 * DAY, 5000)),
    ]
    const result = clvFromHistory({ orders }, year, { periodsPerYear: 1 })
    expect(result.averagePurchaseValue.value).toBe(5000)
    expect(result.purchaseFrequencyPerYear.value).toBe(4)
    expect(result.annualChurnRate?.value).toBe(0.2)
    expect(result.averageLifespan?.value).toBe(5)
    expect(result.clv.value).toBe(100_000)
  })

  it('#5 200 of 1000 customers purchased more than once → repeat purchase rate = 20 %', () => {
    const june = bucketFromKey('2024-06', ROME)
    const orders = [
      ...ids('twice', 100).flatMap((id) => [
        order(id, june.start + DAY),
        order(id, june.start + 9 * DAY),
      ]),
      // their first purchase was last year: 2 lifetime orders
      ...ids('before', 100).flatMap((id) => [
        order(id, june.start - 300 * DAY),
        order(id, june.start + DAY),
      ]),
      ...ids('once', 800).map((id) => order(id, june.start + 2 * DAY)),
      // a second order after the period does not count
      ...ids('once', 5).map((id) => order(id, june.end + DAY)),
    ]
    const result = periodOrders(orders, june)
    expect(result.orderingCustomers).toBe(1000)
    expect(result.repeatCustomers).toBe(200)
    expect(result.repeatPurchaseRate.value).toBe(0.2)
  })

  it('#6 70 % promoters, 10 % detractors → NPS = 60', () => {
    const at = '2024-06-10T10:00:00Z'
    const scores = [
      ...Array<number>(40).fill(10),
      ...Array<number>(30).fill(9),
      ...Array<number>(12).fill(8),
      ...Array<number>(8).fill(7),
      ...Array<number>(6).fill(6),
      ...Array<number>(4).fill(0),
    ]
    const answers: SurveyAnswerInput[] = scores.map((score) => ({ at, score }))
    const result = npsFromAnswers(answers, bucketFromKey('2024-06', ROME))
    expect(result.inputs).toEqual({ promoters: 70, passives: 20, detractors: 10 })
    expect(result.value).toBe(60)
  })

  it('#7 400 of 500 answers satisfied → CSAT = 80 %', () => {
    const at = '2024-06-10T10:00:00Z'
    const scores = [
      ...Array<number>(250).fill(5),
      ...Array<number>(150).fill(4),
      ...Array<number>(100).fill(3),
    ]
    const result = csatFromAnswers(scores.map((score) => ({ at, score })))
    expect(result.csat.inputs).toEqual({ satisfied: 400, answers: 500 })
    expect(result.csat.value).toBe(0.8)
  })

  it('#8 100 customers paying 50 a month → MRR = 5000 (500 000 cents)', () => {
    const subscriptions: SubscriptionInput[] = [
      ...ids('monthly', 60).map((customerId) => ({
        customerId,
        startedAt: '2024-01-15T09:00:00Z',
        amount: 5000,
      })),
      // annual plans at 600.00 a year are 50.00 a month
      ...ids('annual', 40).map((customerId) => ({
        customerId,
        startedAt: '2024-02-01T09:00:00Z',
        amount: 60_000,
        interval: 'year' as const,
      })),
    ]
    const snapshot = mrrAsOf(subscriptions, bucketFromKey('2024-06', ROME).end)
    expect(snapshot.payingCustomers).toBe(100)
    expect(snapshot.arpc.value).toBe(5000)
    expect(snapshot.mrr).toBe(500_000)
    expect(mrrFromArpc({ payingCustomers: 100, arpc: 5000 }).value).toBe(500_000)
  })

  it('#9 churn rate 5 % → retention rate = 95 %', () => {
    const result = monthWith50Lost()
    expect(result.retentionRate.value).toBe(0.95)
    expect(retentionRate({ churnRate: result.churnRate.value ?? NaN }).value).toBe(0.95)
  })
})
