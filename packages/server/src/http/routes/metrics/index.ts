import type { AnyRoute } from '../../route.ts'
import { metricsCohortDrilldownRoute } from './cohort-drilldown.ts'
import { metricsCohortsRoute } from './cohorts.ts'
import { metricsDrilldownRoute } from './drilldown.ts'
import { metricsKpisRoute } from './kpis.ts'
import { metricsLifecycleRoute } from './lifecycle.ts'
import { metricsSegmentFieldsRoute } from './segment-fields.ts'
import { metricsSeriesRoute } from './series.ts'

/** The metric endpoints (issue #4), all behind data:read. */
export const METRICS_ROUTES: AnyRoute[] = [
  metricsKpisRoute,
  metricsSeriesRoute,
  metricsCohortsRoute,
  metricsCohortDrilldownRoute,
  metricsLifecycleRoute,
  metricsDrilldownRoute,
  metricsSegmentFieldsRoute,
]
