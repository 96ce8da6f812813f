import type { Command } from 'commander'
import { openDatabase, migrateToLatest } from '../../db/database.ts'
import { ZCommonOptions, loadEnv, output, parseOptions } from '../shared.ts'

export function configureMigrateCommand(program: Command) {
  program
    .command('migrate')
    .description('Apply pending database migrations (serve also does this on start)')
    .option('--data <dir>', 'embedded data directory')
    .option('--json', 'print the result as JSON')
    .action(async (raw: unknown) => {
      const o = parseOptions(ZCommonOptions, raw)
      const result = await migrateCommand(o.data)
      output(
        o.json,
        result,
        result.applied.length
          ? `Applied ${result.applied.length} migration(s): ${result.applied.join(', ')}`
          : 'The database schema is up to date.',
      )
    })
}

export async function migrateCommand(data?: string) {
  const env = loadEnv({ FEDELE_DATA_DIR: data })
  const database = await openDatabase({
    databaseUrl: env.DATABASE_URL,
    dataDir: env.FEDELE_DATA_DIR,
    command: 'fedele migrate',
    migrate: false,
  })
  try {
    const report = await migrateToLatest(database.db)
    return { database: database.kind, location: database.location, applied: report.applied }
  } finally {
    await database.close()
  }
}
