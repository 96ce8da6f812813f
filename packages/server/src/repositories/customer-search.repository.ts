import { sql, type Kysely } from 'kysely'
import type { DB } from '../db/schema.ts'

/**
 * The customer list's reads of the record: what the analytics replica does not hold (names,
 * e-mail addresses, external ids).
 */

/** `text` as a case-insensitive substring pattern, its own % _ and \ taken literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/** Ids of customers whose name, e-mail or external id contains `text`, up to cap + 1. */
export async function idsMatchingText(
  db: Kysely<DB>,
  text: string,
  cap: number,
): Promise<number[]> {
  const p = containsPattern(text)
  const rows = await db
    .selectFrom('customers')
    .select('id')
    .where((eb) =>
      eb.or([
        eb(sql`external_id`, 'ilike', sql`${p} ESCAPE '\\'`),
        eb(sql`email`, 'ilike', sql`${p} ESCAPE '\\'`),
        eb(sql`name`, 'ilike', sql`${p} ESCAPE '\\'`),
      ]),
    )
    .orderBy('id')
    .limit(cap + 1)
    .execute()
  return rows.map((r) => Number(r.id))
}

/**
 * A page of customers sorted by name (unnamed last, ties by id), among `ids` when given, with
 * the total.
 */
export async function pageByName(
  db: Kysely<DB>,
  ids: readonly number[] | undefined,
  dir: 'asc' | 'desc',
  page: { limit: number; offset: number },
): Promise<{ total: number; ids: number[] }> {
  let q = db.selectFrom('customers')
  if (ids) q = q.where('id', '=', sql<number>`ANY(${sql.val([...ids])}::bigint[])`)
  const [rows, count] = await Promise.all([
    q
      .select('id')
      .orderBy(sql`name ${sql.raw(dir === 'asc' ? 'ASC' : 'DESC')} NULLS LAST`)
      .orderBy('id', dir)
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
  ])
  return { total: Number(count?.n ?? 0), ids: rows.map((r) => Number(r.id)) }
}

export type CustomerIdentity = {
  external_id: string
  name: string | null
  email: string | null
  erased_at: Date | null
}

/** Names, e-mails and external ids of the customers on a page. */
export async function identitiesOf(
  db: Kysely<DB>,
  ids: readonly number[],
): Promise<Map<number, CustomerIdentity>> {
  const out = new Map<number, CustomerIdentity>()
  if (ids.length === 0) return out
  const rows = await db
    .selectFrom('customers')
    .select(['id', 'external_id', 'name', 'email', 'erased_at'])
    .where('id', 'in', [...ids])
    .execute()
  for (const r of rows) {
    out.set(Number(r.id), {
      external_id: r.external_id,
      name: r.name,
      email: r.email,
      erased_at: r.erased_at,
    })
  }
  return out
}
