import { createReadStream, createWriteStream, statSync, type WriteStream } from 'node:fs'
import { open } from 'node:fs/promises'
import type { PGlite } from '@electric-sql/pglite'
import type { EntityKind, TOrderRecord } from '@fedele/core'
import {
  applyRefund,
  createImporter,
  createScanner,
  finalizePlan,
  planImport,
  type ImportIssue,
  type ImportOptions,
  type ImportPlan,
  type OrderRefund,
} from '@fedele/core/import'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'
import { upsertBatch } from './ingest.service.ts'
import { createDerivedCustomers } from './import-customers.ts'
import { applyRefunds, replayStoredRefunds, type RefundCounts } from './import-refunds.ts'
import { createHeapGuard } from './import-memory.ts'
import { createOrderWriter } from './import-bulk.ts'
import {
  createIndexes,
  dropIndexes,
  secondaryIndexesIfEmpty,
} from '../repositories/bulk-load.repository.ts'

/**
 * Imports one file: plan from its first 64 KB, a scan pass when the plan needs the whole file
 * (day/month order, decimal separator, order rows not adjacent), then the import pass streaming
 * records into the system of record in batches, all inside ONE transaction. Memory stays constant
 * (one batch plus the refunds seen). Any rejected row rolls the whole file back unless
 * `skipInvalid`; `dryRun` validates only. Refunds and cancellations found in the file are applied
 * to their orders at the end of the pass, inside the same transaction.
 */
export type ImportRequest = {
  path: string
  entity: EntityKind
  options: ImportOptions
  skipInvalid?: boolean
  dryRun?: boolean
  /** CSV of every rejected row: line, column, value, reason code, message. */
  rejectsPath?: string | undefined
  locale?: 'it' | 'en'
  onProgress?: (p: ImportProgress) => void
  /**
   * Collect the JavaScript heap whenever it grew this many MB (import-memory.ts): for a process
   * that does nothing but this import (`fedele import`). Off by default: in `fedele serve` a full
   * collection would pause every request for the sake of one job.
   */
  heapBudgetMb?: number
  /**
   * The embedded engine's handle (`Database.pglite`): orders are then written by COPY when they
   * are new (import-bulk.ts), and a first import into empty order tables builds their secondary
   * indexes once at the end. Without it every batch goes through the upsert.
   */
  pglite?: PGlite | undefined
}

export type ImportProgress = {
  phase: 'scan' | 'import'
  bytes: number
  totalBytes: number
  rows: number
}

export type RejectedRow = {
  line: number
  column: string | null
  value: string | null
  code: string
  message: string
}

export type ImportReport = {
  file: string
  entity: EntityKind
  preset: string | null
  preset_detected: boolean
  format: ImportPlan['format']
  unmapped_columns: string[]
  dry_run: boolean
  committed: boolean
  rows: number
  records: number
  inserted: number
  updated: number
  unchanged: number
  rejected_rows: number
  customers_created: number
  /** Customers read from the order rows (Shopify/WooCommerce billing data), merged field by field. */
  customers_from_orders: { inserted: number; updated: number; unchanged: number }
  anonymous_sales: number
  grouped_rows: number
  refunds: RefundCounts
  /** Records whose external id appeared again later in the file: the later row wins. */
  repeated_in_file: number
  warnings: number
  rejects: RejectedRow[]
  issues: { line: number | null; column: string | null; code: string; message: string }[]
  seconds: number
  /**
   * Peak RSS of the process when the import pass ended (MB), before the replica sync that a CLI
   * import runs afterwards: the figure the constant-memory promise is about.
   */
  import_peak_rss_mb: number
  /**
   * How the batches were written: by COPY (new orders on PGlite) or by the upsert, and how many
   * secondary indexes were built once at the end instead of row by row (a first import).
   */
  write_path: { copy_batches: number; upsert_batches: number; indexes_rebuilt: number }
}

export class ImportFailed extends Error {
  constructor(
    readonly issues: ImportIssue[],
    locale: 'it' | 'en',
  ) {
    super(issues.map((i) => describeIssue(i, locale)).join('\n'))
    this.name = 'ImportFailed'
  }
}

const SAMPLE_BYTES = 64 * 1024
const BATCH = 5000
const KEEP_REJECTS = 200
const CHUNK = 64 * 1024

export function describeIssue(i: ImportIssue, locale: 'it' | 'en'): string {
  const where = [i.line !== null ? `line ${i.line}` : '', i.column ? `column "${i.column}"` : '']
    .filter(Boolean)
    .join(', ')
  const value = i.value !== null ? ` (value "${i.value}")` : ''
  return `${where ? `${where}: ` : ''}${i.message[locale]}${value} [${i.code}]`
}

/**
 * The file in chunks of 64 KB (~1,400 rows of a plain orders CSV): every row and record of a
 * chunk is alive until the chunk is handled, and with 1 MB chunks (~22,000 records) they
 * outlived the young generation and filled the old one.
 */
