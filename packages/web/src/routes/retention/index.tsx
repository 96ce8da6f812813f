/**
 * Retention: the cohort heatmap (customers active on / on or after offset k, or revenue kept),
 * retention curves of the latest cohorts, lifecycle bars per period and customers lost and won
 * back over time. A heatmap cell opens the customers behind it.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useMemo, useState } from 'react'
import { retentionQueries } from '../../app/prefetch.ts'
import { ChartSkeleton } from '../../components/charts/chart-skeleton.tsx'
import { ButtonLink } from '../../components/ui/button.tsx'
import { Card } from '../../components/ui/card.tsx'
import { EmptyState } from '../../components/ui/empty-state.tsx'
import { ErrorNotice } from '../../components/ui/error-notice.tsx'
import { PageHeader } from '../../components/ui/page-header.tsx'
import { SkeletonRows } from '../../components/ui/skeleton.tsx'
import { type CohortGrain, type CohortMode } from '../../hooks/api/metric-charts.ts'
import { useSettings } from '../../hooks/api/settings.ts'
import { useI18n } from '../../i18n/index.tsx'
import { CohortHeatmap } from './heatmap.tsx'
import { ChurnedReactivated, LifecycleBars, RetentionCurves } from './charts.tsx'
import { Segmented } from '../../components/charts/segmented.tsx'

export function Component() {
  const { t } = useI18n()
  const settings = useSettings()
  const [grain, setGrain] = useState<CohortGrain>('month')
  const [mode, setMode] = useState<CohortMode>('on')
  // The same reads the route loader prefetched for the default grain (app/prefetch.ts).
  const queries = useMemo(() => retentionQueries(grain), [grain])
  const { span } = queries
  const cohorts = useQuery({ ...queries.cohorts(mode), placeholderData: keepPreviousData })
  // A cohort starting before the span would be counted only from its later customers.
  const shown = (cohorts.data?.cohorts ?? []).filter(
    (c) => Date.parse(c.start) >= Date.parse(span.from),
  )

  return (
    <>
      <PageHeader
        title={t('retention.title')}
        lead={t('retention.lead')}
        actions={
          <Segmented
            label={t('retention.grain')}
            value={grain}
            onChange={setGrain}
            options={[
              { value: 'week', label: t('retention.grain.week') },
              { value: 'month', label: t('retention.grain.month') },
              { value: 'quarter', label: t('retention.grain.quarter') },
            ]}
          />
        }
      />
      {cohorts.isError ? (
        <ErrorNotice error={cohorts.error} onRetry={() => void cohorts.refetch()} />
      ) : cohorts.data && cohorts.data.cohorts.length === 0 ? (
        <Card>
          <EmptyState
            icon="retention"
            title={t('retention.empty.title')}
            actions={<ButtonLink to="/data">{t('retention.empty.action')}</ButtonLink>}
          >
            {t('retention.empty.text')}
          </EmptyState>
        </Card>
      ) : (
        <div className="space-y-6">
          <Card
            id="cohorts"
            title={t('retention.cohorts.title')}
            lead={t(`retention.cohorts.lead.${mode}`)}
            actions={
              <Segmented
                label={t('retention.mode')}
                value={mode}
                onChange={setMode}
                options={[
                  { value: 'on', label: t('retention.mode.on') },
                  { value: 'on_or_after', label: t('retention.mode.on_or_after') },
                  { value: 'revenue', label: t('retention.mode.revenue') },
                ]}
              />
            }
          >
            {cohorts.data ? (
              <CohortHeatmap
                cohorts={shown}
                grain={grain}
                mode={mode}
                currency={settings.data?.reporting_currency ?? 'EUR'}
              />
            ) : (
              <SkeletonRows rows={6} />
            )}
          </Card>
          <div className="grid gap-6 xl:grid-cols-2">
            <Card id="curves" title={t('retention.curves.title')} lead={t('retention.curves.lead')}>
              {cohorts.data ? (
                <RetentionCurves cohorts={shown} grain={grain} mode={mode} />
              ) : (
                <ChartSkeleton />
              )}
            </Card>
            <Card
              id="lifecycle"
              title={t('retention.lifecycle.title')}
              lead={t('retention.lifecycle.lead')}
            >
              <LifecycleBars grain={grain} span={span} />
            </Card>
          </div>
          <Card
            id="churned"
            title={t('retention.churned.title')}
            lead={t('retention.churned.lead')}
          >
            <ChurnedReactivated grain={grain} span={span} />
          </Card>
        </div>
      )}
    </>
  )
}
