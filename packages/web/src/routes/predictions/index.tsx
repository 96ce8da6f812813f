/**
 * Predictions: the health of the models behind every score. The customer-base model (BG/NBD or
 * Pareto/NBD with Gamma-Gamma) with its parameters and standard errors, or why it fell back to
 * the formula CLV; its holdout check (calibration vs holdout by frequency); the churn model's
 * out-of-time validation with its calibration curve; the distribution of churn risk and the
 * value tiers. A refresh refits and rescores in the background and is followed to the end.
 */
import { useEffect, useState } from 'react'
import { Link } from 'react-router'
import { HIGH_RISK } from '../../components/predictions/customer-predictions.tsx'
import { Button } from '../../components/ui/button.tsx'
import { Card } from '../../components/ui/card.tsx'
import { EmptyState } from '../../components/ui/empty-state.tsx'
import { ErrorNotice, errorText } from '../../components/ui/error-notice.tsx'
import { PageHeader } from '../../components/ui/page-header.tsx'
import { SkeletonRows } from '../../components/ui/skeleton.tsx'
import { useJob } from '../../hooks/api/jobs.ts'
import {
  useInvalidatePredictions,
  usePredictionsSummary,
  useRefreshPredictions,
  type PredictionsSummary,
} from '../../hooks/api/predictions.ts'
import { useCurrentUser } from '../../hooks/api/session.ts'
import { useSettings } from '../../hooks/api/settings.ts'
import { useFormat } from '../../hooks/use-format.ts'
import { useI18n } from '../../i18n/index.tsx'
import { percent } from '../../components/charts/labels.ts'
import { CalibrationCurve, HoldoutByFrequency, RiskHistogram } from './charts.tsx'
import { ChurnValidationPanel, ClvModelPanel, ValueTiers } from './panels.tsx'

const FAILED = new Set(['failed', 'dead', 'cancelled'])

export function Component() {
  const { t } = useI18n()
  const fmt = useFormat()
  const user = useCurrentUser()
  const summary = usePredictionsSummary()
  const canRefresh = user.role !== 'agent'
  const refresh = useRefresh()
  const data = summary.data
  const hasRuns = !!data && (data.runs.clv !== null || data.runs.churn !== null)

  return (
    <>
      <PageHeader
        title={t('predictions.title')}
        lead={
          data?.scored_at
            ? t('predictions.scoredAt', {
                when: fmt.dateTime(data.scored_at),
                customers: fmt.number(data.customers),
              })
            : t('predictions.lead')
        }
        actions={canRefresh && hasRuns ? <RefreshButton refresh={refresh} /> : undefined}
      />
      {refresh.error && (
        <p role="alert" className="mb-4 rounded-md bg-danger-soft px-4 py-3 text-sm text-danger">
          {refresh.error}
        </p>
      )}
      {summary.isError ? (
        <ErrorNotice error={summary.error} onRetry={() => void summary.refetch()} />
      ) : !data ? (
        <Card>
          <SkeletonRows rows={6} />
        </Card>
      ) : !hasRuns ? (
        <Card>
          <EmptyState
            icon="predictions"
            title={t('predictions.empty.title')}
            actions={canRefresh ? <RefreshButton refresh={refresh} primary /> : undefined}
          >
            {t(canRefresh ? 'predictions.empty.text' : 'predictions.empty.textReadOnly')}
          </EmptyState>
        </Card>
      ) : (
        <Screen data={data} />
      )}
    </>
  )
}

