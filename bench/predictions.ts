import { readFileSync } from 'node:fs'
import { createPrng, type Prng } from '@fedele/core/churn'
import {
  bgnbdFit,
  compressRfm,
  compressSpend,
  gammaGammaFit,
  paretoNbdFit,
  type RfmCustomer,
  type SpendCustomer,
} from '@fedele/core/models'
import type { CustomerSummary } from '@fedele/core/predictions'
import {
  churnRows,
  DEFAULT_SETTINGS,
  fitClv,
  pAliveOf,
  trainChurn,
} from '../packages/server/src/predictions/models.ts'
import { scoreColumns } from '../packages/server/src/predictions/scoring.ts'
import type { LabelledSummary } from '../packages/server/src/predictions/summaries.sql.ts'
import { measure } from './lib.ts'

/**
 * Issue 5's figures: fit time of BG/NBD + Gamma-Gamma and of Pareto/NBD on CDNOW (2,357
 * customers, weeks), 100k and 1M synthetic customers (compression included: it is part of every
 * fit); scoring 1M customers (the model part of the pipeline: P(alive), E[Y] at 30/90/365 days,
 * CLV, next order, churn risk with reasons, tiers); churn training (logistic + Platt calibration
 * with 5 inner folds) on 100k customers. Aims: ≤ 50 ms / 300 ms / 1 s, ≤ 5 s, ≤ 10 s.
 *
 * Synthetic customers follow the demo's processes (BG/NBD r 0.25, α 40 per day, a 0.8, b 2.6;
 * Gamma-Gamma p 6, q 4, γ 3750 cents), observed 30–1,095 days, with a 90-day outcome window.
 */

const CDNOW = new URL(
  '../../shared/data/cdnow/cdnow_customers_summary_with_transactions.csv',
  import.meta.url,
)

function gamma(rng: Prng, shape: number, rate: number): number {
  if (shape < 1) return gamma(rng, shape + 1, rate) * rng.next() ** (1 / shape)
  const d = shape - 1 / 3
  const c = 1 / Math.sqrt(9 * d)
  for (;;) {
    const u1 = 1 - rng.next()
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rng.next())
    const v = (1 + c * z) ** 3
    if (v <= 0) continue
    if (Math.log(rng.next()) < 0.5 * z * z + d - d * v + d * Math.log(v)) return (d * v) / rate
  }
}

/** One synthetic business: summaries at the cut-off day `now`, with the 90-day outcome. */
export function synthetic(n: number, seed: number, now = 20_000): LabelledSummary[] {
  const rng = createPrng(seed)
  const out: LabelledSummary[] = []
  for (let i = 0; i < n; i++) {
    const T = 30 + Math.floor(rng.next() * 1065)
    const lambda = gamma(rng, 0.25, 40)
    const ga = gamma(rng, 0.8, 1)
    const p = ga / (ga + gamma(rng, 2.6, 1))
    const nu = gamma(rng, 4, 3750)
    const days = [0]
    let t = 0
    let alive = true
    for (;;) {
      t += -Math.log(1 - rng.next()) / lambda
      if (t > T + 90) break
      if (t <= T) days.push(Math.floor(t))
      else break
      if (rng.next() < p) {
        alive = false
        break
      }
    }
    const orderedInWindow = alive && t > T && t <= T + 90
    const uniq = [...new Set(days)]
    const first = now - T
    const values = uniq.map(() => Math.round(gamma(rng, 6, nu)))
    const gaps = uniq.slice(1).map((d, k) => d - (uniq[k] as number))
    const sorted = [...gaps].sort((a, b) => a - b)
    const total = values.reduce((s, v) => s + v, 0)
    const recent = uniq.reduce((s, d, k) => s + (T - d <= 90 ? (values[k] as number) : 0), 0)
    const previous = uniq.reduce(
      (s, d, k) => s + (T - d > 90 && T - d <= 180 ? (values[k] as number) : 0),
      0,
    )
    out.push({
      customerId: i + 1,
      orderDays: uniq.length,
      firstDay: first,
      lastDay: first + (uniq[uniq.length - 1] as number),
      valueMinor: total,
      valuedDays: uniq.length,
      repeatValueMinor: total - (values[0] as number),
      repeatValuedDays: uniq.length - 1,
      medianGapDays: sorted.length ? (sorted[Math.floor((sorted.length - 1) / 2)] as number) : null,
      lastGapDays: gaps.length ? (gaps[gaps.length - 1] as number) : null,
      earlierMeanGapDays:
        gaps.length > 1 ? gaps.slice(0, -1).reduce((s, g) => s + g, 0) / (gaps.length - 1) : null,
      spendRecentMinor: recent,
      spendPreviousMinor: previous,
      tickets: Math.floor(-Math.log(1 - rng.next()) * 0.5),
      unresolvedTickets: rng.next() < 0.05 ? 1 : 0,
      lastNps: rng.next() < 0.3 ? Math.floor(rng.next() * 11) : null,
      lastCsat: null,
      plan: null,
      planChanges: 0,
      orderedInWindow,
      subscribedAtWindowEnd: false,
    })
  }
  return out
}

