import type { Command } from 'commander'
import { z } from 'zod'
import { MIN_PASSWORD_LENGTH, createUser } from '../../services/auth.service.ts'
import { usersRepository } from '../../repositories/users.repository.ts'
import { CliError, ZCommonOptions, loadEnv, output, parseOptions, withDatabase } from '../shared.ts'

const ZUserCreate = ZCommonOptions.extend({
  email: z.email(),
  password: z.string().min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`).optional(),
  role: z.enum(['owner', 'admin', 'analyst', 'agent']).default('analyst'),
  name: z.string().max(200).optional(),
  locale: z.enum(['it', 'en']).optional(),
})

export function configureUserCommand(program: Command) {
  const user = program.command('user').description('Manage users')
  user
    .command('create')
    .description('Create a user (the password comes from --password or FEDELE_PASSWORD)')
    .requiredOption('--email <email>', 'sign-in email')
    .option('--password <password>', `at least ${MIN_PASSWORD_LENGTH} characters (or env FEDELE_PASSWORD)`)
    .option('--role <role>', 'owner, admin, analyst or agent', 'analyst')
    .option('--name <name>', 'display name')
    .option('--locale <locale>', 'it or en')
    .option('--data <dir>', 'embedded data directory')
    .option('--json', 'print the result as JSON')
    .action(async (raw: Record<string, unknown>) => {
      const o = parseOptions(ZUserCreate, { ...raw, password: raw.password ?? process.env.FEDELE_PASSWORD })
      if (!o.password) throw new CliError('a password is required: --password or FEDELE_PASSWORD')
      const env = loadEnv({ FEDELE_DATA_DIR: o.data })
      const created = await withDatabase(env, 'fedele user create', async ({ db }) => {
        if (await usersRepository(db).findUserByEmail(o.email)) {
          throw new CliError(`a user with email ${o.email} already exists`)
        }
        return createUser(db, { email: o.email, password: o.password!, role: o.role, name: o.name ?? null, locale: o.locale ?? null })
      })
      output(o.json, created, `Created ${created.role} ${created.email} (id ${created.id}).`)
    })
}
