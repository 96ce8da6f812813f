/**
 * Branded primitives: a `Cents` cannot be passed where `Points` is expected, although both are
 * integers at run time.
 */
declare const brand: unique symbol
export type Brand<T, B extends string> = T & { readonly [brand]: B }

/** Money in integer minor units of its currency (cents for EUR). Never a float. */
export type MinorUnits = Brand<number, 'MinorUnits'>
/** ISO 4217 currency code, upper case (EUR, USD). */
export type CurrencyCode = Brand<string, 'CurrencyCode'>

export const minorUnits = (n: number): MinorUnits => {
  if (!Number.isSafeInteger(n)) throw new RangeError(`minor units must be a safe integer, got ${n}`)
  return n as MinorUnits
}
