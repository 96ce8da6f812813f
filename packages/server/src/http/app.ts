import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import cookie from '@fastify/cookie'
import multipart from '@fastify/multipart'
import rateLimit from '@fastify/rate-limit'
import fastifyStatic from '@fastify/static'
import { ERRORS, type ErrorCode, type Locale } from '@fedele/core'
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify'
import { AppError } from './app-error.ts'
import { authenticate, authorize } from './auth.ts'
import type { AppContext } from './context.ts'
import { API_DOCS_HTML, buildOpenApi } from './openapi.ts'
import { parseOrThrow, type AnyRoute } from './route.ts'
import { ROUTES } from './routes/index.ts'

export const WEB_DIST = fileURLToPath(new URL('../../../web/dist/', import.meta.url))

/** Picks it or en from the signed-in user's choice, else Accept-Language, else English. */
export function requestLocale(request: FastifyRequest): Locale {
  const header = request.headers['accept-language'] ?? ''
  const first = header.split(',')[0]?.trim().slice(0, 2).toLowerCase()
  return first === 'it' ? 'it' : 'en'
}

export async function buildApp(
  ctx: AppContext,
  opts: { routes?: AnyRoute[]; serveWeb?: boolean } = {},
): Promise<FastifyInstance> {
  const logger: FastifyBaseLogger = ctx.log
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: Math.round(ctx.env.FEDELE_BODY_LIMIT_MB * 1024 * 1024),
    trustProxy: ctx.env.FEDELE_TRUST_PROXY === 'true',
    return503OnClosing: true,
  })
  await app.register(cookie)
  await app.register(multipart, { limits: { files: 1, fields: 50, fileSize: 64 * 1024 ** 3 } })
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, context) =>
      new AppError('rate_limited', [
        { path: 'request', message: `retry after ${Math.ceil(context.ttl / 1000)} s` },
      ]),
  })

  app.setErrorHandler((error, request, reply) => {
    const locale = requestLocale(request)
    let appError: AppError
    if (error instanceof AppError) appError = error
    else if ((error as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      appError = new AppError('payload_too_large')
    else if ((error as { statusCode?: number }).statusCode === 400)
      appError = new AppError('validation_failed', [
        { path: 'body', message: (error as Error).message },
      ])
    else if ((error as { statusCode?: number }).statusCode === 415)
      appError = new AppError('validation_failed', [
        { path: 'content-type', message: (error as Error).message },
      ])
    else {
      request.log.error({ err: error }, 'unhandled error')
      appError = new AppError('internal')
    }
    return reply.status(appError.status).send(errorBody(appError.code, locale, appError.details))
  })

  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/') || request.url === '/api') {
      return reply
        .status(404)
        .send(
          errorBody('not_found', requestLocale(request), [
            { path: 'url', message: `no endpoint ${request.method} ${request.url.split('?')[0]}` },
          ]),
        )
    }
    // The dashboard is a single-page app: unknown paths get its shell.
    if (
      opts.serveWeb !== false &&
      existsSync(`${WEB_DIST}index.html`) &&
      request.method === 'GET'
    ) {
      return reply.type('text/html').sendFile('index.html', WEB_DIST)
    }
    return reply.status(404).send(errorBody('not_found', requestLocale(request)))
  })

  const routes = opts.routes ?? ROUTES
  for (const route of routes) registerRoute(app, ctx, route)

  const openapi = buildOpenApi(routes, ctx.version)
  app.get('/api/openapi.json', async () => openapi)
  app.get('/api/docs', async (_req, reply) =>
    reply
      .type('text/html')
      .header(
        'content-security-policy',
        "default-src 'self'; script-src 'unsafe-inline' 'self'; style-src 'unsafe-inline'",
      )
      .send(API_DOCS_HTML),
  )

  if (opts.serveWeb !== false && existsSync(WEB_DIST)) {
    await app.register(fastifyStatic, {
      root: WEB_DIST,
      wildcard: false,
      index: 'index.html',
      // The build writes .br and .gz copies of the assets (packages/web/vite.config.ts).
      preCompressed: true,
      setHeaders: (reply, path) => {
        reply.header('cache-control', cacheControlOf(path))
      },
    })
  }

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff')
    reply.header('referrer-policy', 'same-origin')
    reply.header('x-frame-options', 'DENY')
    return payload
  })
  return app
}

/**
 * Vite names every asset after its content, so a new build is new names: browsers may keep an
 * asset for good instead of asking again on every page load. The page itself (index.html) names
 * them, so it is checked every time and an upgrade shows at once.
 */
export function cacheControlOf(path: string): string {
  return /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache'
}

function errorBody(code: ErrorCode, locale: Locale, details: AppError['details'] = []) {
  return { error: { code, message: ERRORS[code][locale], details } }
}

function registerRoute(app: FastifyInstance, ctx: AppContext, route: AnyRoute) {
  app.route({
    method: route.method,
    url: route.url,
    ...(route.bodyLimitBytes ? { bodyLimit: route.bodyLimitBytes } : {}),
    config: {
      ...(route.access === 'public'
        ? {
            rateLimit: route.rateLimit
              ? { max: route.rateLimit.max, timeWindow: route.rateLimit.timeWindowMs }
              : { max: ctx.env.FEDELE_PUBLIC_RATE_LIMIT * 10, timeWindow: 60_000 },
          }
        : {}),
    },
    handler: async (request, reply) => {
      const principal = route.access === 'public' ? undefined : await authenticate(request, ctx)
      if (route.access !== 'public') authorize(request, principal, route.access.permission)
      const params = parseOrThrow(route.params, request.params ?? {}, '')
      const query = parseOrThrow(route.query, request.query ?? {}, '')
      const body = route.fastBody?.(request.body) ?? parseOrThrow(route.body, request.body, '')
      const result = await route.handler({ params, query, body, principal, ctx, request, reply })
      reply.status(route.successStatus ?? 200)
      return result
    },
  })
}
