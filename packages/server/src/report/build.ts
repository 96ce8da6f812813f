import { isValidTimeZone } from '@fedele/core/import'
import {
  addDays,
  bucketOf,
  shiftBucket,
  startOfLocalDay,
  toLocal,
  type Grain,
} from '@fedele/core/metrics'
import {
  cohortTableSql,
  comparisonPeriods,
  feedbackFor,
  kpisFor,
  MixedCurrenciesError,
  parseSegment,
  SegmentError,
  seriesPeriods,
  serviceFor,
  type CohortResult,
  type ExplainedMetric,
  type MetricSettings,
  type MetricsReplica,
  type PeriodKpis,
  type Scope,
  type ServiceKpis,
  metricSettingsOf,
} from '../analytics/metrics/index.ts'
import { CliError } from '../cli/shared.ts'
import type { Env } from '../config/env.ts'
import type { Database } from '../db/database.ts'
import { resolveSegmentFilters } from '../segments/segments.service.ts'
import { getWorkspace } from '../repositories/workspace.repository.ts'
import { hasAnyData } from '../services/demo.service.ts'

export const GRANULARITIES = ['day', 'week', 'month', 'quarter', 'year'] as const

/** What the caller asks for; every field optional (defaults from the workspace). */
export type ReportOptions = {
  /** First day of the period, YYYY-MM-DD in the report's zone (inclusive). */
  from?: string
  /** Last day of the period, YYYY-MM-DD in the report's zone (inclusive). */
  to?: string
  granularity?: Grain
  segment?: string
  /** Activity window in days (overrides the workspace's). */
  window?: number
  /** IANA time zone (overrides the workspace's). */
  tz?: string
  /** The instant "now" for the default period (tests); default Date.now(). */
  now?: number
}

export type Report = {
  workspace: { name: string }
  time_zone: string
  currency: string
  business_model: MetricSettings['businessModel']
  activity_window_days: number
  segment: Scope['segment']
  granularity: Grain
  period: { from: string; to: string; start: string; end: string }
  /** The same structure as GET /api/metrics/kpis. */
  kpis: {
    period: PeriodKpis
    previous: PeriodKpis | null
    year_before: PeriodKpis | null
    feedback: Record<string, ExplainedMetric>
    service: ServiceKpis
  }
  /** KPIs per `granularity` bucket of the period (as GET /api/metrics/series). */
  series: PeriodKpis[]
  /** Cohorts by first-activity bucket, data as of the period's end (as GET /api/metrics/cohorts). */
  cohorts: { grain: Grain; as_of: string; first_activity_from: string; rows: CohortResult[] }
}

/** Cohorts shown: at least this many buckets back from the period's end, at most MAX_COHORTS. */
const MIN_COHORTS = 12
const MAX_COHORTS = 36
/** As the series route: a longer series asks for a coarser grain. */
const MAX_POINTS = 1000

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/

function parseDay(option: string, text: string): { year: number; month: number; day: number } {
  const m = DATE.exec(text)
  const bad = () =>
    new CliError(`invalid option --${option}: "${text}" is not a date (use YYYY-MM-DD)`)
  if (!m) throw bad()
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const check = new Date(Date.UTC(year, month - 1, day))
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day
  ) {
    throw bad()
  }
  return { year, month, day }
}

const isoDay = (d: { year: number; month: number; day: number }) =>
  `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`

/** The period [start, end) in `zone` from inclusive local dates; default the last full month. */
export function resolvePeriod(
  options: Pick<ReportOptions, 'from' | 'to' | 'now'>,
  zone: string,
): { from: string; to: string; start: number; end: number } {
  if (options.from === undefined && options.to === undefined) {
    const current = bucketOf(options.now ?? Date.now(), 'month', zone)
    const last = bucketOf(current.start - 1, 'month', zone)
    const first = toLocal(last.start, zone)
    const lastDay = toLocal(last.end - 1, zone)
    return { from: isoDay(first), to: isoDay(lastDay), start: last.start, end: last.end }
  }
  if (options.from === undefined || options.to === undefined) {
    throw new CliError('invalid options: give both --from and --to, or neither (last full month)')
  }
  const from = parseDay('from', options.from)
  const to = parseDay('to', options.to)
  const start = startOfLocalDay(from, zone)
  const end = startOfLocalDay(addDays(to, 1), zone)
  if (!(start < end)) {
    throw new CliError(`invalid options: --from ${options.from} is after --to ${options.to}`)
  }
  return { from: isoDay(from), to: isoDay(to), start, end }
}

