import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  annualChurnRate,
  aov,
  arpc,
  averageLifespan,
  ces,
  churnRate,
  churnRateInverse,
  classifyLifecycle,
  clv,
  cohortRetention,
  crr,
  csat,
  cumulativeRevenuePerCustomer,
  enps,
  exactRetention,
  explainCrr,
  grr,
  logoChurn,
  ltv,
  median,
  mrrFromArpc,
  netNewMrr,
  nps,
  nrr,
  purchaseFrequency,
  repeatPurchaseRate,
  retentionRate,
  retentionSplit,
  revenueChurn,
  revenueRetention,
} from './formulas.ts'

describe('worked examples of metrics.md, from aggregate inputs', () => {
  it('#1 S = 1000, E = 900, N = 200 → CRR = 70 %, churn (inverse) = 30 %', () => {
    expect(crr({ S: 1000, E: 900, N: 200 })).toEqual({
      metric: 'crr',
      defined: true,
      value: 0.7,
      inputs: { S: 1000, E: 900, N: 200 },
    })
    expect(churnRateInverse({ S: 1000, E: 900, N: 200 }).value).toBe(0.3)
  })

  it('#2 S = 70, N = 30, 10 lost, E = 90 → CRR = 60/70 = 85.71… %', () => {
    const result = crr({ S: 70, E: 90, N: 30 })
    expect(result.value).toBe(60 / 70)
    expect(Math.round((result.value ?? 0) * 100)).toBe(86)
    expect(retentionSplit({ S: 70, E: 90, N_end: 30, retained: 60 })).toEqual({
      retained: 60,
      reactivated: 0,
      lost: 10,
    })
  })

  it('#3 1000 at the start, 50 lost → churn = 5 %', () => {
    expect(churnRate({ S: 1000, lost: 50 }).value).toBe(0.05)
  })

  it('#4 50 per purchase, 4 a year, 5 years → CLV = 1000', () => {
    expect(
      clv({ averagePurchaseValue: 50, purchaseFrequencyPerYear: 4, lifespanYears: 5 }).value,
    ).toBe(1000)
    // In minor units, with the lifespan from a 20 % annual churn.
    const lifespan = averageLifespan({ annualChurnRate: 0.2 })
    expect(lifespan.value).toBe(5)
    expect(
      clv({
        averagePurchaseValue: 5000,
        purchaseFrequencyPerYear: 4,
        lifespanYears: lifespan.value ?? 0,
      }).value,
    ).toBe(100_000)
  })

  it('#5 200 of 1000 purchased more than once → repeat purchase rate = 20 %', () => {
    expect(repeatPurchaseRate({ repeatCustomers: 200, orderingCustomers: 1000 }).value).toBe(0.2)
  })

  it('#6 70 % promoters, 10 % detractors → NPS = 60', () => {
    expect(nps({ promoters: 70, passives: 20, detractors: 10 }).value).toBe(60)
    expect(nps({ promoters: 700, passives: 200, detractors: 100 }).value).toBe(60)
  })

  it('#7 400 of 500 satisfied → CSAT = 80 %', () => {
    expect(csat({ satisfied: 400, answers: 500 }).value).toBe(0.8)
  })

  it('#8 100 customers paying 50 a month → MRR = 5000', () => {
    expect(mrrFromArpc({ payingCustomers: 100, arpc: 50 }).value).toBe(5000)
    expect(arpc({ mrr: 500_000, payingCustomers: 100 }).value).toBe(5000)
  })

  it('#9 churn 5 % → retention rate = 95 %', () => {
    expect(retentionRate({ churnRate: 0.05 }).value).toBe(0.95)
    expect(exactRetention({ S: 1000, retained: 950 }).value).toBe(0.95)
  })
})

