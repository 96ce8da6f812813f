import { existsSync, accessSync, constants, mkdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { resolve } from 'node:path'
import type { Command } from 'commander'
import { sql } from 'kysely'
import { readEnv } from '../../config/env.ts'
import { DataDirInUseError } from '../../db/data-dir-lock.ts'
import { maskUrl, openDatabase, pendingMigrations } from '../../db/database.ts'
import { WEB_DIST } from '../../http/app.ts'
import { usersRepository } from '../../repositories/users.repository.ts'
import { ZCommonOptions, output, parseOptions } from '../shared.ts'

export type Check = { check: string; status: 'ok' | 'warn' | 'fail'; message: string; fix?: string }

export function configureDoctorCommand(program: Command) {
  program
    .command('doctor')
    .description('Check the setup and say what is wrong and how to fix it')
    .option('--data <dir>', 'embedded data directory')
    .option('--json', 'print the checks as JSON')
    .action(async (raw: unknown) => {
      const o = parseOptions(ZCommonOptions, raw)
      const checks = await doctor(o.data)
      const icon = { ok: '✔', warn: '!', fail: '✘' }
      output(
        o.json,
        { ok: checks.every((c) => c.status !== 'fail'), checks },
        checks
          .map((c) => `${icon[c.status]} ${c.check}: ${c.message}${c.fix ? `\n    fix: ${c.fix}` : ''}`)
          .join('\n'),
      )
      if (checks.some((c) => c.status === 'fail')) process.exitCode = 1
    })
}

export async function doctor(data?: string): Promise<Check[]> {
  const checks: Check[] = []
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number)
  checks.push(
    major > 20 || (major === 20 && minor >= 19)
      ? { check: 'node', status: 'ok', message: `Node.js ${process.versions.node}` }
      : { check: 'node', status: 'fail', message: `Node.js ${process.versions.node} is too old`, fix: 'install Node.js 20.19 or newer' },
  )
  const parsed = readEnv({ ...process.env, ...(data ? { FEDELE_DATA_DIR: data } : {}) })
  if (!parsed.ok) {
    checks.push({
      check: 'environment',
      status: 'fail',
      message: parsed.issues.map((i) => `${i.variable}: ${i.message}`).join('; '),
      fix: 'correct the variables named above (see the README configuration table)',
    })
    return checks
  }
  const env = parsed.env
  checks.push({ check: 'environment', status: 'ok', message: 'variables are valid' })

  if (env.DATABASE_URL) {
    checks.push({ check: 'database', status: 'ok', message: `PostgreSQL at ${maskUrl(env.DATABASE_URL)}` })
  } else {
    const dir = resolve(env.FEDELE_DATA_DIR)
    try {
      mkdirSync(dir, { recursive: true })
      accessSync(dir, constants.W_OK)
      checks.push({
        check: 'data directory',
        status: 'ok',
        message: `${dir} is writable (embedded PGlite; not safe against power loss: use PostgreSQL in production)`,
      })
    } catch (e) {
      checks.push({ check: 'data directory', status: 'fail', message: `${dir}: ${(e as Error).message}`, fix: 'choose a writable directory with --data or FEDELE_DATA_DIR' })
      return checks
    }
  }

  try {
    const database = await openDatabase({
      databaseUrl: env.DATABASE_URL,
      dataDir: env.FEDELE_DATA_DIR,
      command: 'fedele doctor',
      migrate: false,
    })
    try {
      if (database.kind === 'postgres') {
        const v = await sql<{ v: string }>`show server_version`.execute(database.db)
        const ver = v.rows[0]?.v ?? '?'
        const ok = Number(ver.split('.')[0]) >= 15
        checks.push({ check: 'postgresql', status: ok ? 'ok' : 'fail', message: `server version ${ver}`, ...(ok ? {} : { fix: 'use PostgreSQL 15 or newer' }) })
      }
      const pending = await pendingMigrations(database.db)
      checks.push(
        pending.length === 0
          ? { check: 'schema', status: 'ok', message: 'all migrations applied' }
          : { check: 'schema', status: 'warn', message: `${pending.length} migration(s) pending: ${pending.join(', ')}`, fix: 'run fedele migrate (fedele serve also applies them)' },
      )
      if (pending.length === 0) {
        const users = await usersRepository(database.db).countUsers()
        checks.push(
          users > 0
            ? { check: 'users', status: 'ok', message: `${users} user(s)` }
            : { check: 'users', status: 'warn', message: 'no owner yet', fix: 'open the dashboard to create the owner, or run fedele user create --role owner' },
        )
      }
    } finally {
      await database.close()
    }
  } catch (e) {
    if (e instanceof DataDirInUseError) {
      checks.push({ check: 'database', status: 'warn', message: e.message, fix: 'this is expected while fedele serve runs; stop it to run the other checks' })
    } else {
      checks.push({
        check: 'database',
        status: 'fail',
        message: (e as Error).message,
        fix: env.DATABASE_URL ? 'check that PostgreSQL runs and DATABASE_URL is right' : 'check the data directory; restore a backup if it is damaged',
      })
    }
  }

  checks.push(
    existsSync(`${WEB_DIST}index.html`)
      ? { check: 'dashboard', status: 'ok', message: 'the web build is present' }
      : { check: 'dashboard', status: 'warn', message: 'the dashboard has not been built', fix: 'npm run build -w @fedele/web' },
  )

  const portFree = await new Promise<boolean>((res) => {
    const srv = createServer()
    srv.once('error', () => res(false))
    srv.listen(env.FEDELE_PORT, env.FEDELE_HOST, () => srv.close(() => res(true)))
  })
  checks.push(
    portFree
      ? { check: 'port', status: 'ok', message: `${env.FEDELE_HOST}:${env.FEDELE_PORT} is free` }
      : { check: 'port', status: 'warn', message: `${env.FEDELE_HOST}:${env.FEDELE_PORT} is in use (perhaps by fedele serve)`, fix: 'use --port or FEDELE_PORT to pick another' },
  )
  return checks
}
