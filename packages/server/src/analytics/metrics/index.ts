/**
 * Retention metrics as DuckDB SQL on the analytics replica (issue #4). Definitions:
 * docs/metrics.md; the core reference implementations are the tests' independent computation.
 * Calendar work (buckets, DST, comparison periods) is done by core's time helpers in the
 * workspace zone and reaches SQL as instants, so SQL only compares timestamps.
 */
export { cohortCellIds, cohortTableSql, lifecycleSql } from './cohort-sql.ts'
export type { CohortResult, LifecycleCounts, LifecycleState } from './cohort-sql.ts'
export {
  comparisonPeriods,
  explained,
  feedbackFor,
  grainOf,
  kpisFor,
  MixedCurrenciesError,
  seriesPeriods,
  serviceFor,
} from './kpis.ts'
export type { ExplainedMetric, PeriodKpis, ServiceKpis } from './kpis.ts'
export { CUSTOMER_SETS, customerIdsOf, foreignCurrencies, ORDER_SETS } from './period-sql.ts'
export type { CustomerSet, OrderSet, PeriodSpec } from './period-sql.ts'
export { MRR_MOVEMENTS, mrrMovementIds } from './mrr-sql.ts'
export type { MrrFigures, MrrMovement } from './mrr-sql.ts'
export { closeMetricsReplica, metricsReplica } from './replica-for.ts'
export type { BusinessModel, MetricSettings, MetricsReplica, Scope } from './scope.ts'
export { metricSettingsOf } from './scope.ts'
export { compileSegment, parseSegment, SEGMENT_FIELDS, SegmentError } from './segments.ts'
export type { Segment, SegmentCondition } from './segments.ts'
