import { readFileSync, existsSync } from 'node:fs'
import type { Command } from 'commander'
import { ENTITY_KINDS, type EntityKind } from '@fedele/core'
import type { ImportOptions } from '@fedele/core/import'
import { z } from 'zod'
import { ImportFailed, importFile, type ImportReport } from '../../services/import.service.ts'
import { toImportOptions } from '../../services/import-options.ts'
import { createHeapGuard, useBaselineWasmCompiler } from '../../services/import-memory.ts'
import { CliError, ZCommonOptions, loadEnv, output, parseOptions, withDatabase } from '../shared.ts'
import { createProgress } from '../progress.ts'

/** CLI names of the importable kinds; `order-lines` is an orders file with one row per line. */
const KINDS: Record<string, EntityKind> = {
  ...Object.fromEntries(ENTITY_KINDS.map((k) => [k.replace(/_/g, '-'), k])),
  'order-lines': 'orders',
}

const ZImportOptions = ZCommonOptions.extend({
  map: z.array(z.string()).default([]),
  preset: z.string().optional(),
  profile: z.string().optional(),
  delimiter: z.string().optional(),
  encoding: z.string().optional(),
  dateFormat: z.string().optional(),
  decimal: z.string().optional(),
  headerLine: z.string().optional(),
  timeZone: z.string().optional(),
  currency: z.string().optional(),
  mergeSameDay: z.boolean().optional(),
  amountUnit: z.string().optional(),
  skipInvalid: z.boolean().optional(),
  dryRun: z.boolean().optional(),
  rejects: z.string().optional(),
  locale: z.enum(['it', 'en']).optional(),
})

/**
 * The replica sync after an import. DuckDB's defaults (80% of RAM, a thread per core, pages of
 * 500k changes) made the sync the command's peak: 1M orders into PostgreSQL, sync alone, peak
 * RSS 372 MB → 252 MB with these (wall 7.8 → 6.6 s, CPU 2.3 → 2.6 s); 64MB gave 271 MB. 32 MB
 * of buffer pool is too little (DuckDB stops with "could not allocate block"); 48 MB synced the
 * 2.2M orders of a 2.2 GB file.
 */
/** The import is this process's only work: its heap is collected every 32 MB of growth. */
const HEAP_BUDGET_MB = 32
/**
 * PGlite's buffer pool for an import (32 MB for other commands, database.ts): PGlite touches it
 * all when it opens. 1M orders into a fresh data dir (runs on one migrated copy, 23 November):
 * import pass 286–296 MB with 16 MB against 310–322 MB with 32 MB; into a data dir already
 * holding 1M orders 286–290 against 305 MB, at the same speed within the machine's noise
 * (23.4k–25.9k against 25.6k rows/s): a first import builds the order indexes at the end, and
 * the rows go in by COPY.
 */
const IMPORT_SHARED_BUFFERS_MB = 16

const SYNC_OPTIONS = { pageSize: 50_000, duckdb: { memory_limit: '48MB', threads: '1' } }

const collect = (v: string, prev: string[] = []) => [...prev, v]

