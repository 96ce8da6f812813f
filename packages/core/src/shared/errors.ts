/**
 * One registry of error codes. The HTTP layer maps a code to its status, the OpenAPI document
 * lists each endpoint's codes, and the dashboard and CLI show the message in the user's language.
 * Defined once so the server, the CLI and the page cannot disagree.
 */
export const ERRORS = {
  validation_failed: {
    status: 400,
    en: 'The request is not valid; see details for each field.',
    it: 'La richiesta non è valida; vedi i dettagli per ogni campo.',
  },
  duplicate_external_id: {
    status: 400,
    en: 'The same external id appears more than once in the batch.',
    it: 'Lo stesso identificativo esterno compare più volte nel lotto.',
  },
  unknown_reference: {
    status: 400,
    en: 'A referenced record does not exist.',
    it: 'Un record a cui si fa riferimento non esiste.',
  },
  mixed_currencies: {
    status: 400,
    en: 'Amounts in different currencies cannot be added without a conversion rate.',
    it: 'Importi in valute diverse non si possono sommare senza un tasso di cambio.',
  },
  unauthenticated: {
    status: 401,
    en: 'Sign in or send a valid API key.',
    it: 'Accedi o invia una chiave API valida.',
  },
  invalid_credentials: {
    status: 401,
    en: 'Email or password is wrong.',
    it: 'Email o password errate.',
  },
  forbidden: {
    status: 403,
    en: 'Your role or key does not allow this.',
    it: 'Il tuo ruolo o la tua chiave non lo consentono.',
  },
  csrf_failed: {
    status: 403,
    en: 'Missing or wrong CSRF token; reload the page.',
    it: 'Token CSRF mancante o errato; ricarica la pagina.',
  },
  not_found: {
    status: 404,
    en: 'Not found.',
    it: 'Non trovato.',
  },
  already_set_up: {
    status: 409,
    en: 'Fedele already has an owner; sign in instead.',
    it: 'Fedele ha già un proprietario; accedi.',
  },
  conflict: {
    status: 409,
    en: 'The record already exists.',
    it: 'Il record esiste già.',
  },
  idempotency_key_reused: {
    status: 422,
    en: 'This idempotency key was used with a different request.',
    it: 'Questa chiave di idempotenza è stata usata con una richiesta diversa.',
  },
  payload_too_large: {
    status: 413,
    en: 'The request body is too large.',
    it: 'Il corpo della richiesta è troppo grande.',
  },
  rate_limited: {
    status: 429,
    en: 'Too many requests; try again shortly.',
    it: 'Troppe richieste; riprova tra poco.',
  },
  not_ready: {
    status: 503,
    en: 'The service is not ready.',
    it: 'Il servizio non è pronto.',
  },
  internal: {
    status: 500,
    en: 'Something went wrong on our side; the error was logged.',
    it: 'Qualcosa è andato storto da parte nostra; l’errore è stato registrato.',
  },
} as const satisfies Record<string, { status: number; en: string; it: string }>

export type ErrorCode = keyof typeof ERRORS
export type Locale = 'it' | 'en'

export function errorMessage(code: ErrorCode, locale: Locale): string {
  return ERRORS[code][locale]
}
