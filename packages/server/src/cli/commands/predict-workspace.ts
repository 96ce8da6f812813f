import { writeFile } from 'node:fs/promises'
import { z } from 'zod'
import { openAnalytics } from '../../analytics/open.ts'
import type { Database } from '../../db/database.ts'
import type { Env } from '../../config/env.ts'
import {
  distribution,
  recordReader,
  latestRuns,
  type RunRow,
} from '../../predictions/predictions.repository.ts'
import { refreshPredictions, type RefreshReport } from '../../predictions/predictions.service.ts'
import { escapeHtml } from '../../report/html.ts'
import { CliError, ZCommonOptions, loadEnv, output, parseOptions, withDatabase } from '../shared.ts'

/**
 * `fedele predict fit | score | report` on the workspace (predict.ts dispatches here when no
 * --transactions / --table is given). fit and score both run the whole pipeline of
 * predictions.service.ts, which fits, validates, stores the runs and scores every customer in
 * one transaction (scoring is a small part of its cost); they differ in what they print: fit the
 * parameters, score the counts. report prints the latest runs and, with --html, writes a
 * self-contained diagnostics page.
 */

const ZWorkspaceOptions = ZCommonOptions.extend({
  model: z.enum(['bgnbd', 'pareto', 'gg', 'bgnbd+gg', 'pareto+gg']).default('bgnbd'),
  unit: z.enum(['day', 'week']).default('day'),
  html: z.string().min(1).optional(),
})

type Summary = {
  runs: RunRow[]
  customers: number
  scoredAt: Date | null
  riskHistogram: { from: number; to: number; customers: number }[]
  valueTiers: { tier: string | null; customers: number; clvMinor: number | null }[]
}

export async function runPredictWorkspace(
  subcommand: string,
  raw: Record<string, unknown>,
): Promise<void> {
  const o = parseOptions(ZWorkspaceOptions, raw)
  if (o.model === 'gg')
    throw new CliError(
      '--model gg needs --transactions FILE; the workspace fits bgnbd or pareto with Gamma-Gamma',
    )
  const env = loadEnv({ FEDELE_DATA_DIR: o.data })
  const clvModel = o.model.startsWith('pareto') ? ('pareto-nbd' as const) : ('bgnbd' as const)
  await withDatabase(env, `fedele predict ${subcommand}`, async (database) => {
    if (subcommand === 'fit' || subcommand === 'score') {
      const report = await refresh(env, database, { clvModel, unit: o.unit })
      const summary = await readSummary(database)
      if (o.html) await writeFile(o.html, predictionsHtml(summary))
      const value = { ...report, runs: summary.runs, ...(o.html ? { html_file: o.html } : {}) }
      output(
        o.json,
        value,
        subcommand === 'fit' ? fitText(report, summary) : scoreText(report, summary),
      )
      return
    }
    if (subcommand === 'report') {
      const summary = await readSummary(database)
      if (summary.runs.length === 0)
        throw new CliError('no prediction run yet: run fedele predict score first')
      if (o.html) await writeFile(o.html, predictionsHtml(summary))
      output(
        o.json,
        o.html ? { ...summary, html_file: o.html } : summary,
        `${reportText(summary)}${o.html ? `\n\nWrote ${o.html}` : ''}`,
      )
      return
    }
    throw new CliError(`unknown predict subcommand ${subcommand}`)
  })
}

async function refresh(
  env: Env,
  database: Database,
  settings: { clvModel: 'bgnbd' | 'pareto-nbd'; unit: 'day' | 'week' },
): Promise<RefreshReport> {
  const replica = await openAnalytics(env, database)
  try {
    const report = await refreshPredictions(database.db, replica, {
      ...settings,
      onProgress: (p) => process.stderr.write(`  ${p.step}…\n`),
    })
    await replica.sync()
    return report
  } finally {
    await replica.close()
  }
}

async function readSummary(database: Database): Promise<Summary> {
  const runs = await latestRuns(database.db)
  const d = await distribution(recordReader(database.db))
  return { runs, ...d }
}

const fmt = (v: unknown, digits = 4) =>
  typeof v === 'number' && Number.isFinite(v) ? Number(v.toPrecision(digits)).toString() : '—'

type ClvParams = {
  model?: string
  params?: Record<string, number>
  standardErrors?: Record<string, number>
  logLikelihood?: number
  gammaGamma?: { params: Record<string, number>; standardErrors: Record<string, number> }
}

function parameterLines(run: RunRow | undefined): string[] {
  if (!run) return []
  const p = run.parameters as ClvParams
  if (!p.params) return [`CLV: formula (${run.fallback_reason ?? 'no model'})`]
  const lines = [`${p.model}: log-likelihood ${fmt(p.logLikelihood, 8)}`]
  for (const [k, v] of Object.entries(p.params))
    lines.push(`  ${k.padEnd(6)} ${fmt(v)} ± ${fmt(p.standardErrors?.[k])}`)
  if (p.gammaGamma) {
    lines.push('gamma-gamma (minor units):')
    for (const [k, v] of Object.entries(p.gammaGamma.params))
      lines.push(`  ${k.padEnd(6)} ${fmt(v)} ± ${fmt(p.gammaGamma.standardErrors[k])}`)
  }
  return lines
}

function churnLines(run: RunRow | undefined): string[] {
  if (!run) return []
  const v = run.validation as {
    rocAuc?: number
    averagePrecision?: number
    brier?: number
    liftTopDecile?: number
  } | null
  if (run.status !== 'succeeded')
    return [`churn model: not trained (${run.fallback_reason ?? run.error ?? ''})`]
  if (!v)
    return ['churn model: trained; no out-of-time validation (history shorter than two horizons)']
  return [
    `churn model (out-of-time validation): ROC AUC ${fmt(v.rocAuc, 3)}, PR AUC ${fmt(v.averagePrecision, 3)}, Brier ${fmt(v.brier, 3)}, top-decile lift ${fmt(v.liftTopDecile, 3)}`,
  ]
}

