import { sql, type Kysely } from 'kysely'

/**
 * One definition of value tiers (core `segments/value-tiers.ts`: platinum the top 1 % of
 * predicted CLV, gold the top 5 %, silver the top 20 %, standard the rest) for the predictions,
 * the segment rules and the dashboard. Scores written with the first draft's tiers are mapped to
 * the nearest new tier; the next refresh recomputes them all.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table customer_predictions drop constraint if exists customer_predictions_value_tier_check`.execute(
    db,
  )
  await sql`
    update customer_predictions set value_tier = case value_tier
      when 'top' then 'silver' when 'high' then 'standard'
      when 'medium' then 'standard' when 'low' then 'standard' else value_tier end
    where value_tier in ('top', 'high', 'medium', 'low')`.execute(db)
  await sql`
    alter table customer_predictions add constraint customer_predictions_value_tier_check
      check (value_tier in ('platinum', 'gold', 'silver', 'standard'))`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table customer_predictions drop constraint if exists customer_predictions_value_tier_check`.execute(
    db,
  )
}
