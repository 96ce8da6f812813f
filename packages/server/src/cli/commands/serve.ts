import type { Command } from 'commander'
import { z } from 'zod'
import type { Database } from '../../db/database.ts'
import { createLogger } from '../../logger.ts'
import { startServer, type RunningServer } from '../../server.ts'
import { ZCommonOptions, loadEnv, parseOptions } from '../shared.ts'

const ZServeOptions = ZCommonOptions.extend({
  port: z.coerce.number().int().min(0).max(65535).optional(),
  host: z.string().min(1).optional(),
})

export function configureServeCommand(program: Command) {
  program
    .command('serve')
    .description('Run the HTTP API, the dashboard and the background jobs in one process')
    .option('--port <port>', 'HTTP port (default 3000, env FEDELE_PORT)')
    .option('--host <host>', 'interface to listen on (default 127.0.0.1, env FEDELE_HOST)')
    .option('--data <dir>', 'embedded data directory (default ./fedele-data, env FEDELE_DATA_DIR)')
    .option('--json', 'print the start-up line as JSON')
    .action(async (raw: unknown) => {
      const o = parseOptions(ZServeOptions, raw)
      await serveCommand(o)
    })
}

export async function serveCommand(
  o: z.infer<typeof ZServeOptions>,
  command = 'fedele serve',
  /** An open database to serve from (the demo's); closed with the server. */
  database?: Database,
): Promise<RunningServer> {
  const env = loadEnv({
    FEDELE_DATA_DIR: o.data,
    FEDELE_PORT: o.port?.toString(),
    FEDELE_HOST: o.host,
  })
  const log = createLogger(env)
  const t0 = performance.now()
  const server = await startServer(env, log, database ? { command, database } : { command })
  const ms = Math.round(performance.now() - t0)
  const info = { url: server.url, database: server.ctx.database.kind, location: server.ctx.database.location, startup_ms: ms }
  process.stdout.write(
    o.json
      ? `${JSON.stringify(info)}\n`
      : `Fedele ${server.ctx.version} is running at ${server.url} (${info.database}: ${info.location}, ready in ${ms} ms)\n` +
          `API reference: ${server.url}/api/docs · Stop with Ctrl+C\n`,
  )
  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down')
    server
      .close()
      .then(() => process.exit(0))
      .catch((e: unknown) => {
        log.error({ err: e }, 'error during shutdown')
        process.exit(1)
      })
  }
  process.once('SIGINT', () => shutdown('SIGINT'))
  process.once('SIGTERM', () => shutdown('SIGTERM'))
  return server
}