/** The workspace's metric settings with the report's overrides, checked. */
export async function reportScope(
  database: Database,
  options: ReportOptions,
): Promise<{ scope: Scope; name: string }> {
  const w = await getWorkspace(database.db)
  if (options.tz !== undefined && !isValidTimeZone(options.tz)) {
    throw new CliError(
      `invalid option --tz: unknown time zone "${options.tz}" (use an IANA name such as Europe/Rome)`,
    )
  }
  if (
    options.window !== undefined &&
    (!Number.isInteger(options.window) || options.window < 1 || options.window > 3650)
  ) {
    throw new CliError('invalid option --window: must be a whole number of days from 1 to 3650')
  }
  let segment: Scope['segment']
  try {
    segment = parseSegment(options.segment)
  } catch (e) {
    if (e instanceof SegmentError) throw new CliError(`invalid option --segment: ${e.message}`)
    throw e
  }
  const base = metricSettingsOf(w)
  const settings: MetricSettings = {
    ...base,
    timeZone: options.tz ?? base.timeZone,
    activityWindowDays: options.window ?? base.activityWindowDays,
  }
  return { scope: { settings, segment }, name: w.name }
}

/**
 * Builds the report with the functions the metrics routes call (kpis, series, cohorts): the
 * numbers are the API's. Expected failures (bad options, no data, mixed currencies, a bad
 * segment) are CliErrors.
 */
export async function buildReport(
  database: Database,
  replica: MetricsReplica,
  options: ReportOptions = {},
  env?: Env,
): Promise<Report> {
  const granularity = options.granularity ?? 'month'
  if (!(GRANULARITIES as readonly string[]).includes(granularity)) {
    throw new CliError(`invalid option --granularity: use one of ${GRANULARITIES.join(', ')}`)
  }
  const { scope, name } = await reportScope(database, options)
  // Saved segments and RFM segments become predicates with the record, as in the metrics routes.
  if (env) {
    try {
      scope.segment = await resolveSegmentFilters(
        { database, env, analytics: replica },
        scope.settings,
        scope.segment,
      )
    } catch (e) {
      if (e instanceof SegmentError) throw new CliError(`invalid option --segment: ${e.message}`)
      throw e
    }
  }
  const zone = scope.settings.timeZone
  const period = resolvePeriod(options, zone)
  const noData = () => new CliError('no data in this period; import data or run fedele demo')
  if (!(await hasAnyData(database.db))) throw noData()
  const buckets = seriesPeriods(period.start, period.end, granularity, zone)
  if (buckets.length > MAX_POINTS) {
    throw new CliError(
      `invalid option --granularity: more than ${MAX_POINTS} ${granularity}s in the period; choose a coarser one`,
    )
  }
  try {
    const periods = comparisonPeriods(period, zone)
    const [current, previous, yearBefore] = await kpisFor(replica, scope, [
      periods.current,
      periods.previous,
      periods.yearBefore,
    ])
    if (!current) throw noData()
    const c = current.counts
    if (c.S === 0 && c.E === 0 && c.N === 0 && current.orders.orders === 0) throw noData()
    const range = { start: period.start, end: period.end }
    const [feedback, service, series] = await Promise.all([
      feedbackFor(replica, scope, range),
      serviceFor(replica, scope, range),
      kpisFor(replica, scope, buckets),
    ])
    const lastBucket = bucketOf(period.end - 1, granularity, zone)
    let firstCohort = shiftBucket(lastBucket.key, -(MIN_COHORTS - 1), zone).start
    if (period.start < firstCohort) firstCohort = bucketOf(period.start, granularity, zone).start
    const oldest = shiftBucket(lastBucket.key, -(MAX_COHORTS - 1), zone).start
    if (firstCohort < oldest) firstCohort = oldest
    const cohorts = await cohortTableSql(replica, scope, {
      grain: granularity,
      asOf: period.end,
      firstActivityIn: { start: firstCohort, end: period.end },
    })
    return {
      workspace: { name },
      time_zone: zone,
      currency: scope.settings.reportingCurrency,
      business_model: scope.settings.businessModel,
      activity_window_days: scope.settings.activityWindowDays,
      segment: scope.segment,
      granularity,
      period: {
        from: period.from,
        to: period.to,
        start: new Date(period.start).toISOString(),
        end: new Date(period.end).toISOString(),
      },
      kpis: {
        period: current,
        previous: previous ?? null,
        year_before: yearBefore ?? null,
        feedback,
        service,
      },
      series,
      cohorts: {
        grain: granularity,
        as_of: new Date(period.end).toISOString(),
        first_activity_from: new Date(firstCohort).toISOString(),
        rows: cohorts,
      },
    }
  } catch (e) {
    if (e instanceof MixedCurrenciesError) throw new CliError(`cannot report: ${e.message}`)
    if (e instanceof SegmentError) throw new CliError(`invalid option --segment: ${e.message}`)
    throw e
  }
}
