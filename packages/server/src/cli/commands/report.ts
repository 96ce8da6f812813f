import type { Command } from 'commander'
import { z } from 'zod'
import { createReport, GRANULARITIES } from '../../report/index.ts'
import { ZCommonOptions, loadEnv, output, parseOptions, withDatabase } from '../shared.ts'

const ZReportOptions = ZCommonOptions.extend({
  from: z.string().optional(),
  to: z.string().optional(),
  granularity: z.enum(GRANULARITIES).default('month'),
  segment: z.string().optional(),
  window: z
    .string()
    .regex(/^\d+$/, 'must be a whole number of days')
    .transform(Number)
    .pipe(z.number().min(1).max(3650))
    .optional(),
  tz: z.string().min(1).optional(),
  html: z.string().min(1).optional(),
})

export function configureReportCommand(program: Command) {
  program
    .command('report')
    .description('Print the retention KPIs of a period, the cohort table and the CRR note (or JSON / an HTML page)')
    .option('--from <date>', 'first day of the period, YYYY-MM-DD (default: the last full calendar month)')
    .option('--to <date>', 'last day of the period, YYYY-MM-DD (inclusive)')
    .option('--granularity <grain>', 'cohort and series grain: day, week, month, quarter, year', 'month')
    .option('--segment <filter>', 'segment "field:v1|v2;field2:v" (country, tag, plan, store, attribute.<key>, …)')
    .option('--window <days>', 'activity window in days (default: the workspace setting)')
    .option('--tz <zone>', 'IANA time zone of the calendar (default: the workspace zone)')
    .option('--html <file>', 'also write a self-contained HTML report with charts')
    .option('--data <dir>', 'embedded data directory')
    .option('--json', 'print the full structured result as JSON')
    .action(async (raw: unknown) => {
      const o = parseOptions(ZReportOptions, raw)
      const env = loadEnv({ FEDELE_DATA_DIR: o.data })
      const result = await withDatabase(env, 'fedele report', (database) =>
        createReport(env, database, {
          from: o.from,
          to: o.to,
          granularity: o.granularity,
          segment: o.segment,
          window: o.window,
          tz: o.tz,
          htmlPath: o.html,
        }),
      )
      output(
        o.json,
        o.html ? { ...result.report, html_file: o.html } : result.report,
        o.html ? `${result.text}\n\nWrote ${o.html}` : result.text,
      )
    })
}
