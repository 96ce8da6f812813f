/**
 * The record's SQL for saved segments, their membership history and their last members.
 */
import { sql, type Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'

const COLUMNS = [
  'id',
  'name',
  'description',
  'rule',
  'created_by',
  'created_at',
  'updated_at',
] as const

export type SegmentRow = {
  id: number
  name: string
  description: string | null
  rule: unknown
  created_by: number | null
  created_at: Date
  updated_at: Date
}

export function listSegmentRows(db: Kysely<DB>): Promise<SegmentRow[]> {
  return db
    .selectFrom('segments')
    .select(COLUMNS)
    .where('workspace_id', '=', 1)
    .orderBy('name')
    .execute()
}

export function getSegmentRow(db: Kysely<DB>, id: number): Promise<SegmentRow | undefined> {
  return db
    .selectFrom('segments')
    .select(COLUMNS)
    .where('workspace_id', '=', 1)
    .where('id', '=', id)
    .executeTakeFirst()
}

export function segmentNameTaken(
  db: Kysely<DB>,
  name: string,
  exceptId?: number,
): Promise<boolean> {
  let q = db
    .selectFrom('segments')
    .select('id')
    .where('workspace_id', '=', 1)
    .where('name', '=', name)
  if (exceptId !== undefined) q = q.where('id', '<>', exceptId)
  return q.executeTakeFirst().then((r) => r !== undefined)
}

export function insertSegmentRow(
  db: Kysely<DB>,
  row: { name: string; description: string | null; rule: unknown; createdBy: number | null },
): Promise<SegmentRow> {
  return db
    .insertInto('segments')
    .values({
      name: row.name,
      description: row.description,
      rule: JSON.stringify(row.rule),
      created_by: row.createdBy,
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow()
}

export function updateSegmentRow(
  db: Kysely<DB>,
  id: number,
  patch: { name?: string; description?: string | null; rule?: unknown },
): Promise<SegmentRow | undefined> {
  return db
    .updateTable('segments')
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.rule !== undefined ? { rule: JSON.stringify(patch.rule) } : {}),
      updated_at: new Date(),
    })
    .where('workspace_id', '=', 1)
    .where('id', '=', id)
    .returning(COLUMNS)
    .executeTakeFirst()
}

export async function deleteSegmentRow(db: Kysely<DB>, id: number): Promise<boolean> {
  const r = await db
    .deleteFrom('segments')
    .where('workspace_id', '=', 1)
    .where('id', '=', id)
    .executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}

export type HistoryRow = {
  computed_at: Date
  reason: string
  count: number
  value_minor: number
  currency: string
  entered: number | null
  exited: number | null
}

export function historyRows(
  db: Kysely<DB>,
  segmentId: number,
  limit: number,
): Promise<HistoryRow[]> {
  return db
    .selectFrom('segment_membership_history')
    .select(['computed_at', 'reason', 'count', 'value_minor', 'currency', 'entered', 'exited'])
    .where('segment_id', '=', segmentId)
    .orderBy('computed_at', 'desc')
    .limit(limit)
    .execute() as Promise<HistoryRow[]>
}

export async function memberIds(db: Kysely<DB>, segmentId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('segment_members')
    .select('customer_id')
    .where('segment_id', '=', segmentId)
    .execute()
  return rows.map((r) => Number(r.customer_id))
}

export async function hasSnapshot(db: Kysely<DB>, segmentId: number): Promise<boolean> {
  const row = await db
    .selectFrom('segment_membership_history')
    .select('segment_id')
    .where('segment_id', '=', segmentId)
    .limit(1)
    .executeTakeFirst()
  return row !== undefined
}

/**
 * Stores one snapshot in one transaction: the history row and the change of the member set
 * (ids that left are deleted, ids that entered inserted; arrays bound as one parameter each).
 */
export async function writeSnapshot(
  db: Kysely<DB>,
  snapshot: {
    segmentId: number
    computedAt: Date
    reason: string
    count: number
    valueMinor: number
    currency: string
    entered: number[]
    exited: number[]
    first: boolean
  },
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    // The segment may have been deleted while its members were computed.
    const exists = await tx
      .selectFrom('segments')
      .select('id')
      .where('id', '=', snapshot.segmentId)
      .forUpdate()
      .executeTakeFirst()
    if (!exists) return
    if (snapshot.exited.length > 0) {
      await sql`delete from segment_members where segment_id = ${snapshot.segmentId}
        and customer_id = any(${snapshot.exited}::bigint[])`.execute(tx)
    }
    if (snapshot.entered.length > 0) {
      await sql`insert into segment_members (segment_id, customer_id)
        select ${snapshot.segmentId}, unnest(${snapshot.entered}::bigint[])
        on conflict do nothing`.execute(tx)
    }
    await tx
      .insertInto('segment_membership_history')
      .values({
        segment_id: snapshot.segmentId,
        computed_at: snapshot.computedAt,
        reason: snapshot.reason,
        count: snapshot.count,
        value_minor: snapshot.valueMinor,
        currency: snapshot.currency,
        entered: snapshot.first ? null : snapshot.entered.length,
        exited: snapshot.first ? null : snapshot.exited.length,
      })
      .onConflict((oc) => oc.columns(['segment_id', 'computed_at']).doNothing())
      .execute()
  })
}

/** The record's external ids and names of customers (the replica keeps neither). */
export async function customerIdentities(
  db: Kysely<DB>,
  ids: readonly number[],
): Promise<Map<number, { external_id: string; name: string | null; email: string | null }>> {
  if (ids.length === 0) return new Map()
  const rows = await db
    .selectFrom('customers')
    .select(['id', 'external_id', 'name', 'email'])
    .where('id', 'in', ids)
    .execute()
  return new Map(
    rows.map((r) => [
      Number(r.id),
      { external_id: r.external_id, name: r.name ?? null, email: r.email ?? null },
    ]),
  )
}
