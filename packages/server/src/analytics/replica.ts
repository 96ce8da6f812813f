import { mkdirSync } from 'node:fs'
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api'
import { instanceId, type Database } from '../db/database.ts'
import type { ReplicatedTable } from '../db/schema.ts'
import { DERIVED_LIST } from './derived.ts'
import { rowObjects, toDuckDB } from './duckdb-values.ts'
import { RecordReader, type ExportMethod, type PageQuery } from './record-export.ts'
import {
  REPLICA_SCHEMA_VERSION,
  REPLICA_TABLES,
  STATE_TABLE,
  TOMBSTONE_COLUMNS,
  type ColumnKind,
  type ReplicaColumn,
  type ReplicaTable,
} from './replica-schema.ts'

/**
 * The DuckDB analytics replica: a derived copy of the fact tables, kept in step with the system
 * of record by change sequence, and the one place that runs analytics SQL.
 *
 * Sync: read the safe horizon H (record-export.ts), export every row and tombstone with
 * watermark < change_seq <= H page by page as CSV, and apply it in ONE DuckDB transaction that
 * also moves the watermark to H. A crash or error anywhere leaves the previous replica and
 * watermark untouched; the next sync redoes the work. Tombstones are applied before upserts:
 * a row present in the record with change_seq <= H was written after any earlier deletion of
 * its id, so deleting first and inserting the current version is right in every order of events.
 *
 * A replica is rebuilt from nothing (in the same single transaction, so the old one stays readable
 * until the new one commits) when it is new, when its schema version differs, when it was built
 * from another database (instance_id in fedele_meta), or when the record is behind it (a
 * restored backup).
 */

export type SyncHooks = {
  /** Called inside the DuckDB transaction after each page is applied; for fault injection. */
  afterPage?: (table: ReplicatedTable | 'tombstones') => void | Promise<void>
  /** Called inside the DuckDB transaction just before commit; for fault injection. */
  beforeCommit?: () => void | Promise<void>
}

export type ReplicaOptions = {
  /** The DuckDB file (its directory is created), or ':memory:'. */
  path: string
  /** How to read the record; default: 'copy' when the raw client is available, else 'query'. */
  exportMethod?: ExportMethod
  /** Change sequences per exported page: bounds memory (and temp file size) per page. */
  pageSize?: number
  /** DuckDB configuration, e.g. { threads: '2', memory_limit: '1GB' }. */
  duckdb?: Record<string, string>
  hooks?: SyncHooks
}

export type RebuildReason = 'new' | 'schema' | 'instance' | 'behind' | 'requested'

export type SyncReport = {
  /** Why the replica was rebuilt from nothing by this sync, or null for an incremental sync. */
  rebuilt: RebuildReason | null
  fromSeq: number
  toSeq: number
  tables: Record<ReplicatedTable, { upserted: number; deleted: number }>
  pages: number
  exportMethod: ExportMethod
  /** Wall time of the whole sync. */
  ms: number
  /** Time spent exporting from the record and loading into DuckDB; they overlap, so may exceed ms. */
  exportMs: number
  loadMs: number
}

export type ReplicaStatus = {
  schemaVersion: number
  instanceId: string
  watermark: number
  syncedAt: Date
}

export type QueryParams = Record<string, unknown> | readonly unknown[]

/**
 * Memory per page is about pageSize x row width, held a few times over (the export, the file
 * write, DuckDB's parse). The query export also builds the page as one string, which V8 caps at
 * ~512 MB, so it gets smaller pages.
 */
const DEFAULT_PAGE_SIZE: Record<ExportMethod, number> = { copy: 500_000, query: 100_000 }

type Target = { name: ReplicatedTable | 'tombstones'; columns: readonly ReplicaColumn[] }
type Page = { target: Target; file: string; exportMs: number }

export class AnalyticsReplica {
  #chain: Promise<unknown> = Promise.resolve()
  #recordInstanceId: string | undefined
  #closed = false
  #generation = 0

  private constructor(
    readonly path: string,
    private readonly database: Database,
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
    private readonly reader: RecordReader,
    private readonly options: ReplicaOptions,
  ) {}

