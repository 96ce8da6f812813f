import type { ModelDiagnostics } from '@fedele/core/models'
import type { FittedModel, PredictFitResult } from '../cli/commands/predict.ts'
import { escapeHtml } from './html.ts'

/**
 * The self-contained HTML diagnostics report of `fedele predict fit --html FILE`: parameters with
 * standard errors, and for BG/NBD and Pareto/NBD the charts of Fader, Hardie & Lee (2005): mean
 * holdout purchases by calibration frequency (actual vs predicted), cumulative and per-period
 * tracking of repeat purchases, and a P(alive) heatmap by frequency and recency. Inline SVG only,
 * no scripts or external resources; every text from the file or the options is escaped.
 */

const e = escapeHtml
const n = (v: number) => (Number.isFinite(v) ? Number(v.toFixed(2)) : 0)
const ACTUAL = '#1f2937'
const MODEL = '#dc2626'
const GRID = '#e5e7eb'

function niceMax(v: number): number {
  if (!(v > 0)) return 1
  const p = 10 ** Math.floor(Math.log10(v))
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p
  return 10 * p
}

function legend(x: number, y: number): string {
  return (
    `<rect x="${x}" y="${y - 9}" width="14" height="3" fill="${ACTUAL}"/><text x="${x + 18}" y="${y - 4}">Actual</text>` +
    `<rect x="${x + 70}" y="${y - 9}" width="14" height="3" fill="${MODEL}"/><text x="${x + 88}" y="${y - 4}">Model</text>`
  )
}

/** Two series as lines over periods, with a dashed line at the end of the calibration. */
function lineChart(
  label: string,
  periods: number[],
  actual: (number | null)[],
  expected: number[],
  calibrationEnd: number,
  unit: string,
): string {
  const w = 720
  const h = 300
  const pad = { l: 56, r: 16, t: 24, b: 36 }
  const pw = w - pad.l - pad.r
  const ph = h - pad.t - pad.b
  const maxV = niceMax(Math.max(...expected, ...actual.map((v) => v ?? 0)))
  const last = periods[periods.length - 1] ?? 1
  const x = (k: number) => pad.l + (k / last) * pw
  const y = (v: number) => pad.t + (1 - v / maxV) * ph
  const parts: string[] = []
  for (let i = 0; i <= 4; i++) {
    const v = (maxV * i) / 4
    parts.push(
      `<line x1="${pad.l}" x2="${pad.l + pw}" y1="${n(y(v))}" y2="${n(y(v))}" stroke="${GRID}"/>` +
        `<text x="${pad.l - 6}" y="${n(y(v)) + 4}" text-anchor="end">${e(Number(v.toPrecision(4)))}</text>`,
    )
  }
  const step = Math.max(1, Math.ceil(last / 12))
  for (let k = 0; k <= last; k += step)
    parts.push(`<text x="${n(x(k))}" y="${h - 16}" text-anchor="middle">${k}</text>`)
  parts.push(`<text x="${pad.l + pw / 2}" y="${h - 2}" text-anchor="middle">${e(unit)}</text>`)
  const cx = n(x(calibrationEnd))
  parts.push(
    `<line x1="${cx}" x2="${cx}" y1="${pad.t}" y2="${pad.t + ph}" stroke="#6b7280" stroke-dasharray="4 3"/>` +
      `<text x="${cx + 4}" y="${pad.t + 12}" fill="#6b7280">end of calibration</text>`,
  )
  const pts = (vals: (number | null)[]) =>
    vals
      .map((v, i) => (v === null ? null : `${n(x(periods[i] as number))},${n(y(v))}`))
      .filter((p): p is string => p !== null)
      .join(' ')
  if (actual.some((v) => v !== null))
    parts.push(
      `<polyline fill="none" stroke="${ACTUAL}" stroke-width="2" points="${pts(actual)}"/>`,
    )
  parts.push(
    `<polyline fill="none" stroke="${MODEL}" stroke-width="2" stroke-dasharray="6 3" points="${pts(expected)}"/>`,
  )
  parts.push(legend(pad.l + 8, pad.t - 4))
  return `<svg role="img" aria-label="${e(label)}" width="${w}" height="${h}" font-size="11" font-family="sans-serif">${parts.join('')}</svg>`
}

