import { ERRORS, type ErrorCode } from '@fedele/core'

/** A detail of a failed request: which field, and why. */
export type ErrorDetail = { path: string; message: string; value?: unknown; code?: string }

/** An expected failure with a registry code; the HTTP error handler turns it into a response. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly details: ErrorDetail[] = [],
    message?: string,
  ) {
    super(message ?? ERRORS[code].en)
    this.name = 'AppError'
  }
  get status(): number {
    return ERRORS[this.code].status
  }
}
