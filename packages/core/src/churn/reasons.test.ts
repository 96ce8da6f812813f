import { describe, expect, it } from 'vitest'
import { trainChurnModel } from './model.ts'
import { syntheticCustomers } from './test-fixtures.ts'
import {
  DOMAIN_REASON_PHRASES,
  describeChurnReasons,
  explainChurnRow,
  formatReasonNumber,
  genericReasonPhrase,
} from './reasons.ts'
import type { ChurnContribution, ChurnExplanation } from './reasons.ts'

const contribution = (over: Partial<ChurnContribution>): ChurnContribution => ({
  column: 'x',
  kind: 'numeric',
  contribution: 1,
  value: 1,
  missing: false,
  direction: 'high',
  ...over,
})

const explanation = (
  contributions: ChurnContribution[],
  values: ChurnExplanation['values'],
): ChurnExplanation => ({
  id: 'c1',
  logit: 0,
  probability: 0.5,
  baselineLogit: 0,
  baselineProbability: 0.5,
  contributions,
  values,
})

describe('formatReasonNumber', () => {
  it('formats in Italian and English without Intl', () => {
    expect(formatReasonNumber(1234.5, 'it')).toBe('1.234,5')
    expect(formatReasonNumber(1234.5, 'en')).toBe('1,234.5')
    expect(formatReasonNumber(142, 'it')).toBe('142')
    expect(formatReasonNumber(-0.25, 'en', 2)).toBe('−0.25')
    expect(formatReasonNumber(3.0, 'en', 2)).toBe('3')
  })
})

describe('domain phrases', () => {
  const values = {
    recency_days: 142,
    usual_gap_days: 35,
    unresolved_tickets: 2,
    last_nps: 3,
    spend_trend: -0.35,
    plan_changes: 1,
    p_alive: 0.23,
    last_csat: null,
  }
  const ex = explanation(
    [
      contribution({ column: 'recency_days', contribution: 1.2, value: 142 }),
      contribution({ column: 'unresolved_tickets', contribution: 0.9, value: 2 }),
      contribution({ column: 'usual_gap_days', contribution: 0.5, value: 35 }),
      contribution({ column: 'last_nps', contribution: 0.4, value: 3, direction: 'low' }),
      contribution({ column: 'spend_trend', contribution: 0.3, value: -0.35, direction: 'low' }),
      contribution({ column: 'p_alive', contribution: 0.2, value: 0.23, direction: 'low' }),
      contribution({
        column: 'last_csat',
        contribution: 0.15,
        value: null,
        missing: true,
        direction: null,
      }),
      contribution({ column: 'plan_changes', contribution: 0.1, value: 1 }),
      contribution({ column: 'frequency', contribution: -0.4, value: 9 }),
    ],
    values,
  )

  it('gives rich phrases in both languages and folds the usual gap into recency', () => {
    const reasons = describeChurnReasons(ex, { max: 10 })
    expect(reasons.map((r) => r.text.en)).toEqual([
      'no order for 142 days, usually every 35',
      '2 unresolved tickets',
      'answered 3/10 to the last survey',
      'spend down 35% on the previous period',
      'only a 23% chance of still being active',
      'no satisfaction rating',
      'changed plan once',
    ])
    expect(reasons.map((r) => r.text.it)).toEqual([
      'nessun ordine da 142 giorni, di solito ogni 35',
      '2 ticket non risolti',
      "ha risposto 3/10 all'ultimo sondaggio",
      'spesa in calo del 35% rispetto al periodo precedente',
      'solo il 23% di probabilità che sia ancora attivo',
      'nessuna valutazione di soddisfazione',
      'ha cambiato piano una volta',
    ])
  })

  it('speaks of recency and the usual gap once, where the stronger of the two ranks', () => {
    const gapFirst = explanation(
      [
        contribution({ column: 'usual_gap_days', contribution: 1.3, value: 511 }),
        contribution({ column: 'unresolved_tickets', contribution: 0.6, value: 2 }),
        contribution({ column: 'recency_days', contribution: 0.4, value: 352 }),
      ],
      { usual_gap_days: 511, recency_days: 352, unresolved_tickets: 2 },
    )
    const reasons = describeChurnReasons(gapFirst)
    expect(reasons.map((r) => r.text.en)).toEqual([
      'no order for 352 days, usually every 511',
      '2 unresolved tickets',
    ])
    expect(reasons[0]).toMatchObject({ column: 'recency_days' })
    expect(reasons[0]!.contribution).toBeCloseTo(1.7, 12)
  })

  it('says "no active subscription" for the server\'s "none" plan', () => {
    const noPlan = explanation(
      [contribution({ column: 'plan', contribution: 0.3, value: 'none', direction: null })],
      { plan: 'none' },
    )
    expect(describeChurnReasons(noPlan).map((r) => r.text)).toEqual([
      { it: 'nessun abbonamento attivo', en: 'no active subscription' },
    ])
  })

  it('limits the number of reasons and ignores small or negative contributions', () => {
    expect(describeChurnReasons(ex)).toHaveLength(3)
    expect(describeChurnReasons(ex, { max: 20, minContribution: 0.35 })).toHaveLength(3)
  })

  it('covers every documented server feature', () => {
    expect(Object.keys(DOMAIN_REASON_PHRASES).sort()).toEqual(
      [
        'recency_days',
        'usual_gap_days',
        'frequency',
        'monetary',
        'tenure_days',
        'spend_trend',
        'gap_trend',
        'p_alive',
        'tickets',
        'unresolved_tickets',
        'last_nps',
        'last_csat',
        'plan',
        'plan_changes',
      ].sort(),
    )
    const singular = DOMAIN_REASON_PHRASES.unresolved_tickets!(
      contribution({ column: 'unresolved_tickets', value: 1 }),
      { unresolved_tickets: 1 },
    )
    expect(singular?.text).toEqual({ it: '1 ticket non risolto', en: '1 unresolved ticket' })
    const plan = DOMAIN_REASON_PHRASES.plan!(
      contribution({ column: 'plan', kind: 'categorical', value: 'Basic' }),
      {},
    )
    expect(plan?.text).toEqual({ it: 'ha il piano Basic', en: 'on the Basic plan' })
  })
})

