import { useMemo } from 'react'
import { CHURN_METRICS } from '../../app/prefetch.ts'
import { Chart } from '../../components/charts/chart.tsx'
import { ChartSkeleton } from '../../components/charts/chart-skeleton.tsx'
import type { ChartOption } from '../../components/charts/echarts.ts'
import { bucketLabel, percent } from '../../components/charts/labels.ts'
import { ErrorNotice } from '../../components/ui/error-notice.tsx'
import {
  useLifecycle,
  useSeries,
  type Cohort,
  type CohortGrain,
  type CohortMode,
} from '../../hooks/api/metric-charts.ts'
import { useFormat } from '../../hooks/use-format.ts'
import { useI18n } from '../../i18n/index.tsx'

/** More lines than this stop being readable; the latest cohorts with two points or more. */
const CURVES = 4

export function RetentionCurves({
  cohorts,
  grain,
  mode,
}: {
  cohorts: Cohort[]
  grain: CohortGrain
  mode: CohortMode
}) {
  const { t } = useI18n()
  const fmt = useFormat()
  const picked = cohorts.filter((c) => c.cells.length >= 2).slice(-CURVES)
  const width = Math.max(0, ...picked.map((c) => c.cells.length))
  const unit = t(`retention.offset.${grain}`)
  const offsets = Array.from({ length: width }, (_, k) => `${unit} ${k}`)
  const names = picked.map((c) => bucketLabel(c.start, c.key, grain, fmt))
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { valueFormatter: (v) => (typeof v === 'number' ? percent(fmt, v) : '—') },
      xAxis: { type: 'category', data: offsets, boundaryGap: false },
      yAxis: { type: 'value', min: 0, axisLabel: { formatter: (v: number) => percent(fmt, v, 0) } },
      series: picked.map((c, i) => ({
        type: 'line',
        name: names[i],
        data: c.cells.map((cell) => cell.value),
        symbolSize: 6,
      })),
    }),
    [cohorts, grain, mode, fmt, unit],
  )
  if (picked.length === 0) return <p className="text-sm text-muted">{t('retention.noCurves')}</p>
  return (
    <Chart
      option={option}
      label={t('retention.curves.title')}
      table={{
        columns: [t('retention.cohort'), ...offsets],
        rows: picked.map((c, i) => [
          names[i]!,
          ...c.cells.map((cell) => (cell.value === null ? '—' : percent(fmt, cell.value))),
        ]),
      }}
    />
  )
}

type Span = { from: string; to: string }

export function LifecycleBars({ grain, span }: { grain: CohortGrain; span: Span }) {
  const { t } = useI18n()
  const fmt = useFormat()
  const q = useLifecycle({ granularity: grain, ...span })
  const periods = q.data?.periods ?? []
  const labels = periods.map((p) => bucketLabel(p.start, p.key, grain, fmt))
  const parts = [
    { key: 'new', name: t('retention.lifecycle.new'), sign: 1 },
    { key: 'returning', name: t('retention.lifecycle.returning'), sign: 1 },
    { key: 'resurrecting', name: t('retention.lifecycle.reactivated'), sign: 1 },
    { key: 'dormant', name: t('retention.lifecycle.churned'), sign: -1 },
  ] as const
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: {
        axisPointer: { type: 'shadow' },
        valueFormatter: (v) => (typeof v === 'number' ? fmt.number(Math.abs(v)) : '—'),
      },
      xAxis: { type: 'category', data: labels },
      yAxis: { type: 'value', axisLabel: { formatter: (v: number) => fmt.number(Math.abs(v)) } },
      series: parts.map((p) => ({
        type: 'bar',
        name: p.name,
        stack: p.sign > 0 ? 'active' : 'gone',
        data: periods.map((x) => p.sign * x.counts[p.key]),
      })),
    }),
    [q.data, fmt, t],
  )
  if (q.isError) return <ErrorNotice error={q.error} onRetry={() => void q.refetch()} />
  if (!q.data) return <ChartSkeleton />
  return (
    <Chart
      option={option}
      label={t('retention.lifecycle.title')}
      table={{
        columns: [t('retention.period'), ...parts.map((p) => p.name)],
        rows: periods.map((x, i) => [labels[i]!, ...parts.map((p) => fmt.number(x.counts[p.key]))]),
      }}
    />
  )
}

export function ChurnedReactivated({ grain, span }: { grain: CohortGrain; span: Span }) {
  const { t } = useI18n()
  const fmt = useFormat()
  const q = useSeries({
    granularity: grain,
    ...span,
    metric: CHURN_METRICS.join(','),
  })
  const points = q.data?.points ?? []
  const labels = points.map((p) => bucketLabel(p.start, p.key, grain, fmt))
  const val = (p: (typeof points)[number], m: string) => {
    const x = p.metrics[m]
    return x?.defined ? x.value : null
  }
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: {
        axisPointer: { type: 'shadow' },
        formatter: undefined,
      },
      xAxis: { type: 'category', data: labels },
      yAxis: [
        { type: 'value', axisLabel: { formatter: (v: number) => fmt.number(v) } },
        {
          type: 'value',
          min: 0,
          splitLine: { show: false },
          axisLabel: { formatter: (v: number) => percent(fmt, v, 0) },
        },
      ],
      series: [
        {
          type: 'bar',
          name: t('retention.churned.lost'),
          data: points.map((p) => val(p, 'lost_customers')),
          tooltip: { valueFormatter: (v) => (typeof v === 'number' ? fmt.number(v) : '—') },
        },
        {
          type: 'bar',
          name: t('retention.churned.reactivated'),
          data: points.map((p) => val(p, 'reactivated_customers')),
          tooltip: { valueFormatter: (v) => (typeof v === 'number' ? fmt.number(v) : '—') },
        },
        {
          type: 'line',
          name: t('retention.churned.rate'),
          yAxisIndex: 1,
          data: points.map((p) => val(p, 'churn_rate')),
          tooltip: { valueFormatter: (v) => (typeof v === 'number' ? percent(fmt, v) : '—') },
        },
      ],
    }),
    [q.data, fmt, t],
  )
  if (q.isError) return <ErrorNotice error={q.error} onRetry={() => void q.refetch()} />
  if (!q.data) return <ChartSkeleton />
  const cell = (v: number | null, f: (n: number) => string) => (v === null ? '—' : f(v))
  return (
    <Chart
      option={option}
      label={t('retention.churned.title')}
      table={{
        columns: [
          t('retention.period'),
          t('retention.churned.lost'),
          t('retention.churned.reactivated'),
          t('retention.churned.rate'),
        ],
        rows: points.map((p, i) => [
          labels[i]!,
          cell(val(p, 'lost_customers'), (n) => fmt.number(n)),
          cell(val(p, 'reactivated_customers'), (n) => fmt.number(n)),
          cell(val(p, 'churn_rate'), (n) => percent(fmt, n)),
        ]),
      }}
    />
  )
}
