/**
 * End-to-end reproduction of the published CDNOW results (Fader, Hardie & Lee 2005 and the
 * libraries that re-estimated them; numbers and sources in shared/reference/clv-models.md).
 * The calibration summary is built here from CDNOW_sample.txt: same-day purchases merged,
 * calibration 1997-01-01…1997-09-30 (39 weeks), holdout to 1998-06-30, times in weeks (days/7).
 */
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, it, expect } from 'vitest'
import { assessFitData } from './assess.ts'
import {
  bgnbdExpectedPurchases,
  bgnbdExpectedPurchasesNewCustomer,
  bgnbdFit,
  bgnbdLogLikelihood,
  bgnbdProbabilityAlive,
  bgnbdProbabilityOfPurchases,
} from './bgnbd.ts'
import type { BgnbdParams } from './bgnbd.ts'
import { expectedCumulativePurchases } from './forecast.ts'
import { gammaGammaExpectedValue, gammaGammaFit, spendFrequencyCorrelation } from './gamma-gamma.ts'
import {
  paretoNbdExpectedPurchases,
  paretoNbdExpectedPurchasesNewCustomer,
  paretoNbdFit,
  paretoNbdProbabilityAlive,
} from './pareto-nbd.ts'
import { compressRfm, compressSpend } from './rfm.ts'

const DATA_DIR = new URL('../../../../../shared/data/cdnow/', import.meta.url)

function readShared(name: string): string {
  const url = new URL(name, DATA_DIR)
  const path = fileURLToPath(url)
  if (!existsSync(path)) {
    throw new Error(
      `CDNOW data file missing: ${path}. These tests reproduce published results and need ` +
        `shared/data/cdnow/ next to the project (see shared/data/cdnow/SOURCE.md).`,
    )
  }
  return readFileSync(path, 'utf8')
}

interface Customer {
  id: number
  x: number
  tx: number
  T: number
  /** First purchase, weeks since 1997-01-01. */
  birth: number
  /** Repeat purchase days in the holdout (1997-10-01…1998-06-30). */
  holdout: number
  /** Mean value of the calibration repeat purchases (0 when x = 0). */
  m: number
}

const DAY = 86_400_000
const ORIGIN = Date.UTC(1997, 0, 1) / DAY
const CUTOFF = Date.UTC(1997, 8, 30) / DAY
const END = Date.UTC(1998, 5, 30) / DAY

function loadCdnow(): Customer[] {
  const days = new Map<number, Map<number, number>>()
  for (const line of readShared('CDNOW_sample.txt').split(/\r?\n/)) {
    const f = line.trim().split(/\s+/)
    if (f.length < 5) continue
    const id = Number(f[1])
    const d = f[2] as string
    const day =
      Date.UTC(Number(d.slice(0, 4)), Number(d.slice(4, 6)) - 1, Number(d.slice(6, 8))) / DAY
    const perDay = days.get(id) ?? new Map<number, number>()
    perDay.set(day, (perDay.get(day) ?? 0) + Number(f[4])) // merge same-day transactions
    days.set(id, perDay)
  }
  return [...days.entries()]
    .sort((u, v) => u[0] - v[0])
    .map(([id, perDay]) => {
      const sorted = [...perDay.keys()].sort((u, v) => u - v)
      const first = sorted[0] as number
      const calibration = sorted.filter((d) => d <= CUTOFF)
      const repeats = calibration.slice(1)
      const last = calibration[calibration.length - 1] as number
      const value = repeats.reduce((s, d) => s + (perDay.get(d) as number), 0)
      return {
        id,
        x: repeats.length,
        tx: (last - first) / 7,
        T: (CUTOFF - first) / 7,
        birth: (first - ORIGIN) / 7,
        holdout: sorted.filter((d) => d > CUTOFF && d <= END).length,
        m: repeats.length > 0 ? value / repeats.length : 0,
      }
    })
}

function parseCsv(name: string): Record<string, number>[] {
  const [header, ...lines] = readShared(name).trim().split(/\r?\n/)
  const keys = (header as string).split(',')
  return lines.map((line) => {
    const values = line.split(',').map(Number)
    return Object.fromEntries(keys.map((k, i) => [k, values[i] as number]))
  })
}

/** Same number to `digits` significant figures. */
function expectSigFigs(got: number, want: number, digits: number): void {
  expect(Number(got.toPrecision(digits)), `got ${got}, want ${want}`).toBe(
    Number(want.toPrecision(digits)),
  )
}

