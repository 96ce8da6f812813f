import type { Report } from './build.ts'
import { cohortGrid, formatMoney, kpiRows, seriesRows } from './format.ts'

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: unknown): string {
  return String(text)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
}

const e = escapeHtml
const n = (v: number) => (Number.isFinite(v) ? Number(v.toFixed(2)) : 0)

/** Blue scale from white (0%) to dark blue (100%). */
function heat(v: number): string {
  const t = Math.max(0, Math.min(1, v))
  const mix = (a: number, b: number) => Math.round(a + (b - a) * t)
  return `rgb(${mix(247, 8)},${mix(251, 48)},${mix(255, 107)})`
}

function heatmap(report: Report): string {
  const rows = report.cohorts.rows
  if (rows.length === 0) return '<p>No cohorts in the range.</p>'
  const { offsets, cells } = cohortGrid(rows)
  const cw = 44
  const ch = 22
  const left = 110
  const top = 24
  const width = left + offsets * cw + 10
  const height = top + rows.length * ch + 10
  const parts: string[] = []
  for (let k = 0; k < offsets; k++) {
    parts.push(`<text x="${left + k * cw + cw / 2}" y="16" text-anchor="middle">+${k}</text>`)
  }
  rows.forEach((r, i) => {
    const y = top + i * ch
    parts.push(`<text x="${left - 6}" y="${y + 15}" text-anchor="end">${e(r.key)} (${r.size})</text>`)
    ;(cells[i] ?? []).forEach((v, k) => {
      if (v === null) return
      const x = left + k * cw
      parts.push(
        `<rect x="${x}" y="${y}" width="${cw - 2}" height="${ch - 2}" fill="${heat(v)}"><title>${e(r.key)} +${k}: ${(v * 100).toFixed(1)}%</title></rect>` +
          `<text x="${x + cw / 2 - 1}" y="${y + 15}" text-anchor="middle" fill="${v > 0.5 ? '#fff' : '#111'}">${Math.round(v * 100)}%</text>`,
      )
    })
  })
  return `<svg role="img" aria-label="Cohort retention heatmap" width="${width}" height="${height}" font-size="11" font-family="sans-serif">${parts.join('')}</svg>`
}

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf']

function curves(report: Report): string {
  const rows = report.cohorts.rows
  if (rows.length === 0) return ''
  const { offsets, cells } = cohortGrid(rows)
  const w = 640
  const h = 280
  const pad = { l: 44, r: 130, t: 10, b: 30 }
  const pw = w - pad.l - pad.r
  const ph = h - pad.t - pad.b
  const x = (k: number) => pad.l + (offsets > 1 ? (k / (offsets - 1)) * pw : 0)
  const y = (v: number) => pad.t + (1 - v) * ph
  const parts: string[] = []
  for (const v of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(
      `<line x1="${pad.l}" x2="${pad.l + pw}" y1="${n(y(v))}" y2="${n(y(v))}" stroke="#ddd"/>` +
        `<text x="${pad.l - 4}" y="${n(y(v)) + 4}" text-anchor="end">${v * 100}%</text>`,
    )
  }
  for (let k = 0; k < offsets; k++) {
    parts.push(`<text x="${n(x(k))}" y="${h - 10}" text-anchor="middle">+${k}</text>`)
  }
  rows.forEach((r, i) => {
    const color = PALETTE[i % PALETTE.length] ?? '#333'
    const points = (cells[i] ?? [])
      .map((v, k) => (v === null ? null : `${n(x(k))},${n(y(v))}`))
      .filter((p): p is string => p !== null)
    if (points.length === 0) return
    parts.push(
      `<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${points.join(' ')}"><title>${e(r.key)}</title></polyline>`,
    )
    if (i >= rows.length - 12) {
      const slot = i - Math.max(0, rows.length - 12)
      parts.push(
        `<rect x="${w - pad.r + 10}" y="${pad.t + slot * 18}" width="10" height="10" fill="${color}"/>` +
          `<text x="${w - pad.r + 24}" y="${pad.t + slot * 18 + 9}">${e(r.key)}</text>`,
      )
    }
  })
  return `<svg role="img" aria-label="Retention curves per cohort" width="${w}" height="${h}" font-size="11" font-family="sans-serif">${parts.join('')}</svg>`
}