describe('zero denominators are explicit, never NaN', () => {
  it('names the input and says why, in English and Italian', () => {
    const result = crr({ S: 0, E: 5, N: 5 })
    expect(result).toMatchObject({
      defined: false,
      value: null,
      because: { code: 'zero-denominator', input: 'S' },
    })
    if (!result.defined) {
      expect(result.because.en).toContain('no customer was active at the start')
      expect(result.because.it).toContain('nessun cliente')
    }
    expect(churnRate({ S: 0, lost: 0 }).defined).toBe(false)
    expect(aov({ revenue: 0, orders: 0 }).defined).toBe(false)
    expect(purchaseFrequency({ orders: 0, orderingCustomers: 0 }).defined).toBe(false)
    expect(repeatPurchaseRate({ repeatCustomers: 0, orderingCustomers: 0 }).defined).toBe(false)
    expect(averageLifespan({ annualChurnRate: 0 })).toMatchObject({
      defined: false,
      because: { input: 'annualChurnRate' },
    })
    expect(nps({ promoters: 0, passives: 0, detractors: 0 }).defined).toBe(false)
    expect(csat({ satisfied: 0, answers: 0 }).defined).toBe(false)
    expect(ces({ scoreSum: 0, answers: 0 }).defined).toBe(false)
    expect(arpc({ mrr: 0, payingCustomers: 0 }).defined).toBe(false)
    expect(grr({ startMrr: 0, contraction: 0, churn: 0 }).defined).toBe(false)
    expect(nrr({ startMrr: 0, expansion: 0, contraction: 0, churn: 0 }).defined).toBe(false)
    expect(logoChurn({ startCustomers: 0, churnedCustomers: 0 }).defined).toBe(false)
    expect(revenueChurn({ startMrr: 0, contraction: 0, churn: 0 }).defined).toBe(false)
    expect(ltv({ arpc: 5000, churnRate: 0 }).defined).toBe(false)
    expect(cohortRetention({ cohortSize: 0, active: 0 }).defined).toBe(false)
    expect(revenueRetention({ baseRevenue: 0, revenue: 10 }).defined).toBe(false)
    expect(cumulativeRevenuePerCustomer({ cumulativeRevenue: 0, cohortSize: 0 }).defined).toBe(
      false,
    )
  })
})

describe('bad inputs are bugs: RangeError naming the field', () => {
  it('rejects negative or fractional counts and impossible splits', () => {
    expect(() => crr({ S: -1, E: 0, N: 0 })).toThrow(/crr: S must be a non-negative integer/)
    expect(() => churnRate({ S: 10, lost: 1.5 })).toThrow(/lost/)
    expect(() => churnRate({ S: 10, lost: 11 })).toThrow(RangeError)
    expect(() => retentionSplit({ S: 10, E: 5, N_end: 3, retained: 4 })).toThrow(RangeError)
    expect(() => csat({ satisfied: 6, answers: 5 })).toThrow(RangeError)
    expect(() => aov({ revenue: 10.5, orders: 1 })).toThrow(/revenue/)
    expect(() => annualChurnRate({ churnRate: 1.2, periodsPerYear: 12 })).toThrow(RangeError)
  })
})

describe('formulas', () => {
  it('compounds a monthly churn to a year', () => {
    expect(annualChurnRate({ churnRate: 0.2, periodsPerYear: 1 }).value).toBe(0.2)
    expect(annualChurnRate({ churnRate: 0.05, periodsPerYear: 12 }).value).toBeCloseTo(
      1 - 0.95 ** 12,
      15,
    )
  })

  it('computes MRR movements, GRR, NRR, logo and revenue churn, LTV', () => {
    const movements = { new: 300, expansion: 200, contraction: 100, churn: 400, reactivation: 50 }
    expect(netNewMrr(movements).value).toBe(50)
    expect(grr({ startMrr: 10_000, contraction: 100, churn: 400 }).value).toBe(0.95)
    expect(nrr({ startMrr: 10_000, expansion: 200, contraction: 100, churn: 400 }).value).toBe(0.97)
    expect(revenueChurn({ startMrr: 10_000, contraction: 100, churn: 400 }).value).toBe(0.05)
    expect(logoChurn({ startCustomers: 200, churnedCustomers: 4 }).value).toBe(0.02)
    expect(ltv({ arpc: 5000, churnRate: 0.02 }).value).toBe(250_000)
  })

  it('NPS and eNPS range from −100 to 100', () => {
    expect(nps({ promoters: 0, passives: 0, detractors: 7 }).value).toBe(-100)
    expect(enps({ promoters: 3, passives: 0, detractors: 0 })).toMatchObject({
      metric: 'enps',
      value: 100,
    })
    expect(ces({ scoreSum: 27, answers: 5 }).value).toBe(5.4)
  })

  it('computes cohort cells', () => {
    expect(cohortRetention({ cohortSize: 40, active: 10 }).value).toBe(0.25)
    expect(
      cohortRetention({ cohortSize: 40, active: 10 }, 'cohort_retention_on_or_after').metric,
    ).toBe('cohort_retention_on_or_after')
    expect(revenueRetention({ baseRevenue: 8000, revenue: 6000 }).value).toBe(0.75)
    expect(cumulativeRevenuePerCustomer({ cumulativeRevenue: 9000, cohortSize: 4 }).value).toBe(
      2250,
    )
    expect(purchaseFrequency({ orders: 12, orderingCustomers: 4 }).value).toBe(3)
    expect(aov({ revenue: 10_000, orders: 3 }).value).toBeCloseTo(3333.333, 3)
  })

  it('classifies lifecycle states', () => {
    expect(
      classifyLifecycle({ activeNow: true, activePrevious: false, firstActivityNow: true }),
    ).toBe('new')
    expect(
      classifyLifecycle({ activeNow: true, activePrevious: true, firstActivityNow: false }),
    ).toBe('returning')
    expect(
      classifyLifecycle({ activeNow: true, activePrevious: false, firstActivityNow: false }),
    ).toBe('resurrecting')
    expect(
      classifyLifecycle({ activeNow: false, activePrevious: true, firstActivityNow: false }),
    ).toBe('dormant')
    expect(
      classifyLifecycle({ activeNow: false, activePrevious: false, firstActivityNow: false }),
    ).toBe(null)
  })

  it('takes the median like DuckDB (mean of the middle two)', () => {
    expect(median([])).toBe(null)
    expect(median([5])).toBe(5)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(median([9, 1, 5])).toBe(5)
  })
})

