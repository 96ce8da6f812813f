import { describe, expect, it } from 'vitest'
import { readDataTable } from './table-file.ts'

describe('readDataTable', () => {
  it('reads a CSV with quoted cells, keeps blanks, pads short rows and skips blank lines', () => {
    const r = readDataTable(
      'id,plan,spend,churn\n1,"Basic, monthly",12.5,yes\n\n2,Pro, ,no\n3,Pro\n',
    )
    if (!r.ok) throw new Error(r.error.message.en)
    expect(r.value.header).toEqual(['id', 'plan', 'spend', 'churn'])
    expect(r.value.rows).toEqual([
      { id: '1', plan: 'Basic, monthly', spend: '12.5', churn: 'yes' },
      { id: '2', plan: 'Pro', spend: ' ', churn: 'no' },
      { id: '3', plan: 'Pro', spend: '', churn: '' },
    ])
    expect(r.value.lines).toEqual([2, 4, 5])
  })

  it('detects semicolons and tabs', () => {
    for (const d of [';', '\t']) {
      const r = readDataTable(['id', 'x', 'y'].join(d) + '\n' + ['a', '1', '2'].join(d) + '\n')
      expect(r.ok && r.value.rows[0]).toEqual({ id: 'a', x: '1', y: '2' })
    }
  })

  it('errors: a row wider than the header names its line; no header; empty file', () => {
    const wide = readDataTable('id,a,b,c\n1,2,3,4\n5,6,7,8,9\n')
    expect(wide.ok || wide.error).toMatchObject({ code: 'too_many_fields', line: 3 })
    expect(wide.ok || wide.error.message.en).toBe('Line 3: 5 fields, but the header has 4 columns.')
    const numeric = readDataTable('1,2\n3,4\n')
    expect(numeric.ok || numeric.error.code).toBe('no_header')
    const empty = readDataTable('')
    expect(empty.ok || empty.error).toMatchObject({ code: 'empty_file' })
    const onlyHeader = readDataTable('id,x\n')
    expect(onlyHeader.ok || onlyHeader.error.message.en).toBe('The file has no data rows.')
  })
})
