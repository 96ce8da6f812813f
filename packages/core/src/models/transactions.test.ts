/// <reference types="node" />
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import {
  createTransactionReader,
  dayNumber,
  readTransactions,
  summarizeTransactions,
} from './transactions.ts'
import type { TransactionLog, TransactionSummary } from './transactions.ts'

const DATA_DIR = new URL('../../../../../shared/data/cdnow/', import.meta.url)

function readShared(name: string): string {
  const path = fileURLToPath(new URL(name, DATA_DIR))
  if (!existsSync(path))
    throw new Error(`CDNOW data file missing: ${path} (see shared/data/cdnow/SOURCE.md)`)
  return readFileSync(path, 'utf8')
}

const unwrap = <T>(
  r: { ok: true; value: T } | { ok: false; error: { message: { en: string } } },
): T => {
  if (!r.ok) throw new Error(r.error.message.en)
  return r.value
}

const CDNOW = { calibrationEnd: '1997-09-30', holdoutEnd: '1998-06-30', unit: 'week' } as const

describe('transactions reader: the CDNOW sample as it is (headerless, whitespace, YYYYMMDD)', () => {
  const text = readShared('CDNOW_sample.txt')
  // Column 2 is the sample's own id (1…2,357), the one the lifetimes CSVs use.
  const log = unwrap(readTransactions(text, { idColumn: '2' }))
  const summary = unwrap(summarizeTransactions(log, CDNOW))

  it('detects the layout: no header, date column 3, amount column 5', () => {
    const auto = unwrap(readTransactions(text))
    expect(auto.layout).toEqual({
      kind: 'whitespace',
      delimiter: null,
      header: null,
      columns: { id: 'column_1', date: 'column_3', amount: 'column_5' },
    })
    expect(auto.rows).toBe(6919)
    expect(auto.customers.size).toBe(2357)
    expect([auto.firstDate, auto.lastDate]).toEqual(['1997-01-01', '1998-06-30'])
  })

  it('summarises like FHL 2005: 2,357 customers, 1,411 with x = 0, Σx = 2,457, 1,882 in the holdout', () => {
    expect(summary.customers).toHaveLength(2357)
    expect(summary.lateCustomers).toBe(0)
    expect(summary.customers.filter((c) => c.x === 0)).toHaveLength(1411)
    expect(summary.customers.reduce((s, c) => s + c.x, 0)).toBe(2457)
    expect(summary.customers.reduce((s, c) => s + c.holdout, 0)).toBe(1882)
    expect(summary).toMatchObject({
      origin: '1997-01-01',
      calibrationPeriods: 39,
      totalPeriods: 78,
      holdoutLength: 39,
      ignoredAfterHoldout: 0,
    })
  })

  it('equals the lifetimes CSV summary (2 dp) row for row, and zbar to half a cent', () => {
    const [head, ...lines] = readShared('cdnow_customers_summary_with_transactions.csv')
      .trim()
      .split(/\r?\n/)
    const keys = (head as string).split(',')
    const byId = new Map(summary.customers.map((c) => [Number(c.id), c]))
    expect(lines).toHaveLength(2357)
    for (const line of lines) {
      const row = Object.fromEntries(line.split(',').map((v, i) => [keys[i], Number(v)]))
      const c = byId.get(row.ID as number)
      if (!c) throw new Error(`customer ${row.ID} missing`)
      expect([c.x, Math.round(c.tx * 100) / 100, Math.round(c.T * 100) / 100]).toEqual([
        row.x,
        row.t_x,
        row.T,
      ])
      expect(Math.abs((row.zbar as number) - c.m)).toBeLessThanOrEqual(0.005 + 1e-9)
    }
    // Customer 1516 of the BTYD walkthrough: x = 26, t_x = 30.857, T = 31.
    expect(byId.get(1516)).toMatchObject({ x: 26, tx: 216 / 7, T: 31 })
  })

  it('counts repeat purchases by week: cumulative 1359…1672 at weeks 20–25 (BTYD §4.4), 2,457 by week 39, 4,339 by 78', () => {
    const cumulative: number[] = []
    summary.repeatsByPeriod.reduce((s, v) => (cumulative.push(s + v), s + v), 0)
    expect(cumulative.slice(19, 25)).toEqual([1359, 1414, 1484, 1517, 1573, 1672])
    expect(cumulative[38]).toBe(2457)
    expect(cumulative[77]).toBe(4339)
  })

  it('gives the same summaries whichever id column (master id or sample id) is used', () => {
    const auto = unwrap(summarizeTransactions(unwrap(readTransactions(text)), CDNOW))
    const key = (s: TransactionSummary) =>
      s.customers.map((c) => `${c.x}|${c.tx}|${c.T}|${c.m}|${c.holdout}|${c.birth}`).sort()
    expect(key(auto)).toEqual(key(summary))
  })

  it('reads the same from chunks of any size as from the whole text', () => {
    const reader = createTransactionReader({ idColumn: '2' })
    for (let i = 0; i < text.length; i += 997) reader.push(text.slice(i, i + 997))
    const chunked = unwrap(reader.end())
    expect(chunked.rows).toBe(log.rows)
    expect([...chunked.customers.get('1516')!.entries()]).toEqual([
      ...log.customers.get('1516')!.entries(),
    ])
  })

  it('with unit day: T and t_x in days, 273 calibration days', () => {
    const days = unwrap(summarizeTransactions(log, { ...CDNOW, unit: 'day' }))
    const c = days.customers.find((u) => u.id === '1516')!
    expect([c.x, c.tx, c.T]).toEqual([26, 216, 217])
    expect(days.calibrationPeriods).toBe(273)
    expect(days.holdoutLength).toBe(273)
  })
})

