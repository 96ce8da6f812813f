import { describe, expect, it } from 'vitest'
import { catalogue, catalogueEntry } from './catalogue.ts'

describe('catalogue', () => {
  it('has unique ids and complete Italian and English texts', () => {
    const ids = catalogue.map((e) => e.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const entry of catalogue) {
      expect(entry.id).toMatch(/^[a-z][a-z0-9_]*$/)
      for (const text of [
        entry.name.it,
        entry.name.en,
        entry.notes.it,
        entry.notes.en,
        entry.formula,
      ]) {
        expect(text.trim().length).toBeGreaterThan(0)
      }
      for (const input of entry.inputs) {
        expect(input.name.it.length).toBeGreaterThan(0)
        expect(input.name.en.length).toBeGreaterThan(0)
      }
    }
  })

  it('covers every metric of the reference', () => {
    const required = [
      'customers_start',
      'customers_end',
      'new_customers',
      'crr',
      'retained_customers',
      'reactivated_customers',
      'lost_customers',
      'churn_rate',
      'churn_rate_inverse',
      'retention_rate',
      'repeat_purchase_rate',
      'aov',
      'purchase_frequency',
      'average_lifespan',
      'observed_lifespan',
      'clv',
      'revenue',
      'orders',
      'active_customers',
      'nps',
      'csat',
      'ces',
      'enps',
      'mrr',
      'arpc',
      'mrr_new',
      'mrr_expansion',
      'mrr_contraction',
      'mrr_churn',
      'mrr_reactivation',
      'grr',
      'nrr',
      'logo_churn',
      'revenue_churn',
      'ltv',
      'tickets_open',
      'tickets_overdue',
      'median_first_response_time',
      'median_resolution_time',
      'csat_by_channel',
      'cohort_retention',
      'cohort_retention_on_or_after',
      'cohort_revenue_retention',
      'cumulative_revenue_per_customer',
      'lifecycle_new',
      'lifecycle_returning',
      'lifecycle_resurrecting',
      'lifecycle_dormant',
    ] as const
    for (const id of required) expect(catalogueEntry(id).id).toBe(id)
  })

  it('states the brief formulas and directions', () => {
    expect(catalogueEntry('crr')).toMatchObject({
      formula: 'CRR = (E − N) / S × 100',
      unit: 'percent',
      higherIsBetter: true,
      inputs: [{ id: 'S' }, { id: 'E' }, { id: 'N' }],
    })
    expect(catalogueEntry('churn_rate').higherIsBetter).toBe(false)
    expect(catalogueEntry('clv')).toMatchObject({ formula: 'CLV = APV × APF × ACL', unit: 'money' })
    expect(catalogueEntry('nps').unit).toBe('score')
    expect(catalogueEntry('median_resolution_time').unit).toBe('duration')
  })
})
