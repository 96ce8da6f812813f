import { generateDemoArrays } from '@fedele/core/demo'
import {
  bucketFromKey,
  cesFromAnswers,
  cohortTable,
  csatFromAnswers,
  enpsFromAnswers,
  lifecycle,
  npsFromAnswers,
  observedLifespan,
  serviceFigures,
  ltvFromSubscriptions,
  mrrAsOf,
  mrrMovements,
  periodCustomers,
  periodOrders,
  shiftBucket,
  type ActivitySource,
} from '@fedele/core/metrics'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closeMetricsReplica } from '../../src/analytics/metrics/index.ts'
import { updateWorkspace } from '../../src/repositories/workspace.repository.ts'
import { DIALECTS } from '../databases.ts'
import { startTestApp, type TestApp } from '../harness.ts'
import { drillAll, getJson } from './api.ts'
import { loadRecords, referenceOrders, referenceSubscriptions } from './load.ts'

const ZONE = 'Europe/Rome'
const NOW = '2026-06-01T00:00:00Z'
const demo = generateDemoArrays({ seed: 4, now: NOW, customers: 300 })
const iso = (ms: number) => new Date(ms).toISOString()
const q = (key: string) => {
  const b = bucketFromKey(key, ZONE)
  return `from=${iso(b.start)}&to=${iso(b.end)}`
}