function expectRel(got: number, want: number, tol: number): void {
  const rel = Math.abs(got - want) / Math.abs(want)
  expect(rel, `got ${got}, want ${want} (relative error ${rel})`).toBeLessThanOrEqual(tol)
}

const customers = loadCdnow()
const rfm = compressRfm(customers)
const spend = compressSpend(customers)

describe('CDNOW sample: data preparation (FHL 2005 conventions)', () => {
  it('has 2,357 customers, 1,411 without and 946 with repeat purchases, 2,457 / 1,882 repeats', () => {
    expect(customers.length).toBe(2357)
    expect(customers.filter((c) => c.x === 0).length).toBe(1411)
    expect(spend.customers).toBe(946)
    expect(customers.reduce((s, c) => s + c.x, 0)).toBe(2457)
    expect(customers.reduce((s, c) => s + c.holdout, 0)).toBe(1882)
    expect(rfm.customers).toBe(2357)
    expect(rfm.x.length).toBeLessThan(1100) // 2,357 customers compress to ~1,000 distinct tuples
  })

  it('rounded to 2 dp, equals the lifetimes CSVs row for row (so both describe the same sample)', () => {
    const summary = parseCsv('cdnow_customers_summary.csv')
    const withValues = parseCsv('cdnow_customers_summary_with_transactions.csv')
    expect(summary.length).toBe(2357)
    const round2 = (v: number): number => Math.round(v * 100) / 100
    customers.forEach((c, i) => {
      const row = summary[i] as Record<string, number>
      expect([row.ID, row.frequency, row.recency, row.T]).toEqual([
        c.id,
        c.x,
        round2(c.tx),
        round2(c.T),
      ])
      // zbar is rounded to 2 dp (22.345 → 22.35), so allow half a cent plus float noise.
      expect(
        Math.abs(((withValues[i] as Record<string, number>).zbar as number) - c.m),
      ).toBeLessThanOrEqual(0.005 + 1e-9)
    })
  })

  it('passes the data-threshold check', () => {
    const result = assessFitData(rfm, { spend })
    expect(result.ok).toBe(true)
    if (result.ok) expect(result.value.cyclesObserved).toBeGreaterThan(4)
  })
})

