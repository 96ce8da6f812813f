import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readEnv } from '../../src/config/env.ts'
import { buildApp } from '../../src/http/app.ts'
import { createContext } from '../../src/server.ts'
import { freshDatabase, type TestDatabase } from '../databases.ts'
import type { FastifyInstance } from 'fastify'

describe('serving the dashboard', () => {
  let db: TestDatabase
  let app: FastifyInstance
  beforeAll(async () => {
    db = await freshDatabase('pglite')
    const env = readEnv({ FEDELE_LOG_LEVEL: 'silent' })
    if (!env.ok) throw new Error('env')
    app = await buildApp(await createContext(env.env, pino({ level: 'silent' }), db))
  })
  afterAll(async () => {
    await app.close()
    await db.close()
  })

  it('serves the built page at / and for client-side routes, JSON 404 under /api', async () => {
    const root = await app.inject('/')
    expect(root.statusCode).toBe(200)
    expect(root.body).toContain('<div id="root">')
    expect(root.headers['x-content-type-options']).toBe('nosniff')
    const deep = await app.inject('/customers/123')
    expect(deep.body).toContain('<div id="root">')
    const api = await app.inject('/api/nothing-here')
    expect(api.statusCode).toBe(404)
    expect(api.json().error.code).toBe('not_found')
  })
})