describe('transactions reader: the CDNOW master file (header line)', () => {
  it('finds customer_id, date and dollar_value by name and sees 23,570 customers', () => {
    const log = unwrap(readTransactions(readShared('CDNOW_master.txt')))
    expect(log.layout.header).toEqual(['customer_id', 'date', 'number_of_cds', 'dollar_value'])
    expect(log.layout.columns).toEqual({ id: 'customer_id', date: 'date', amount: 'dollar_value' })
    expect(log.rows).toBe(69_659)
    expect(log.customers.size).toBe(23_570)
    let days = 0
    for (const perDay of log.customers.values()) days += perDay.size
    expect(days).toBe(67_591) // SOURCE.md: rows collapse to 67,591 customer-days
  })
})

describe('transactions reader: CSV with a header', () => {
  const csv = [
    'order_id,cliente,data,importo',
    'A1,c1,2024-01-05,"10,50"',
    'A2,c1,2024-01-05,4.50',
    'A3,c1,2024-01-20,20',
    'A4,c2,2024-01-10,7',
    'A5,c1,2024-03-02,5',
    'A6,c3,2024-02-20,9',
    '',
  ].join('\n')

  it('maps Italian headers, merges same-day purchases and sums their amounts', () => {
    const log = unwrap(readTransactions(csv, { decimalSeparator: ',' }))
    expect(log.layout).toMatchObject({
      kind: 'delimited',
      delimiter: ',',
      columns: { id: 'cliente', date: 'data', amount: 'importo' },
    })
    expect(log.rows).toBe(6)
    expect(log.customers.get('c1')!.get(dayNumber('2024-01-05')!)).toBeCloseTo(15, 10)
    const s = unwrap(
      summarizeTransactions(log, {
        calibrationEnd: '2024-01-31',
        holdoutEnd: '2024-03-31',
        unit: 'day',
      }),
    )
    // c3 first bought after the calibration end: left out and counted.
    expect(s.lateCustomers).toBe(1)
    expect(s.customers).toEqual([
      { id: 'c1', x: 1, tx: 15, T: 26, m: 20, birth: 0, holdout: 1 },
      { id: 'c2', x: 0, tx: 0, T: 21, m: 0, birth: 5, holdout: 0 },
    ])
    expect(s.origin).toBe('2024-01-05')
    expect(s.repeatsByPeriod.reduce((a, b) => a + b, 0)).toBe(2)
  })

  it('honours explicit columns by name and by position', () => {
    const log = unwrap(
      readTransactions(csv, {
        idColumn: 'ORDER_ID',
        dateColumn: '3',
        amountColumn: 'importo',
        decimalSeparator: ',',
      }),
    )
    expect(log.layout.columns).toEqual({ id: 'order_id', date: 'data', amount: 'importo' })
    expect(log.customers.size).toBe(6)
  })

  it('reads a file without an amount column (amount null)', () => {
    const log = unwrap(readTransactions('customer_id;date\n1;2024-01-01\n1;2024-02-01\n'))
    expect(log.hasAmounts).toBe(false)
    expect(log.layout.columns.amount).toBeNull()
  })
})

