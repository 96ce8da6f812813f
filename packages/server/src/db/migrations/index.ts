import type { Migration, MigrationProvider } from 'kysely'
import * as m0001 from './0001-initial.ts'
import * as m0002 from './0002-predictions.ts'
import * as m0003 from './0003-segments.ts'
import * as m0004 from './0004-write-path-keys.ts'
import * as m0005 from './0005-order-refunds.ts'
import * as m0006 from './0006-customer-search.ts'
import * as m0007 from './0007-value-tiers.ts'
import * as m0008 from './0008-order-lines-cascade-trigger.ts'
import * as m0009 from './0009-prediction-keys.ts'

/** Migrations in order; names are permanent once released. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-predictions': m0002,
  '0003-segments': m0003,
  '0004-write-path-keys': m0004,
  '0005-order-refunds': m0005,
  '0006-customer-search': m0006,
  '0007-value-tiers': m0007,
  '0008-order-lines-cascade-trigger': m0008,
  '0009-prediction-keys': m0009,
}

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
}
