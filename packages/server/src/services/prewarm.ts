import { searchCustomerFacts } from '../analytics/customers-search.ts'
import { kpisFor } from '../analytics/metrics/kpis.ts'
import { metricsReplica } from '../analytics/metrics/replica-for.ts'
import { metricSettingsOf, type Scope } from '../analytics/metrics/scope.ts'
import type { AppContext } from '../http/context.ts'
import { getWorkspace } from '../repositories/workspace.repository.ts'
import { rfmGrid } from '../segments/segments.service.ts'

const DAY_MS = 86_400_000

/**
 * Builds what the dashboard's first screens read but no sync builds: the replica's per-customer
 * derived tables (activity islands and second orders behind every KPI, series and cohort; the
 * customer list's order aggregate; the RFM ranks). `fedele serve` runs it in the background
 * after its start-up sync, so the first visit after a restart does not pay for them (on the
 * million-order demo that visit took 1–2.5 s). It reads only; the tables it builds are the ones
 * the requests would have built, and a sync that changes the data replaces them as usual.
 */
export async function prewarmDashboard(ctx: AppContext): Promise<void> {
  const settings = metricSettingsOf(await getWorkspace(ctx.database.db))
  const scope: Scope = { settings, segment: [] }
  const replica = await metricsReplica(ctx)
  const now = Date.now()
  await kpisFor(replica, scope, [{ key: 'prewarm', start: now - 30 * DAY_MS, end: now }])
  await searchCustomerFacts(
    replica,
    scope,
    {},
    { sort: 'last_order', dir: 'desc' },
    { limit: 1, offset: 0 },
  )
  await rfmGrid(ctx, new Date(now))
}
