/**
 * Segments: the RFM grid as a heatmap (customers or value per R × FM cell), the named RFM
 * segments with their customers, and the saved custom segments with a builder and a live count.
 * A segment opens the customer list filtered by it (`/customers?segment=segment:<id>` or
 * `rfm_segment:<id>`, the metrics filter syntax the list passes to the search).
 */
import { useState } from 'react'
import { Link } from 'react-router'
import { Chart } from '../../components/charts/chart.tsx'
import type { ChartOption } from '../../components/charts/echarts.ts'
import { Segmented } from '../../components/charts/segmented.tsx'
import { Button, ButtonLink } from '../../components/ui/button.tsx'
import { Card } from '../../components/ui/card.tsx'
import { EmptyState } from '../../components/ui/empty-state.tsx'
import { ErrorNotice } from '../../components/ui/error-notice.tsx'
import { PageHeader } from '../../components/ui/page-header.tsx'
import { SkeletonRows } from '../../components/ui/skeleton.tsx'
import { td, th, Table } from '../../components/ui/table.tsx'
import {
  useDeleteSegment,
  useRfmGrid,
  useSavedSegments,
  useSegmentCatalog,
  useSegmentHistory,
  type SavedSegment,
  type Snapshot,
} from '../../hooks/api/segments.ts'
import { useFormat } from '../../hooks/use-format.ts'
import { useI18n } from '../../i18n/index.tsx'
import { SegmentBuilder } from './builder.tsx'
import { NamedSegments, RfmHeatmap, type GridMeasure } from './rfm-grid.tsx'

export function Component() {
  const { t } = useI18n()
  const grid = useRfmGrid()
  const [measure, setMeasure] = useState<GridMeasure>('customers')
  const [selected, setSelected] = useState<string | null>(null)
  const fmt = useFormat()

  return (
    <>
      <PageHeader title={t('segments.title')} lead={t('segments.lead')} />
      <div className="space-y-6">
        <Card
          id="rfm"
          title={t('segments.rfm.title')}
          lead={
            grid.data
              ? t('segments.rfm.lead', {
                  customers: fmt.number(grid.data.customers),
                  date: fmt.date(grid.data.as_of),
                })
              : t('segments.rfm.leadShort')
          }
          actions={
            <Segmented
              label={t('segments.rfm.measure')}
              value={measure}
              onChange={setMeasure}
              options={[
                { value: 'customers', label: t('segments.rfm.measure.customers') },
                { value: 'value', label: t('segments.rfm.measure.value') },
              ]}
            />
          }
        >
          {grid.isError ? (
            <ErrorNotice error={grid.error} onRetry={() => void grid.refetch()} />
          ) : !grid.data ? (
            <SkeletonRows rows={5} />
          ) : grid.data.customers === 0 ? (
            <EmptyState
              icon="segments"
              title={t('segments.rfm.empty.title')}
              actions={<ButtonLink to="/data">{t('segments.rfm.empty.action')}</ButtonLink>}
            >
              {t('segments.rfm.empty.text')}
            </EmptyState>
          ) : (
            <>
              <RfmHeatmap
                grid={grid.data}
                measure={measure}
                selected={selected}
                onSelect={setSelected}
              />
              <p className="mt-3 text-xs text-muted">{t('segments.rfm.howto')}</p>
            </>
          )}
        </Card>

        {grid.data && grid.data.customers > 0 && (
          <Card id="named" title={t('segments.named.title')} lead={t('segments.named.lead')}>
            <NamedSegments grid={grid.data} selected={selected} onSelect={setSelected} />
          </Card>
        )}

        <CustomSegments />
      </div>
    </>
  )
}

