import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildImportOptions } from '../../src/cli/commands/import.ts'
import { CliError } from '../../src/cli/shared.ts'
import { toImportOptions } from '../../src/services/import-options.ts'
import { DIALECTS } from '../databases.ts'
import { startTestApp, type TestApp } from '../harness.ts'

const FIXTURES = fileURLToPath(new URL('../../../core/src/import/fixtures/', import.meta.url))

const cli = (o: Record<string, unknown>) =>
  buildImportOptions('orders', { map: [], ...o }, 'en')

describe('one translator of import options for the CLI and the upload form', () => {
  it('turns every option into ImportOptions', () => {
    const r = toImportOptions(
      'orders',
      {
        map: ['total=Totale €', 'customer_external_id=#3'],
        preset: 'generic-orders',
        delimiter: 'tab',
        encoding: 'cp1252',
        dateFormat: 'gg/mm/aaaa',
        decimal: ',',
        headerLine: '3',
        timeZone: 'Europe/Rome',
        currency: 'eur',
        mergeSameDay: true,
        amountUnit: 'minor',
      },
      'en',
    )
    expect(r).toEqual({
      ok: true,
      value: {
        entity: 'orders',
        map: { total: 'Totale €', customer_external_id: { position: 3 } },
        preset: 'generic-orders',
        delimiter: '\t',
        encoding: 'windows-1252',
        dateOrder: 'dmy',
        decimalSeparator: ',',
        headerLine: 3,
        timeZone: 'Europe/Rome',
        currency: 'EUR',
        mergeSameDay: true,
        amountUnit: 'minor',
      },
    })
    // Formats that are never ambiguous need no order; `none` means a headerless file.
    expect(toImportOptions('orders', { dateFormat: 'yyyy-mm-dd', headerLine: 'none' }, 'en')).toEqual({
      ok: true,
      value: { entity: 'orders', headerLine: 'none' },
    })
  })

  it('reports every bad option at once, naming it, in the chosen language', () => {
    const r = toImportOptions(
      'orders',
      {
        map: ['nope=Colonna'],
        dateFormat: 'yyyy',
        decimal: ':',
        headerLine: '0',
        timeZone: 'Mars/Olympus',
        currency: 'euro',
        encoding: 'latin-9',
        delimiter: 'ab',
        profile: { entity: 'nothing' },
        amountUnit: 'cents',
      },
      'it',
    )
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.errors.map((e) => e.option).sort()).toEqual(
      ['amountUnit', 'currency', 'dateFormat', 'decimal', 'delimiter', 'encoding', 'headerLine', 'map', 'profile', 'timeZone'].sort(),
    )
    expect(r.errors.find((e) => e.option === 'timeZone')?.message).toMatch(/fuso orario sconosciuto "Mars\/Olympus"/)
    expect(r.errors.find((e) => e.option === 'map')?.message).toMatch(/nope/)
    expect(r.errors.find((e) => e.option === 'dateFormat')).toMatchObject({ value: 'yyyy' })
  })

  it('the CLI gets the same options and names the flag of each error', () => {
    const input = { map: ['total=Totale'], dateFormat: 'mm/dd/yyyy', delimiter: ';', headerLine: 'none' }
    const shared = toImportOptions('orders', input, 'en')
    expect(shared).toEqual({
      ok: true,
      value: { entity: 'orders', map: { total: 'Totale' }, dateOrder: 'mdy', delimiter: ';', headerLine: 'none' },
    })
    expect(cli(input)).toEqual(shared.ok ? shared.value : null)
    expect(() => cli({ dateFormat: 'yyyy', headerLine: 'x' })).toThrow(CliError)
    expect(() => cli({ dateFormat: 'yyyy', headerLine: 'x' })).toThrow(/--date-format: .*\n--header-line: /)
  })
})

describe.each(DIALECTS)('the upload form uses the translator on %s', (kind) => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp(kind, { FEDELE_DATA_DIR: `/tmp/fedele-upload-options-${process.pid}-${kind}` })
  })
  afterAll(() => t.close())

  it('answers 400 naming each bad form field, and queues no job', async () => {
    const headers = await t.apiKey(['write'])
    const form = new FormData()
    form.append('header_line', 'zero')
    form.append('time_zone', 'Mars/Olympus')
    form.append('date_format', 'gg/mm/aaaa')
    form.append('file', new Blob([Buffer.from('a,b\n1,2\n')]), 'x.csv')
    const req = new Request('http://localhost/', { method: 'POST', body: form })
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/imports/orders',
      headers: { ...headers, 'content-type': req.headers.get('content-type')!, 'accept-language': 'it' },
      payload: Buffer.from(await req.arrayBuffer()),
    })
    expect(res.statusCode, res.body).toBe(400)
    const details = res.json<{ error: { details: { path: string; message: string }[] } }>().error.details
    expect(details.map((d) => d.path).sort()).toEqual(['header_line', 'time_zone'])
    expect(details.find((d) => d.path === 'time_zone')?.message).toMatch(/fuso orario/)
    expect(await t.ctx.jobs.drain()).toBe(0)
  })

  it('passes the translated options to the import job (Italian date format spelling)', async () => {
    const headers = await t.apiKey(['write'])
    const form = new FormData()
    form.append('date_format', 'gg/mm/aaaa')
    form.append('file', new Blob([readFileSync(`${FIXTURES}ambiguous-dates.csv`)]), 'ambigue.csv')
    const req = new Request('http://localhost/', { method: 'POST', body: form })
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/imports/orders',
      headers: { ...headers, 'content-type': req.headers.get('content-type')! },
      payload: Buffer.from(await req.arrayBuffer()),
    })
    expect(res.statusCode, res.body).toBe(202)
    const { job_id } = res.json<{ job_id: number }>()
    await t.ctx.jobs.drain()
    const job = (await t.app.inject({ url: `/api/jobs/${job_id}`, headers })).json<{ status: string; result: { inserted: number } }>()
    expect(job).toMatchObject({ status: 'succeeded', result: { inserted: 4 } })
    // 03/04/2024 read day first, as asked.
    const order = await t.app.inject({ url: '/api/orders/X2', headers })
    expect(order.json()).toMatchObject({ placed_at: expect.stringMatching(/^2024-04-02T22:00:00/) })
  })
})
