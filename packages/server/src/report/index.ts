import { writeFileSync } from 'node:fs'
import type { Env } from '../config/env.ts'
import type { Database } from '../db/database.ts'
import { closeMetricsReplica, metricsReplica } from '../analytics/metrics/index.ts'
import { buildReport, type Report, type ReportOptions } from './build.ts'
import { formatReport } from './format.ts'
import { renderHtml } from './html.ts'

export { buildReport, GRANULARITIES, resolvePeriod, type Report, type ReportOptions } from './build.ts'
export { formatReport, formatValue, formatDelta, formatMoney, kpiRows } from './format.ts'
export { escapeHtml, renderHtml } from './html.ts'

export type ReportOutput = { report: Report; text: string; html?: string }

/**
 * Opens the metrics replica the way the HTTP routes do (synced once), builds the report, renders
 * the terminal text and, with `htmlPath`, writes the HTML page.
 */
export async function createReport(
  env: Pick<Env, 'FEDELE_ANALYTICS_PATH' | 'FEDELE_DATA_DIR'>,
  database: Database,
  options: ReportOptions & { htmlPath?: string } = {},
): Promise<ReportOutput> {
  try {
    const replica = await metricsReplica({ database, env: env as Env })
    const report = await buildReport(database, replica, options, env as Env)
    const text = formatReport(report)
    if (options.htmlPath) {
      const html = renderHtml(report)
      writeFileSync(options.htmlPath, html)
      return { report, text, html }
    }
    return { report, text }
  } finally {
    await closeMetricsReplica(database)
  }
}