describe('CRR against exact retention', () => {
  it('explains the difference with reactivated customers', () => {
    // Worked example #1 with 50 of the 700 "retained" actually reactivated.
    const explanation = explainCrr({ S: 1000, E: 900, N: 200, N_end: 200, retained: 650 })
    expect(explanation.crr.value).toBe(0.7)
    expect(explanation.exactRetention.value).toBe(0.65)
    expect(explanation.differs).toBe(true)
    expect(explanation.reactivated).toBe(50)
    expect(explanation.en).toContain('50 reactivated customers')
    expect(explanation.it).toContain('50 clienti riattivati')
  })

  it('explains new customers who lapsed again within the period', () => {
    const explanation = explainCrr({ S: 100, E: 95, N: 10, N_end: 7, retained: 88 })
    expect(explanation.differs).toBe(true)
    expect(explanation.newLapsed).toBe(3)
    expect(explanation.en).toContain('CRR = (E − N) / S subtracts all 10 new customers although 3')
    expect(explanation.it).toContain(
      'CRR = (E − N) / S sottrae tutti i 10 nuovi clienti anche se 3',
    )
  })

  it('says when they agree', () => {
    const explanation = explainCrr({ S: 70, E: 90, N: 30, N_end: 30, retained: 60 })
    expect(explanation.differs).toBe(false)
    expect(explanation.difference).toBe(0)
    expect(explanation.en).toContain('CRR equals exact retention')
  })

  it('CRR − exact retention = (reactivated − (N − N_end)) / S (property)', () => {
    fc.assert(
      fc.property(
        fc.nat(500),
        fc.nat(500),
        fc.nat(500),
        fc.nat(500),
        fc.nat(500),
        (retained, lost, reactivated, newEnd, newLapsed) => {
          const S = retained + lost
          const N_end = newEnd
          const N = newEnd + newLapsed
          const E = retained + reactivated + N_end
          const explanation = explainCrr({ S, E, N, N_end, retained })
          expect(explanation.reactivated).toBe(reactivated)
          if (S > 0) {
            const gap = (explanation.crr.value ?? 0) - (explanation.exactRetention.value ?? 0)
            expect(gap).toBeCloseTo((reactivated - newLapsed) / S, 12)
            // churn (exact) + retention = 1 and the inverse churn + CRR = 1
            expect(
              (churnRate({ S, lost }).value ?? 0) + (exactRetention({ S, retained }).value ?? 0),
            ).toBeCloseTo(1, 12)
            expect(
              (churnRateInverse({ S, E, N }).value ?? 0) + (crr({ S, E, N }).value ?? 0),
            ).toBeCloseTo(1, 12)
          } else {
            expect(explanation.difference).toBe(null)
          }
        },
      ),
    )
  })
})
