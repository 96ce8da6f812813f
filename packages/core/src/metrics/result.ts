/**
 * The value every metric function returns: the number, the inputs it came from, and, when the
 * number does not exist (a zero denominator, no data), an explicit reason instead of NaN or
 * Infinity.
 *
 * Units: rates are FRACTIONS (0.7 means 70 %; a formatter multiplies by 100 for display), money is
 * integer minor units for sums and unrounded minor units for averages, durations are milliseconds,
 * lifespans are years, NPS/eNPS are points on −100..100. The catalogue gives each metric's unit.
 */
import type { MetricId } from './catalogue.ts'

/** Why a metric has no value. */
export interface Because {
  /** `zero-denominator`: the formula divides by an input that is 0; `no-data`: nothing to measure. */
  readonly code: 'zero-denominator' | 'no-data'
  /** The input that made the value undefined (an id from the catalogue's inputs, e.g. `S`). */
  readonly input: string
  readonly en: string
  readonly it: string
}

export interface DefinedMetric<I> {
  readonly metric: MetricId
  readonly defined: true
  readonly value: number
  readonly inputs: I
}

export interface UndefinedMetric<I> {
  readonly metric: MetricId
  readonly defined: false
  /** Always null, so `result.value` can be read without narrowing. */
  readonly value: null
  readonly because: Because
  readonly inputs: I
}

/** A metric's value with its inputs, or the explicit reason it has none. */
export type MetricResult<I = Readonly<Record<string, number>>> =
  DefinedMetric<I> | UndefinedMetric<I>

/** A defined result. */
export const defined = <I>(metric: MetricId, value: number, inputs: I): DefinedMetric<I> => ({
  metric,
  defined: true,
  value,
  inputs,
})

/** An undefined result with its reason. */
export const notDefined = <I>(
  metric: MetricId,
  because: Because,
  inputs: I,
): UndefinedMetric<I> => ({
  metric,
  defined: false,
  value: null,
  because,
  inputs,
})

/**
 * `numerator / denominator`, or `because` when the denominator is 0. One division of the exact
 * inputs, so 700 / 1000 is exactly the double nearest to 0.7 (never `1 − 0.3`).
 */
export function ratio<I>(
  metric: MetricId,
  numerator: number,
  denominator: number,
  inputs: I,
  because: Omit<Because, 'code'>,
): MetricResult<I> {
  if (denominator === 0) return notDefined(metric, { code: 'zero-denominator', ...because }, inputs)
  return defined(metric, numerator / denominator, inputs)
}

/** Throws a RangeError unless `value` is a non-negative safe integer (a count or a money sum). */
export function assertCount(fn: string, field: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${fn}: ${field} must be a non-negative integer, got ${value}`)
  }
}

/** Throws a RangeError unless `value` is a finite number. */
export function assertFinite(fn: string, field: string, value: number): void {
  if (!Number.isFinite(value)) {
    throw new RangeError(`${fn}: ${field} must be a finite number, got ${value}`)
  }
}

/** Throws a RangeError unless `value` is a finite number ≥ 0. */
export function assertNonNegative(fn: string, field: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${fn}: ${field} must be a finite number ≥ 0, got ${value}`)
  }
}
