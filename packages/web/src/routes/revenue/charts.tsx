import { useMemo, useState } from 'react'
import { Chart } from '../../components/charts/chart.tsx'
import type { ChartOption } from '../../components/charts/echarts.ts'
import { bucketLabel, moneyShort, percent } from '../../components/charts/labels.ts'
import { chartInk, OKABE_ITO } from '../../components/charts/palette.ts'
import type { SeriesPoint } from '../../hooks/api/metric-charts.ts'
import { useFormat } from '../../hooks/use-format.ts'
import { useI18n } from '../../i18n/index.tsx'
import { useTheme } from '../../lib/theme.tsx'
import { DrilldownDialog } from '../customers/drilldown-dialog.tsx'

type Grain = 'month' | 'quarter'

export function value(p: SeriesPoint | undefined, metric: string): number | null {
  const m = p?.metrics[metric]
  return m?.defined ? m.value : null
}

/** A click on a point of a series over periods selects that period. */
function pickFrom(points: SeriesPoint[], onPick: (key: string) => void) {
  return (p: { dataIndex: number }) => {
    const key = points[p.dataIndex]?.key
    if (key) onPick(key)
  }
}

export function MrrChart({
  points,
  grain,
  currency,
  onPick,
}: {
  points: SeriesPoint[]
  grain: Grain
  currency: string
  onPick: (key: string) => void
}) {
  const { t } = useI18n()
  const fmt = useFormat()
  const labels = points.map((p) => bucketLabel(p.start, p.key, grain, fmt))
  const option = useMemo<ChartOption>(
    () => ({
      legend: { show: false },
      grid: { top: 16 },
      tooltip: {
        valueFormatter: (v) => (typeof v === 'number' ? fmt.money(v, currency) : '—'),
      },
      xAxis: { type: 'category', data: labels, boundaryGap: false },
      yAxis: {
        type: 'value',
        axisLabel: { formatter: (v: number) => moneyShort(fmt, v, currency) },
      },
      series: [
        {
          type: 'line',
          name: t('revenue.mrr.series'),
          data: points.map((p) => value(p, 'mrr')),
          areaStyle: { opacity: 0.15 },
          symbolSize: 7,
        },
      ],
    }),
    [points, fmt, currency, t, labels],
  )
  return (
    <Chart
      option={option}
      label={t('revenue.mrr.title')}
      onClick={pickFrom(points, onPick)}
      table={{
        columns: [t('retention.period'), t('revenue.mrr.series')],
        rows: points.map((p, i) => {
          const v = value(p, 'mrr')
          return [labels[i]!, v === null ? '—' : fmt.money(v, currency)]
        }),
      }}
    />
  )
}

const STEPS = [
  { id: 'start', sign: 0 },
  { id: 'mrr_new', sign: 1 },
  { id: 'mrr_expansion', sign: 1 },
  { id: 'mrr_reactivation', sign: 1 },
  { id: 'mrr_contraction', sign: -1 },
  { id: 'mrr_churn', sign: -1 },
  { id: 'end', sign: 0 },
] as const

/**
 * From MRR at the period's start to MRR at its end, one bar per movement. Each floating bar
 * stands on an invisible one (the running total), the usual way to draw a waterfall.
 */
