import { describeChurnReasons, explainChurnRow } from '@fedele/core/churn'
import {
  bgnbdClv,
  bgnbdExpectedPurchases,
  bgnbdFit,
  compressRfm,
  compressSpend,
  gammaGammaFit,
} from '@fedele/core/models'
import { churnFeatureRow, rfmOf, spendOf } from '@fedele/core/predictions'
import { describe, expect, it } from 'vitest'
import { synthetic } from '../../../../bench/predictions.ts'
import {
  churnRows,
  DEFAULT_SETTINGS,
  fitClv,
  pAliveOf,
  renderChurnReasons,
  sortPackedKeys,
  trainChurn,
} from '../../src/predictions/models.ts'
import { churnExplainer, scoreCustomers } from '../../src/predictions/scoring.ts'

/** The fast paths of scoring against the core reference functions, on synthetic BG/NBD data. */
const NOW = 20_000
const settings = { ...DEFAULT_SETTINGS, activityWindowDays: 365 }
const summaries = synthetic(6_000, 21, NOW)
const clv = fitClv(summaries, NOW, settings)

describe('scoring fast paths', () => {
  it('bulk churn reasons equal explainChurnRow + describeChurnReasons row by row', () => {
    const rows = churnRows(summaries, NOW, pAliveOf(clv, summaries, NOW, 'day'), 365)
    const trained = trainChurn(rows)
    if (!trained.ok) throw new Error(trained.reason.en)
    const sample = rows.slice(0, 800)
    const fast = churnExplainer(trained.model)(sample)
    sample.forEach((row, i) => {
      const e = explainChurnRow(trained.model, row)
      const want = describeChurnReasons(e).map((r) => ({
        column: r.column,
        contribution: r.contribution,
        it: r.text.it,
        en: r.text.en,
      }))
      expect(fast[i]?.probability).toBeCloseTo(e.probability, 12)
      const got = renderChurnReasons(JSON.parse(fast[i]!.reasons))
      expect(got.map((r) => [r.column, r.it, r.en])).toEqual(
        want.map((r) => [r.column, r.it, r.en]),
      )
      got.forEach((r, k) => expect(r.contribution).toBeCloseTo(want[k]!.contribution, 5))
    })
    // Some rows have reasons, including recency phrased with the usual gap (a context cell).
    const rendered = sample.map((_, i) => renderChurnReasons(JSON.parse(fast[i]!.reasons)))
    expect(rendered.filter((r) => r.length > 0).length).toBeGreaterThan(sample.length / 2)
    expect(rendered.flat().some((r) => /usually every/.test(r.en))).toBe(true)
  })

  it("scoring with a churn model gives every customer explainChurnRow's risk and reasons, across slices", () => {
    // More customers than one slice of the reason texts (SCORE_SLICE = 20,000).
    const many = synthetic(45_000, 23, NOW)
    const fit = fitClv(many, NOW, settings)
    const trained = trainChurn(churnRows(summaries, NOW, pAliveOf(clv, summaries, NOW, 'day'), 365))
    if (!trained.ok || !fit.ok) throw new Error('fit failed')
    const scores = scoreCustomers(many, new Date(NOW * 86_400_000), fit, trained.model, settings)
    expect(scores).toHaveLength(many.length)
    const checked = [0, 1, 19_999, 20_000, 20_001, 39_999, 40_000, 44_999]
    for (let i = 0; i < many.length; i += 997) checked.push(i)
    let withReasons = 0
    for (const i of checked) {
      const s = many[i]!
      const score = scores[i]!
      expect(score.customerId).toBe(s.customerId)
      const e = explainChurnRow(trained.model, churnFeatureRow(s, NOW, score.pAlive))
      expect(score.churnRisk).toBeCloseTo(e.probability, 12)
      const want = describeChurnReasons(e).map((r) => [r.column, r.text.it, r.text.en])
      const got = renderChurnReasons(JSON.parse(score.churnReasons))
      expect(got.map((r) => [r.column, r.it, r.en])).toEqual(want)
      if (got.length > 0) withReasons++
      expect(['platinum', 'gold', 'silver', 'standard']).toContain(score.valueTier)
    }
    expect(withReasons).toBeGreaterThan(checked.length / 2)
  })

  it('stores reasons with non-ASCII cells intact, in every slice', () => {
    // A categorical column with an accented, non-BMP level that drives the risk.
    const rows = Array.from({ length: 25_000 }, (_, i) => ({
      id: String(i),
      plan: i % 3 === 0 ? 'Caffè ☕ 𝄞' : i % 3 === 1 ? 'base' : 'pro',
      spend: (i * 7919) % 1000,
      churned: i % 3 === 0 ? (i % 5 === 0 ? 0 : 1) : i % 7 === 0 ? 1 : 0,
    }))
    const trained = trainChurn(rows)
    if (!trained.ok) throw new Error(trained.reason.en)
    const explained = churnExplainer(trained.model)(rows)
    let accented = 0
    explained.forEach((x, i) => {
      const stored = JSON.parse(x.reasons) as { top: [string, string, number, unknown][] }
      for (const [column, , , cell] of stored.top)
        if (column === 'plan') {
          expect(cell).toBe(rows[i]!.plan)
          if (cell === 'Caffè ☕ 𝄞') accented++
        }
    })
    expect(accented).toBeGreaterThan(1000)
  })

  it('renders reasons stored as sentences (before the compact form) as they are', () => {
    const old = [{ column: 'recency_days', contribution: 0.7, it: 'x', en: 'y' }]
    expect(renderChurnReasons(old)).toEqual(old)
    expect(renderChurnReasons(null)).toEqual([])
  })

  it('E[Y] and CLV on the weekly T grid stay within 0.5 % of the exact per-customer values', () => {
    if (!clv.ok || clv.model.kind !== 'bgnbd') throw new Error('fit failed')
    const params = clv.model.fit.params
    const scores = scoreCustomers(summaries, new Date(NOW * 86_400_000), clv, null, settings)
    const monthly = 1.1 ** (30 / 365) - 1
    let worst = 0
    scores.slice(0, 1500).forEach((sc, i) => {
      const rfm = rfmOf(summaries[i]!, NOW, 'day')!
      const e90 = bgnbdExpectedPurchases(params, rfm, 90)
      const clvExact = bgnbdClv(params, rfm, 1, {
        periods: 12,
        periodLength: 30,
        discountRate: monthly,
      })
      if (e90 > 1e-3)
        worst = Math.max(worst, Math.abs((sc.expectedPurchases90 as number) / e90 - 1))
      const ratio = (sc.clvMinor as number) / ((sc.expectedAovMinor as number) * clvExact)
      if (clvExact > 1e-2 && (sc.clvMinor as number) > 100)
        worst = Math.max(worst, Math.abs(ratio - 1))
    })
    expect(worst).toBeLessThan(0.005)
    // The reasons of a customer use the same feature row as training.
    expect(churnFeatureRow(summaries[0]!, NOW, 0.5).p_alive).toBe(0.5)
  })

  it('stores no expected next order beyond ten years (a long-lapsed customer)', () => {
    const lapsed = {
      ...summaries[0]!,
      customerId: -1,
      firstDay: NOW - 6000,
      lastDay: NOW - 5900,
      orderDays: 6,
    }
    const [score] = scoreCustomers([lapsed], new Date(NOW * 86_400_000), clv, null, settings)
    expect(score!.pAlive).toBeLessThan(0.01)
    expect(score!.nextOrderAt).toBeNull()
    const now = NOW * 86_400_000
    for (const sc of scoreCustomers(summaries.slice(0, 500), new Date(now), clv, null, settings))
      if (sc.nextOrderAt)
        expect(sc.nextOrderAt.getTime() - now).toBeLessThanOrEqual(3650 * 86_400_000)
  })

  it('beyond 20,000 distinct tuples the fit rounds times to weeks and still recovers the truth', () => {
    const many = synthetic(60_000, 31, NOW)
    const fit = fitClv(many, NOW, settings)
    if (!fit.ok || fit.model.kind !== 'bgnbd') throw new Error('fit failed')
    expect(fit.summary).toMatchObject({ fitResolutionDays: 7 })
    const truth = { r: 0.25, alpha: 40, a: 0.8, b: 2.6 }
    for (const [name, want] of Object.entries(truth)) {
      const key = name as keyof typeof truth
      const est = fit.model.fit.params[key]
      const se = fit.model.fit.standardErrors[key]
      expect(Math.abs(est - want) / se, `${name} ${est} ± ${se}`).toBeLessThan(3)
    }
  })

  it('beyond 20,000 distinct mean order values Gamma-Gamma fits them to 3 significant digits, within 0.2 SE of the exact fit', () => {
    const many = synthetic(60_000, 31, NOW)
    const fit = fitClv(many, NOW, settings)
    if (!fit.ok) throw new Error('fit failed')
    expect(fit.summary).toMatchObject({ spendSignificantDigits: 3 })
    const summary = fit.summary as unknown as { distinctSpendTuples: number }
    expect(summary.distinctSpendTuples).toBeLessThan(20_000)
    const exact = gammaGammaFit(compressSpend(many.map((s) => spendOf(s)).filter((s) => s.x > 0)))
    expect(fit.spend.customers).toBe(exact.customers)
    for (const name of ['p', 'q', 'gamma'] as const) {
      const se = exact.standardErrors[name]
      const diff = Math.abs(fit.spend.params[name] - exact.params[name])
      expect(
        diff / se,
        `${name} ${fit.spend.params[name]} vs ${exact.params[name]} ± ${se}`,
      ).toBeLessThan(0.2)
    }
  })

  it('sorts packed keys as Float64Array sort does, at every magnitude', () => {
    let seed = 7
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648
    for (const bits of [14, 31, 36, 48, 53]) {
      const keys = Float64Array.from({ length: 120_000 }, (_, i) =>
        i % 10 === 0
          ? 5
          : Math.floor(next() * 2 ** Math.min(bits, 30)) * 2 ** Math.max(0, bits - 30),
      )
      keys[1] = 0
      keys[2] = 2 ** bits - 1
      const want = keys.slice().sort()
      sortPackedKeys(keys)
      // The first difference, not the arrays (a diff of 120,000 numbers takes minutes).
      const at = keys.findIndex((k, i) => k !== want[i])
      expect(at, `${bits} bits: ${keys[at]} ≠ ${want[at]}`).toBe(-1)
    }
  })

  it('the packed compression gives the same fit as core compressRfm / compressSpend', () => {
    if (!clv.ok || clv.model.kind !== 'bgnbd') throw new Error('fit failed')
    const rows = summaries
      .map((s) => rfmOf(s, NOW, 'day'))
      .filter((r): r is NonNullable<typeof r> => r !== null && r.T > 0)
    const reference = bgnbdFit(compressRfm(rows))
    expect(clv.model.fit.logLikelihood).toBeCloseTo(reference.logLikelihood, 6)
    const spend = gammaGammaFit(compressSpend(summaries.map((s) => spendOf(s))))
    expect(clv.spend.logLikelihood).toBeCloseTo(spend.logLikelihood, 6)
  })
})
