/**
 * Retention metrics: the formula layer (aggregate inputs → value with inputs, or the reason it is
 * undefined), the reference implementations over raw orders / subscriptions / tickets / answers,
 * calendar buckets in a workspace time zone, and the metric catalogue. Decisions where the
 * reference is silent: docs/metrics.md.
 *
 * `isValidTimeZone` (time.ts) is left out: import/dates.ts exports one with the same name.
 */

export type { Because, DefinedMetric, MetricResult, UndefinedMetric } from './result.ts'

export {
  addDays,
  bucketFromKey,
  bucketKey,
  bucketOf,
  bucketsBetween,
  bucketStart,
  civilFromDays,
  daysFromCivil,
  isoWeek,
  isoWeekday,
  localToInstant,
  parseBucketKey,
  shiftBucket,
  startOfLocalDay,
  toLocal,
  zoneOffsetMs,
} from './time.ts'
export type { Bucket, CivilDate, Grain, LocalDateTime, Period } from './time.ts'

export {
  activeAsOf,
  activeAt,
  activitySpans,
  billingIntervalSchema,
  customerIdSchema,
  DEFAULT_ACTIVITY_WINDOW_DAYS,
  firstActivity,
  firstPresence,
  instantSchema,
  monthlyAmount,
  mrrSegments,
  orderSchema,
  orderStatusSchema,
  presenceByCustomer,
  presentDuring,
  sortIds,
  subscriptionChangeSchema,
  subscriptionSchema,
  surveyAnswerSchema,
  ticketSchema,
  toInstant,
  toPeriod,
  validOrders,
} from './inputs.ts'
export type {
  ActivityOptions,
  ActivitySource,
  BillingInterval,
  CustomerId,
  Instant,
  MrrSegment,
  OrderInput,
  PeriodInput,
  Presence,
  Span,
  SubscriptionInput,
  SurveyAnswerInput,
  TicketInput,
  ValidOrder,
} from './inputs.ts'

export {
  annualChurnRate,
  aov,
  arpc,
  averageLifespan,
  ces,
  churnRate,
  churnRateInverse,
  classifyLifecycle,
  clv,
  cohortRetention,
  crr,
  csat,
  cumulativeRevenuePerCustomer,
  enps,
  exactRetention,
  explainCrr,
  grr,
  logoChurn,
  ltv,
  median,
  mrrFromArpc,
  netNewMrr,
  nps,
  nrr,
  purchaseFrequency,
  repeatPurchaseRate,
  retentionRate,
  retentionSplit,
  revenueChurn,
  revenueRetention,
} from './formulas.ts'
export type {
  AnnualChurnInputs,
  AovInputs,
  ArpcInputs,
  CesInputs,
  ChurnInputs,
  ClvInputs,
  CohortCellInputs,
  CrrExplanation,
  CrrExplanationInputs,
  CrrInputs,
  CsatInputs,
  CumulativeRevenueInputs,
  ExactRetentionInputs,
  GrrInputs,
  LifecycleFacts,
  LifecycleState,
  LifespanInputs,
  LogoChurnInputs,
  LtvInputs,
  MrrFromArpcInputs,
  MrrMovementTotals,
  NpsInputs,
  NrrInputs,
  PurchaseFrequencyInputs,
  RepeatPurchaseInputs,
  RetentionFromChurnInputs,
  RetentionSplit,
  RevenueRetentionInputs,
  SplitInputs,
} from './formulas.ts'

export { activeCustomers, observedLifespan, periodCustomers, YEAR_MS } from './customers.ts'
export type { ObservedLifespanInputs, PeriodCustomers, PeriodCustomerSets } from './customers.ts'

export { clvFromHistory, periodOrders } from './orders.ts'
export type {
  ClvComponents,
  ClvFromHistory,
  ClvFromHistoryOptions,
  PeriodOrders,
} from './orders.ts'

export { ltvFromSubscriptions, mrrAsOf, mrrMovements } from './subscriptions.ts'
export type {
  CustomerMovement,
  LtvFromSubscriptions,
  MrrMovementKind,
  MrrMovements,
  MrrSnapshot,
} from './subscriptions.ts'

export {
  CES_SCALE,
  cesFromAnswers,
  CSAT_SCALE,
  csatFromAnswers,
  csatOf,
  enpsFromAnswers,
  NPS_SCALE,
  npsFromAnswers,
} from './feedback.ts'
export type { CsatOptions, CsatResult, ScoreScale } from './feedback.ts'

export { serviceFigures } from './service.ts'
export type { MedianTimeInputs, ServiceFigures, ServiceOptions } from './service.ts'

export { cohortTable } from './cohorts.ts'
export type { Cohort, CohortCell, CohortOptions } from './cohorts.ts'

export { lifecycle } from './lifecycle.ts'
export type { Lifecycle } from './lifecycle.ts'

export { catalogue, catalogueEntry } from './catalogue.ts'
export type {
  CatalogueEntry,
  CatalogueInput,
  Localized,
  MetricGroup,
  MetricId,
  MetricUnit,
} from './catalogue.ts'
