import type { Command } from 'commander'
import { z } from 'zod'
import { SERVER_SHARED_BUFFERS_MB, openDatabase } from '../../db/database.ts'
import { usersRepository } from '../../repositories/users.repository.ts'
import { hasAnyData, loadDemo, loadedDemo } from '../../services/demo.service.ts'
import { DEMO_EXPORT_FILES, exportDemo } from '../../services/demo-export.ts'
import { serveCommand } from './serve.ts'
import { CliError, ZCommonOptions, loadEnv, output, parseOptions } from '../shared.ts'
import { createProgress } from '../progress.ts'

const ZDemoOptions = ZCommonOptions.extend({
  customers: z.coerce.number().int().min(100).max(1_000_000).default(20_000),
  seed: z.coerce.number().int().min(0).default(42),
  port: z.coerce.number().int().min(0).max(65535).optional(),
  host: z.string().optional(),
  serve: z.boolean().default(true),
  now: z.iso.date().optional(),
  export: z.string().min(1).optional(),
})

export function configureDemoCommand(program: Command) {
  program
    .command('demo')
    .description('Create (or reuse) an embedded data directory with a realistic Italian demo business and serve it')
    .option('--customers <n>', 'customers to generate (100 to 1,000,000)', '20000')
    .option('--seed <s>', 'random seed; the same seed gives the same business', '42')
    .option('--now <date>', 'the day the data ends (YYYY-MM-DD); default today')
    .option('--data <dir>', 'embedded data directory (default ./fedele-data)')
    .option('--port <port>', 'HTTP port')
    .option('--host <host>', 'interface to listen on')
    .option('--no-serve', 'only build the data, do not start the server')
    .option('--export <dir>', 'write the demo as Shopify and Stripe export files instead (try them with fedele import)')
    .option('--json', 'print results as JSON')
    .action(async (raw: unknown) => {
      const o = parseOptions(ZDemoOptions, raw)
      await demoCommand(o)
    })
}

export async function demoCommand(o: z.infer<typeof ZDemoOptions>) {
  const env = loadEnv({ FEDELE_DATA_DIR: o.data })
  if (env.DATABASE_URL) {
    throw new CliError('fedele demo uses the embedded database; unset DATABASE_URL (the demo must not fill a production database)')
  }
  const now = o.now ?? new Date().toISOString().slice(0, 10)
  const spec = { seed: o.seed, customers: o.customers, now: `${now}T12:00:00Z` }
  if (o.export) {
    const counts = await exportDemo(spec, o.export)
    output(
      o.json,
      { dir: o.export, files: DEMO_EXPORT_FILES, ...counts },
      `Wrote ${counts.customers.toLocaleString('en')} customers, ${counts.orders.toLocaleString('en')} orders (${counts.order_rows.toLocaleString('en')} line rows) and ${counts.subscriptions.toLocaleString('en')} subscriptions to ${o.export}:\n` +
        Object.values(DEMO_EXPORT_FILES).map((f) => `  ${f}`).join('\n') +
        `\nTry: fedele import customers ${o.export}/${DEMO_EXPORT_FILES.customers} && fedele import orders ${o.export}/${DEMO_EXPORT_FILES.orders} && fedele import subscriptions ${o.export}/${DEMO_EXPORT_FILES.subscriptions}`,
    )
    return
  }
  // The demo goes on to serve from this database: the server's buffer pool.
  const database = await openDatabase({
    dataDir: env.FEDELE_DATA_DIR,
    command: 'fedele demo',
    sharedBuffersMb: SERVER_SHARED_BUFFERS_MB,
  })
  let summary: Record<string, unknown>
  try {
    const existing = await loadedDemo(database.db)
    if (existing && existing.seed === spec.seed && existing.customers === spec.customers) {
      summary = { reused: true, ...existing, location: database.location }
      if (!o.json) process.stderr.write(`Reusing the demo in ${database.location} (${existing.customers.toLocaleString('en')} customers, seed ${existing.seed}).\n`)
    } else {
      if (existing || (await hasAnyData(database.db))) {
        throw new CliError(
          `${database.location} already holds ${existing ? `a different demo (${existing.customers} customers, seed ${existing.seed})` : 'data'}; use another --data directory`,
        )
      }
      const progress = createProgress('Generating the demo business (customers)', spec.customers)
      const result = await loadDemo(
        database.db,
        spec,
        (p) => progress.update(p.customers, `${p.records.toLocaleString('en')} records`),
        { pglite: database.pglite },
      )
      progress.done(`Loaded ${result.records.toLocaleString('en')} records for ${spec.customers.toLocaleString('en')} customers in ${(result.elapsedMs / 1000).toFixed(1)} s.`)
      summary = { reused: false, ...spec, records: result.records, seconds: result.elapsedMs / 1000, location: database.location }
    }
    summary.needs_owner = (await usersRepository(database.db).countUsers()) === 0
  } catch (e) {
    await database.close()
    throw e
  }
  if (!o.serve) {
    await database.close()
    output(o.json, summary, `Demo data ready in ${String(summary.location)}. Start it with: fedele serve --data ${String(summary.location)}`)
    return
  }
  // The server takes over the open database (closing and opening PGlite again cost ~1.5 s).
  const server = await serveCommand({ data: o.data, port: o.port, host: o.host, json: o.json }, 'fedele demo', database)
  if (!o.json) {
    process.stdout.write(
      summary.needs_owner
        ? `Open ${server.url} and create the owner account (first run); the demo data is already loaded.\n`
        : `Open ${server.url} and sign in with your account.\n`,
    )
  }
}
