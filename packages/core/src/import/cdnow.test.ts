/// <reference types="node" />
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { chunks, prepare, runPlan } from './fixtures/test-harness.ts'

// The shared data set lives beside the project: /work/shared/data (../shared/data from the root).
const CDNOW = new URL('../../../../../shared/data/cdnow/CDNOW_master.txt', import.meta.url)

function load(): Uint8Array {
  const path = fileURLToPath(CDNOW)
  if (!existsSync(path))
    throw new Error(
      `CDNOW master file missing at ${path}: this test needs ../shared/data/cdnow/CDNOW_master.txt ` +
        '(see shared/data/cdnow/SOURCE.md for how to get it)',
    )
  return new Uint8Array(readFileSync(path))
}

// A full pass over 1.9 MB takes about a second; allow for slow shared CI machines.
describe('CDNOW master file (69,659 purchase rows, 23,570 customers)', { timeout: 60_000 }, () => {
  const bytes = load()

  it('is recognised (whitespace, header line, cdnow preset) and every row becomes an order', () => {
    const p = prepare(bytes)
    if (!p.ok) throw new Error(p.errors.map((e) => e.message.en).join('; '))
    expect(p.plan.preset).toMatchObject({ id: 'cdnow', detected: true })
    expect(p.plan.format).toMatchObject({ kind: 'whitespace', headerLine: 1 })
    expect(p.plan.header).toEqual(['customer_id', 'date', 'number_of_cds', 'dollar_value'])

    const r = runPlan(p.plan, bytes)
    const s = r.summary
    expect(s.reader).toMatchObject({ lines: 69_660, dataRows: 69_659, blankLines: 0 })
    expect(s).toMatchObject({ rows: 69_659, records: 69_659, rejected: 0, refunds: 0 })
    expect(s.rowsInRecords).toBe(69_659)

    const customers = new Set<string>()
    const ids = new Set<string>()
    let cents = 0
    let cds = 0
    let first = '9999'
    let last = '0000'
    for (const o of r.records) {
      if (o.entity !== 'orders') throw new Error('not an order')
      const rec = o.record
      customers.add(rec.customer_external_id ?? '')
      ids.add(rec.external_id)
      cents += rec.total
      cds += rec.lines?.[0]?.quantity ?? 0
      if (rec.placed_at < first) first = rec.placed_at
      if (rec.placed_at > last) last = rec.placed_at
    }
    expect(customers.size).toBe(23_570)
    expect(ids.size).toBe(69_659) // synthetic ids customer-yyyymmdd-seq are unique
    expect(cents).toBe(250_031_563) // 2,500,315.63 USD (SOURCE.md)
    expect(cds).toBe(167_881)
    // Dates are local midnights in the workspace zone (Europe/Rome by default).
    expect(first).toBe('1996-12-31T23:00:00Z')
    expect(last).toBe('1998-06-29T22:00:00Z')
    const second = r.records.find((o) => o.record.external_id === '00002-19970112-2')
    expect(second?.record).toMatchObject({ customer_external_id: '00002', total: 7700 })
  })

  it('optionally merges a customer’s purchases of one day into one order (67,591)', () => {
    const p = prepare(bytes, { mergeSameDay: true })
    if (!p.ok) throw new Error('plan')
    const r = runPlan(p.plan, bytes)
    expect(r.summary).toMatchObject({ rows: 69_659, records: 67_591, groupedRows: 2_068 })
    expect(r.summary.rowsInRecords).toBe(69_659)
    const merged = r.records.find((o) => o.record.external_id === '00002-19970112')
    expect(merged?.record).toMatchObject({ total: 8900 })
  })

  it('streams in small chunks with the same result', () => {
    const p = prepare(bytes)
    if (!p.ok) throw new Error('plan')
    const part = bytes.subarray(0, 200_000)
    const a = runPlan(p.plan, part, part.length)
    const b = runPlan(p.plan, part, 997)
    expect(b.outputs).toEqual(a.outputs)
    expect(chunks(part, 997).length).toBeGreaterThan(100)
  })
})