describe.each(DIALECTS)('DuckDB metrics equal the core reference on demo data (%s)', (kind) => {
  let t: TestApp
  let read: Record<string, string>
  beforeAll(async () => {
    t = await startTestApp(kind, { FEDELE_ANALYTICS_PATH: ':memory:' })
    read = await t.apiKey(['read'])
    await loadRecords(t.db.db, demo)
  }, 120_000)
  afterAll(async () => {
    await closeMetricsReplica(t.ctx.database)
    await t.close()
  })

  it('business model subscriptions: period customers, cohorts and lifecycle from subscriptions only', async () => {
    await updateWorkspace(t.db.db, { business_model: 'subscriptions' })
    try {
      const source: ActivitySource = {
        subscriptions: referenceSubscriptions(
          demo.subscriptions,
          demo.subscription_changes,
        ),
      }
      for (const key of ['2025-Q1', '2025-Q3', '2026-02']) {
        const { status, body } = await getJson(t, `/api/metrics/kpis?${q(key)}&compare=false`, read)
        expect(status, JSON.stringify(body)).toBe(200)
        expect(body.period.counts, key).toEqual(
          periodCustomers(source, bucketFromKey(key, ZONE)).counts,
        )
      }
      const asOf = Date.parse(NOW)
      const { body } = await getJson(
        t,
        `/api/metrics/cohorts?grain=quarter&as_of=${iso(asOf)}`,
        read,
      )
      const ref = cohortTable(source, { grain: 'quarter', timeZone: ZONE, asOf })
      expect(
        body.cohorts.map((c: any) => [c.key, c.size, c.cells.map((x: any) => x.active)]),
      ).toEqual(ref.map((c) => [c.key, c.size, c.cells.map((x) => x.active)]))
      const life = await getJson(
        t,
        `/api/metrics/lifecycle?${q('2025-Q3')}&granularity=month`,
        read,
      )
      for (const p of life.body.periods) {
        expect(p.counts, p.key).toEqual(
          lifecycle(source, bucketFromKey(p.key, ZONE), shiftBucket(p.key, -1, ZONE)).counts,
        )
      }
    } finally {
      await updateWorkspace(t.db.db, { business_model: 'orders' })
    }
  })

  for (const model of ['orders', 'both'] as const) {
    describe(`business model ${model}`, () => {
      let source: ActivitySource
      beforeAll(async () => {
        await updateWorkspace(t.db.db, { business_model: model })
        source = {
          orders: referenceOrders(demo.orders),
          ...(model === 'both'
            ? { subscriptions: referenceSubscriptions(demo.subscriptions) }
            : {}),
        }
      })

      it('period customers, CRR, churn and order figures per quarter and month', async () => {
        const keys = [
          '2024-Q4',
          '2025-Q1',
          '2025-Q2',
          '2025-Q3',
          '2025-Q4',
          '2026-Q1',
          '2025-07',
          '2026-03',
          '2025-W14',
        ]
        for (const key of keys) {
          const b = bucketFromKey(key, ZONE)
          const { status, body } = await getJson(
            t,
            `/api/metrics/kpis?${q(key)}&compare=false`,
            read,
          )
          expect(status, JSON.stringify(body)).toBe(200)
          const ref = periodCustomers(source, b)
          expect(body.period.counts, key).toEqual(ref.counts)
          expect(body.period.metrics.crr.value).toBe(ref.crr.value)
          expect(body.period.metrics.churn_rate.value).toBe(ref.churnRate.value)
          expect(body.period.metrics.retention_rate.value).toBe(ref.retentionRate.value)
          expect(body.period.explanation.en).toBe(ref.explanation.en)
          const orders = periodOrders(source.orders ?? [], b)
          expect(body.period.orders).toEqual({
            revenue: orders.revenue,
            orders: orders.orders,
            customerOrders: orders.customerOrders,
            orderingCustomers: orders.orderingCustomers,
            repeatCustomers: orders.repeatCustomers,
          })
          expect(body.period.metrics.aov.value).toBe(orders.aov.value)
          expect(body.period.metrics.repeat_purchase_rate.value).toBe(
            orders.repeatPurchaseRate.value,
          )
          const observed = observedLifespan(source, b.end)
          expect(body.period.metrics.observed_lifespan.value).toBe(observed.value)
          expect(body.period.metrics.observed_lifespan.inputs).toEqual(observed.inputs)
          expect(body.period.metrics.crr.formula).toBe('CRR = (E − N) / S × 100')
        }
      })

      it('MRR, ARPC, movements, GRR, NRR, logo and revenue churn, LTV', async () => {
        const subs = referenceSubscriptions(
          demo.subscriptions,
          demo.subscription_changes,
        )
        let moved = 0
        for (const key of ['2025-01', '2025-06', '2025-Q3', '2025', '2026-03']) {
          const b = bucketFromKey(key, ZONE)
          const { status, body } = await getJson(
            t,
            `/api/metrics/kpis?${q(key)}&compare=false`,
            read,
          )
          expect(status, JSON.stringify(body)).toBe(200)
          const ref = mrrMovements(subs, b)
          const m = body.period.metrics
          expect(m.mrr.value, key).toBe(mrrAsOf(subs, b.end).mrr)
          expect(body.period.subscriptions.startMrr).toBe(ref.startMrr)
          expect(m.arpc.value).toBe(mrrAsOf(subs, b.end).arpc.value)
          expect({
            new: m.mrr_new.value,
            expansion: m.mrr_expansion.value,
            contraction: m.mrr_contraction.value,
            churn: m.mrr_churn.value,
            reactivation: m.mrr_reactivation.value,
          }).toEqual(ref.totals)
          expect(m.grr.value).toBe(ref.grr.value)
          expect(m.nrr.value).toBe(ref.nrr.value)
          expect(m.logo_churn.value).toBe(ref.logoChurn.value)
          expect(m.revenue_churn.value).toBe(ref.revenueChurn.value)
          const months = key.length === 7 && !key.includes('Q') ? [b] : []
          if (months.length) expect(m.ltv.value).toBe(ltvFromSubscriptions(subs, months).ltv.value)
          moved += Object.values(ref.totals).reduce((a, x) => a + x, 0)
        }
        expect(moved).toBeGreaterThan(0)
        // Drill-down: the customers behind each movement of a year.
        const year = mrrMovements(subs, bucketFromKey('2025', ZONE))
        for (const kind of ['new', 'expansion', 'contraction', 'churn', 'reactivation'] as const) {
          expect(await drillAll(t, read, `${q('2025')}&input=mrr_${kind}`), kind).toEqual(
            year.customers
              .filter((c) => c.kind === kind)
              .map((c) => String(c.customerId))
              .sort(),
          )
        }
      })

      it('NPS, eNPS, CSAT, CES and customer service equal the reference', async () => {
        const answers = (kind: string) =>
          (demo.survey_answers as any[])
            .filter((a) => a.kind === kind)
            .map((a) => ({ customerId: a.customer_external_id, at: a.answered_at, score: a.score }))
        const tickets = (demo.tickets as any[]).map((x) => ({
          customerId: x.customer_external_id,
          channel: x.channel,
          openedAt: x.opened_at,
          firstResponseAt: x.first_response_at,
          resolvedAt: x.resolved_at,
          satisfaction: x.satisfaction,
        }))
        let seen = 0
        for (const key of ['2025-Q1', '2025-Q3', '2025', '2026-05']) {
          const b = bucketFromKey(key, ZONE)
          const { body } = await getJson(t, `/api/metrics/kpis?${q(key)}&compare=false`, read)
          expect(body.feedback.nps.value, key).toBe(npsFromAnswers(answers('nps'), b).value)
          expect(body.feedback.enps.value).toBe(
            enpsFromAnswers(answers('enps'), b, { min: 0, max: 10 }).value,
          )
          expect(body.feedback.csat.value).toBe(csatFromAnswers(answers('csat'), b).csat.value)
          expect(body.feedback.ces.value).toBe(cesFromAnswers(answers('ces'), b).value)
          const ref = serviceFigures(tickets, b)
          expect(body.service.open).toBe(ref.open.count)
          expect(body.service.overdue).toBe(ref.overdue.count)
          expect(body.service.median_first_response_ms.value).toBe(ref.medianFirstResponseMs.value)
          expect(body.service.median_resolution_ms.value).toBe(ref.medianResolutionMs.value)
          expect(
            body.service.satisfaction_by_channel.map((c: any) => [c.channel, c.csat.value]),
          ).toEqual(ref.satisfactionByChannel.map((c) => [c.channel, c.csat.value]))
          seen += body.feedback.nps.inputs.promoters + ref.open.count
        }
        expect(seen).toBeGreaterThan(0)
      })

      it('segments: country, order channel, category and acquisition channel narrow to the reference subset', async () => {
        const customers = demo.customers as any[]
        const lines = new Map<string, string[]>()
        for (const o of demo.orders as any[]) {
          lines.set(
            o.external_id,
            (o.lines ?? []).map((l: any) => l.category),
          )
        }
        const cases: [string, (c: any) => boolean][] = [
          ['country:IT', (c) => c.country === 'IT'],
          [
            'acquisition_channel:social|email',
            (c) => ['social', 'email'].includes(c.acquisition_channel),
          ],
          [
            'order_channel:store',
            (c) =>
              (demo.orders as any[]).some(
                (o) =>
                  o.customer_external_id === c.external_id &&
                  o.status === 'completed' &&
                  o.channel === 'store',
              ),
          ],
          [
            'category:casa;country:IT',
            (c) =>
              c.country === 'IT' &&
              (demo.orders as any[]).some(
                (o) =>
                  o.customer_external_id === c.external_id &&
                  o.status === 'completed' &&
                  (lines.get(o.external_id) ?? []).includes('casa'),
              ),
          ],
          ['attribute.gender:F', (c) => c.attributes?.gender === 'F'],
          [
            'plan:Club Annuale',
            (c) =>
              (demo.subscriptions as any[]).some(
                (x) => x.customer_external_id === c.external_id && x.plan === 'Club Annuale',
              ),
          ],
          [
            'cohort:2024-01-01T00:00:00Z/2025-01-01T00:00:00Z',
            (c) => {
              const firsts = (demo.orders as any[])
                .filter((o) => o.customer_external_id === c.external_id && o.status === 'completed')
                .map((o) => Date.parse(o.placed_at))
              const first = Math.min(...firsts)
              return (
                first >= Date.parse('2024-01-01T00:00:00Z') &&
                first < Date.parse('2025-01-01T00:00:00Z')
              )
            },
          ],
        ]
        const key = '2025-Q3'
        const b = bucketFromKey(key, ZONE)
        for (const [segment, keep] of cases) {
          const ids = new Set(customers.filter(keep).map((c) => c.external_id))
          expect(ids.size, segment).toBeGreaterThan(0)
          const sub: ActivitySource = {
            orders: (source.orders ?? []).filter(
              (o) => o.customerId !== null && ids.has(o.customerId as string),
            ),
            ...(source.subscriptions
              ? {
                  subscriptions: source.subscriptions.filter((s) =>
                    ids.has(s.customerId as string),
                  ),
                }
              : {}),
          }
          const { status, body } = await getJson(
            t,
            `/api/metrics/kpis?${q(key)}&compare=false&segment=${encodeURIComponent(segment)}`,
            read,
          )
          expect(status, JSON.stringify(body)).toBe(200)
          expect(body.period.counts, segment).toEqual(periodCustomers(sub, b).counts)
          expect(body.period.orders.revenue, segment).toBe(
            periodOrders(sub.orders ?? [], b).revenue,
          )
        }
      })

      it('drill-down lists exactly the reference customers (lost, reactivated, N, repeat)', async () => {
        const key = '2025-Q3'
        const ref = periodCustomers(source, bucketFromKey(key, ZONE))
        for (const input of ['lost', 'reactivated', 'N', 'retained'] as const) {
          const ids = await drillAll(t, read, `${q(key)}&input=${input}`)
          expect(ids, input).toEqual([...ref.customers[input]].map(String).sort())
        }
        const orders = periodOrders(source.orders ?? [], bucketFromKey(key, ZONE))
        expect(await drillAll(t, read, `${q(key)}&input=repeat`)).toEqual(
          [...orders.customers.repeat].map(String).sort(),
        )
        const csv = await getJson(t, `/api/metrics/drilldown?${q(key)}&input=lost&format=csv`, read)
        expect(csv.status).toBe(200)
        const lines = (csv.body as string).trim().split('\n')
        expect(lines[0]).toBe('customer_id,external_id')
        expect(
          lines
            .slice(1)
            .map((l) => l.split(',')[1])
            .sort(),
        ).toEqual([...ref.customers.lost].map(String).sort())
      })

      it('series of months equals the reference month by month', async () => {
        const from = bucketFromKey('2025-01', ZONE).start
        const to = bucketFromKey('2025-12', ZONE).end
        const { status, body } = await getJson(
          t,
          `/api/metrics/series?from=${iso(from)}&to=${iso(to)}&granularity=month&metric=crr,revenue,churn_rate`,
          read,
        )
        expect(status, JSON.stringify(body)).toBe(200)
        expect(body.points).toHaveLength(12)
        for (const point of body.points) {
          const b = bucketFromKey(point.key, ZONE)
          expect(point.metrics.crr.value).toBe(periodCustomers(source, b).crr.value)
          expect(point.metrics.revenue.value).toBe(periodOrders(source.orders ?? [], b).revenue)
        }
      })

      it('monthly and quarterly cohort tables equal cohortTable', async () => {
        for (const grain of ['month', 'quarter', 'week'] as const) {
          const asOf = Date.parse(NOW) - 86_400_000 * 10
          const { status, body } = await getJson(
            t,
            `/api/metrics/cohorts?grain=${grain}&mode=on_or_after&as_of=${iso(asOf)}`,
            read,
          )
          expect(status, JSON.stringify(body)).toBe(200)
          const ref = cohortTable(source, { grain, timeZone: ZONE, asOf })
          expect(body.cohorts.map((c: any) => [c.key, c.size])).toEqual(
            ref.map((c) => [c.key, c.size]),
          )
          for (const [i, cohort] of ref.entries()) {
            const got = body.cohorts[i]
            expect(
              got.cells.map((c: any) => [
                c.key,
                c.active,
                c.active_on_or_after,
                c.revenue,
                c.cumulative_revenue,
                c.complete,
              ]),
              `${grain} ${cohort.key}`,
            ).toEqual(
              cohort.cells.map((c) => [
                c.key,
                c.active,
                c.activeOnOrAfter,
                c.revenue,
                c.cumulativeRevenue,
                c.complete,
              ]),
            )
            expect(got.cells.map((c: any) => c.value)).toEqual(
              cohort.cells.map((c) => c.retentionOnOrAfter.value),
            )
          }
        }
      })

      it('cohort cell drill-down: members and the counts of each cell', async () => {
        const asOf = Date.parse(NOW) - 86_400_000 * 10
        const ref = cohortTable(source, { grain: 'month', timeZone: ZONE, asOf })
        const cohort = ref[Math.floor(ref.length / 2)]
        if (!cohort) throw new Error('no cohort')
        const base = `/api/metrics/cohorts/drilldown?cohort=${cohort.key}&as_of=${iso(asOf)}&page_size=1000`
        const members = await getJson(t, `${base}&mode=members`, read)
        expect(members.status, JSON.stringify(members.body)).toBe(200)
        expect(members.body.customers.map((c: any) => c.external_id).sort()).toEqual(
          [...cohort.customers].map(String).sort(),
        )
        for (const cell of cohort.cells.slice(0, 6)) {
          const on = await getJson(t, `${base}&offset=${cell.offset}&mode=on`, read)
          const after = await getJson(t, `${base}&offset=${cell.offset}&mode=on_or_after`, read)
          expect([on.body.total, after.body.total], cell.key).toEqual([
            cell.active,
            cell.activeOnOrAfter,
          ])
        }
        const fields = await getJson(t, '/api/metrics/segment-fields', read)
        expect(fields.body.fields.map((f: any) => f.field)).toContain('acquisition_channel')
      })

      it('lifecycle per month equals lifecycle()', async () => {
        const from = bucketFromKey('2025-01', ZONE).start
        const to = bucketFromKey('2025-06', ZONE).end
        const { status, body } = await getJson(
          t,
          `/api/metrics/lifecycle?from=${iso(from)}&to=${iso(to)}&granularity=month`,
          read,
        )
        expect(status, JSON.stringify(body)).toBe(200)
        for (const p of body.periods) {
          const b = bucketFromKey(p.key, ZONE)
          const prev = shiftBucket(p.key, -1, ZONE)
          const ref = lifecycle(source, b, prev)
          expect(p.counts, p.key).toEqual(ref.counts)
        }
        const ref = lifecycle(
          source,
          bucketFromKey('2025-03', ZONE),
          shiftBucket('2025-03', -1, ZONE),
        )
        expect(await drillAll(t, read, `${q('2025-03')}&input=lifecycle_resurrecting`)).toEqual(
          [...ref.customers.resurrecting].map(String).sort(),
        )
      })
    })
  }
})
