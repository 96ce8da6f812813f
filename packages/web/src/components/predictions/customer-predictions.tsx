import { useMemo } from 'react'
import { Chart } from '../charts/chart.tsx'
import type { ChartOption } from '../charts/echarts.ts'
import { percent } from '../charts/labels.ts'
import { Badge, Card } from '../ui/card.tsx'
import { ErrorNotice } from '../ui/error-notice.tsx'
import { SkeletonRows } from '../ui/skeleton.tsx'
import { useCustomerPredictions, type CustomerPredictions } from '../../hooks/api/predictions.ts'
import { useSettings } from '../../hooks/api/settings.ts'
import { useFormat } from '../../hooks/use-format.ts'
import { useI18n, type MessageKey } from '../../i18n/index.tsx'

const TIER_KEY: Record<string, MessageKey> = {
  platinum: 'predictions.tier.platinum',
  gold: 'predictions.tier.gold',
  silver: 'predictions.tier.silver',
  standard: 'predictions.tier.standard',
}

/**
 * Churn-risk bands, the same half-open cut points as the customer list's risk filter
 * (server: analytics/customers-search.ts RISK_BANDS): low below 0.3, high from 0.7.
 */
export const HIGH_RISK = 0.7
export const MEDIUM_RISK = 0.3

export function riskTone(risk: number): 'danger' | 'warn' | 'ok' {
  return risk >= HIGH_RISK ? 'danger' : risk >= MEDIUM_RISK ? 'warn' : 'ok'
}

/**
 * A customer's predictions on their page: churn risk with the reasons in the user's language,
 * P(alive), expected purchases, predicted CLV and next order, the value tier, and how the risk
 * moved over past scorings.
 */
export function CustomerPredictionsCard({ externalId }: { externalId: string }) {
  const { t } = useI18n()
  const q = useCustomerPredictions(externalId)
  return (
    <Card id="predictions" title={t('customer.predictions')} lead={t('customer.predictions.lead')}>
      {q.isError ? (
        <ErrorNotice error={q.error} onRetry={() => void q.refetch()} />
      ) : !q.data ? (
        <SkeletonRows rows={4} />
      ) : !q.data.latest ? (
        <p className="text-sm text-muted">{t('customer.predictions.none')}</p>
      ) : (
        <Latest data={q.data} latest={q.data.latest} />
      )}
    </Card>
  )
}

function Latest({
  data,
  latest: p,
}: {
  data: CustomerPredictions
  latest: NonNullable<CustomerPredictions['latest']>
}) {
  const { t, locale } = useI18n()
  const fmt = useFormat()
  const currency = useSettings().data?.reporting_currency ?? 'EUR'
  const dec = (v: number) => new Intl.NumberFormat(fmt.tag, { maximumFractionDigits: 1 }).format(v)
  const facts: [string, string][] = [
    [t('customer.predictions.pAlive'), p.p_alive === null ? '—' : percent(fmt, p.p_alive)],
    [
      t('customer.predictions.expected'),
      [p.expected_purchases_30, p.expected_purchases_90, p.expected_purchases_365]
        .map((v) => (v === null ? '—' : dec(v)))
        .join(' · '),
    ],
    [
      t('customer.predictions.clv'),
      p.clv_minor === null ? '—' : fmt.money(Math.round(p.clv_minor), currency),
    ],
    [
      t('customer.predictions.aov'),
      p.expected_aov_minor === null ? '—' : fmt.money(Math.round(p.expected_aov_minor), currency),
    ],
    [t('customer.predictions.next'), nextOrder(p.next_order_at, p.scored_at, fmt, t)],
    [
      t('customer.predictions.tier'),
      p.value_tier ? t(TIER_KEY[p.value_tier] ?? 'predictions.tier.standard') : '—',
    ],
  ]
  return (
    <div className="space-y-4 text-sm">
      <div className="flex flex-wrap items-baseline gap-3">
        <span className="text-muted">{t('customer.predictions.risk')}</span>
        {p.churn_risk === null ? (
          <span className="text-muted">{t('customer.predictions.noRisk')}</span>
        ) : (
          <>
            <span className="text-3xl font-semibold tabular-nums">
              {percent(fmt, p.churn_risk, 0)}
            </span>
            <Badge tone={riskTone(p.churn_risk)}>
              {t(`customer.predictions.band.${riskTone(p.churn_risk)}`)}
            </Badge>
          </>
        )}
      </div>
      {p.churn_reasons.length > 0 && (
        <div>
          <h3 className="font-medium">{t('customer.predictions.reasons')}</h3>
          <ul className="mt-1 list-disc space-y-0.5 pl-5">
            {p.churn_reasons.map((r) => (
              <li key={r.column}>{locale === 'it' ? r.it : r.en}</li>
            ))}
          </ul>
        </div>
      )}
      <dl className="grid grid-cols-2 gap-x-6 gap-y-2 sm:grid-cols-3">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt className="text-muted">{label}</dt>
            <dd className="font-medium tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>
      {data.history.filter((h) => h.churn_risk !== null).length >= 2 && (
        <RiskHistory history={data.history} />
      )}
      <p className="text-xs text-muted">
        {t('customer.predictions.scored', {
          when: fmt.dateTime(p.scored_at),
          method: t(
            p.clv_method === 'formula' ? 'predictions.method.formula' : 'predictions.method.model',
          ),
        })}
      </p>
    </div>
  )
}

/**
 * The model's expected date of the next order; beyond a year it says so instead of naming a date
 * years away, which reads as a promise the model cannot make.
 */
function nextOrder(
  at: string | null,
  scoredAt: string,
  fmt: ReturnType<typeof useFormat>,
  t: ReturnType<typeof useI18n>['t'],
): string {
  if (!at) return '—'
  const yearLater = Date.parse(scoredAt) + 365 * 86_400_000
  return Date.parse(at) > yearLater ? t('customer.predictions.nextBeyondYear') : fmt.date(at)
}

function RiskHistory({ history }: { history: CustomerPredictions['history'] }) {
  const { t } = useI18n()
  const fmt = useFormat()
  const points = history.filter((h) => h.churn_risk !== null)
  const name = t('customer.predictions.risk')
  const option = useMemo<ChartOption>(
    () => ({
      legend: { show: false },
      grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
      tooltip: { valueFormatter: (v) => (typeof v === 'number' ? percent(fmt, v) : '—') },
      xAxis: { type: 'category', data: points.map((h) => fmt.date(h.scored_at)) },
      yAxis: {
        type: 'value',
        min: 0,
        max: 1,
        axisLabel: { formatter: (v: number) => percent(fmt, v, 0) },
      },
      series: [{ type: 'line', name, data: points.map((h) => h.churn_risk), symbolSize: 6 }],
    }),
    [history, fmt, name],
  )
  return (
    <Chart
      option={option}
      height={140}
      label={t('customer.predictions.history')}
      table={{
        columns: [t('customer.predictions.when'), name],
        rows: points.map((h) => [fmt.dateTime(h.scored_at), percent(fmt, h.churn_risk ?? 0)]),
      }}
    />
  )
}
