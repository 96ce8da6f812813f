import {
  calibrationCurve,
  describeChurnReasons,
  evaluateChurnPredictions,
  explainChurnRow,
  trainChurnModel,
  type CalibrationBin,
  type ChurnEvaluation,
  type ChurnModel,
  type DataRow,
} from '@fedele/core/churn'
import {
  assessFitData,
  bgnbdExpectedPurchases,
  bgnbdFit,
  bgnbdNextPurchaseTime,
  bgnbdProbabilityAlive,
  compressRfm,
  compressSpend,
  discountedClv,
  gammaGammaExpectedValue,
  gammaGammaFit,
  paretoNbdExpectedPurchases,
  paretoNbdFit,
  paretoNbdNextPurchaseTime,
  paretoNbdProbabilityAlive,
  type BgnbdParams,
  type FitDataIssue,
  type FitDataSummary,
  type GammaGammaParams,
  type ModelFit,
  type ParetoNbdParams,
  type RfmCustomer,
} from '@fedele/core/models'
import {
  churnFeatureRow,
  churnLabel,
  formulaClv,
  rfmOf,
  spendOf,
  UNIT_DAYS,
  valueTiers,
  type CustomerSummary,
  type ModelUnit,
  type ValueTier,
} from '@fedele/core/predictions'
import type { LabelledSummary } from './summaries.sql.ts'

/**
 * The models of the pipeline, on summaries already read from the replica: no I/O here, so the
 * bench times exactly this part. Customer-base model (BG/NBD or Pareto/NBD) + Gamma-Gamma on
 * compressed data, with assessFitData deciding between them and the formula CLV; the churn
 * logistic model trained and validated on time-split windows; per-customer scores and reasons.
 */

export type ClvModelKind = 'bgnbd' | 'pareto-nbd'

export type PipelineSettings = {
  unit: ModelUnit
  clvModel: ClvModelKind
  /** CLV horizon in days (default 365), discounted monthly (30-day periods). */
  clvHorizonDays: number
  /** Yearly discount rate (default 0.1), applied per 30-day period as (1+d)^(30/365) − 1. */
  annualDiscountRate: number
  /** Gross margin applied to CLV (1 = revenue). */
  margin: number
  /** Churn horizon in days (default 90). */
  churnHorizonDays: number
  /** Workspace activity window: a customer with an order within it counts as active. */
  activityWindowDays: number
}

export const DEFAULT_SETTINGS: Omit<PipelineSettings, 'activityWindowDays'> = {
  unit: 'day',
  clvModel: 'bgnbd',
  clvHorizonDays: 365,
  annualDiscountRate: 0.1,
  margin: 1,
  churnHorizonDays: 90,
}

type Fitted =
  | { kind: 'bgnbd'; fit: ModelFit<BgnbdParams> }
  | { kind: 'pareto-nbd'; fit: ModelFit<ParetoNbdParams> }

export type ClvFit =
  | {
      ok: true
      model: Fitted
      spend: ModelFit<GammaGammaParams>
      summary: FitDataSummary
      fitMs: number
    }
  | { ok: false; issues: FitDataIssue[]; summary: FitDataSummary | null }

/**
 * Fits the customer-base model and Gamma-Gamma at cut-off day `cutoffDay`, unless the data fail
 * assessFitData's thresholds or the fit does not converge to finite standard errors: then the
 * reasons, in words, for the formula fallback.
 */
export function fitClv(
  summaries: readonly CustomerSummary[],
  cutoffDay: number,
  settings: Pick<PipelineSettings, 'unit' | 'clvModel'>,
): ClvFit {
  const rfmRows: RfmCustomer[] = []
  const spendRows = []
  for (const s of summaries) {
    const rfm = rfmOf(s, cutoffDay, settings.unit)
    // A customer whose first order is on the cut-off day has not been observed yet (T = 0):
    // they carry no information for the fit, and the fitters reject T = 0. They are still scored.
    if (!rfm || !(rfm.T > 0)) continue
    rfmRows.push(rfm)
    spendRows.push(spendOf(s))
  }
  const rfm = compressRfm(rfmRows)
  const spend = compressSpend(spendRows)
  const assessed = assessFitData(rfm, { spend })
  if (!assessed.ok) return { ok: false, ...assessed.error }
  const t0 = performance.now()
  const model: Fitted =
    settings.clvModel === 'pareto-nbd'
      ? { kind: 'pareto-nbd', fit: paretoNbdFit(rfm) }
      : { kind: 'bgnbd', fit: bgnbdFit(rfm) }
  const spendFit = gammaGammaFit(spend)
  const fitMs = performance.now() - t0
  const issues: FitDataIssue[] = []
  for (const [name, fit] of [
    [model.kind === 'bgnbd' ? 'BG/NBD' : 'Pareto/NBD', model.fit],
    ['Gamma-Gamma', spendFit],
  ] as const) {
    const ses: number[] = Object.values(fit.standardErrors)
    if (!fit.converged || ses.some((v) => !Number.isFinite(v))) {
      issues.push({
        code: 'invalid-data',
        message: `The ${name} fit did not converge to a maximum with finite standard errors (${fit.reason}); its numbers would not be reliable.`,
      })
    }
  }
  if (spendFit.params.q <= 1) {
    issues.push({
      code: 'too-few-spend-customers',
      message: `The Gamma-Gamma fit gives q = ${spendFit.params.q.toFixed(3)} ≤ 1: the average order value has no finite mean under the model.`,
    })
  }
  if (issues.length > 0) return { ok: false, issues, summary: assessed.value }
  return { ok: true, model, spend: spendFit, summary: assessed.value, fitMs }
}

