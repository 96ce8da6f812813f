import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import pino from 'pino'
import { readEnv } from '../src/config/env.ts'
import { buildApp } from '../src/http/app.ts'
import type { AppContext } from '../src/http/context.ts'
import { createContext } from '../src/server.ts'
import { freshDatabase, type TestDatabase } from './databases.ts'
import type { DatabaseKind } from '../src/db/database.ts'

/** A real app on a real database, driven through Fastify's inject (no socket needed). */
export type TestApp = {
  app: FastifyInstance
  ctx: AppContext
  db: TestDatabase
  close: () => Promise<void>
  /** Signs in as the first-run owner; returns cookie + CSRF headers for writes. */
  owner: () => Promise<Record<string, string>>
  apiKey: (scopes: ('read' | 'write' | 'ingest')[]) => Promise<Record<string, string>>
}

export async function startTestApp(
  kind: DatabaseKind,
  env: Record<string, string> = {},
): Promise<TestApp> {
  const db = await freshDatabase(kind)
  const parsed = readEnv({ FEDELE_LOG_LEVEL: 'silent', ...env })
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
  const ctx = await createContext(parsed.env, pino({ level: 'silent' }), db)
  const app = await buildApp(ctx, { serveWeb: false })
  let ownerHeaders: Record<string, string> | undefined
  const owner = async () => {
    if (ownerHeaders) return ownerHeaders
    const res = await app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: { email: 'owner@example.it', password: 'a long enough password' },
    })
    if (res.statusCode !== 201) throw new Error(`setup failed: ${res.body}`)
    ownerHeaders = { cookie: sessionCookie(res), 'x-csrf-token': res.json().csrf_token as string }
    return ownerHeaders
  }
  return {
    app,
    ctx,
    db,
    owner,
    apiKey: async (scopes) => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/api-keys',
        headers: await owner(),
        payload: { name: `test ${scopes.join('+')}`, scopes },
      })
      if (res.statusCode !== 201) throw new Error(`api key failed: ${res.body}`)
      return { authorization: `Bearer ${res.json().key as string}` }
    },
    close: async () => {
      await app.close()
      await db.close()
    },
  }
}

export function sessionCookie(res: LightMyRequestResponse): string {
  const c = res.cookies.find((x) => x.name === 'fedele_session')
  if (!c) throw new Error('no session cookie')
  return `fedele_session=${c.value}`
}