/** Grouped bars: mean holdout purchases by calibration frequency, actual vs predicted. */
function conditionalChart(d: ModelDiagnostics): string {
  const rows = d.conditional.filter((r) => r.customers > 0)
  const w = 720
  const h = 300
  const pad = { l: 56, r: 16, t: 24, b: 40 }
  const pw = w - pad.l - pad.r
  const ph = h - pad.t - pad.b
  const maxV = niceMax(Math.max(...rows.map((r) => Math.max(r.actual, r.predicted))))
  const y = (v: number) => pad.t + (1 - v / maxV) * ph
  const slot = pw / Math.max(1, rows.length)
  const bw = Math.min(28, slot / 3)
  const parts: string[] = []
  for (let i = 0; i <= 4; i++) {
    const v = (maxV * i) / 4
    parts.push(
      `<line x1="${pad.l}" x2="${pad.l + pw}" y1="${n(y(v))}" y2="${n(y(v))}" stroke="${GRID}"/>` +
        `<text x="${pad.l - 6}" y="${n(y(v)) + 4}" text-anchor="end">${e(Number(v.toPrecision(3)))}</text>`,
    )
  }
  rows.forEach((r, i) => {
    const cx = pad.l + slot * (i + 0.5)
    const bar = (v: number, dx: number, fill: string, what: string) =>
      `<rect x="${n(cx + dx)}" y="${n(y(v))}" width="${n(bw)}" height="${n(pad.t + ph - y(v))}" fill="${fill}"><title>x = ${e(r.label)}: ${what} ${v.toFixed(3)} (${r.customers} customers)</title></rect>`
    parts.push(
      bar(r.actual, -bw - 1, ACTUAL, 'actual'),
      bar(r.predicted, 1, MODEL, 'predicted'),
      `<text x="${n(cx)}" y="${pad.t + ph + 14}" text-anchor="middle">${e(r.label)}</text>`,
    )
  })
  parts.push(
    `<text x="${pad.l + pw / 2}" y="${h - 4}" text-anchor="middle">repeat purchases in the calibration period</text>`,
    legend(pad.l + 8, pad.t - 4),
  )
  return `<svg role="img" aria-label="Calibration vs holdout by frequency" width="${w}" height="${h}" font-size="11" font-family="sans-serif">${parts.join('')}</svg>`
}

/** White (0) to dark green (1). */
function green(v: number): string {
  const t = Math.max(0, Math.min(1, v))
  const mix = (a: number, b: number) => Math.round(a + (b - a) * t)
  return `rgb(${mix(255, 0)},${mix(255, 100)},${mix(255, 60)})`
}

function aliveHeatmap(d: ModelDiagnostics, unit: string): string {
  const g = d.alive
  const cw = 30
  const ch = 18
  const left = 60
  const top = 20
  const width = left + g.recencies.length * cw + 10
  const height = top + g.frequencies.length * ch + 40
  const parts: string[] = []
  g.frequencies.forEach((x, i) => {
    const yy = top + i * ch
    parts.push(`<text x="${left - 6}" y="${yy + 13}" text-anchor="end">${x}</text>`)
    g.recencies.forEach((tx, j) => {
      const v = g.values[i]?.[j] ?? NaN
      const customers = g.customers[i]?.[j] ?? 0
      parts.push(
        `<rect x="${left + j * cw}" y="${yy}" width="${cw - 1}" height="${ch - 1}" fill="${green(v)}"><title>x = ${x}, t_x ≈ ${tx.toFixed(1)}: P(alive) ${v.toFixed(3)}, ${customers} customers</title></rect>`,
      )
    })
  })
  const every = Math.max(1, Math.ceil(g.recencies.length / 10))
  g.recencies.forEach((tx, j) => {
    if (j % every === 0)
      parts.push(
        `<text x="${left + j * cw + cw / 2}" y="${top + g.frequencies.length * ch + 14}" text-anchor="middle">${n(tx)}</text>`,
      )
  })
  parts.push(
    `<text x="${left + (g.recencies.length * cw) / 2}" y="${height - 6}" text-anchor="middle">recency t_x (${e(unit)}, T = ${n(g.T)})</text>`,
    `<text x="12" y="${top + (g.frequencies.length * ch) / 2}" transform="rotate(-90 12 ${top + (g.frequencies.length * ch) / 2})" text-anchor="middle">frequency x</text>`,
  )
  return `<svg role="img" aria-label="P(alive) by frequency and recency" width="${width}" height="${height}" font-size="10" font-family="sans-serif">${parts.join('')}</svg>`
}

