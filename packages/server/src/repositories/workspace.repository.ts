import type { Kysely } from 'kysely'
import type { DB, WorkspacesTable } from '../db/schema.ts'

const COLUMNS = [
  'name',
  'time_zone',
  'reporting_currency',
  'business_model',
  'activity_window_days',
  'default_locale',
] as const

export function getWorkspace(db: Kysely<DB>) {
  return db.selectFrom('workspaces').select(COLUMNS).where('id', '=', 1).executeTakeFirstOrThrow()
}

export function updateWorkspace(
  db: Kysely<DB>,
  patch: Partial<Pick<WorkspacesTable, (typeof COLUMNS)[number]>>,
) {
  return db
    .updateTable('workspaces')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', 1)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow()
}