describe('transactions reader: errors name the line, the field and the reason', () => {
  const error = (r: ReturnType<typeof readTransactions>) => {
    if (r.ok) throw new Error('expected an error')
    return r.error
  }

  it('invalid date', () => {
    const e = error(readTransactions('customer,date,amount\n1,2024-01-01,3\n2,2024-02-30,4\n'))
    expect(e).toMatchObject({ code: 'invalid_date', line: 3, field: 'date' })
    expect(e.message.en).toContain('Line 3: invalid date "2024-02-30" (column "date")')
    expect(e.message.it).toContain('Riga 3')
  })

  it('ambiguous dd/mm without --date-format, accepted with it', () => {
    const text = 'customer,date,amount\n1,03/04/2024,3\n'
    expect(error(readTransactions(text)).message.en).toMatch(/ambiguous, set --date-format/)
    const log = unwrap(readTransactions(text, { dateOrder: 'dmy' }))
    expect(log.firstDate).toBe('2024-04-03')
  })

  it('invalid amount, missing id, unknown column, empty file, JSON Lines', () => {
    expect(error(readTransactions('customer,date,amount\n1,2024-01-01,abc\n'))).toMatchObject({
      code: 'invalid_amount',
      line: 2,
      field: 'amount',
    })
    expect(error(readTransactions('customer,date,amount\n,2024-01-01,1\n'))).toMatchObject({
      code: 'missing_field',
      line: 2,
      field: 'id',
    })
    const missing = error(
      readTransactions('customer,date,amount\n1,2024-01-01,1\n', { amountColumn: 'price' }),
    )
    expect(missing).toMatchObject({ code: 'column_not_found', field: 'amount' })
    expect(missing.message.en).toContain('customer, date, amount')
    expect(error(readTransactions(''))).toMatchObject({ code: 'empty_file' })
    expect(error(readTransactions('{"a":1}\n'))).toMatchObject({ code: 'jsonl_not_supported' })
  })

  it('summary options: a bad calibration end or a holdout end before it', () => {
    const log: TransactionLog = unwrap(readTransactions('customer,date\n1,2024-01-01\n'))
    const bad = summarizeTransactions(log, { calibrationEnd: '2024-13-01', unit: 'day' })
    expect(bad.ok || bad.error).toMatchObject({ code: 'invalid_option', field: 'calibrationEnd' })
    const early = summarizeTransactions(log, {
      calibrationEnd: '2024-02-01',
      holdoutEnd: '2024-01-15',
      unit: 'day',
    })
    expect(early.ok || early.error).toMatchObject({ code: 'invalid_option', field: 'holdoutEnd' })
    const none = summarizeTransactions(log, { calibrationEnd: '2023-12-01', unit: 'day' })
    expect(none.ok || none.error).toMatchObject({ code: 'no_customers' })
  })
})