  /** Opens (or creates) the replica file. Nothing is read from the record until the first sync. */
  static async open(database: Database, options: ReplicaOptions): Promise<AnalyticsReplica> {
    const path = options.path === ':memory:' ? options.path : resolve(options.path)
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
    const reader = new RecordReader(database, options.exportMethod)
    let instance: DuckDBInstance
    try {
      instance = await DuckDBInstance.create(path, options.duckdb)
    } catch (e) {
      // Typically another process holds it: DuckDB allows one read-write process per file.
      throw new Error(`cannot open the analytics replica ${path}: ${(e as Error).message}`, {
        cause: e,
      })
    }
    try {
      const writer = await instance.connect()
      // UTC for every connection: casts and date_trunc on TIMESTAMPTZ then mean the same on every
      // machine. (Not a creation option: it needs the ICU extension, loaded only after open.)
      await writer.run(`set global TimeZone = 'UTC'`)
      // Row order in the replica means nothing, and keeping it costs a third of a bulk load's CPU.
      await writer.run('set session preserve_insertion_order = false')
      if (path !== ':memory:') await removeSyncLeftovers(path)
      return new AnalyticsReplica(path, database, instance, writer, reader, options)
    } catch (e) {
      instance.closeSync()
      throw e
    }
  }

  /** Brings the replica up to the record's safe horizon. Concurrent calls run one after another. */
  sync(): Promise<SyncReport> {
    return this.#serialize(() => this.#sync(false))
  }

  /** Drops everything and loads the record again, in one transaction (`fedele analytics rebuild`). */
  rebuild(): Promise<SyncReport> {
    return this.#serialize(() => this.#sync(true))
  }

  /**
   * Runs analytics SQL (DuckDB dialect) on the replica, after a sync unless `sync: false`.
   * Parameters: `$name` with an object, `?` or `$1` with an array. Values come back as plain JS
   * (see duckdb-values.ts: safe BIGINTs as numbers, timestamps as Dates, DATE as 'YYYY-MM-DD').
   * Each query has its own connection, so reads see the last committed sync and never wait for
   * one in progress when `sync: false`. Read-only by convention: the replica is derived, and
   * anything written here is gone at the next rebuild.
   */
  async query<T = Record<string, unknown>>(
    text: string,
    params?: QueryParams,
    options: { sync?: boolean } = {},
  ): Promise<T[]> {
    if (options.sync !== false) await this.sync()
    this.#assertOpen()
    const connection = await this.instance.connect()
    try {
      const reader = await connection.runAndReadAll(text, duckParams(params))
      return rowObjects(reader) as T[]
    } finally {
      connection.closeSync()
    }
  }

  /** Bumped by every sync that changes the replica: a cache keyed by it is never stale. */
  get generation(): number {
    return this.#generation
  }

