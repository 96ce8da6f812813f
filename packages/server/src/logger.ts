import pino, { type Logger } from 'pino'
import type { Env } from './config/env.ts'

/** Structured JSON logs to stderr, so stdout stays for a command's results (and --json). */
export function createLogger(env: Pick<Env, 'FEDELE_LOG_LEVEL'>): Logger {
  return pino({ level: env.FEDELE_LOG_LEVEL, base: { app: 'fedele' } }, pino.destination(2))
}
