import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS } from '../databases.ts'
import { startTestApp, type TestApp } from '../harness.ts'

const FIXTURES = fileURLToPath(new URL('../../../core/src/import/fixtures/', import.meta.url))

async function multipart(fields: Record<string, string>, file: { name: string; content: Buffer }) {
  const form = new FormData()
  for (const [k, v] of Object.entries(fields)) form.append(k, v)
  form.append('file', new Blob([file.content]), file.name)
  const req = new Request('http://localhost/', { method: 'POST', body: form })
  return { payload: Buffer.from(await req.arrayBuffer()), contentType: req.headers.get('content-type')! }
}

describe.each(DIALECTS)('import by upload on %s', (kind) => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp(kind, { FEDELE_DATA_DIR: `/tmp/fedele-upload-test-${process.pid}-${kind}` })
  })
  afterAll(() => t.close())

  it('streams the file, runs the import as a job and reports progress and the result', async () => {
    const headers = await t.apiKey(['write'])
    const body = await multipart({ skip_invalid: 'true' }, { name: 'ordini.csv', content: readFileSync(`${FIXTURES}italian-excel-orders.csv`) })
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/imports/orders',
      headers: { ...headers, 'content-type': body.contentType, 'accept-language': 'it' },
      payload: body.payload,
    })
    expect(res.statusCode, res.body).toBe(202)
    const { job_id } = res.json<{ job_id: number }>()
    expect(await t.ctx.jobs.drain()).toBe(1)
    const job = (await t.app.inject({ url: `/api/jobs/${job_id}`, headers })).json()
    expect(job.status).toBe('succeeded')
    expect(job.result).toMatchObject({ file: 'ordini.csv', committed: true, rejected_rows: 1, preset: 'generic-orders' })
    // On PGlite the upload's new orders go in by COPY, as with `fedele import`.
    expect(job.result.write_path.copy_batches).toBe(kind === 'pglite' ? 1 : 0)
    expect(job.result.rejects[0].message).toMatch(/data|Data/)
    const order = await t.app.inject({ url: '/api/orders/1001', headers })
    expect(order.json()).toMatchObject({ total: 123_456, currency: 'EUR' })
  })

  it('rejects a request without a file, and bad fields, before anything is stored', async () => {
    const headers = await t.apiKey(['write'])
    const bad = await multipart({ date_format: 'yyyy' }, { name: 'x.csv', content: Buffer.from('a,b\n1,2\n') })
    const res = await t.app.inject({ method: 'POST', url: '/api/imports/orders', headers: { ...headers, 'content-type': bad.contentType }, payload: bad.payload })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.details[0].path).toBe('date_format')
    const noFile = await t.app.inject({ method: 'POST', url: '/api/imports/nothing', headers: { ...headers, 'content-type': bad.contentType }, payload: bad.payload })
    expect(noFile.statusCode).toBe(400)
  })
})