  /** Runs statements on the writing connection between syncs (derived tables: derived.ts). */
  exclusive<T>(
    work: (run: (text: string, params?: Record<string, unknown>) => Promise<void>) => Promise<T>,
  ): Promise<T> {
    return this.#serialize(async () => {
      this.#assertOpen()
      return work(async (text, params) => {
        await this.writer.run(text, duckParams(params))
      })
    })
  }

  /** The replica's bookkeeping, or null before its first sync. */
  status(): Promise<ReplicaStatus | null> {
    return this.#serialize(() => this.#readState())
  }

  async close(): Promise<void> {
    if (this.#closed) return
    await this.#chain
    this.#closed = true
    this.writer.closeSync()
    this.instance.closeSync()
  }

  #serialize<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(work, work)
    this.#chain = run.catch(() => undefined)
    return run
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error(`the analytics replica ${this.path} is closed`)
  }

  async #sync(requested: boolean): Promise<SyncReport> {
    this.#assertOpen()
    const t0 = performance.now()
    const horizon = await this.reader.horizon()
    this.#recordInstanceId ??= await instanceId(this.database.db)
    const state = await this.#readState()
    const rebuilt: RebuildReason | null = requested
      ? 'requested'
      : !state
        ? 'new'
        : state.schemaVersion !== REPLICA_SCHEMA_VERSION
          ? 'schema'
          : state.instanceId !== this.#recordInstanceId
            ? 'instance'
            : horizon < state.watermark
              ? 'behind'
              : null
    const from = rebuilt || !state ? 0 : state.watermark
    const report: SyncReport = {
      rebuilt,
      fromSeq: from,
      toSeq: horizon,
      tables: Object.fromEntries(
        REPLICA_TABLES.map((t) => [t.name, { upserted: 0, deleted: 0 }]),
      ) as SyncReport['tables'],
      pages: 0,
      exportMethod: this.reader.method,
      ms: 0,
      exportMs: 0,
      loadMs: 0,
    }
    if (!rebuilt && horizon === from) {
      report.ms = performance.now() - t0
      return report
    }

    const dir = await mkdtemp(
      this.path === ':memory:' ? join(tmpdir(), 'fedele-replica-') : `${this.path}.sync-`,
    )
    await this.#run('begin transaction')
    try {
      if (rebuilt) await this.#recreate()
      await this.#apply(report, dir, rebuilt !== null)
      // Derived tables describe the rows before this sync (derived.ts).
      const derived = await this.writer.runAndReadAll(DERIVED_LIST)
      for (const [name] of derived.getRowsJS() as [string][])
        await this.#run(`drop table ${ident(name)}`)
      await this.#run(`delete from ${STATE_TABLE}`)
      await this.#run(
        `insert into ${STATE_TABLE} values ($version, $instance, $watermark, now())`,
        {
          version: REPLICA_SCHEMA_VERSION,
          instance: this.#recordInstanceId,
          watermark: horizon,
        },
      )
      await this.options.hooks?.beforeCommit?.()
      await this.#run('commit')
      this.#generation++
    } catch (e) {
      await this.#run('rollback').catch(() => undefined)
      throw e
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
    report.ms = performance.now() - t0
    return report
  }

  /** Exports pages from the record and loads them, exporting page n+1 while DuckDB loads page n. */
  async #apply(report: SyncReport, dir: string, fresh: boolean): Promise<void> {
    const pageSize = this.options.pageSize ?? DEFAULT_PAGE_SIZE[this.reader.method]
    // Into a table that had no rows, a page can go straight in: nothing to delete, no staging.
    const empty = fresh ? new Set(REPLICA_TABLES.map((t) => t.name)) : await this.#emptyTables()
    const targets: Target[] = fresh
      ? [...REPLICA_TABLES]
      : [{ name: 'tombstones', columns: TOMBSTONE_COLUMNS }, ...REPLICA_TABLES]

    const reader = this.reader
    const { fromSeq, toSeq } = report
    async function* exportPages(): AsyncGenerator<Page> {
      const tables = targets.map((t) => t.name)
      const firsts = await reader.firstSeqs(tables, fromSeq, toSeq)
      let n = 0
      for (const [i, target] of targets.entries()) {
        let after = fromSeq
        let first = firsts[i] ?? null
        while (first !== null) {
          const page: PageQuery = {
            table: target.name,
            columns: target.columns,
            after,
            upTo: Math.min(first - 1 + pageSize, toSeq),
          }
          const file = join(dir, `${n++}-${target.name}.csv`)
          const t = performance.now()
          await reader.exportCsv(page, file)
          yield { target, file, exportMs: performance.now() - t }
          after = page.upTo
          first =
            after < toSeq
              ? ((await reader.firstSeqs([target.name], after, toSeq))[0] ?? null)
              : null
        }
      }
    }

    let tombstones = 0
    let tombstonesApplied = fresh
    const pages = exportPages()
    let next = pages.next()
    try {
      for (;;) {
        const current = await next
        if (current.done) break
        next = pages.next()
        const page = current.value
        report.pages++
        report.exportMs += page.exportMs
        const t = performance.now()
        if (page.target.name === 'tombstones') {
          tombstones += await this.#loadTombstones(page.file, tombstones === 0)
        } else {
          if (!tombstonesApplied) {
            if (tombstones) await this.#applyTombstones(report, empty)
            tombstonesApplied = true
          }
          await this.#loadPage(page.target.name, page.file, empty, report)
        }
        await this.options.hooks?.afterPage?.(page.target.name)
        report.loadMs += performance.now() - t
      }
      if (!tombstonesApplied && tombstones) await this.#applyTombstones(report, empty)
      // The staging tables would otherwise hold the last page in memory until the next sync.
      await this.#run('drop table if exists replica_page')
      await this.#run('drop table if exists replica_tombstones')
    } finally {
      // After a failure the export ahead may still be writing into `dir`: let it finish first.
      await next.catch(() => undefined)
      await pages.return(undefined)
    }
  }

  /** Collects a page of tombstones; returns how many it held. */
  async #loadTombstones(file: string, first: boolean): Promise<number> {
    if ((await stat(file)).size === 0) return 0
    if (first) {
      await this.#run(
        'create or replace temp table replica_tombstones (change_seq BIGINT, table_name VARCHAR, row_id BIGINT)',
      )
    }
    const result = await this.#run(
      `insert into replica_tombstones select * from ${readCsv(file, TOMBSTONE_COLUMNS)}`,
    )
    return result.rowsChanged
  }

  async #applyTombstones(report: SyncReport, empty: ReadonlySet<ReplicatedTable>): Promise<void> {
    const tables = await this.writer.runAndReadAll(
      'select distinct table_name from replica_tombstones',
    )
    const touched = new Set(tables.getRowsJS().map((row) => row[0] as string))
    for (const table of REPLICA_TABLES) {
      if (empty.has(table.name) || !touched.has(table.name)) continue
      const result = await this.#run(
        `delete from ${ident(table.name)} where id in
           (select row_id from replica_tombstones where table_name = $table)`,
        { table: table.name },
      )
      report.tables[table.name].deleted += result.rowsChanged
    }
  }

  async #loadPage(
    table: ReplicatedTable,
    file: string,
    empty: ReadonlySet<ReplicatedTable>,
    report: SyncReport,
  ): Promise<void> {
    if ((await stat(file)).size === 0) return
    const spec = tableSpec(table)
    const source = `select ${projection(spec.columns)} from ${readCsv(file, spec.columns)}`
    let inserted: number
    if (empty.has(table)) {
      inserted = (await this.#run(`insert into ${ident(table)} ${source}`)).rowsChanged
    } else {
      // Parse once into a temp table, then replace the rows by id. Pages of new rows only (ids
      // above every id the table holds: the common case) skip the delete's scan of the table.
      await this.#run(`create or replace temp table replica_page as ${source}`)
      const bounds = await this.writer.runAndReadAll(
        `select (select min(id) from replica_page), (select max(id) from ${ident(table)})`,
      )
      const [lowest, highest] = (bounds.getRowsJS()[0] ?? []) as (bigint | null)[]
      if (lowest != null && highest != null && lowest <= highest) {
        await this.#run(`delete from ${ident(table)} where id in (select id from replica_page)`)
      }
      inserted = (await this.#run(`insert into ${ident(table)} select * from replica_page`))
        .rowsChanged
    }
    report.tables[table].upserted += inserted
  }

  /** Drops every table and view of the replica and creates the current schema. */
  async #recreate(): Promise<void> {
    const existing = await this.writer.runAndReadAll(
      `select 'table' as kind, table_name as name from duckdb_tables()
         where database_name = current_database() and schema_name = 'main' and not temporary
       union all
       select 'view', view_name from duckdb_views()
         where database_name = current_database() and schema_name = 'main' and not internal and not temporary`,
    )
    for (const [kind, name] of existing.getRowsJS() as [string, string][]) {
      await this.#run(`drop ${kind === 'view' ? 'view' : 'table'} ${ident(name)}`)
    }
    for (const table of REPLICA_TABLES) {
      const columns = table.columns.map((c) => `${ident(c.name)} ${duckType(c.kind)}`).join(', ')
      await this.#run(`create table ${ident(table.name)} (${columns})`)
    }
    await this.#run(
      `create table ${STATE_TABLE} (schema_version INTEGER NOT NULL, instance_id VARCHAR NOT NULL,
         watermark BIGINT NOT NULL, synced_at TIMESTAMPTZ NOT NULL)`,
    )
  }

  async #readState(): Promise<ReplicaStatus | null> {
    this.#assertOpen()
    const exists = await this.writer.runAndReadAll(
      `select count(*) from duckdb_tables()
         where database_name = current_database() and schema_name = 'main' and table_name = $name`,
      { name: STATE_TABLE },
    )
    if (exists.getRowsJS()[0]?.[0] === 0n) return null
    try {
      const rows = await this.writer.runAndReadAll(
        `select schema_version, instance_id, watermark, synced_at from ${STATE_TABLE}`,
      )
      const row = rowObjects(rows)[0]
      if (!row) return null
      return {
        schemaVersion: Number(row.schema_version),
        instanceId: String(row.instance_id),
        watermark: Number(row.watermark),
        syncedAt: row.synced_at as Date,
      }
    } catch {
      // A state table of some other shape: a replica from another version.
      return { schemaVersion: -1, instanceId: '', watermark: 0, syncedAt: new Date(0) }
    }
  }

  async #emptyTables(): Promise<Set<ReplicatedTable>> {
    const counts = await this.writer.runAndReadAll(
      `select ${REPLICA_TABLES.map((t) => `(select count(*) from ${ident(t.name)})`).join(', ')}`,
    )
    const row = counts.getRowsJS()[0] ?? []
    return new Set(REPLICA_TABLES.filter((_, i) => row[i] === 0n).map((t) => t.name))
  }

  #run(text: string, values?: Record<string, DuckDBValue>) {
    return this.writer.run(text, values)
  }
}

