import type { Command } from 'commander'
import { analyticsPath, openAnalytics } from '../../analytics/open.ts'
import { deleteReplicaFiles } from '../../analytics/replica.ts'
import { ZCommonOptions, loadEnv, output, parseOptions, withDatabase } from '../shared.ts'

export function configureAnalyticsCommand(program: Command) {
  const analytics = program.command('analytics').description('The DuckDB analytics replica')
  analytics
    .command('rebuild')
    .description('Delete the analytics replica and rebuild it from the system of record')
    .option('--data <dir>', 'embedded data directory')
    .option('--json', 'print the result as JSON')
    .action(async (raw: unknown) => {
      const o = parseOptions(ZCommonOptions, raw)
      const env = loadEnv({ FEDELE_DATA_DIR: o.data })
      const path = analyticsPath(env)
      const report = await withDatabase(env, 'fedele analytics rebuild', async (database) => {
        await deleteReplicaFiles(path)
        const replica = await openAnalytics(env, database)
        try {
          return await replica.rebuild()
        } finally {
          await replica.close()
        }
      })
      const rows = Object.values(report.tables).reduce((n, t) => n + t.upserted, 0)
      output(
        o.json,
        { path, ...report },
        `Rebuilt ${path}: ${rows.toLocaleString('en')} rows up to change ${report.toSeq} in ${(report.ms / 1000).toFixed(1)} s.`,
      )
    })
  analytics
    .command('sync')
    .description('Bring the analytics replica up to date (serve does this before every analytics read)')
    .option('--data <dir>', 'embedded data directory')
    .option('--json', 'print the result as JSON')
    .action(async (raw: unknown) => {
      const o = parseOptions(ZCommonOptions, raw)
      const env = loadEnv({ FEDELE_DATA_DIR: o.data })
      const report = await withDatabase(env, 'fedele analytics sync', async (database) => {
        const replica = await openAnalytics(env, database)
        try {
          return await replica.sync()
        } finally {
          await replica.close()
        }
      })
      const rows = Object.values(report.tables).reduce((n, t) => n + t.upserted + t.deleted, 0)
      output(o.json, report, `Synced ${rows.toLocaleString('en')} changed rows (changes ${report.fromSeq}→${report.toSeq}) in ${report.ms.toFixed(0)} ms.`)
    })
}