/** Per-customer customer-base quantities of a fitted model, cached by (x, t_x, T). */
export function customerBaseScorer(fit: Fitted) {
  const cache = new Map<string, { pAlive: number; ey: (t: number) => number; next: number }>()
  return (rfm: RfmCustomer) => {
    const key = `${rfm.x}|${rfm.tx}|${rfm.T}`
    let hit = cache.get(key)
    if (!hit) {
      const memo = new Map<number, number>()
      const ey = (t: number): number => {
        let v = memo.get(t)
        if (v === undefined) {
          v =
            fit.kind === 'bgnbd'
              ? bgnbdExpectedPurchases(fit.fit.params, rfm, t)
              : paretoNbdExpectedPurchases(fit.fit.params, rfm, t)
          memo.set(t, v)
        }
        return v
      }
      hit =
        fit.kind === 'bgnbd'
          ? {
              pAlive: bgnbdProbabilityAlive(fit.fit.params, rfm),
              ey,
              next: bgnbdNextPurchaseTime(fit.fit.params, rfm),
            }
          : {
              pAlive: paretoNbdProbabilityAlive(fit.fit.params, rfm),
              ey,
              next: paretoNbdNextPurchaseTime(fit.fit.params, rfm),
            }
      cache.set(key, hit)
    }
    return hit
  }
}

/** P(alive) per customer under a fit (null without orders or without a fit). */
export function pAliveOf(
  clv: ClvFit,
  summaries: readonly CustomerSummary[],
  cutoffDay: number,
  unit: ModelUnit,
) {
  const out = new Map<number, number>()
  if (!clv.ok) return out
  const score = customerBaseScorer(clv.model)
  for (const s of summaries) {
    const rfm = rfmOf(s, cutoffDay, unit)
    if (rfm) out.set(s.customerId, score(rfm).pAlive)
  }
  return out
}

export type HoldoutDiagnostics = {
  /** Customers with orders at the calibration cut-off. */
  customers: number
  horizonDays: number
  actualRepeatOrderDays: number
  predictedRepeatOrderDays: number
  /** (predicted − actual) / actual. */
  relativeError: number
  /** Actual vs predicted mean holdout order days by calibration repeat count (7 = 7+). */
  byFrequency: { x: number; customers: number; actual: number; predicted: number }[]
}

/**
 * Calibration vs holdout (Fader, Hardie & Lee 2005 §4): the model fitted at the training cut-off
 * predicts each customer's order days in the following `horizonDays`; compared with what they
 * did, in total and by calibration frequency.
 */
export function holdoutDiagnostics(
  clv: ClvFit,
  calibration: readonly CustomerSummary[],
  later: ReadonlyMap<number, CustomerSummary>,
  cutoffDay: number,
  unit: ModelUnit,
  horizonDays: number,
): HoldoutDiagnostics | null {
  if (!clv.ok) return null
  const score = customerBaseScorer(clv.model)
  const t = horizonDays / UNIT_DAYS[unit]
  const groups = Array.from({ length: 8 }, (_, x) => ({ x, customers: 0, actual: 0, predicted: 0 }))
  let actual = 0
  let predicted = 0
  let customers = 0
  for (const s of calibration) {
    const rfm = rfmOf(s, cutoffDay, unit)
    if (!rfm) continue
    const after = later.get(s.customerId)
    const a = after ? after.orderDays - s.orderDays : 0
    const p = score(rfm).ey(t)
    const g = groups[Math.min(rfm.x, 7)] as (typeof groups)[number]
    g.customers++
    g.actual += a
    g.predicted += p
    actual += a
    predicted += p
    customers++
  }
  return {
    customers,
    horizonDays,
    actualRepeatOrderDays: actual,
    predictedRepeatOrderDays: predicted,
    relativeError: actual > 0 ? (predicted - actual) / actual : NaN,
    byFrequency: groups
      .filter((g) => g.customers > 0)
      .map((g) => ({ ...g, actual: g.actual / g.customers, predicted: g.predicted / g.customers })),
  }
}

/** Training rows: customers active at the cut-off (ordered within the activity window or subscribed). */
export function churnRows(
  summaries: readonly LabelledSummary[],
  cutoffDay: number,
  pAlive: ReadonlyMap<number, number>,
  activityWindowDays: number,
): DataRow[] {
  const rows: DataRow[] = []
  for (const s of summaries) {
    const active =
      s.plan !== null || (s.lastDay !== null && cutoffDay - s.lastDay <= activityWindowDays)
    if (!active) continue
    rows.push({
      ...churnFeatureRow(s, cutoffDay, pAlive.get(s.customerId) ?? null),
      churned: churnLabel(s.orderedInWindow, s.subscribedAtWindowEnd),
    })
  }
  return rows
}