function CustomSegments() {
  const { t } = useI18n()
  const fmt = useFormat()
  const list = useSavedSegments()
  const catalog = useSegmentCatalog()
  const remove = useDeleteSegment()
  // null: no builder; 'new': a new segment; a segment: editing it.
  const [editing, setEditing] = useState<SavedSegment | 'new' | null>(null)
  const [historyOf, setHistoryOf] = useState<number | null>(null)

  return (
    <Card
      id="custom"
      title={t('segments.custom.title')}
      lead={t('segments.custom.lead')}
      actions={
        editing === null && (
          <Button onClick={() => setEditing('new')} disabled={!catalog.data}>
            {t('segments.custom.new')}
          </Button>
        )
      }
    >
      {editing !== null && catalog.data && (
        <div className="mb-6 rounded-lg border border-brand/30 p-4">
          <h3 className="mb-3 text-sm font-semibold">
            {editing === 'new' ? t('segments.builder.newTitle') : t('segments.builder.editTitle')}
          </h3>
          <SegmentBuilder
            key={editing === 'new' ? 'new' : editing.id}
            catalog={catalog.data}
            initial={editing === 'new' ? null : editing}
            onDone={() => setEditing(null)}
          />
        </div>
      )}
      {catalog.isError && (
        <ErrorNotice error={catalog.error} onRetry={() => void catalog.refetch()} />
      )}
      {list.isError ? (
        <ErrorNotice error={list.error} onRetry={() => void list.refetch()} />
      ) : !list.data ? (
        <SkeletonRows rows={3} />
      ) : list.data.segments.length === 0 ? (
        editing === null && (
          <EmptyState icon="segments" title={t('segments.custom.empty.title')}>
            {t('segments.custom.empty.text')}
          </EmptyState>
        )
      ) : (
        <>
          {remove.isError && <ErrorNotice error={remove.error} />}
          <Table label={t('segments.custom.title')}>
            <thead>
              <tr>
                <th className={th} scope="col">
                  {t('segments.custom.name')}
                </th>
                <th className={th} scope="col">
                  {t('segments.custom.updated')}
                </th>
                <th className={th} scope="col">
                  <span className="sr-only">{t('segments.named.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.segments.map((s) => (
                <tr key={s.id} data-saved-segment={s.name}>
                  <td className={td}>
                    <p className="font-medium">{s.name}</p>
                    {s.description && <p className="mt-0.5 text-xs text-muted">{s.description}</p>}
                    {historyOf === s.id && <History id={s.id} />}
                  </td>
                  <td className={`${td} whitespace-nowrap text-muted`}>{fmt.date(s.updated_at)}</td>
                  <td className={`${td} text-right`}>
                    <div className="flex flex-wrap justify-end gap-2">
                      <Link
                        to={`/customers?segment=segment:${s.id}`}
                        className="inline-flex h-8 items-center px-2 text-sm font-medium text-brand-text hover:underline"
                        aria-label={t('segments.openCustomersOf', { name: s.name })}
                      >
                        {t('segments.openCustomers')}
                      </Link>
                      <Button
                        variant="ghost"
                        size="sm"
                        aria-expanded={historyOf === s.id}
                        onClick={() => setHistoryOf(historyOf === s.id ? null : s.id)}
                      >
                        {t('segments.custom.history')}
                      </Button>
                      <Button
                        variant="secondary"
                        size="sm"
                        onClick={() => setEditing(s)}
                        disabled={!catalog.data}
                      >
                        {t('segments.custom.edit')}
                      </Button>
                      <Button
                        variant="danger"
                        size="sm"
                        disabled={remove.isPending}
                        onClick={() => {
                          if (
                            window.confirm(t('segments.custom.deleteConfirm', { name: s.name }))
                          ) {
                            remove.mutate(s.id)
                          }
                        }}
                      >
                        {t('segments.custom.delete')}
                      </Button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        </>
      )}
    </Card>
  )
}

/** Membership over time: one line per snapshot (the latest 30). */
function History({ id }: { id: number }) {
  const { t } = useI18n()
  const fmt = useFormat()
  const history = useSegmentHistory(id)
  if (history.isError) return <ErrorNotice error={history.error} />
  if (!history.data) return <SkeletonRows rows={2} />
  const all = history.data.snapshots
  const rows = all.slice(-30).reverse()
  if (rows.length === 0)
    return <p className="mt-2 text-xs text-muted">{t('segments.history.empty')}</p>
  const dates = all.map((r) => fmt.dateTime(r.computed_at))
  const option: ChartOption = {
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v) => (typeof v === 'number' ? fmt.number(v) : t('common.none')),
    },
    xAxis: { type: 'category', data: dates, boundaryGap: false },
    yAxis: { type: 'value', min: 0, minInterval: 1 },
    legend: { show: false },
    grid: { left: 48, right: 16, top: 16, bottom: 28 },
    series: [
      {
        type: 'line',
        name: t('segments.named.customers'),
        data: all.map((r) => r.count),
        symbolSize: 6,
      },
    ],
  }
  return (
    <>
      {all.length >= 2 && (
        <div className="mt-3">
          <Chart
            option={option}
            height={160}
            label={t('segments.history.title')}
            table={{
              columns: [t('segments.history.when'), t('segments.named.customers')],
              rows: all.map((r, i) => [dates[i]!, fmt.number(r.count)]),
            }}
          />
        </div>
      )}
      <HistoryTable rows={rows} />
    </>
  )
}

function HistoryTable({ rows }: { rows: Snapshot[] }) {
  const { t } = useI18n()
  const fmt = useFormat()
  return (
    <table className="mt-3 w-full text-xs" aria-label={t('segments.history.title')}>
      <thead>
        <tr className="text-left text-muted">
          <th scope="col" className="py-1 pr-3 font-semibold">
            {t('segments.history.when')}
          </th>
          <th scope="col" className="py-1 pr-3 text-right font-semibold">
            {t('segments.named.customers')}
          </th>
          <th scope="col" className="py-1 pr-3 text-right font-semibold">
            {t('segments.named.value')}
          </th>
          <th scope="col" className="py-1 pr-3 text-right font-semibold">
            {t('segments.history.entered')}
          </th>
          <th scope="col" className="py-1 text-right font-semibold">
            {t('segments.history.exited')}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.computed_at} className="border-t border-line">
            <td className="py-1 pr-3">{fmt.dateTime(r.computed_at)}</td>
            <td className="tabular py-1 pr-3 text-right">{fmt.number(r.count)}</td>
            <td className="tabular py-1 pr-3 text-right">{fmt.money(r.value, r.currency)}</td>
            <td className="tabular py-1 pr-3 text-right">
              {r.entered === null ? t('common.none') : fmt.number(r.entered)}
            </td>
            <td className="tabular py-1 text-right">
              {r.exited === null ? t('common.none') : fmt.number(r.exited)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