function rfmAndSpend(summaries: readonly CustomerSummary[], now: number) {
  const rfm: RfmCustomer[] = []
  const spend: SpendCustomer[] = []
  for (const s of summaries) {
    const first = s.firstDay as number
    rfm.push({ x: s.orderDays - 1, tx: (s.lastDay as number) - first, T: now - first })
    spend.push(
      s.repeatValuedDays > 0
        ? { x: s.repeatValuedDays, m: s.repeatValueMinor / s.repeatValuedDays }
        : { x: 0, m: 0 },
    )
  }
  return { rfm, spend }
}

export async function run(): Promise<void> {
  const runs = Number(process.env.BENCH_RUNS ?? 5)
  const lines = readFileSync(CDNOW, 'utf8').trim().split('\n').slice(1)
  const cdnow = lines.map((l) => l.split(',').map(Number))
  const cdRfm = cdnow.map(([, x, tx, T]) => ({ x: x as number, tx: tx as number, T: T as number }))
  const cdSpend = cdnow.map(([, x, , , z]) => ({ x: x as number, m: z as number }))
  await measure(
    'CDNOW 2,357 customers: BG/NBD + Gamma-Gamma fit',
    () => {
      bgnbdFit(compressRfm(cdRfm))
      gammaGammaFit(compressSpend(cdSpend))
    },
    { runs },
  )
  await measure('CDNOW 2,357 customers: Pareto/NBD fit', () => paretoNbdFit(compressRfm(cdRfm)), {
    runs,
  })

  const NOW = 20_000
  for (const n of [100_000, 1_000_000]) {
    const summaries = synthetic(n, 7)
    const label = n.toLocaleString('en')
    const settings = { ...DEFAULT_SETTINGS, activityWindowDays: 365 }
    const described = fitClv(summaries, NOW, settings)
    if (!described.ok) throw new Error('bench: models did not fit')
    const summary = described.summary as unknown as Record<string, unknown>
    console.log(
      `  ${label} synthetic customers: fit on ${Number(summary.distinctTuples).toLocaleString('en')} distinct (x, t_x, T) at ${String(summary.fitResolutionDays)}-day resolution, ${Number(summary.distinctSpendTuples).toLocaleString('en')} distinct (x, m) (${summary.spendSignificantDigits ? `${Number(summary.spendSignificantDigits)} significant digits` : 'exact'})`,
    )
    // What the pipeline does for each cut-off: group the customers (packed keys, weeks and
    // 3-digit mean values above 20,000 distinct tuples), check the data, fit both models.
    await measure(
      `${label} customers: pipeline fitClv, BG/NBD + Gamma-Gamma`,
      () => fitClv(summaries, NOW, settings),
      { runs: Math.min(runs, 3), rows: n },
    )
    await measure(
      `${label} customers: pipeline fitClv, Pareto/NBD + Gamma-Gamma`,
      () => fitClv(summaries, NOW, { ...settings, clvModel: 'pareto-nbd' }),
      { runs: Math.min(runs, 3), rows: n },
    )
    // The customer-base fits alone on the same weekly tuples (core's compressRfm grouping them).
    const { rfm, spend } = rfmAndSpend(summaries, NOW)
    const weekly = compressRfm(
      rfm.map((c) => ({ x: c.x, tx: Math.round(c.tx / 7), T: Math.max(Math.round(c.T / 7), 1) })),
    )
    await measure(`${label} customers (weeks): BG/NBD fit alone`, () => bgnbdFit(weekly), {
      runs: Math.min(runs, 3),
    })
    await measure(`${label} customers (weeks): Pareto/NBD fit alone`, () => paretoNbdFit(weekly), {
      runs: Math.min(runs, 3),
    })
    if (n === 100_000) {
      const exactSpend = compressSpend(spend.filter((c) => c.x > 0))
      await measure(
        `${label} customers: Gamma-Gamma fit alone, exact means (${exactSpend.x.length.toLocaleString('en')} tuples)`,
        () => gammaGammaFit(exactSpend),
        { runs: Math.min(runs, 3) },
      )
      const rows = churnRows(summaries, NOW, pAliveOf(described, summaries, NOW, 'day'), 365)
      console.log(
        `  churn training rows (active at the cut-off): ${rows.length.toLocaleString('en')}`,
      )
      await measure(
        `${label} customers: churn training (logistic + Platt, 5 folds)`,
        () => {
          const trained = trainChurn(rows)
          if (!trained.ok) throw new Error(trained.reason.en)
        },
        { runs: Math.min(runs, 3), rows: rows.length },
      )
    } else {
      const small = synthetic(100_000, 8)
      const trained = trainChurn(
        churnRows(small, NOW, pAliveOf(fitClv(small, NOW, settings), small, NOW, 'day'), 365),
      )
      if (!trained.ok) throw new Error('bench: churn model did not train')
      const at = new Date(NOW * 86_400_000)
      await measure(
        `${label} customers: scoring (CLV, P(alive), churn risk + reasons, tiers)`,
        () => {
          scoreColumns(summaries, at, described, trained.model, settings)
        },
        { runs: Math.min(runs, 3), rows: n },
      )
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run()