export const CHURN_TRAIN_OPTIONS = {
  idColumn: 'id',
  labelColumn: 'churned',
  categorical: ['plan'],
  calibration: 'platt',
} as const

export type ChurnTraining =
  | { ok: true; model: ChurnModel; trainMs: number }
  | { ok: false; reason: { it: string; en: string } }

export function trainChurn(rows: readonly DataRow[]): ChurnTraining {
  const t0 = performance.now()
  const trained = trainChurnModel(rows, CHURN_TRAIN_OPTIONS)
  if (!trained.ok) return { ok: false, reason: trained.error.message }
  return { ok: true, model: trained.value, trainMs: performance.now() - t0 }
}

export type ChurnValidation = ChurnEvaluation & { calibrationCurve: CalibrationBin[] }

/** Out-of-time validation: a model trained one window earlier scores the next window's rows. */
export function validateChurn(model: ChurnModel, rows: readonly DataRow[]): ChurnValidation | null {
  if (rows.length === 0) return null
  const p = new Float64Array(rows.length)
  const y = new Uint8Array(rows.length)
  rows.forEach((row, i) => {
    p[i] = explainChurnRow(model, row).probability
    y[i] = row.churned === 1 ? 1 : 0
  })
  return { ...evaluateChurnPredictions(p, y), calibrationCurve: calibrationCurve(p, y, 10) }
}

export type CustomerScore = {
  customerId: number
  pAlive: number | null
  expectedPurchases30: number | null
  expectedPurchases90: number | null
  expectedPurchases365: number | null
  expectedAovMinor: number | null
  clvMinor: number | null
  clvMethod: 'model' | 'formula' | null
  nextOrderAt: Date | null
  churnRisk: number | null
  churnReasons: { column: string; contribution: number; it: string; en: string }[]
  valueTier: ValueTier | null
}

/**
 * Scores every customer at `now`: customer-base quantities and CLV from the fitted models (or
 * the formula CLV when they could not be fitted), churn risk and its top three reasons.
 */
export function scoreCustomers(
  summaries: readonly CustomerSummary[],
  now: Date,
  clv: ClvFit,
  churn: ChurnModel | null,
  settings: PipelineSettings,
): CustomerScore[] {
  const nowDay = Math.floor(now.getTime() / 86_400_000)
  const u = UNIT_DAYS[settings.unit]
  const months = Math.max(1, Math.round(settings.clvHorizonDays / 30))
  const monthlyDiscount = (1 + settings.annualDiscountRate) ** (30 / 365) - 1
  const clvOptions = {
    periods: months,
    periodLength: 30 / u,
    discountRate: monthlyDiscount,
    margin: settings.margin,
  }
  const score = clv.ok ? customerBaseScorer(clv.model) : null
  const out: CustomerScore[] = summaries.map((s) => {
    const rfm = rfmOf(s, nowDay, settings.unit)
    const base: CustomerScore = {
      customerId: s.customerId,
      pAlive: null,
      expectedPurchases30: null,
      expectedPurchases90: null,
      expectedPurchases365: null,
      expectedAovMinor: null,
      clvMinor: null,
      clvMethod: null,
      nextOrderAt: null,
      churnRisk: null,
      churnReasons: [],
      valueTier: null,
    }
    if (rfm && score && clv.ok) {
      const q = score(rfm)
      const sp = spendOf(s)
      const aov = gammaGammaExpectedValue(clv.spend.params, sp.x, sp.m)
      base.pAlive = q.pAlive
      base.expectedPurchases30 = q.ey(30 / u)
      base.expectedPurchases90 = q.ey(90 / u)
      base.expectedPurchases365 = q.ey(365 / u)
      base.expectedAovMinor = Math.round(aov)
      base.clvMinor = Math.round(discountedClv(q.ey, aov, clvOptions))
      base.clvMethod = 'model'
      base.nextOrderAt = Number.isFinite(q.next)
        ? new Date(now.getTime() + q.next * u * 86_400_000)
        : null
    } else if (rfm) {
      base.expectedAovMinor = s.valuedDays > 0 ? Math.round(s.valueMinor / s.valuedDays) : null
      base.clvMinor = Math.round(
        formulaClv(s, nowDay, {
          horizonDays: settings.clvHorizonDays,
          activityWindowDays: settings.activityWindowDays,
          monthlyDiscountRate: monthlyDiscount,
          margin: settings.margin,
        }),
      )
      base.clvMethod = 'formula'
    }
    if (churn) {
      const explanation = explainChurnRow(churn, churnFeatureRow(s, nowDay, base.pAlive))
      base.churnRisk = explanation.probability
      base.churnReasons = describeChurnReasons(explanation).map((r) => ({
        column: r.column,
        contribution: r.contribution,
        it: r.text.it,
        en: r.text.en,
      }))
    }
    return base
  })
  const tiers = valueTiers(out.map((c) => c.clvMinor))
  out.forEach((c, i) => (c.valueTier = tiers[i] ?? null))
  return out
}
