/**
 * The one way the dashboard talks to the server. Every request carries the session cookie, the
 * user's language (the server localises error messages from Accept-Language) and, on writes, the
 * CSRF token that GET /api/auth/me handed out. Failures become `ApiError` with the server's
 * message, so screens can show the error in words.
 */

export type ApiErrorDetail = { path: string; message: string }

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ApiErrorDetail[] = [],
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/** Thrown when the server could not be reached at all; the message is filled in by the UI. */
export class NetworkError extends Error {
  constructor(override readonly cause: unknown) {
    super('network')
    this.name = 'NetworkError'
  }
}

// Module state rather than React context: the client is called from query functions, which run
// outside components. The i18n and session providers keep these two values current.
let acceptLanguage = 'en'
let csrfToken: string | undefined

export function setApiLocale(locale: string) {
  acceptLanguage = locale
}

export function setCsrfToken(token: string | undefined) {
  csrfToken = token
}

type Query = Record<string, string | number | boolean | undefined | null>

export type RequestOptions = {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
  query?: Query
  /** JSON-encoded, except FormData (multipart uploads), which the browser encodes itself. */
  body?: unknown
  signal?: AbortSignal
}

export function buildUrl(path: string, query?: Query): string {
  if (!query) return path
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v))
  }
  const s = params.toString()
  return s ? `${path}?${s}` : path
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET'
  const headers: Record<string, string> = {
    accept: 'application/json',
    'accept-language': acceptLanguage,
  }
  const isForm = typeof FormData !== 'undefined' && options.body instanceof FormData
  // For FormData the browser sets multipart/form-data with its boundary: never set it by hand.
  if (options.body !== undefined && !isForm) headers['content-type'] = 'application/json'
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken

  let response: Response
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: 'include',
      body:
        options.body === undefined
          ? undefined
          : isForm
            ? (options.body as FormData)
            : JSON.stringify(options.body),
      signal: options.signal,
    })
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e
    throw new NetworkError(e)
  }

  const text = await response.text()
  let payload: unknown = undefined
  if (text) {
    try {
      payload = JSON.parse(text)
    } catch {
      payload = undefined
    }
  }
  if (!response.ok) {
    const err = (
      payload as { error?: { code?: string; message?: string; details?: ApiErrorDetail[] } }
    )?.error
    throw new ApiError(
      response.status,
      err?.code ?? 'http_error',
      err?.message ?? `HTTP ${response.status}`,
      err?.details ?? [],
    )
  }
  return payload as T
}

export function isApiError(e: unknown, status?: number): e is ApiError {
  return e instanceof ApiError && (status === undefined || e.status === status)
}