function fitText(report: RefreshReport, s: Summary): string {
  const clv = s.runs.find((r) => r.kind === 'clv')
  return [
    `model version ${report.modelVersion} at ${report.asOf}`,
    ...parameterLines(clv),
    ...churnLines(s.runs.find((r) => r.kind === 'churn')),
    `${report.customers} customers scored`,
  ].join('\n')
}

function scoreText(report: RefreshReport, s: Summary): string {
  return [
    `${report.customers} customers scored at ${report.asOf} (${report.modelVersion}), CLV by ${report.clvMethod}`,
    ...(report.fallbackReason ? [`fallback: ${report.fallbackReason}`] : []),
    ...tierLines(s),
    `timings (ms): ${Object.entries(report.timings)
      .map(([k, v]) => `${k.replace(/Ms$/, '')} ${v}`)
      .join(', ')}`,
  ].join('\n')
}

function tierLines(s: Summary): string[] {
  return s.valueTiers.map(
    (t) => `  ${(t.tier ?? 'none').padEnd(7)} ${String(t.customers).padStart(8)} customers`,
  )
}

function reportText(s: Summary): string {
  const clv = s.runs.find((r) => r.kind === 'clv')
  return [
    `latest scoring ${s.scoredAt ? new Date(s.scoredAt).toISOString() : '—'}: ${s.customers} customers (${clv?.model_version ?? '—'})`,
    ...parameterLines(clv),
    ...churnLines(s.runs.find((r) => r.kind === 'churn')),
    'churn risk:',
    ...s.riskHistogram.map(
      (b) =>
        `  ${Math.round(b.from * 100)}–${Math.round(b.to * 100)}% ${String(b.customers).padStart(8)}`,
    ),
    'value tiers:',
    ...tierLines(s),
  ].join('\n')
}

/** A self-contained page: tables and inline SVG bars, no scripts or external assets. */
export function predictionsHtml(s: Summary): string {
  const e = escapeHtml
  const clv = s.runs.find((r) => r.kind === 'clv')
  const churn = s.runs.find((r) => r.kind === 'churn')
  const bars = (values: { label: string; value: number }[], max: number) => {
    const w = 36
    const h = 140
    const cells = values
      .map((v, i) => {
        const bh = max > 0 ? Math.round((v.value / max) * h) : 0
        return `<rect x="${i * w + 4}" y="${h - bh}" width="${w - 8}" height="${bh}" fill="#2563eb"/><text x="${i * w + w / 2}" y="${h + 14}" font-size="10" text-anchor="middle">${e(v.label)}</text>`
      })
      .join('')
    return `<svg width="${values.length * w}" height="${h + 20}" role="img">${cells}</svg>`
  }
  const hist = s.riskHistogram.map((b) => ({
    label: `${Math.round(b.from * 100)}`,
    value: b.customers,
  }))
  const v = churn?.validation as {
    rocAuc?: number
    averagePrecision?: number
    brier?: number
    liftTopDecile?: number
    calibrationCurve?: { bin: number; meanPredicted: number; observedRate: number; count: number }[]
  } | null
  const holdout = clv?.validation as {
    relativeError?: number
    byFrequency?: { x: number; customers: number; actual: number; predicted: number }[]
  } | null
  const rows = (cells: unknown[][]) =>
    cells.map((r) => `<tr>${r.map((c) => `<td>${e(c)}</td>`).join('')}</tr>`).join('')
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Fedele predictions</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:right}h2{margin-top:2rem}</style></head><body>
<h1>Predictions / Previsioni</h1>
<p>${e(s.customers)} customers scored ${e(s.scoredAt ? new Date(s.scoredAt).toISOString() : '—')} · model ${e(clv?.model_version ?? '—')}</p>
<h2>Customer-base model</h2><pre>${e(parameterLines(clv).join('\n'))}</pre>
${clv?.fallback_reason ? `<p><strong>Fallback to the formula CLV:</strong> ${e(clv.fallback_reason)}</p>` : ''}
${holdout?.byFrequency ? `<h3>Calibration vs holdout (${e(fmt((holdout.relativeError ?? NaN) * 100, 3))}% aggregate error)</h3><table><tr><th>repeat purchases</th><th>customers</th><th>actual</th><th>predicted</th></tr>${rows(holdout.byFrequency.map((g) => [g.x === 7 ? '7+' : g.x, g.customers, fmt(g.actual, 3), fmt(g.predicted, 3)]))}</table>` : ''}
<h2>Churn model</h2><pre>${e(churnLines(churn).join('\n'))}</pre>
${v?.calibrationCurve ? `<h3>Calibration curve</h3><table><tr><th>bin</th><th>customers</th><th>mean predicted</th><th>observed</th></tr>${rows(v.calibrationCurve.map((b) => [b.bin, b.count, fmt(b.meanPredicted, 3), fmt(b.observedRate, 3)]))}</table>` : ''}
<h2>Churn risk distribution (% risk)</h2>${bars(hist, Math.max(0, ...hist.map((h) => h.value)))}
<h2>Value tiers</h2><table><tr><th>tier</th><th>customers</th><th>CLV (minor units)</th></tr>${rows(s.valueTiers.map((t) => [t.tier ?? '—', t.customers, t.clvMinor ?? '—']))}</table>
</body></html>
`
}