async function* chunks(path: string, onBytes: (n: number) => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK })) {
    const buf = chunk as Buffer
    onBytes(buf.length)
    yield buf
  }
}

export async function planFile(path: string, entity: EntityKind, options: ImportOptions) {
  const totalBytes = statSync(path).size
  const fh = await open(path, 'r')
  const sample = Buffer.alloc(Math.min(SAMPLE_BYTES, totalBytes))
  try {
    await fh.read(sample, 0, sample.length, 0)
  } finally {
    await fh.close()
  }
  return {
    plan: planImport(sample, { ...options, entity }, totalBytes <= SAMPLE_BYTES),
    totalBytes,
  }
}

export async function importFile(db: Kysely<DB>, req: ImportRequest): Promise<ImportReport> {
  const t0 = performance.now()
  const locale = req.locale ?? 'en'
  const { plan: planned, totalBytes } = await planFile(req.path, req.entity, req.options)
  if (!planned.ok) throw new ImportFailed(planned.error, locale)
  let plan = planned.value
  const heap = req.heapBudgetMb === undefined ? null : createHeapGuard(req.heapBudgetMb)

  if (plan.pending.dateOrder || plan.pending.decimalSeparator || plan.pending.adjacency) {
    const scanner = createScanner(plan)
    let bytes = 0
    for await (const c of chunks(req.path, (n) => (bytes += n))) {
      scanner.push(c)
      heap?.check()
      req.onProgress?.({ phase: 'scan', bytes, totalBytes, rows: 0 })
    }
    const final = finalizePlan(plan, scanner.end())
    if (!final.ok) throw new ImportFailed(final.error, locale)
    plan = final.value
  }

  const report: ImportReport = {
    file: req.path,
    entity: plan.entity,
    preset: plan.preset?.id ?? null,
    preset_detected: plan.preset?.detected ?? false,
    format: plan.format,
    unmapped_columns: plan.unmappedColumns,
    dry_run: req.dryRun ?? false,
    committed: false,
    rows: 0,
    records: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    rejected_rows: 0,
    customers_created: 0,
    customers_from_orders: { inserted: 0, updated: 0, unchanged: 0 },
    anonymous_sales: 0,
    grouped_rows: 0,
    refunds: { found: 0, applied: 0, unmatched: 0, already_applied: 0, pending: 0 },
    repeated_in_file: 0,
    warnings: 0,
    rejects: [],
    issues: [],
    seconds: 0,
    import_peak_rss_mb: 0,
    write_path: { copy_batches: 0, upsert_batches: 0, indexes_rebuilt: 0 },
  }
  const rejectsOut: WriteStream | undefined = req.rejectsPath
    ? createWriteStream(req.rejectsPath)
    : undefined
  rejectsOut?.write('line,column,value,reason,message\n')
  const reject = (r: RejectedRow) => {
    report.rejected_rows++
    if (report.rejects.length < KEEP_REJECTS) report.rejects.push(r)
    rejectsOut?.write(
      `${[r.line, r.column ?? '', r.value ?? '', r.code, r.message].map(csvCell).join(',')}\n`,
    )
  }

  const addIssue = (i: ImportIssue) => {
    if (report.issues.length < KEEP_REJECTS) {
      report.issues.push({
        line: i.line,
        column: i.column,
        code: i.code,
        message: `${i.message[locale]}${i.value !== null ? ` (value "${i.value}")` : ''}`,
      })
    }
  }
  const importer = createImporter(plan)
  const refunds: OrderRefund[] = []
  // Refund ids applied to an order of the batch in memory: the ledger's copy is not replayed.
  const appliedInMemory = new Set<string>()
  // Keyed by external id: a row repeated later in the file replaces the earlier one.
  let batch = new Map<string, Record<string, unknown>>()
  const derivedCustomers = createDerivedCustomers()
  // Once a row is rejected in all-or-nothing mode nothing more is written; the pass goes on only
  // to report every problem of the file at once.
  const writing = () => !report.dry_run && (req.skipInvalid || report.rejected_rows === 0)

  // Customer ids resolved by earlier batches of this file (valid in its one transaction).
  const referenceCache = new Map<string, number>()
  const orderWriter = plan.entity === 'orders' ? createOrderWriter(req.pglite) : null
  const run = async (trx: Kysely<DB>) => {
    // A first import of orders on PGlite: their secondary indexes are built once at the end.
    // (On PostgreSQL dropping them would lock the tables against a running server's reads.)
    const deferredIndexes =
      req.pglite && orderWriter && writing()
        ? await secondaryIndexesIfEmpty(trx, ['orders', 'order_lines'])
        : []
    await dropIndexes(trx, deferredIndexes)
    const writeBatch = async (
      records: Map<string, Record<string, unknown>>,
      customers: ReturnType<typeof derivedCustomers.take>,
      persist: boolean,
    ) => {
      // Customers first, so that the orders find them instead of creating bare ones.
      await derivedCustomers.write(trx, customers, persist, report)
      if (persist) {
        if (plan.entity === 'orders') await replayStoredRefunds(trx, records, appliedInMemory)
        const summary = orderWriter
          ? await orderWriter.write(trx, [...records.values()], referenceCache)
          : (
              await upsertBatch(trx, plan.entity, [...records.values()], {
                createCustomers: true,
                referenceCache,
              })
            ).summary
        report.inserted += summary.inserted
        report.updated += summary.updated
        report.unchanged += summary.unchanged
        report.customers_created += summary.customers_created
      }
    }
    // One batch is written while the next is parsed (with PostgreSQL the SQL runs in another
    // process, so the two overlap); never more than one write in flight, so at most two batches
    // are in memory and the writes reach the one session in file order.
    let inFlight: Promise<void> = Promise.resolve()
    const flush = async () => {
      if (batch.size === 0) return
      await inFlight
      heap?.check()
      // Taken now, as the sequential version saw them: this batch, its customers, and whether
      // a row rejected so far stops the writing.
      const done = writeBatch(batch, derivedCustomers.take(), writing())
      batch = new Map()
      // Awaited by the next flush or the end; this handler only keeps an early failure from
      // being reported as unhandled before then.
      done.catch(() => undefined)
      inFlight = done
    }
    const handle = async (outputs: ReturnType<typeof importer.push>) => {
      for (const o of outputs) {
        if (o.type === 'record' && o.derived) derivedCustomers.add(o.record)
        else if (o.type === 'record') {
          report.records++
          const id = String(o.record.external_id)
          if (batch.has(id)) report.repeated_in_file++
          batch.set(id, o.record)
          for (const w of o.warnings) addIssue(w)
          if (batch.size >= BATCH) await flush()
        } else if (o.type === 'refund') {
          // Applied in memory when its order is still in the batch, so that importing the same
          // file again finds every order unchanged; otherwise at the end, in the database.
          report.refunds.found++
          if (applyToBatch(batch, o.refund, report)) appliedInMemory.add(o.refund.external_id)
          else refunds.push(o.refund)
        } else if (o.type === 'rejected') {
          const first = o.issues[0]
          reject({
            line: o.line,
            column: first?.column ?? null,
            value: first?.value ?? null,
            code: first?.code ?? 'invalid',
            message: o.issues.map((i) => i.message[locale]).join('; '),
          })
        } else addIssue(o.issue)
      }
    }
    let bytes = 0
    try {
      for await (const c of chunks(req.path, (n) => (bytes += n))) {
        await handle(importer.push(c))
        req.onProgress?.({ phase: 'import', bytes, totalBytes, rows: importer.summary().rows })
      }
      await handle(importer.end())
      await flush()
      await inFlight
    } catch (e) {
      // No statement of this transaction may still run when it rolls back.
      await inFlight.catch(() => undefined)
      throw e
    }
    // Before the refunds, which look orders up by customer and date.
    if (writing() && deferredIndexes.length > 0) {
      await createIndexes(trx, deferredIndexes)
      report.write_path.indexes_rebuilt = deferredIndexes.length
    }
    await derivedCustomers.write(trx, derivedCustomers.take(), writing(), report)
    if (writing() && refunds.length > 0) await applyRefunds(trx, refunds, report.refunds)
    if (!writing()) throw new RollBack()
  }

  try {
    await db.transaction().execute(run)
    report.committed = !report.dry_run
  } catch (e) {
    if (!(e instanceof RollBack)) throw e
  } finally {
    rejectsOut?.end()
  }
  const s = importer.summary()
  report.rows = s.rows
  report.anonymous_sales = s.anonymous.records
  report.grouped_rows = s.groupedRows
  report.warnings = s.warnings
  if (orderWriter) {
    report.write_path.copy_batches = orderWriter.stats.copied
    report.write_path.upsert_batches = orderWriter.stats.upserted
  }
  report.seconds = (performance.now() - t0) / 1000
  report.import_peak_rss_mb = Math.round(process.resourceUsage().maxRSS / 1024)
  return report
}

class RollBack extends Error {}

function applyToBatch(
  batch: Map<string, Record<string, unknown>>,
  refund: OrderRefund,
  report: ImportReport,
): boolean {
  let target = refund.order_external_id ? batch.get(refund.order_external_id) : undefined
  if (!target && !refund.order_external_id && refund.customer_external_id) {
    for (const o of batch.values()) {
      const order = o as unknown as TOrderRecord
      if (
        order.customer_external_id === refund.customer_external_id &&
        order.placed_at <= refund.refunded_at &&
        order.currency === refund.currency &&
        (!target || order.placed_at > (target as unknown as TOrderRecord).placed_at)
      )
        target = o
    }
  }
  if (!target) return false
  const applied = applyRefund(target as unknown as TOrderRecord, refund)
  if (!applied.ok) return false
  batch.set(String(target.external_id), applied.value.order)
  report.refunds.applied++
  return true
}

function csvCell(v: string | number): string {
  const s = String(v)
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}
