import { useMemo } from 'react'
import { Chart } from '../../components/charts/chart.tsx'
import { HIGH_RISK } from '../../components/predictions/customer-predictions.tsx'
import type { ChartOption } from '../../components/charts/echarts.ts'
import { percent } from '../../components/charts/labels.ts'
import type { CalibrationBin, HoldoutCheck } from '../../hooks/api/predictions.ts'
import { useFormat } from '../../hooks/use-format.ts'
import { useI18n } from '../../i18n/index.tsx'

const decimals = (fmt: ReturnType<typeof useFormat>, v: number) =>
  new Intl.NumberFormat(fmt.tag, { maximumFractionDigits: 2 }).format(v)

/**
 * Calibration vs holdout: customers grouped by how many repeat purchases they made before the
 * cut-off (7 stands for "7 or more"); mean repeat purchases in the holdout, actual and predicted.
 */
export function HoldoutByFrequency({ holdout }: { holdout: HoldoutCheck }) {
  const { t } = useI18n()
  const fmt = useFormat()
  const groups = holdout.byFrequency
  const labels = groups.map((g) => (g.x >= 7 ? '7+' : String(g.x)))
  const actual = t('predictions.holdout.actual')
  const predicted = t('predictions.holdout.predicted')
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { valueFormatter: (v) => (typeof v === 'number' ? decimals(fmt, v) : '—') },
      xAxis: {
        type: 'category',
        data: labels,
        name: t('predictions.holdout.x'),
        nameLocation: 'middle',
        nameGap: 28,
      },
      yAxis: { type: 'value', min: 0 },
      series: [
        { type: 'bar', name: actual, data: groups.map((g) => g.actual) },
        { type: 'line', name: predicted, data: groups.map((g) => g.predicted), symbolSize: 7 },
      ],
    }),
    [holdout, fmt, actual, predicted],
  )
  return (
    <Chart
      option={option}
      label={t('predictions.holdout.title')}
      table={{
        columns: [
          t('predictions.holdout.x'),
          t('predictions.holdout.customers'),
          actual,
          predicted,
        ],
        rows: groups.map((g, i) => [
          labels[i]!,
          fmt.number(g.customers),
          decimals(fmt, g.actual),
          decimals(fmt, g.predicted),
        ]),
      }}
    />
  )
}

/** Customers by churn risk, in ten bands from 0 % to 100 %. */
export function RiskHistogram({
  bins,
}: {
  bins: { from: number; to: number; customers: number }[]
}) {
  const { t } = useI18n()
  const fmt = useFormat()
  const labels = bins.map((b) => `${percent(fmt, b.from, 0)}–${percent(fmt, b.to, 0)}`)
  const name = t('predictions.risk.customers')
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { valueFormatter: (v) => (typeof v === 'number' ? fmt.number(v) : '—') },
      legend: { show: false },
      xAxis: { type: 'category', data: labels },
      yAxis: { type: 'value', min: 0 },
      series: [
        {
          type: 'bar',
          name,
          data: bins.map((b) => ({
            value: b.customers,
            // The high-risk band in the palette's warning colour, so the tail stands out.
            itemStyle: b.from >= HIGH_RISK - 1e-9 ? { color: '#D55E00' } : undefined,
          })),
        },
      ],
    }),
    [bins, fmt, name],
  )
  return (
    <Chart
      option={option}
      label={t('predictions.risk.title')}
      table={{
        columns: [t('predictions.risk.band'), name],
        rows: bins.map((b, i) => [labels[i]!, fmt.number(b.customers)]),
      }}
    />
  )
}

/** Reliability curve of the churn model on the held-out window, against the diagonal. */
export function CalibrationCurve({ bins }: { bins: CalibrationBin[] }) {
  const { t } = useI18n()
  const fmt = useFormat()
  const observed = t('predictions.calibration.observed')
  const ideal = t('predictions.calibration.ideal')
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: {
        trigger: 'item',
        valueFormatter: (v) => (typeof v === 'number' ? percent(fmt, v) : '—'),
      },
      xAxis: {
        type: 'value',
        min: 0,
        max: 1,
        name: t('predictions.calibration.predicted'),
        nameLocation: 'middle',
        nameGap: 28,
        axisLabel: { formatter: (v: number) => percent(fmt, v, 0) },
      },
      yAxis: {
        type: 'value',
        min: 0,
        max: 1,
        axisLabel: { formatter: (v: number) => percent(fmt, v, 0) },
      },
      series: [
        {
          type: 'line',
          name: ideal,
          data: [
            [0, 0],
            [1, 1],
          ],
          symbol: 'none',
          lineStyle: { type: 'dashed', width: 1 },
        },
        {
          type: 'line',
          name: observed,
          data: bins.map((b) => [b.meanPredicted, b.observedRate]),
          symbolSize: 7,
        },
      ],
    }),
    [bins, fmt, observed, ideal],
  )
  return (
    <Chart
      option={option}
      height={240}
      label={t('predictions.calibration.title')}
      table={{
        columns: [
          t('predictions.calibration.bin'),
          t('predictions.calibration.predicted'),
          observed,
        ],
        rows: bins.map((b) => [
          String(b.bin),
          percent(fmt, b.meanPredicted),
          percent(fmt, b.observedRate),
        ]),
      }}
    />
  )
}
