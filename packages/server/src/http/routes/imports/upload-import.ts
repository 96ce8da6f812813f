import { createWriteStream, mkdirSync, rmSync } from 'node:fs'
import { randomUUID } from 'node:crypto'
import { join, resolve } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { ENTITY_KINDS } from '@fedele/core'
import { parseMapArguments } from '@fedele/core/import'
import { z } from 'zod'
import { AppError } from '../../app-error.ts'
import { requestLocale } from '../../app.ts'
import { defineRoute } from '../../route.ts'

const ZFields = z.object({
  preset: z.string().max(100).optional().describe('Preset id; default: detect from the header'),
  map: z.string().max(5000).optional().describe('Mappings field=column, one per line or comma-separated'),
  delimiter: z.string().max(3).optional(),
  encoding: z.enum(['utf-8', 'windows-1252']).optional(),
  date_format: z.enum(['dd/mm/yyyy', 'mm/dd/yyyy']).optional(),
  decimal: z.enum([',', '.']).optional(),
  time_zone: z.string().max(100).optional(),
  currency: z.string().regex(/^[A-Z]{3}$/).optional(),
  skip_invalid: z.enum(['true', 'false']).optional(),
  dry_run: z.enum(['true', 'false']).optional(),
})

export const uploadImportRoute = defineRoute({
  method: 'POST',
  url: '/api/imports/:kind',
  operationId: 'uploadImport',
  summary: 'Upload a CSV/TSV/JSON Lines file to import; runs as a job with progress',
  description:
    'multipart/form-data: the option fields first, then the `file` part. The file is streamed to disk ' +
    '(no size held in memory) and imported by a background job, all or nothing unless skip_invalid. ' +
    'Poll GET /api/jobs/{id}: progress while running, the import report (inserted, updated, unchanged, ' +
    'rejected rows with line, column, value and reason) when done.',
  tags: ['imports'],
  access: { permission: 'data:ingest' },
  params: z.object({ kind: z.enum(ENTITY_KINDS as [string, ...string[]]) }),
  upload: { fields: ZFields },
  response: z.object({ job_id: z.number(), status_url: z.string() }),
  successStatus: 202,
  errors: ['validation_failed', 'unauthenticated', 'forbidden', 'csrf_failed'],
  handler: async ({ params, ctx, request }) => {
    const part = await request.file()
    if (!part) throw new AppError('validation_failed', [{ path: 'file', message: 'a file part named "file" is required' }])
    const raw: Record<string, string> = {}
    for (const [name, field] of Object.entries(part.fields)) {
      const f = Array.isArray(field) ? field[0] : field
      if (f && f.type === 'field' && name !== 'file') raw[name] = String(f.value)
    }
    const fields = ZFields.safeParse(raw)
    if (!fields.success) {
      part.file.resume()
      throw new AppError('validation_failed', fields.error.issues.map((i) => ({ path: String(i.path[0]), message: i.message })))
    }
    const dir = resolve(join(ctx.env.FEDELE_DATA_DIR, 'uploads'))
    mkdirSync(dir, { recursive: true })
    const path = join(dir, `${randomUUID()}.upload`)
    try {
      await pipeline(part.file, createWriteStream(path))
    } catch (e) {
      rmSync(path, { force: true })
      throw e
    }
    const f = fields.data
    const options: Record<string, unknown> = {}
    if (f.preset) options.preset = f.preset
    if (f.map) {
      const m = parseMapArguments(f.map.split(/[\n,]/).map((s) => s.trim()).filter(Boolean), params.kind as (typeof ENTITY_KINDS)[number])
      if (!m.ok) {
        rmSync(path, { force: true })
        throw new AppError('validation_failed', m.error.map((i) => ({ path: 'map', message: i.message[requestLocale(request)], value: i.value })))
      }
      options.map = m.value
    }
    if (f.delimiter) options.delimiter = f.delimiter === 'tab' ? '\t' : f.delimiter
    if (f.encoding) options.encoding = f.encoding
    if (f.date_format) options.dateOrder = f.date_format === 'dd/mm/yyyy' ? 'dmy' : 'mdy'
    if (f.decimal) options.decimalSeparator = f.decimal
    if (f.time_zone) options.timeZone = f.time_zone
    if (f.currency) options.currency = f.currency
    const jobId = await ctx.jobs.enqueue('import', {
      path,
      entity: params.kind,
      options,
      skipInvalid: f.skip_invalid === 'true',
      dryRun: f.dry_run === 'true',
      locale: requestLocale(request),
      fileName: part.filename,
    })
    return { job_id: jobId, status_url: `/api/jobs/${jobId}` }
  },
})