const fmt = (v: number, digits: number) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a')

function parameterTable(m: FittedModel): string {
  const rows = Object.keys(m.parameters)
    .map(
      (k) =>
        `<tr><td>${e(k)}</td><td class="n">${fmt(m.parameters[k] as number, 4)}</td><td class="n">${fmt(m.standard_errors[k] as number, 4)}</td></tr>`,
    )
    .join('')
  return `<table><thead><tr><th>Parameter</th><th class="n">Estimate</th><th class="n">Std. error</th></tr></thead><tbody>${rows}
<tr><td>log-likelihood</td><td class="n">${fmt(m.log_likelihood, 2)}</td><td></td></tr></tbody></table>
<p class="meta">${m.converged ? 'Converged' : '<strong>Did not converge</strong>'} in ${m.iterations} iterations, ${m.customers} customers${m.population_mean !== undefined ? ` · mean spend per purchase E[M] ${fmt(m.population_mean, 2)}` : ''}</p>`
}

/** What `diagnosticsHtml` needs besides the diagnostics. */
export interface DiagnosticsHtmlOptions {
  /** Model name for chart labels, e.g. "BG/NBD". */
  name: string
  unit: 'day' | 'week'
  /** Whole periods of the calibration (the dashed line of the tracking charts). */
  calibrationPeriods: number
  /** Holdout length in the unit. */
  holdoutLength: number
}

/**
 * The diagnostics of one model as an HTML fragment (tables and inline SVG charts): aggregate
 * forecast, calibration vs holdout by frequency, cumulative and per-period tracking, P(alive)
 * heatmap. Usable by any self-contained page (file fits here, the workspace report elsewhere).
 */
