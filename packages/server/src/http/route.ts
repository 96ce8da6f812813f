import type { ErrorCode } from '@fedele/core'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import type { Permission, Principal } from './auth.ts'
import type { AppContext } from './context.ts'
import { AppError, type ErrorDetail } from './app-error.ts'

/**
 * An endpoint as data: method, path, schemas, who may call it, the errors it can return, and
 * the handler. The server registers it, validates with zod, and the OpenAPI document is
 * generated from the same object, so the two cannot drift.
 */
export type Access = 'public' | { permission: Permission }

export type RouteSpec<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> = {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** Fastify path syntax, e.g. /api/customers/:externalId */
  url: string
  operationId: string
  summary: string
  description?: string
  tags: string[]
  access: Access
  params?: P
  query?: Q
  body?: B
  /**
   * A faster recogniser of the body, asked before `body`: it returns the exact value zod would
   * (same keys, order and defaults) for bodies it can prove valid, and nothing for anything else,
   * which zod then parses, so errors and messages stay zod's. For hot ingest paths only.
   */
  fastBody?: (value: unknown) => z.infer<B> | null | undefined
  /**
   * A multipart/form-data upload instead of a JSON body: one file part named `file` plus these
   * text fields. The handler streams the file itself (`request.file()`); nothing is buffered.
   */
  upload?: { fields: z.ZodObject }
  response: R
  successStatus?: number
  errors?: ErrorCode[]
  /** Public endpoints are rate limited; sign-in gets a stricter budget. */
  rateLimit?: { max: number; timeWindowMs: number }
  bodyLimitBytes?: number
  handler: (input: {
    params: z.infer<P>
    query: z.infer<Q>
    body: z.infer<B>
    principal: Principal | undefined
    ctx: AppContext
    request: FastifyRequest
    reply: FastifyReply
  }) => Promise<z.infer<R>> | z.infer<R>
}

export type AnyRoute = RouteSpec<z.ZodType, z.ZodType, z.ZodType, z.ZodType>

export function defineRoute<
  P extends z.ZodType = z.ZodObject<Record<string, never>>,
  Q extends z.ZodType = z.ZodObject<Record<string, never>>,
  B extends z.ZodType = z.ZodUndefined,
  R extends z.ZodType = z.ZodType,
>(spec: RouteSpec<P, Q, B, R>): AnyRoute {
  return spec as unknown as AnyRoute
}

/** zod issues → error details naming the field path, e.g. `records[3].placed_at`. */
export function issuesToDetails(error: z.ZodError, prefix: string): ErrorDetail[] {
  return error.issues.map((issue) => ({
    path: formatPath(prefix, issue.path),
    message: issue.message,
    code: issue.code,
  }))
}

export function formatPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`
    else out += out ? `.${String(part)}` : String(part)
  }
  return out
}

export function parseOrThrow<T extends z.ZodType>(
  schema: T | undefined,
  value: unknown,
  where: string,
): z.infer<T> {
  if (!schema) return undefined as z.infer<T>
  const result = schema.safeParse(value)
  if (!result.success) throw new AppError('validation_failed', issuesToDetails(result.error, where))
  return result.data
}
