import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'

/**
 * External ids of internal customer ids. The analytics replica keeps no external id (it can be an
 * email address), so a drill-down page asks the record for the ids it shows.
 */
export async function externalIdsOf(
  db: Kysely<DB>,
  ids: readonly number[],
): Promise<Map<number, string>> {
  const out = new Map<number, string>()
  for (let i = 0; i < ids.length; i += 10_000) {
    const chunk = ids.slice(i, i + 10_000)
    const rows = await db
      .selectFrom('customers')
      .select(['id', 'external_id'])
      .where('id', 'in', chunk)
      .execute()
    for (const row of rows) out.set(Number(row.id), row.external_id)
  }
  return out
}
