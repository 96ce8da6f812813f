import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  PREDICTIONS_JOB,
  predictionsAreStale,
  schedulePredictionsRefresh,
} from '../../src/jobs/predictions.job.ts'
import { DIALECTS } from '../databases.ts'
import { startTestApp, type TestApp } from '../harness.ts'

/** The scheduled refresh catches up on start: a new demo gets predictions without waiting a day. */
describe.each(DIALECTS)('scheduled predictions refresh on %s', (kind) => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp(kind)
  }, 120_000)
  afterAll(async () => {
    await t?.close()
  })

  const queued = async () =>
    Number(
      (
        await sql<{
          n: number
        }>`select count(*)::int as n from jobs where name = ${PREDICTIONS_JOB}`.execute(t.db.db)
      ).rows[0]!.n,
    )

  it('is stale only with orders and no run finished within the interval', async () => {
    const db = t.db.db
    expect(await predictionsAreStale(t.ctx, 24)).toBe(false) // nothing to predict
    const headers = await t.owner()
    for (const [url, record] of [
      ['/api/customers/batch', { external_id: 's-1' }],
      [
        '/api/orders/batch',
        {
          external_id: 's-o1',
          customer_external_id: 's-1',
          placed_at: new Date(Date.now() - 3 * 86_400_000).toISOString(),
          currency: 'EUR',
          total: 1000,
        },
      ],
    ] as const) {
      const res = await t.app.inject({
        method: 'POST',
        url,
        headers,
        payload: { records: [record] },
      })
      expect(res.statusCode, res.body).toBeLessThan(300)
    }
    expect(await predictionsAreStale(t.ctx, 24)).toBe(true) // orders, never predicted

    // Starting the schedule then enqueues one refresh at once.
    const stop = schedulePredictionsRefresh(t.ctx, 24)
    try {
      await expect.poll(queued).toBe(1)
    } finally {
      stop()
    }

    await sql`insert into model_runs (kind, model, model_version, status, cutoff, finished_at)
      values ('clv', 'test', 't', 'succeeded', now(), now() - interval '25 hours')`.execute(db)
    expect(await predictionsAreStale(t.ctx, 24)).toBe(true) // the last run is older than a day
    await sql`insert into model_runs (kind, model, model_version, status, cutoff, finished_at)
      values ('clv', 'test', 't', 'succeeded', now(), now() - interval '1 hour')`.execute(db)
    expect(await predictionsAreStale(t.ctx, 24)).toBe(false)
    expect(schedulePredictionsRefresh(t.ctx, 0)()).toBeUndefined() // 0 disables it
  })
})
