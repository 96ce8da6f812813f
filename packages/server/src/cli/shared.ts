import { z } from 'zod'
import { readEnv, type Env } from '../config/env.ts'
import { openDatabase, type Database } from '../db/database.ts'

/** An expected CLI failure: printed as one clear line (or JSON), exit code 1 or the given one. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    readonly details: unknown = undefined,
  ) {
    super(message)
    this.name = 'CliError'
  }
}

export const ZCommonOptions = z.object({
  data: z.string().min(1).optional(),
  json: z.boolean().optional(),
})

export function loadEnv(overrides: Partial<Record<keyof Env, string | undefined>> = {}): Env {
  const source: Record<string, string | undefined> = { ...process.env }
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) source[k] = v
  const parsed = readEnv(source)
  if (!parsed.ok) {
    throw new CliError(
      `invalid environment: ${parsed.issues.map((i) => `${i.variable}: ${i.message}`).join('; ')}`,
    )
  }
  return parsed.env
}

/** Parses commander's options with a zod schema; a bad value becomes one clear message. */
export function parseOptions<T extends z.ZodType>(schema: T, raw: unknown): z.infer<T> {
  const result = schema.safeParse(raw)
  if (result.success) return result.data
  const msg = result.error.issues
    .map((i) => `--${String(i.path[0] ?? '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${i.message}`)
    .join('; ')
  throw new CliError(`invalid option ${msg}`)
}

export async function withDatabase<T>(
  env: Env,
  command: string,
  fn: (db: Database) => Promise<T>,
  options: { sharedBuffersMb?: number } = {},
): Promise<T> {
  const database = await openDatabase({
    databaseUrl: env.DATABASE_URL,
    dataDir: env.FEDELE_DATA_DIR,
    command,
    ...options,
  })
  try {
    return await fn(database)
  } finally {
    await database.close()
  }
}

export function output(json: boolean | undefined, value: unknown, human: string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human}\n`)
}
