/** Test fixtures for the churn module (not part of the public API). */
import { sigmoid } from './linalg.ts'
import { createPrng } from './prng.ts'
import type { DataRow } from './table.ts'

/** Synthetic customers whose churn depends on recency vs usual gap, tickets and NPS. */
export const syntheticCustomers = (n: number, seed: number): DataRow[] => {
  const prng = createPrng(seed)
  const rows: DataRow[] = []
  for (let i = 0; i < n; i++) {
    const gap = 10 + Math.floor(prng.next() * 50)
    const recency = Math.floor(prng.next() * 4 * gap)
    const unresolved = prng.next() < 0.2 ? 1 + Math.floor(prng.next() * 3) : 0
    const nps = prng.next() < 0.3 ? null : Math.floor(prng.next() * 11)
    const plan = ['Basic', 'Plus', 'Pro'][Math.floor(prng.next() * 3)]!
    const eta =
      -1.5 +
      1.2 * (recency / gap - 1) +
      0.9 * unresolved -
      0.25 * ((nps ?? 6) - 6) +
      (plan === 'Basic' ? 0.6 : 0)
    rows.push({
      customer_id: `c${i}`,
      recency_days: recency,
      usual_gap_days: gap,
      frequency: 1 + Math.floor(prng.next() * 20),
      unresolved_tickets: unresolved,
      last_nps: nps,
      plan,
      churned: prng.next() < sigmoid(eta) ? 'yes' : 'no',
    })
  }
  return rows
}
