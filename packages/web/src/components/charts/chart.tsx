import { useEffect, useRef, useState } from 'react'
import { useTheme } from '../../lib/theme.tsx'
import { init, type ChartOption } from './echarts.ts'
import { chartInk, seriesPalette } from './palette.ts'

/** The numbers behind a chart, already formatted, for screen readers (and as a fallback). */
export type ChartTable = { columns: string[]; rows: string[][] }

type Instance = ReturnType<typeof init>

/**
 * An ECharts chart in the dashboard's theme. The drawing is an image with a label; the same
 * numbers are in a visually hidden table, so a screen reader gets every value, not a picture.
 * Callers format tooltip values in the user's locale (`valueFormatter`).
 */
export function Chart({
  option,
  label,
  table,
  height = 280,
  onClick,
}: {
  option: ChartOption
  label: string
  table: ChartTable
  height?: number
  onClick?: (params: { seriesIndex?: number; dataIndex: number }) => void
}) {
  const el = useRef<HTMLDivElement>(null)
  const chart = useRef<Instance | null>(null)
  const { dark } = useTheme()

  // Set once the chart exists: the option and click effects run again then.
  const [ready, setReady] = useState(false)

  useEffect(() => {
    const node = el.current
    if (!node) return
    let c: Instance | null = null
    // The chart is created at the size the first observation reports, and resized from later
    // ones: without a size, ECharts reads it with getComputedStyle, which forces a layout of the
    // whole page for every chart a screen draws (about a tenth of a cold Retention visit).
    const ro = new ResizeObserver((entries) => {
      const box = entries[entries.length - 1]?.contentRect
      if (!box) return
      const size = { width: box.width, height: box.height }
      if (c) {
        c.resize(size)
        return
      }
      c = init(node, undefined, { renderer: 'svg', ...size })
      chart.current = c
      setReady(true)
    })
    ro.observe(node)
    return () => {
      ro.disconnect()
      c?.dispose()
      chart.current = null
    }
  }, [])

  useEffect(() => {
    const c = chart.current
    if (!c) return
    const ink = chartInk()
    const axis = {
      axisLine: { lineStyle: { color: ink.line } },
      axisTick: { lineStyle: { color: ink.line } },
      axisLabel: { color: ink.muted },
      splitLine: { lineStyle: { color: ink.line } },
    }
    const withAxes = (a: unknown) =>
      Array.isArray(a) ? a.map((x: object) => ({ ...axis, ...x })) : a ? { ...axis, ...a } : a
    c.setOption(
      {
        animationDuration: 300,
        color: seriesPalette(dark),
        textStyle: { color: ink.ink, fontFamily: ink.font },
        grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
        legend: {
          top: 0,
          type: 'scroll',
          textStyle: { color: ink.ink },
          pageTextStyle: { color: ink.muted },
          icon: 'roundRect',
        },
        ...option,
        tooltip: {
          trigger: 'axis',
          backgroundColor: ink.surface,
          borderColor: ink.line,
          textStyle: { color: ink.ink },
          ...option.tooltip,
        },
        xAxis: withAxes(option.xAxis),
        yAxis: withAxes(option.yAxis),
      } as ChartOption,
      { notMerge: true },
    )
  }, [option, dark, ready])

  useEffect(() => {
    const c = chart.current
    if (!c || !onClick) return
    const handler = (p: { seriesIndex?: number; dataIndex: number }) => onClick(p)
    c.on('click', handler)
    return () => {
      c.off('click', handler)
    }
  }, [onClick, ready])

  return (
    <figure className="m-0">
      <div ref={el} role="img" aria-label={label} style={{ height }} className="w-full" />
      <table className="sr-only">
        <caption>{label}</caption>
        <thead>
          <tr>
            {table.columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((r, i) => (
            <tr key={i}>
              {r.map((cell, j) =>
                j === 0 ? (
                  <th key={j} scope="row">
                    {cell}
                  </th>
                ) : (
                  <td key={j}>{cell}</td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  )
}
