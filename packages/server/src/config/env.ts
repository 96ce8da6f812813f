import { z } from 'zod'

/**
 * The one place that reads process.env. Everything else receives a parsed `Env`.
 * Kept small on purpose: options that belong to a command are command-line flags.
 */
const ZEnv = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  FEDELE_DATA_DIR: z.string().min(1).default('./fedele-data'),
  FEDELE_ANALYTICS_PATH: z.string().min(1).optional(),
  FEDELE_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  FEDELE_HOST: z.string().min(1).default('127.0.0.1'),
  FEDELE_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
  FEDELE_SECURE_COOKIES: z.enum(['auto', 'true', 'false']).default('auto'),
  FEDELE_BODY_LIMIT_MB: z.coerce.number().positive().max(1024).default(64),
  FEDELE_PUBLIC_RATE_LIMIT: z.coerce.number().int().positive().default(60),
  FEDELE_TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  FEDELE_PREDICTIONS_INTERVAL_HOURS: z.coerce.number().min(0).max(24 * 365).default(24),
})
export type Env = z.infer<typeof ZEnv>

export type EnvIssue = { variable: string; message: string }

export function readEnv(
  source: Record<string, string | undefined> = process.env,
): { ok: true; env: Env } | { ok: false; issues: EnvIssue[] } {
  const parsed = ZEnv.safeParse(source)
  if (parsed.success) return { ok: true, env: parsed.data }
  return {
    ok: false,
    issues: parsed.error.issues.map((i) => ({ variable: String(i.path[0]), message: i.message })),
  }
}

/** Documented in the README's configuration table; kept beside the schema so they cannot drift. */
export const ENV_DOCS: Record<keyof Env, string> = {
  DATABASE_URL: 'PostgreSQL connection URL. When unset, Fedele uses the embedded PGlite database.',
  FEDELE_DATA_DIR: 'Data directory of the embedded database and analytics replica (--data).',
  FEDELE_ANALYTICS_PATH:
    'DuckDB file of the analytics replica. Default: <data dir>/analytics.duckdb.',
  FEDELE_PORT: 'HTTP port of fedele serve (--port).',
  FEDELE_HOST: 'Interface to listen on (--host). Use 0.0.0.0 to accept remote connections.',
  FEDELE_LOG_LEVEL: 'pino log level.',
  FEDELE_SECURE_COOKIES:
    'Secure flag on session cookies: auto (when the request came over HTTPS), true or false.',
  FEDELE_BODY_LIMIT_MB: 'Largest accepted JSON request body in MB.',
  FEDELE_PUBLIC_RATE_LIMIT: 'Requests per minute per IP on public endpoints (sign-in, setup).',
  FEDELE_TRUST_PROXY: 'Trust X-Forwarded-* headers from a reverse proxy.',
  FEDELE_PREDICTIONS_INTERVAL_HOURS:
    'Hours between scheduled refits and rescorings of the predictions in fedele serve (0: only after imports and on request).',
}
