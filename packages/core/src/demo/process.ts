/**
 * The latent generative processes of the demo business, in operational days (see calendar.ts):
 * acquisition with growing volume, BG/NBD purchase timing and Gamma-Gamma order values.
 */
import type { BgnbdParams } from '../models/bgnbd.ts'
import type { GammaGammaParams } from '../models/gamma-gamma.ts'
import type { Rng } from './random.ts'

/** Hard cap on purchases per customer; only absurd parameters (λ ≫ 1/day, p ≈ 0) reach it. */
export const MAX_PURCHASES_PER_CUSTOMER = 5000

/**
 * Acquisition time in operational days since the start of the window, with density
 * f(u) ∝ e^{κu} on [0, L], κ = ln(growth per year) / 365.2425 (growth 1 = uniform). Inverse CDF:
 * u = ln(1 + V·(e^{κL} − 1)) / κ, V ~ U(0, 1).
 */
export function sampleAcquisitionDay(rng: Rng, spanDays: number, growthPerYear: number): number {
  const v = rng.next()
  const kappa = Math.log(growthPerYear) / 365.2425
  if (Math.abs(kappa * spanDays) < 1e-9) return v * spanDays
  return Math.log1p(v * Math.expm1(kappa * spanDays)) / kappa
}

export interface BgNbdDraw {
  /** Purchase rate per day while alive, λ ~ Gamma(r, α). */
  readonly lambda: number
  /** Dropout probability after each repeat purchase, p ~ Beta(a, b). */
  readonly p: number
  /** Purchase times in operational days; the first is the acquisition itself. */
  readonly times: number[]
  /** Whether the customer dropped out at or before `end` (after the last purchase in `times`). */
  readonly dropped: boolean
}

/**
 * One customer's BG/NBD history observed on [start, end]:
 * λ ~ Gamma(r, rate α), p ~ Beta(a, b); t₀ = start; while alive, t_{k+1} = t_k + Exp(λ); a purchase
 * after `end` is not observed and ends the simulation; after each repeat purchase the customer
 * drops out with probability p. The draw order is fixed (λ, p, then per step an exponential and a
 * uniform), so the same stream always gives the same history.
 */
export function sampleBgNbd(rng: Rng, params: BgnbdParams, start: number, end: number): BgNbdDraw {
  const lambda = rng.gamma(params.r, params.alpha)
  const p = rng.beta(params.a, params.b)
  const times = [start]
  let t = start
  let dropped = false
  while (times.length < MAX_PURCHASES_PER_CUSTOMER) {
    t += rng.exponential() / lambda
    if (!(t <= end)) break
    times.push(t)
    if (rng.next() < p) {
      dropped = true
      break
    }
  }
  return { lambda, p, times, dropped }
}

/** A customer's Gamma-Gamma spend rate ν ~ Gamma(shape q, rate γ) (per euro). */
export function sampleSpendRate(rng: Rng, gg: GammaGammaParams): number {
  return rng.gamma(gg.q, gg.gamma)
}

/**
 * One order value in cents: z ~ Gamma(shape p, rate ν) euros, returned as max(1, round(100·z)).
 * Rounding to the cent changes values by at most half a cent.
 */
export function sampleOrderCents(rng: Rng, gg: GammaGammaParams, nu: number): number {
  return Math.max(1, Math.round(100 * rng.gamma(gg.p, nu)))
}
