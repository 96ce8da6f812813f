import type { PGlite, QueryOptions } from '@electric-sql/pglite'
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely'

/**
 * A Kysely dialect over an in-process PGlite. PGlite has a single session, so the driver hands
 * out one connection at a time: a transaction holds it exclusively until commit or rollback,
 * exactly as a one-connection pool would.
 */
export class PGliteDialect implements Dialect {
  constructor(private readonly pg: PGlite) {}
  createAdapter() {
    return new PostgresAdapter()
  }
  createDriver(): Driver {
    return new PGliteDriver(this.pg)
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db)
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler()
  }
}

class PGliteDriver implements Driver {
  #queue: Promise<void> = Promise.resolve()
  constructor(private readonly pg: PGlite) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    let release!: () => void
    const previous = this.#queue
    this.#queue = new Promise<void>((resolve) => (release = resolve))
    await previous
    return new PGliteConnection(this.pg, release)
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin'))
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'))
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'))
  }
  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    ;(connection as PGliteConnection).release()
  }
  async destroy(): Promise<void> {}
}

const TEXT_OID = 25
/** Below this many UTF-16 units a text parameter goes as text, as PGlite sends it by default. */
const BINARY_TEXT_MIN = 1024

/**
 * Large text parameters (the write path's array literals, ~1 MB a 5,000-order batch) are handed
 * to PGlite as UTF-8 bytes, which its protocol writer sends in binary format (for `text`, the
 * bytes themselves: Postgres validates the encoding as it does for text). As strings, PGlite's
 * writer measured their UTF-8 length twice in a JavaScript loop over every character: ~20 ms of
 * a 5,000-order batch, ~8% of the server's CPU. Only parameters Postgres typed `text` go this
 * way (the serializer is chosen by the parameter's type), so an array literal must be written
 * `$1::text::int8[]`, not `$1::int8[]`.
 */
function textParam(value: unknown): string | Uint8Array {
  if (typeof value === 'string') {
    return value.length >= BINARY_TEXT_MIN ? Buffer.from(value, 'utf8') : value
  }
  // PGlite's own text serializer.
  return value instanceof Date ? value.toISOString() : String(value)
}
const QUERY_OPTIONS: QueryOptions = {
  // PGlite types a serializer as returning a string, but its writer takes any ArrayBuffer view
  // and sends it in binary format (as it does for a Uint8Array parameter of a bytea).
  serializers: { [TEXT_OID]: textParam as (value: unknown) => string },
}

class PGliteConnection implements DatabaseConnection {
  constructor(
    private readonly pg: PGlite,
    readonly release: () => void,
  ) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    // The extended protocol refuses several statements in one query; migrations send scripts.
    const result =
      compiled.parameters.length === 0 && compiled.sql.includes(';')
        ? ((await this.pg.exec(compiled.sql)).at(-1) ?? { rows: [], affectedRows: 0 })
        : await this.pg.query<R>(compiled.sql, compiled.parameters as unknown[], QUERY_OPTIONS)
    const command = compiled.query.kind
    const mutates =
      command === 'InsertQueryNode' ||
      command === 'UpdateQueryNode' ||
      command === 'DeleteQueryNode' ||
      command === 'MergeQueryNode'
    return {
      rows: result.rows as R[],
      ...(mutates || result.affectedRows
        ? { numAffectedRows: BigInt(result.affectedRows ?? 0) }
        : {}),
    }
  }

  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming queries are not supported on PGlite; page with keyset queries')
  }
}