describe('generic phrases', () => {
  it('names the column and the value', () => {
    const cat = contribution({
      column: 'Contract',
      kind: 'categorical',
      value: 'Month-to-month',
      direction: null,
    })
    expect(genericReasonPhrase(cat, { it: 'Contratto', en: 'Contract' })).toEqual({
      it: 'Contratto = Month-to-month aumenta il rischio',
      en: 'Contract = Month-to-month raises the risk',
    })
    const low = contribution({ column: 'tenure', value: '2', direction: 'low' })
    expect(genericReasonPhrase(low, { it: 'tenure', en: 'tenure' }).en).toBe(
      'tenure = 2 (low) raises the risk',
    )
    const miss = contribution({
      column: 'TotalCharges',
      value: ' ',
      missing: true,
      direction: null,
    })
    expect(genericReasonPhrase(miss, { it: 'TotalCharges', en: 'TotalCharges' }).it).toBe(
      'TotalCharges mancante aumenta il rischio',
    )
  })

  it('lets callers override labels and phrases', () => {
    const ex = explanation(
      [
        contribution({
          column: 'Contract',
          kind: 'categorical',
          value: 'Month-to-month',
          direction: null,
        }),
      ],
      { Contract: 'Month-to-month' },
    )
    const [labelled] = describeChurnReasons(ex, {
      labels: { Contract: { it: 'Contratto', en: 'Contract' } },
    })
    expect(labelled?.text.it).toBe('Contratto = Month-to-month aumenta il rischio')
    const [custom] = describeChurnReasons(ex, {
      phrases: { Contract: () => ({ text: { it: 'contratto mensile', en: 'monthly contract' } }) },
    })
    expect(custom?.text.en).toBe('monthly contract')
  })
})

describe('explainChurnRow', () => {
  const rows = syntheticCustomers(2000, 12)
  const trained = trainChurnModel(rows, { idColumn: 'customer_id', labelColumn: 'churned' })
  if (!trained.ok) throw new Error(trained.error.message.en)
  const model = trained.value

  it('decomposes the logit exactly into the intercept plus column contributions', () => {
    for (const row of rows.slice(0, 25)) {
      const ex = explainChurnRow(model, row)
      const sum = ex.contributions.reduce((s, c) => s + c.contribution, ex.baselineLogit)
      expect(sum).toBeCloseTo(ex.logit, 10)
      expect(ex.contributions.map((c) => c.column).sort()).toEqual(
        model.encoder.columns.map((c) => c.name).sort(),
      )
    }
  })

  it('explains a late customer with open tickets in words', () => {
    const ex = explainChurnRow(model, {
      customer_id: 'late',
      recency_days: 142,
      usual_gap_days: 35,
      frequency: 4,
      unresolved_tickets: 2,
      last_nps: 3,
      plan: 'Basic',
    })
    expect(ex.probability).toBeGreaterThan(0.8)
    const reasons = describeChurnReasons(ex).map((r) => r.text.en)
    expect(reasons).toContain('no order for 142 days, usually every 35')
    expect(reasons).toContain('2 unresolved tickets')
  })
})
