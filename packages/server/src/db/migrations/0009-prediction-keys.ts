import { sql, type Kysely } from 'kysely'

/**
 * The foreign keys of the prediction tables (issue 5, measured): a refresh writes a row per
 * customer to `customer_predictions` and another to `customer_prediction_history`, and each row
 * fired an RI check per key, seven per customer. On PGlite, writing 50,000 customers' scores
 * took 88–110 µs of CPU a customer with them and 49–72 µs without; the write holds the embedded
 * database (every other request waits), so on the million-order demo (430,000 customers) that
 * was ~15 s more of a stalled dashboard. What they protected, and what protects it now:
 *
 * - `workspace_id → workspaces`: one workspace (id 1, the column default), as in 0004.
 * - `id`/`customer_id → customers` with ON DELETE CASCADE: the record never deletes a customer
 *   (GDPR erasure anonymises the row and deletes its predictions and history itself, in
 *   repositories/entities.repository.ts); the scored ids come from the replica's copy of the
 *   same customers.
 * - `run_id`/`churn_run_id → model_runs`: the runs are inserted in the same transaction as the
 *   scores that name them (predictions.service.ts), and nothing deletes a run.
 */
const DROPPED: [table: string, constraint: string, column: string, references: string][] = [
  ['customer_predictions', 'customer_predictions_id_fkey', 'id', 'customers(id) on delete cascade'],
  [
    'customer_predictions',
    'customer_predictions_workspace_id_fkey',
    'workspace_id',
    'workspaces(id)',
  ],
  ['customer_predictions', 'customer_predictions_run_id_fkey', 'run_id', 'model_runs(id)'],
  [
    'customer_predictions',
    'customer_predictions_churn_run_id_fkey',
    'churn_run_id',
    'model_runs(id)',
  ],
  [
    'customer_prediction_history',
    'customer_prediction_history_workspace_id_fkey',
    'workspace_id',
    'workspaces(id)',
  ],
  [
    'customer_prediction_history',
    'customer_prediction_history_customer_id_fkey',
    'customer_id',
    'customers(id) on delete cascade',
  ],
  [
    'customer_prediction_history',
    'customer_prediction_history_run_id_fkey',
    'run_id',
    'model_runs(id)',
  ],
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [table, constraint] of DROPPED)
    await sql.raw(`alter table ${table} drop constraint if exists ${constraint}`).execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const [table, constraint, column, references] of DROPPED)
    await sql
      .raw(
        `alter table ${table} add constraint ${constraint} foreign key (${column}) references ${references}`,
      )
      .execute(db)
}
