import { createWriteStream, mkdirSync, rmSync } from 'node:fs'
import { randomUUID } from 'node:crypto'
import { join, resolve } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { ENTITY_KINDS } from '@fedele/core'
import { z } from 'zod'
import { AppError } from '../../app-error.ts'
import { requestLocale } from '../../app.ts'
import { defineRoute } from '../../route.ts'
import { toImportOptions, type ImportOptionInput } from '../../../services/import-options.ts'

const ZFields = z.object({
  preset: z.string().max(100).optional().describe('Preset id; default: detect from the header'),
  map: z.string().max(5000).optional().describe('Mappings field=column, one per line or comma-separated'),
  delimiter: z.string().max(3).optional(),
  encoding: z.string().max(50).optional().describe('utf-8 or windows-1252; default: detect'),
  date_format: z.string().max(30).optional().describe('dd/mm/yyyy or mm/dd/yyyy (also gg/mm/aaaa)'),
  decimal: z.string().max(1).optional().describe(', or .'),
  header_line: z.string().max(10).optional().describe('Physical line of the header, or none'),
  time_zone: z.string().max(100).optional(),
  currency: z.string().max(3).optional(),
  merge_same_day: z.enum(['true', 'false']).optional(),
  amount_unit: z.enum(['major', 'minor']).optional().describe('major (12.34, default) or minor (1234)'),
  skip_invalid: z.enum(['true', 'false']).optional(),
  dry_run: z.enum(['true', 'false']).optional(),
})

/** The form's field name of each translated option, for error paths. */
const FIELD_NAMES: Record<keyof ImportOptionInput, string> = {
  map: 'map',
  preset: 'preset',
  profile: 'profile',
  delimiter: 'delimiter',
  encoding: 'encoding',
  dateFormat: 'date_format',
  decimal: 'decimal',
  headerLine: 'header_line',
  timeZone: 'time_zone',
  currency: 'currency',
  mergeSameDay: 'merge_same_day',
  amountUnit: 'amount_unit',
}

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
    const f = fields.data
    const locale = requestLocale(request)
    const translated = toImportOptions(
      params.kind as (typeof ENTITY_KINDS)[number],
      {
        map: f.map?.split(/[\n,]/).map((s) => s.trim()).filter(Boolean),
        preset: f.preset,
        delimiter: f.delimiter,
        encoding: f.encoding,
        dateFormat: f.date_format,
        decimal: f.decimal,
        headerLine: f.header_line,
        timeZone: f.time_zone,
        currency: f.currency,
        mergeSameDay: f.merge_same_day === 'true',
        amountUnit: f.amount_unit,
      },
      locale,
    )
    if (!translated.ok) {
      part.file.resume()
      throw new AppError('validation_failed', translated.errors.map((e) => ({ path: FIELD_NAMES[e.option], message: e.message, value: e.value })))
    }
    const options = translated.value
    const dir = resolve(join(ctx.env.FEDELE_DATA_DIR, 'uploads'))
    mkdirSync(dir, { recursive: true })
    const path = join(dir, `${randomUUID()}.upload`)
    try {
      await pipeline(part.file, createWriteStream(path))
    } catch (e) {
      rmSync(path, { force: true })
      throw e
    }
    const jobId = await ctx.jobs.enqueue('import', {
      path,
      entity: params.kind,
      options,
      skipInvalid: f.skip_invalid === 'true',
      dryRun: f.dry_run === 'true',
      locale,
      fileName: part.filename,
    })
    return { job_id: jobId, status_url: `/api/jobs/${jobId}` }
  },
})