/**
 * A process killed mid-sync leaves its CSV pages behind. DuckDB lets one process at a time open
 * the file, so once we hold it, every such directory belongs to a dead sync.
 */
async function removeSyncLeftovers(path: string): Promise<void> {
  const prefix = `${basename(path)}.sync-`
  for (const entry of await readdir(dirname(path))) {
    if (entry.startsWith(prefix))
      await rm(join(dirname(path), entry), { recursive: true, force: true })
  }
}

/** Deletes a replica's files (the database and its WAL), e.g. when it cannot even be opened. */
export async function deleteReplicaFiles(path: string): Promise<void> {
  const file = resolve(path)
  await rm(file, { force: true })
  await rm(`${file}.wal`, { force: true })
}

function tableSpec(name: ReplicatedTable): ReplicaTable {
  const spec = REPLICA_TABLES.find((t) => t.name === name)
  if (!spec) throw new Error(`not a replicated table: ${name}`)
  return spec
}

function duckType(kind: ColumnKind): string {
  switch (kind) {
    case 'bigint':
      return 'BIGINT'
    case 'integer':
      return 'INTEGER'
    case 'smallint':
      return 'SMALLINT'
    case 'double':
      return 'DOUBLE'
    case 'text':
      return 'VARCHAR'
    case 'boolean':
      return 'BOOLEAN'
    case 'timestamptz':
      return 'TIMESTAMPTZ'
    case 'date':
      return 'DATE'
    case 'text[]':
      return 'VARCHAR[]'
    case 'jsonb':
      return 'JSON'
  }
}

