import type { Command } from 'commander'
import { z } from 'zod'
import { createApiKey } from '../../services/auth.service.ts'
import { ZCommonOptions, loadEnv, output, parseOptions, withDatabase } from '../shared.ts'

const ZApiKeyCreate = ZCommonOptions.extend({
  name: z.string().min(1).max(100),
  scopes: z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(['read', 'write', 'ingest'])).min(1)),
})

export function configureApiKeyCommand(program: Command) {
  const apikey = program.command('apikey').description('Manage API keys')
  apikey
    .command('create')
    .description('Create an API key; its secret is printed once and stored only as a hash')
    .requiredOption('--name <name>', 'what the key is for, e.g. "shop integration"')
    .option('--scopes <list>', 'comma-separated: read, write, ingest', 'read')
    .option('--data <dir>', 'embedded data directory')
    .option('--json', 'print the result as JSON')
    .action(async (raw: unknown) => {
      const o = parseOptions(ZApiKeyCreate, raw)
      const env = loadEnv({ FEDELE_DATA_DIR: o.data })
      const key = await withDatabase(env, 'fedele apikey create', ({ db }) =>
        createApiKey(db, { name: o.name, scopes: o.scopes, createdBy: null }),
      )
      output(
        o.json,
        key,
        `API key "${key.name}" (${key.scopes.join(', ')}):\n\n  ${key.key}\n\nStore it now: it will not be shown again.`,
      )
    })
}
