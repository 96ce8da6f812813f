/**
 * The analytics module: the DuckDB replica of the fact tables and the only place holding
 * analytics SQL. Callers use `AnalyticsReplica` (open, sync, rebuild, query) and never DuckDB
 * directly, so a second engine (ClickHouse) can sit behind the same surface later.
 */
export {
  AnalyticsReplica,
  deleteReplicaFiles,
  type QueryParams,
  type RebuildReason,
  type ReplicaOptions,
  type ReplicaStatus,
  type SyncHooks,
  type SyncReport,
} from './replica.ts'
export type { ExportMethod } from './record-export.ts'
export { REPLICA_SCHEMA_VERSION, REPLICA_TABLES } from './replica-schema.ts'