export function diagnosticsHtml(d: ModelDiagnostics, o: DiagnosticsHtmlOptions): string {
  const unit = o.unit === 'week' ? 'weeks' : 'days'
  const a = d.aggregate
  const periods = d.tracking.map((t) => t.period)
  const relative = (expected: number, actual: number) =>
    fmt(((expected - actual) / actual) * 100, 1)
  const cond = d.conditional
    .map(
      (c) =>
        `<tr><td>${e(c.label)}</td><td class="n">${c.customers}</td><td class="n">${fmt(c.actual, 3)}</td><td class="n">${fmt(c.predicted, 3)}</td><td class="n">${fmt(c.probabilityAlive, 3)}</td></tr>`,
    )
    .join('')
  return `
<h3>Aggregate forecast</h3>
<table><thead><tr><th></th><th class="n">Expected</th><th class="n">Actual</th><th class="n">Error</th></tr></thead><tbody>
<tr><td>Cumulative repeat purchases by ${e(o.unit)} ${o.calibrationPeriods}</td><td class="n">${fmt(a.expectedCalibration, 1)}</td><td class="n">${a.actualCalibration}</td><td class="n">${relative(a.expectedCalibration, a.actualCalibration)} %</td></tr>
<tr><td>Cumulative repeat purchases by ${e(o.unit)} ${d.tracking.length}</td><td class="n">${fmt(a.expectedTotal, 1)}</td><td class="n">${a.actualTotal}</td><td class="n">${fmt(a.cumulativeError * 100, 1)} %</td></tr>
<tr><td>Holdout purchases from the customers' histories (Σ E[Y])</td><td class="n">${fmt(a.conditionalExpected, 1)}</td><td class="n">${a.conditionalActual}</td><td class="n">${relative(a.conditionalExpected, a.conditionalActual)} %</td></tr>
</tbody></table>
<p class="meta">Correlation of individual forecasts with holdout purchases: ${fmt(a.correlation, 3)}</p>
<h3>Calibration vs holdout</h3>
<p class="meta">Mean purchases per customer in the ${fmt(o.holdoutLength, 2)}-${e(o.unit)} holdout, by repeat purchases in the calibration period.</p>
${conditionalChart(d)}
<table><thead><tr><th>x</th><th class="n">Customers</th><th class="n">Actual</th><th class="n">Predicted</th><th class="n">Mean P(alive)</th></tr></thead><tbody>${cond}</tbody></table>
<h3>Tracking: cumulative repeat purchases</h3>
${lineChart(
  `${o.name} cumulative tracking`,
  periods,
  d.tracking.map((t) => t.actualCumulative),
  d.tracking.map((t) => t.expectedCumulative),
  o.calibrationPeriods,
  unit,
)}
<h3>Tracking: repeat purchases per ${e(o.unit)}</h3>
${lineChart(
  `${o.name} incremental tracking`,
  periods,
  d.tracking.map((t) => t.actual),
  d.tracking.map((t) => t.expected),
  o.calibrationPeriods,
  unit,
)}
<h3>P(alive) by frequency and recency</h3>
<p class="meta">Probability that a customer observed for T = ${fmt(d.alive.T, 2)} ${e(unit)} is still active, by repeat purchases x and time of the last purchase t_x. Hover a cell for the number of customers in it.</p>
${aliveHeatmap(d, unit)}`
}

function modelSection(r: PredictFitResult, m: FittedModel): string {
  const d = m.diagnostics
  const body =
    parameterTable(m) +
    (d
      ? diagnosticsHtml(d, {
          name: m.name,
          unit: r.unit,
          calibrationPeriods: r.calibration_periods,
          holdoutLength: r.holdout_length,
        })
      : '')
  return `<section><h2>${e(m.name)}</h2>${body}</section>`
}

/** Renders the report page for a file fit. */
export function renderPredictHtml(r: PredictFitResult): string {
  const cols = r.layout.columns
  const issues = r.data_check.ok
    ? ''
    : `<div class="warn"><strong>Too little data for reliable estimates:</strong><ul>${r.data_check.issues.map((i) => `<li>${e(i.message)}</li>`).join('')}</ul></div>`
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Model diagnostics: ${e(r.file)}</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto; max-width: 960px; color: #111; padding: 0 1rem; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { padding: 4px 10px; border-bottom: 1px solid #e5e7eb; text-align: left; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.meta { color: #555; }
.warn { background: #fef3c7; padding: 0.5rem 1rem; border-radius: 6px; }
section { margin-top: 2rem; }
</style>
</head>
<body>
<h1>Model diagnostics</h1>
<p class="meta">File ${e(r.file)} · ${r.data.rows} rows · columns: id ${e(cols.id)}, date ${e(cols.date)}, amount ${e(cols.amount ?? 'none')}</p>
<p class="meta">Calibration ${e(r.origin)} to ${e(r.calibration_end)} (${r.calibration_periods} ${e(r.unit)}s) · holdout to ${e(r.holdout_end)} · ${r.data.customers} customers, ${r.data.repeat_customers} with repeat purchases · ${r.data.repeat_purchases} repeat purchases in calibration, ${r.data.holdout_purchases} in the holdout</p>
${issues}
${r.diagnostics_note ? `<p class="warn">${e(r.diagnostics_note)}</p>` : ''}
${r.models.map((m) => modelSection(r, m)).join('\n')}
</body>
</html>
`
}