export function Waterfall({
  point,
  grain,
  currency,
}: {
  point: SeriesPoint
  grain: Grain
  currency: string
}) {
  const { t } = useI18n()
  const fmt = useFormat()
  const { dark } = useTheme()
  const [open, setOpen] = useState<(typeof STEPS)[number]['id'] | null>(null)
  const end = value(point, 'mrr') ?? 0
  const moves = STEPS.filter((s) => s.sign !== 0).map((s) => s.sign * (value(point, s.id) ?? 0))
  const start = end - moves.reduce((a, b) => a + b, 0)
  const bars: {
    id: (typeof STEPS)[number]['id']
    name: string
    base: number
    size: number
    sign: number
  }[] = []
  let running = start
  for (const s of STEPS) {
    const name = t(`revenue.step.${s.id}`)
    if (s.id === 'start') bars.push({ id: s.id, name, base: 0, size: start, sign: 0 })
    else if (s.id === 'end') bars.push({ id: s.id, name, base: 0, size: end, sign: 0 })
    else {
      const amount = value(point, s.id) ?? 0
      const next = running + s.sign * amount
      bars.push({ id: s.id, name, base: Math.min(running, next), size: amount, sign: s.sign })
      running = next
    }
  }
  const colour = (sign: number) =>
    sign > 0
      ? OKABE_ITO.green
      : sign < 0
        ? OKABE_ITO.vermillion
        : dark
          ? OKABE_ITO.skyBlue
          : OKABE_ITO.blue
  const signed = (b: (typeof bars)[number]) =>
    `${b.size === 0 ? '' : b.sign > 0 ? '+' : b.sign < 0 ? '−' : ''}${fmt.money(b.size, currency)}`
  const period = bucketLabel(point.start, point.key, grain, fmt)
  // Movements are small beside MRR: an axis from 0 would flatten them, so it starts below the
  // lowest running total by a margin proportional to the movements.
  const lows = bars.map((b) => (b.sign === 0 ? Math.min(start, end) : b.base))
  const highs = bars.map((b) => (b.sign === 0 ? Math.max(start, end) : b.base + b.size))
  const spread = Math.max(...highs) - Math.min(...lows)
  const axisMin = Math.max(0, Math.min(...lows) - Math.max(spread, 1) * 1.5)
  const option = useMemo<ChartOption>(
    () => ({
      legend: { show: false },
      grid: { top: 16 },
      tooltip: {
        trigger: 'item',
        formatter: (p) => {
          const b = bars[(p as { dataIndex: number }).dataIndex]
          return b ? `${b.name}: ${signed(b)}` : ''
        },
      },
      xAxis: {
        type: 'category',
        data: bars.map((b) => b.name),
        axisLabel: { interval: 0 },
      },
      yAxis: {
        type: 'value',
        min: axisMin > 0 ? Math.floor(axisMin) : 0,
        axisLabel: { formatter: (v: number) => moneyShort(fmt, v, currency) },
      },
      series: [
        {
          type: 'bar',
          stack: 'w',
          silent: true,
          itemStyle: { color: 'transparent' },
          tooltip: { show: false },
          data: bars.map((b) => b.base),
        },
        {
          type: 'bar',
          stack: 'w',
          cursor: 'pointer',
          data: bars.map((b) => ({ value: b.size, itemStyle: { color: colour(b.sign) } })),
          label: {
            show: true,
            position: 'top',
            color: chartInk().ink,
            textBorderWidth: 0,
            formatter: (p) => {
              const b = bars[p.dataIndex]
              return b ? moneyShort(fmt, b.sign < 0 && b.size > 0 ? -b.size : b.size, currency) : ''
            },
          },
        },
      ],
    }),
    [point, fmt, currency, dark, t],
  )
  const opened = bars.find((b) => b.id === open)
  return (
    <>
      <p className="mb-2 text-sm text-muted">{t('revenue.movements.period', { period })}</p>
      <Chart
        option={option}
        label={t('revenue.movements.label', { period })}
        onClick={(p) => {
          const b = bars[p.dataIndex]
          if (b && b.sign !== 0 && b.size > 0) setOpen(b.id)
        }}
        table={{
          columns: [t('revenue.step.movement'), t('revenue.step.amount')],
          rows: bars.map((b) => [b.name, signed(b)]),
        }}
      />
      <ul className="mt-3 flex flex-wrap gap-2 text-sm" aria-label={t('revenue.movements.who')}>
        {bars
          .filter((b) => b.sign !== 0)
          .map((b) => (
            <li key={b.id}>
              <button
                type="button"
                disabled={b.size === 0}
                onClick={() => setOpen(b.id)}
                className="rounded-md border border-line px-2 py-1 hover:bg-subtle disabled:opacity-60"
              >
                {t('revenue.movements.whoOf', { step: b.name })}
              </button>
            </li>
          ))}
      </ul>
      {opened && (
        <DrilldownDialog
          source={{ kind: 'input', input: opened.id, from: point.start, to: point.end }}
          title={`${opened.name} · ${period}`}
          lead={signed(opened)}
          onClose={() => setOpen(null)}
        />
      )}
    </>
  )
}

export function RetentionRates({
  points,
  grain,
  onPick,
}: {
  points: SeriesPoint[]
  grain: Grain
  onPick: (key: string) => void
}) {
  const { t } = useI18n()
  const fmt = useFormat()
  const labels = points.map((p) => bucketLabel(p.start, p.key, grain, fmt))
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { valueFormatter: (v) => (typeof v === 'number' ? percent(fmt, v) : '—') },
      xAxis: { type: 'category', data: labels, boundaryGap: false },
      yAxis: {
        type: 'value',
        scale: true,
        axisLabel: { formatter: (v: number) => percent(fmt, v, 0) },
      },
      series: [
        { type: 'line', name: 'NRR', data: points.map((p) => value(p, 'nrr')), symbolSize: 7 },
        { type: 'line', name: 'GRR', data: points.map((p) => value(p, 'grr')), symbolSize: 7 },
      ],
    }),
    [points, fmt, labels],
  )
  const pct = (v: number | null) => (v === null ? '—' : percent(fmt, v))
  return (
    <Chart
      option={option}
      label={t('revenue.rates.title')}
      onClick={pickFrom(points, onPick)}
      table={{
        columns: [t('retention.period'), 'NRR', 'GRR'],
        rows: points.map((p, i) => [labels[i]!, pct(value(p, 'nrr')), pct(value(p, 'grr'))]),
      }}
    />
  )
}