export function configureImportCommand(program: Command) {
  program
    .command('import')
    .description(
      'Import a CSV/TSV/JSON Lines file: validated first, all or nothing, idempotent by external id',
    )
    .argument('<kind>', Object.keys(KINDS).join(', '))
    .argument('<file>', 'the file to import')
    .option('--map <field=column>', 'map a field to a column name or #N (repeatable)', collect)
    .option('--preset <id>', 'shopify-orders, woocommerce-orders, stripe-payments, stripe-subscriptions, stripe-customers, cdnow, … (default: detect)')
    .option('--profile <file>', 'a saved mapping profile (JSON)')
    .option('--delimiter <char>', 'field separator: , ; tab | (default: detect)')
    .option('--encoding <name>', 'utf-8 or windows-1252 (default: detect)')
    .option('--date-format <fmt>', 'settle ambiguous dates: dd/mm/yyyy or mm/dd/yyyy')
    .option('--decimal <sep>', 'decimal separator: , or . (default: detect)')
    .option('--header-line <n>', 'physical line of the header, or none')
    .option('--time-zone <tz>', 'zone of dates without an offset (default Europe/Rome)')
    .option('--currency <code>', 'currency when the file has none (default EUR)')
    .option('--amount-unit <unit>', 'major (12.34, default) or minor (1234 = 12.34, ISO 4217 digits)')
    .option('--merge-same-day', "merge a customer's purchases of one day into one order (CDNOW)")
    .option('--skip-invalid', 'import the valid rows and report the rest (default: all or nothing)')
    .option('--dry-run', 'only validate; write nothing')
    .option('--rejects <file>', 'write every rejected row as CSV')
    .option('--locale <it|en>', 'language of the messages')
    .option('--data <dir>', 'embedded data directory')
    .option('--json', 'print the report as JSON')
    .action(async (kindArg: string, file: string, raw: unknown) => {
      const o = parseOptions(ZImportOptions, raw)
      const entity = KINDS[kindArg]
      if (!entity) throw new CliError(`unknown kind "${kindArg}"; use one of: ${Object.keys(KINDS).join(', ')}`)
      if (!existsSync(file)) throw new CliError(`file ${file} does not exist`)
      const locale = o.locale ?? 'en'
      const options = buildImportOptions(entity, o, locale)
      const env = loadEnv({ FEDELE_DATA_DIR: o.data })
      // Embedded: the process's memory is mostly PGlite's; see useBaselineWasmCompiler.
      if (!env.DATABASE_URL) useBaselineWasmCompiler()
      const progress = createProgress(`Importing ${file} (rows)`)
      let started = performance.now()
      const report = await withDatabase(env, 'fedele import', async (database) => {
        try {
          started = performance.now()
          const r = await importFile(database.db, {
            path: file,
            entity,
            options,
            skipInvalid: o.skipInvalid,
            dryRun: o.dryRun,
            rejectsPath: o.rejects,
            locale,
            heapBudgetMb: HEAP_BUDGET_MB,
            pglite: database.pglite,
            onProgress: (p) => {
              const fraction = p.bytes / Math.max(1, p.totalBytes)
              const elapsed = (performance.now() - started) / 1000
              const eta = fraction > 0.01 ? ` ETA ${Math.round((elapsed / fraction) * (1 - fraction))} s` : ''
              progress.update(p.rows, `${p.phase === 'scan' ? 'scanning' : 'importing'} ${(100 * fraction).toFixed(0)}%${p.phase === 'import' ? eta : ''}`)
            },
          })
          if (r.committed) {
            // Best effort: with PostgreSQL a running server may hold the replica; it then syncs
            // by itself before its next analytics read.
            try {
              // The import's garbage goes before DuckDB takes its share, and DuckDB is held to a
              // small buffer pool and one thread with pages of 100k changes: the sync after a
              // 1M-row import then stays under the import's own peak (SYNC_OPTIONS).
              createHeapGuard(0).collect()
              // DuckDB's native module is loaded only now: loaded with the command it was ~33 MB
              // of the import pass's RSS for nothing.
              const { analyticsPath } = await import('../../analytics/open.ts')
              const { AnalyticsReplica } = await import('../../analytics/replica.ts')
              const analytics = await AnalyticsReplica.open(database, {
                path: analyticsPath(env),
                ...SYNC_OPTIONS,
              })
              try {
                await analytics.sync()
              } finally {
                await analytics.close()
              }
            } catch (e) {
              r.issues.push({ line: null, column: null, code: 'replica_not_synced', message: (e as Error).message })
            }
          }
          return r
        } catch (e) {
          if (e instanceof ImportFailed) throw new CliError(`cannot import ${file}:\n${e.message}`)
          throw e
        }
      }, { sharedBuffersMb: IMPORT_SHARED_BUFFERS_MB })
      progress.done(`Read ${report.rows.toLocaleString('en')} rows in ${report.seconds.toFixed(1)} s.`)
      const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024)
      const cpu = process.cpuUsage()
      const cpuSeconds = Math.round((cpu.user + cpu.system) / 1e4) / 100
      output(o.json, { ...report, peak_rss_mb: peakRssMb, cpu_seconds: cpuSeconds }, `${humanReport(report)}\n  peak memory ${peakRssMb} MB, CPU ${cpuSeconds} s`)
      if (report.rejected_rows > 0 && !o.skipInvalid) process.exitCode = 1
    })
}