describe('CDNOW: BG/NBD (FHL 2005)', () => {
  const fit = bgnbdFit(rfm)

  it('reproduces r = 0.243, α = 4.414, a = 0.793, b = 2.426 and LL = −9582.43', () => {
    expect(fit.converged).toBe(true)
    expectSigFigs(fit.params.r, 0.243, 3)
    expectSigFigs(fit.params.alpha, 4.414, 3)
    expectSigFigs(fit.params.a, 0.793, 3)
    expectSigFigs(fit.params.b, 2.426, 3)
    expect(Math.abs(fit.logLikelihood - -9582.43)).toBeLessThan(0.005)
    // Independent re-implementation on the same exact data (reference §1.2): 1e-5 relative.
    expectRel(fit.params.r, 0.242595, 1e-5)
    expectRel(fit.params.alpha, 4.413602, 1e-5)
    expectRel(fit.params.a, 0.792922, 1e-5)
    expectRel(fit.params.b, 2.425907, 1e-5)
    expect(fit.logLikelihood).toBeCloseTo(-9582.4292, 4)
    expect(bgnbdLogLikelihood({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, rfm)).toBeCloseTo(
      -9582.4305,
      4,
    )
  })

  it('reports standard errors like lifetimes’ Quickstart (0.0126, 0.378, 0.186, 0.705)', () => {
    expectRel(fit.standardErrors.r, 0.012557, 2e-3)
    expectRel(fit.standardErrors.alpha, 0.378221, 2e-3)
    expectRel(fit.standardErrors.a, 0.185719, 2e-3)
    expectRel(fit.standardErrors.b, 0.705345, 2e-3)
  })

  it('E[Y(39)] = 1.226 for x = 2, t_x = 30.43, T = 38.86; customer 1516 E[Y(52)] = 25.757, P(alive) = 0.96885', () => {
    expect(bgnbdExpectedPurchases(fit.params, { x: 2, tx: 30.43, T: 38.86 }, 39)).toBeCloseTo(
      1.226,
      3,
    )
    const c1516 = customers[1515] as Customer
    expect(c1516.id).toBe(1516)
    expect([c1516.x, c1516.tx, c1516.T]).toEqual([26, 216 / 7, 31])
    expectSigFigs(bgnbdExpectedPurchases(fit.params, c1516, 52), 25.757, 5)
    expectSigFigs(bgnbdProbabilityAlive(fit.params, c1516), 0.96885, 5)
  })

  it('holdout tracking: cumulative repeat purchases under-forecast by 4.0 % at week 78', () => {
    const births = customers.map((c) => c.birth)
    const ex = (t: number): number => bgnbdExpectedPurchasesNewCustomer(fit.params, t)
    const weekly = expectedCumulativePurchases(ex, births, [20, 21, 22, 23, 24, 25])
    // BTYD §4.4 expected cumulative repeat transactions, weeks 20–25.
    ;[1312.458, 1387.346, 1460.392, 1531.713, 1601.418, 1669.6].forEach((v, i) =>
      expect(weekly[i]).toBeCloseTo(v, 0),
    )
    const [at39, at78] = expectedCumulativePurchases(ex, births, [39, 78])
    expect(at39).toBeCloseTo(2501.5, 0)
    expect(at78).toBeCloseTo(4165.7, 0)
    const actual78 = 2457 + 1882
    expect(((at78 as number) - actual78) / actual78).toBeCloseTo(-0.04, 3)
  })

  it('conditional expectations by calibration frequency (BTYD §4.4) and the holdout actuals', () => {
    const btyd: BgnbdParams = { r: 0.2425982, alpha: 4.4136842, a: 0.7929899, b: 2.4261667 }
    const predicted = [
      0.2250893, 0.5231364, 1.044126, 1.520256, 2.163824, 2.653789, 3.503957, 6.157036,
    ]
    const actual = [0.237, 0.697, 1.393, 1.56, 2.532, 2.947, 3.862, 6.359]
    for (let bin = 0; bin < 8; bin++) {
      const members = customers.filter((c) => (bin === 7 ? c.x >= 7 : c.x === bin))
      const mean = (f: (c: Customer) => number): number =>
        members.reduce((s, c) => s + f(c), 0) / members.length
      expectRel(
        mean((c) => bgnbdExpectedPurchases(btyd, c, 39)),
        predicted[bin] as number,
        1e-5,
      )
      expect(mean((c) => c.holdout)).toBeCloseTo(actual[bin] as number, 3)
    }
  })

  it('calibration histogram fit: χ² = 4.82 on 0…6, 7+ (FHL 2005)', () => {
    const observed = new Array<number>(8).fill(0)
    const expected = new Array<number>(8).fill(0)
    for (const c of customers) {
      const bin = Math.min(c.x, 7)
      observed[bin] = (observed[bin] as number) + 1
      let head = 0
      for (let n = 0; n < 7; n++) {
        const p = bgnbdProbabilityOfPurchases(fit.params, c.T, n)
        expected[n] = (expected[n] as number) + p
        head += p
      }
      expected[7] = (expected[7] as number) + 1 - head
    }
    ;[1407.7, 460.3, 192.5, 101.2, 59.8, 38.1, 25.5, 71.9].forEach((v, i) =>
      expect(expected[i]).toBeCloseTo(v, 0),
    )
    const chi2 = observed.reduce(
      (s, o, i) => s + (o - (expected[i] as number)) ** 2 / (expected[i] as number),
      0,
    )
    expect(chi2).toBeCloseTo(4.82, 2)
  })

  it('on the 2-dp lifetimes CSV gives the reference’s 2-dp estimates (LL −9582.4256)', () => {
    const csv = compressRfm(
      parseCsv('cdnow_customers_summary.csv').map((r) => ({
        x: r.frequency as number,
        tx: r.recency as number,
        T: r.T as number,
      })),
    )
    const f2 = bgnbdFit(csv)
    expectRel(f2.params.r, 0.242593, 1e-5)
    expectRel(f2.params.b, 2.425754, 1e-5)
    expect(f2.logLikelihood).toBeCloseTo(-9582.4256, 3)
  })
})

describe('CDNOW: Pareto/NBD', () => {
  const fit = paretoNbdFit(rfm)

  it('reproduces r = 0.553, α = 10.578, s = 0.606, β = 11.669 and LL = −9594.98', () => {
    expect(fit.converged).toBe(true)
    expectSigFigs(fit.params.r, 0.553, 3)
    expectSigFigs(fit.params.alpha, 10.578, 3)
    expectSigFigs(fit.params.s, 0.606, 3)
    expectSigFigs(fit.params.beta, 11.669, 3)
    expect(Math.abs(fit.logLikelihood - -9594.98)).toBeLessThan(0.005)
    expect(fit.logLikelihood).toBeCloseTo(-9594.9762, 4)
    // β is weakly identified (SE ≈ 6): the reference's own MLE agrees to 2e-4 relative.
    expectRel(fit.params.beta, 11.668736, 2e-4)
  })

  it('reports standard errors like CLVTools (0.0476, 0.843, 0.187, 6.21)', () => {
    expectRel(fit.standardErrors.r, 0.0476264, 5e-3)
    expectRel(fit.standardErrors.alpha, 0.8427222, 5e-3)
    expectRel(fit.standardErrors.s, 0.1872594, 5e-3)
    expectRel(fit.standardErrors.beta, 6.2105448, 5e-3)
  })

  it('customer 1516: E[Y(52)] ≈ 25.456, P(alive) ≈ 0.99787 (BTYD §3.3); E[X(52)] ≈ 1.4734', () => {
    const c1516 = customers[1515] as Customer
    expectRel(paretoNbdExpectedPurchases(fit.params, c1516, 52), 25.45647, 2e-4)
    expect(paretoNbdProbabilityAlive(fit.params, c1516)).toBeCloseTo(0.997874, 5)
    expectRel(paretoNbdExpectedPurchasesNewCustomer(fit.params, 52), 1.473434, 5e-4)
  })

  it('holdout tracking: −1.5 % at week 78; zero-class holdout mean 0.138 (actual 0.237)', () => {
    const births = customers.map((c) => c.birth)
    const ex = (t: number): number => paretoNbdExpectedPurchasesNewCustomer(fit.params, t)
    const [at78] = expectedCumulativePurchases(ex, births, [78])
    expect(at78).toBeCloseTo(4275.4, 0)
    expect(((at78 as number) - 4339) / 4339).toBeCloseTo(-0.015, 3)
    const zeros = customers.filter((c) => c.x === 0)
    const mean =
      zeros.reduce((s, c) => s + paretoNbdExpectedPurchases(fit.params, c, 39), 0) / zeros.length
    expect(mean).toBeCloseTo(0.138, 3)
  })
})

describe('CDNOW: Gamma-Gamma (Fader & Hardie 2013)', () => {
  const fit = gammaGammaFit(spend)

  it('reproduces p = 6.25, q = 3.74, γ = 15.44 and LL = −4055.9177 on the 946 repeat buyers', () => {
    expect(fit.converged).toBe(true)
    expect(fit.customers).toBe(946)
    expectSigFigs(fit.params.p, 6.25, 3)
    expectSigFigs(fit.params.q, 3.74, 3)
    expectSigFigs(fit.params.gamma, 15.44, 3)
    expect(fit.params.p).toBeCloseTo(6.249574, 4)
    expect(fit.params.q).toBeCloseTo(3.744225, 4)
    expect(fit.params.gamma).toBeCloseTo(15.443516, 3)
    expect(fit.logLikelihood).toBeCloseTo(-4055.9177, 3)
  })

  it('population mean 35.1704, repeaters’ mean spend 35.0778, correlation(m, x) = 0.1139', () => {
    expect(gammaGammaExpectedValue(fit.params, 0, 0)).toBeCloseTo(35.1704, 3)
    const observed = customers.filter((c) => c.x > 0).reduce((s, c) => s + c.m, 0) / 946
    expect(observed).toBeCloseTo(35.0778, 4)
    expect(spendFrequencyCorrelation(spend)).toBeCloseTo(0.113888, 5)
  })
})

describe('CDNOW: fit timings (compressed data)', () => {
  it('BG/NBD + Gamma-Gamma and Pareto/NBD fit quickly; figures are printed', () => {
    const time = (f: () => void): number => {
      const t0 = performance.now()
      f()
      return performance.now() - t0
    }
    const runs = (f: () => void, n: number): number[] => Array.from({ length: n }, () => time(f))
    const both = (): void => {
      bgnbdFit(rfm)
      gammaGammaFit(spend)
    }
    const bg = runs(both, 7).sort((u, v) => u - v)
    const pn = runs(() => paretoNbdFit(rfm), 5).sort((u, v) => u - v)
    const median = (v: number[]): number => v[v.length >> 1] as number
    console.log(
      `CDNOW fit times (ms): BG/NBD+GG median ${median(bg).toFixed(1)} (min ${bg[0]?.toFixed(1)}, max ${bg[bg.length - 1]?.toFixed(1)}); ` +
        `Pareto/NBD median ${median(pn).toFixed(1)} (min ${pn[0]?.toFixed(1)}, max ${pn[pn.length - 1]?.toFixed(1)})`,
    )
    // Budget 50 ms (BG/NBD+GG); the bound is loose so a loaded CI machine does not flake.
    expect(median(bg)).toBeLessThan(250)
    expect(median(pn)).toBeLessThan(1000)
  })
})
