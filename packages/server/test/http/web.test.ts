import { brotliDecompressSync, gunzipSync } from 'node:zlib'
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
    // The page is checked on every load; the assets it names (content-hashed) are kept for good,
    // and sent precompressed to browsers that accept it.
    expect(root.headers['cache-control']).toBe('no-cache')
    expect(deep.headers['cache-control']).toBe('no-cache')
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(root.body)?.[1]
    if (!script) throw new Error('no script in the page')
    const plain = await app.inject(script)
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(plain.headers['content-encoding']).toBeUndefined()
    const br = await app.inject({ url: script, headers: { 'accept-encoding': 'br, gzip' } })
    expect(br.headers['content-encoding']).toBe('br')
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2)
    expect(brotliDecompressSync(br.rawPayload).equals(plain.rawPayload)).toBe(true)
    const gz = await app.inject({ url: script, headers: { 'accept-encoding': 'gzip' } })
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(gz.rawPayload).equals(plain.rawPayload)).toBe(true)
    const api = await app.inject('/api/nothing-here')
    expect(api.statusCode).toBe(404)
    expect(api.json().error.code).toBe('not_found')
  })
})