/** The CLI's options through the translator the upload route shares; errors name the flag. */
export function buildImportOptions(
  entity: EntityKind,
  o: z.infer<typeof ZImportOptions>,
  locale: 'it' | 'en',
): ImportOptions {
  let profile: unknown
  if (o.profile) {
    try {
      profile = JSON.parse(readFileSync(o.profile, 'utf8'))
    } catch (e) {
      throw new CliError(`--profile ${o.profile}: ${(e as Error).message}`)
    }
  }
  const r = toImportOptions(entity, { ...o, profile }, locale)
  if (r.ok) return r.value
  const flag = (k: string) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`
  throw new CliError(r.errors.map((e) => `${flag(e.option)}: ${e.message}`).join('\n'))
}

function humanReport(r: ImportReport): string {
  const lines = [
    `${r.dry_run ? 'Dry run of' : 'Import of'} ${r.file} as ${r.entity}${r.preset ? ` (preset ${r.preset}${r.preset_detected ? ', detected from the header' : ''})` : ''}`,
    `  format: ${r.format.kind}, ${r.format.encoding}${r.format.delimiter ? `, delimiter ${JSON.stringify(r.format.delimiter)}` : ''}${r.format.headerLine ? `, header on line ${r.format.headerLine}` : ''}`,
    `  rows ${r.rows.toLocaleString('en')} → records ${r.records.toLocaleString('en')}: inserted ${r.inserted.toLocaleString('en')}, updated ${r.updated.toLocaleString('en')}, unchanged ${r.unchanged.toLocaleString('en')}, rejected rows ${r.rejected_rows.toLocaleString('en')}`,
  ]
  if (r.grouped_rows) lines.push(`  ${r.grouped_rows.toLocaleString('en')} rows were line items or same-day purchases joined to another row's order`)
  if (r.anonymous_sales) lines.push(`  ${r.anonymous_sales.toLocaleString('en')} anonymous sales (no customer id) kept as orders without a customer`)
  if (r.refunds.found) {
    const f = r.refunds
    lines.push(`  refunds/cancellations: ${f.found} found, ${f.applied} applied to their orders, ${f.already_applied} already applied by an earlier import, ${f.pending} waiting for their order, ${f.unmatched} without a matching order`)
  }
  const fromOrders = r.customers_from_orders
  if (fromOrders.inserted + fromOrders.updated + fromOrders.unchanged)
    lines.push(`  customers from the order rows: ${fromOrders.inserted} new, ${fromOrders.updated} updated, ${fromOrders.unchanged} unchanged`)
  if (r.customers_created) lines.push(`  ${r.customers_created.toLocaleString('en')} customers created from the orders`)
  if (r.unmapped_columns.length) lines.push(`  columns not imported: ${r.unmapped_columns.join(', ')}`)
  for (const rej of r.rejects.slice(0, 20)) {
    lines.push(`  ✘ line ${rej.line}${rej.column ? `, column "${rej.column}"` : ''}${rej.value !== null ? `, value "${rej.value}"` : ''}: ${rej.message}`)
  }
  if (r.rejected_rows > 20) lines.push(`  … and ${r.rejected_rows - 20} more rejected rows (use --rejects FILE for all)`)
  if (r.rejected_rows > 0 && !r.committed && !r.dry_run) lines.push('  Nothing was written (all or nothing). Fix the rows, or use --skip-invalid.')
  else if (r.committed) lines.push('  Committed; the analytics replica is in sync.')
  return lines.join('\n')
}