function mrrBars(report: Report): string {
  const s = report.kpis.period.subscriptions
  if (!s || [s.startMrr, s.endMrr, s.new, s.expansion, s.contraction, s.churn, s.reactivation].every((v) => v === 0)) {
    return ''
  }
  const bars: [string, number][] = [
    ['Start MRR', s.startMrr],
    ['New', s.new],
    ['Expansion', s.expansion],
    ['Reactivation', s.reactivation],
    ['Contraction', -s.contraction],
    ['Churn', -s.churn],
    ['End MRR', s.endMrr],
  ]
  const max = Math.max(1, ...bars.map(([, v]) => Math.abs(v)))
  const w = 640
  const rowH = 26
  const left = 110
  const mid = left + (w - left - 120) / 2
  const scale = (w - left - 120) / 2 / max
  const parts = bars.map(([label, v], i) => {
    const y = 6 + i * rowH
    const len = Math.abs(v) * scale
    const x = v >= 0 ? mid : mid - len
    const fill = label.endsWith('MRR') ? '#6b7280' : v >= 0 ? '#16a34a' : '#dc2626'
    return (
      `<text x="${left - 6}" y="${y + 15}" text-anchor="end">${e(label)}</text>` +
      `<rect x="${n(x)}" y="${y}" width="${n(Math.max(len, 1))}" height="${rowH - 8}" fill="${fill}"/>` +
      `<text x="${n(v >= 0 ? mid + len + 4 : mid + 4)}" y="${y + 15}">${e(formatMoney(v, report.currency))}</text>`
    )
  })
  parts.push(`<line x1="${mid}" x2="${mid}" y1="0" y2="${bars.length * rowH + 6}" stroke="#999"/>`)
  return `<h2>MRR movements</h2><svg role="img" aria-label="MRR movements" width="${w}" height="${bars.length * rowH + 12}" font-size="11" font-family="sans-serif">${parts.join('')}</svg>`
}

function seriesTable(report: Report): string {
  if (report.series.length < 2) return ''
  const s = seriesRows(report)
  const head = s.header.map((h, i) => `<th${i > 0 ? ' class="n"' : ''}>${e(h)}</th>`).join('')
  const body = s.rows
    .map((r) => `<tr>${r.map((c, i) => `<td${i > 0 ? ' class="n"' : ''}>${e(c)}</td>`).join('')}</tr>`)
    .join('\n')
  return `<h2>By ${e(report.granularity)}</h2>\n<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`
}

/** A self-contained HTML page (no external resources): KPIs, cohort heatmap and curves, MRR. */
export function renderHtml(report: Report): string {
  const rows = kpiRows(report)
  const kpiTable = rows
    .map(
      (r) =>
        `<tr><td>${e(r.name)}</td><td class="n">${e(r.value)}</td><td class="n">${e(r.previous)}</td><td class="n">${e(r.delta)}</td></tr>`,
    )
    .join('\n')
  const seg = report.segment.length
    ? ` · segment ${e(report.segment.map((c) => `${c.field}:${c.values.join('|')}`).join(';'))}`
    : ''
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Retention report: ${e(report.workspace.name)} ${e(report.period.from)} to ${e(report.period.to)}</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto; max-width: 960px; color: #111; padding: 0 1rem; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { padding: 4px 10px; border-bottom: 1px solid #e5e7eb; text-align: left; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.note { background: #f3f4f6; padding: 0.75rem 1rem; border-radius: 6px; }
.meta { color: #555; }
</style>
</head>
<body>
<h1>Retention report: ${e(report.workspace.name)}</h1>
<p class="meta">Period ${e(report.period.from)} to ${e(report.period.to)} (${e(report.time_zone)}) · currency ${e(report.currency)} · model ${e(report.business_model)} · activity window ${e(report.activity_window_days)} days${seg}</p>
<h2>KPIs</h2>
<table>
<thead><tr><th>KPI</th><th class="n">Value</th><th class="n">Previous period</th><th class="n">Change</th></tr></thead>
<tbody>
${kpiTable}
</tbody>
</table>
${seriesTable(report)}
<p class="note">Note on CRR: ${e(report.kpis.period.explanation.en)}</p>
<h2>Cohort retention by ${e(report.granularity)} (data as of ${e(report.period.to)})</h2>
${heatmap(report)}
<h2>Retention curves</h2>
${curves(report)}
${mrrBars(report)}
</body>
</html>
`
}
