import { rmSync } from 'node:fs'
import { ENTITY_KINDS } from '@fedele/core'
import { z } from 'zod'
import type { AppContext } from '../http/context.ts'
import { ImportFailed, importFile } from '../services/import.service.ts'
import { AFTER_IMPORT_DELAY_MS, enqueuePredictionsRefresh } from './predictions.job.ts'
import type { JobDefinition } from './queue.ts'
import { snapshotAfterImport } from './segments.job.ts'

export const ZImportJob = z.object({
  path: z.string(),
  entity: z.enum(ENTITY_KINDS as [string, ...string[]]),
  options: z.record(z.string(), z.unknown()),
  skipInvalid: z.boolean().default(false),
  dryRun: z.boolean().default(false),
  locale: z.enum(['it', 'en']).default('en'),
  fileName: z.string(),
})

/**
 * An uploaded file imported in the background. Safe to run twice: the import is one transaction
 * and idempotent by external id. The upload is deleted once the job is over (success or final
 * failure); an expected failure (a bad file) is a result, not a retry.
 */
export function importJob(ctx: () => AppContext): JobDefinition<typeof ZImportJob> {
  return {
    name: 'import',
    schema: ZImportJob,
    maxAttempts: 2,
    handler: async (p, job) => {
      let last = 0
      try {
        const report = await importFile(ctx().database.db, {
          // On PGlite, new orders go in by COPY (services/import-bulk.ts), as with `fedele import`.
          pglite: ctx().database.pglite,
          path: p.path,
          entity: p.entity as (typeof ENTITY_KINDS)[number],
          options: p.options,
          skipInvalid: p.skipInvalid,
          dryRun: p.dryRun,
          locale: p.locale,
          onProgress: (progress) => {
            const now = Date.now()
            if (now - last < 500) return
            last = now
            void job.reportProgress({ ...progress, file: p.fileName })
          },
        })
        if (report.committed) {
          await ctx().analytics?.sync()
          // New facts change every customer's scores: rescore a minute later (one refresh a burst).
          await enqueuePredictionsRefresh(ctx(), { reason: 'import' }, AFTER_IMPORT_DELAY_MS)
          // Saved segments' membership after the new facts (history of counts, entered, exited).
          await snapshotAfterImport(ctx())
          // The dashboard's first screens, computed again on the new facts (in the background).
          ctx().dashboard?.changed()
        }
        rmSync(p.path, { force: true })
        return { ...report, file: p.fileName }
      } catch (e) {
        if (e instanceof ImportFailed) {
          rmSync(p.path, { force: true })
          return { failed: true, file: p.fileName, message: e.message, issues: e.issues }
        }
        if (job.attempt >= 2) rmSync(p.path, { force: true })
        throw e
      }
    },
  }
}
