/**
 * Revenue (subscriptions): MRR over time, the movements of one period as a waterfall (new,
 * expansion, reactivation, contraction, churn) whose bars open the customers behind them, and
 * NRR, GRR and ARPC with their formulas. Without subscriptions, says how to bring them in.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useMemo, useState } from 'react'
import { ChartSkeleton } from '../../components/charts/chart-skeleton.tsx'
import { Segmented } from '../../components/charts/segmented.tsx'
import { ButtonLink } from '../../components/ui/button.tsx'
import { Card } from '../../components/ui/card.tsx'
import { EmptyState } from '../../components/ui/empty-state.tsx'
import { ErrorNotice } from '../../components/ui/error-notice.tsx'
import { PageHeader } from '../../components/ui/page-header.tsx'
import { SkeletonRows } from '../../components/ui/skeleton.tsx'
import { type SeriesPoint } from '../../hooks/api/metric-charts.ts'
import { revenueQueries, type RevenueGrain } from '../../app/prefetch.ts'
import { subscriptionsOptions } from '../../hooks/api/subscriptions.ts'
import { useI18n } from '../../i18n/index.tsx'
import { MrrChart, RetentionRates, Waterfall } from './charts.tsx'
import { RevenueTiles } from './tiles.tsx'

type Grain = RevenueGrain

export function Component() {
  const { t } = useI18n()
  const subscriptions = useQuery(subscriptionsOptions({ limit: 1 }))
  const has = (subscriptions.data?.items.length ?? 0) > 0
  return (
    <>
      <PageHeader title={t('revenue.title')} lead={t('revenue.lead')} />
      {subscriptions.isError ? (
        <ErrorNotice error={subscriptions.error} onRetry={() => void subscriptions.refetch()} />
      ) : subscriptions.isPending ? (
        <Card>
          <SkeletonRows rows={4} />
        </Card>
      ) : has ? (
        <RevenueScreen />
      ) : (
        <Card>
          <EmptyState
            icon="revenue"
            title={t('revenue.empty.title')}
            actions={<ButtonLink to="/data">{t('revenue.empty.action')}</ButtonLink>}
          >
            <p>{t('revenue.empty.text')}</p>
          </EmptyState>
        </Card>
      )}
    </>
  )
}

function RevenueScreen() {
  const { t } = useI18n()
  const [grain, setGrain] = useState<Grain>('month')
  // The same read the route loader prefetched for the default grain (app/prefetch.ts).
  const queries = useMemo(() => revenueQueries(grain), [grain])
  const series = useQuery({ ...queries.series, placeholderData: keepPreviousData })
  const points = series.data?.points ?? []
  // The latest period that is over, unless the user picked another one in the charts.
  const [picked, setPicked] = useState<string | null>(null)
  const latest = [...points].reverse().find((p) => p.complete) ?? points.at(-1)
  const selected: SeriesPoint | undefined = points.find((p) => p.key === picked) ?? latest
  const currency = series.data?.currency ?? 'EUR'

  return (
    <div className="space-y-6">
      <div className="flex justify-end">
        <Segmented
          label={t('retention.grain')}
          value={grain}
          onChange={(g) => {
            setGrain(g)
            setPicked(null)
          }}
          options={[
            { value: 'month', label: t('retention.grain.month') },
            { value: 'quarter', label: t('retention.grain.quarter') },
          ]}
        />
      </div>
      {series.isError ? (
        <ErrorNotice error={series.error} onRetry={() => void series.refetch()} />
      ) : (
        <>
          <RevenueTiles point={selected} grain={grain} currency={currency} />
          <div className="grid gap-6 xl:grid-cols-2">
            <Card id="mrr" title={t('revenue.mrr.title')} lead={t('revenue.mrr.lead')}>
              {series.data ? (
                <MrrChart points={points} grain={grain} currency={currency} onPick={setPicked} />
              ) : (
                <ChartSkeleton />
              )}
            </Card>
            <Card id="rates" title={t('revenue.rates.title')} lead={t('revenue.rates.lead')}>
              {series.data ? (
                <RetentionRates points={points} grain={grain} onPick={setPicked} />
              ) : (
                <ChartSkeleton />
              )}
            </Card>
          </div>
          <Card
            id="movements"
            title={t('revenue.movements.title')}
            lead={t('revenue.movements.lead')}
          >
            {series.data && selected ? (
              <Waterfall point={selected} grain={grain} currency={currency} />
            ) : (
              <ChartSkeleton />
            )}
          </Card>
        </>
      )}
    </div>
  )
}