/** Arrays travel as JSON text (PostgreSQL's array literal is not DuckDB's), JSON as text. */
function projection(columns: readonly ReplicaColumn[]): string {
  return columns
    .map((c) => {
      const name = ident(c.name)
      if (c.kind === 'text[]') return `cast(cast(${name} as JSON) as VARCHAR[]) as ${name}`
      if (c.kind === 'jsonb') return `cast(${name} as JSON) as ${name}`
      return name
    })
    .join(', ')
}

/** COPY's CSV: no header, `""` is the empty string and an unquoted empty field is NULL. */
function readCsv(file: string, columns: readonly ReplicaColumn[]): string {
  const spec = columns
    .map((c) => {
      const type = c.kind === 'text[]' || c.kind === 'jsonb' ? 'VARCHAR' : duckType(c.kind)
      return `${literal(c.name)}: ${literal(type)}`
    })
    .join(', ')
  return `read_csv(${literal(file)}, columns = {${spec}}, header = false, auto_detect = false,
    delim = ',', quote = '"', escape = '"', new_line = '\\n', allow_quoted_nulls = false)`
}

function duckParams(
  params: QueryParams | undefined,
): DuckDBValue[] | Record<string, DuckDBValue> | undefined {
  if (params === undefined) return undefined
  if (Array.isArray(params)) return params.map((v, i) => toDuckDB(v, `$${i + 1}`))
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, toDuckDB(v, `$${k}`)]))
}

function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`
}