function Screen({ data }: { data: PredictionsSummary }) {
  const { t } = useI18n()
  const fmt = useFormat()
  const settings = useSettings()
  const currency = settings.data?.reporting_currency ?? 'EUR'
  const clv = data.runs.clv
  const churn = data.runs.churn
  const holdout = clv?.validation ?? null
  const validation = churn?.validation ?? null
  const atRisk = data.risk_histogram
    .filter((b) => b.from >= HIGH_RISK - 1e-9)
    .reduce((s, b) => s + b.customers, 0)
  const totalClv = data.value_tiers.reduce((s, v) => s + (v.clv_minor ?? 0), 0)

  return (
    <div className="space-y-6">
      <dl className="grid grid-cols-2 gap-4 lg:grid-cols-4">
        <Stat label={t('predictions.stat.customers')} value={fmt.number(data.customers)} />
        <Stat
          label={t('predictions.stat.atRisk')}
          value={fmt.number(atRisk)}
          note={data.customers > 0 ? percent(fmt, atRisk / data.customers) : undefined}
          link={{
            to: '/customers?risk=high&sort=churn_risk&dir=desc',
            label: t('predictions.stat.atRiskOpen'),
          }}
        />
        <Stat
          label={t('predictions.stat.clv')}
          value={fmt.money(Math.round(totalClv), currency)}
          note={
            clv
              ? t(clv.fallback_reason ? 'predictions.method.formula' : 'predictions.method.model')
              : undefined
          }
        />
        <Stat
          label={t('predictions.stat.auc')}
          value={validation ? fmt.number(round(validation.rocAuc, 3)) : t('common.none')}
          note={validation ? t('predictions.stat.aucNote') : t('predictions.stat.aucMissing')}
        />
      </dl>

      <div className="grid gap-6 xl:grid-cols-2">
        <Card id="clv-model" title={t('predictions.clv.title')} lead={t('predictions.clv.lead')}>
          {clv ? (
            <ClvModelPanel run={clv} />
          ) : (
            <p className="text-sm text-muted">{t('predictions.clv.none')}</p>
          )}
        </Card>
        <Card
          id="holdout"
          title={t('predictions.holdout.title')}
          lead={
            holdout
              ? t('predictions.holdout.lead', {
                  days: fmt.number(holdout.horizonDays),
                  error:
                    holdout.relativeError === null || !Number.isFinite(holdout.relativeError)
                      ? t('common.none')
                      : percent(fmt, holdout.relativeError),
                })
              : undefined
          }
        >
          {holdout && holdout.byFrequency.length > 0 ? (
            <HoldoutByFrequency holdout={holdout} />
          ) : (
            <p className="text-sm text-muted">{t('predictions.holdout.none')}</p>
          )}
        </Card>
      </div>

      <div className="grid gap-6 xl:grid-cols-2">
        <Card id="risk" title={t('predictions.risk.title')} lead={t('predictions.risk.lead')}>
          {data.risk_histogram.some((b) => b.customers > 0) ? (
            <RiskHistogram bins={data.risk_histogram} />
          ) : (
            <p className="text-sm text-muted">{t('predictions.risk.none')}</p>
          )}
        </Card>
        <Card
          id="churn-model"
          title={t('predictions.churn.title')}
          lead={t('predictions.churn.lead')}
        >
          {churn ? (
            <ChurnValidationPanel run={churn} />
          ) : (
            <p className="text-sm text-muted">{t('predictions.churn.none')}</p>
          )}
          {validation?.calibrationCurve && validation.calibrationCurve.length > 0 && (
            <div className="mt-4">
              <CalibrationCurve bins={validation.calibrationCurve} />
            </div>
          )}
        </Card>
      </div>

      <Card id="tiers" title={t('predictions.tiers.title')} lead={t('predictions.tiers.lead')}>
        <ValueTiers tiers={data.value_tiers} currency={currency} />
      </Card>
    </div>
  )
}

function Stat({
  label,
  value,
  note,
  link,
}: {
  label: string
  value: string
  note?: string | undefined
  link?: { to: string; label: string }
}) {
  return (
    <div className="rounded-xl border border-line bg-surface px-5 py-4 shadow-sm">
      <dt className="text-sm text-muted">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold tabular-nums">{value}</dd>
      {note && <dd className="mt-0.5 text-xs text-muted">{note}</dd>}
      {link && (
        <dd className="mt-1 text-xs">
          <Link className="font-medium text-brand-text hover:underline" to={link.to}>
            {link.label}
          </Link>
        </dd>
      )}
    </div>
  )
}

type Refresh = ReturnType<typeof useRefresh>

/** Starts a refresh job and follows it; when it ends the summary is fetched again. */
function useRefresh() {
  const { t } = useI18n()
  const mutation = useRefreshPredictions()
  const invalidate = useInvalidatePredictions()
  const [jobId, setJobId] = useState<number | undefined>()
  const job = useJob(jobId)
  const status = job.data?.status
  useEffect(() => {
    if (status === 'succeeded' || status === 'completed') {
      void invalidate()
      setJobId(undefined)
    }
  }, [status])
  const running = mutation.isPending || (jobId !== undefined && !FAILED.has(status ?? ''))
  const error = mutation.isError
    ? errorText(mutation.error, t)
    : status && FAILED.has(status)
      ? t('predictions.refresh.failed', { message: job.data?.error ?? '' })
      : null
  const progress = job.data?.progress as
    { step?: string; done?: number; total?: number } | null | undefined
  return {
    running,
    error,
    done: progress?.done ?? 0,
    total: progress?.total ?? 0,
    start: () => mutation.mutate(undefined, { onSuccess: (r) => setJobId(r.job_id) }),
  }
}

function RefreshButton({ refresh, primary = false }: { refresh: Refresh; primary?: boolean }) {
  const { t } = useI18n()
  return (
    <div className="flex items-center gap-3">
      {refresh.running && (
        <span role="status" className="text-sm text-muted">
          {refresh.total
            ? t('predictions.refresh.step', {
                done: Math.min(refresh.done + 1, refresh.total),
                total: refresh.total,
              })
            : t('predictions.refresh.running')}
        </span>
      )}
      <Button
        variant={primary ? 'primary' : 'secondary'}
        disabled={refresh.running}
        onClick={refresh.start}
      >
        {refresh.running ? t('predictions.refresh.running') : t('predictions.refresh')}
      </Button>
    </div>
  )
}

function round(n: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(n * f) / f
}
