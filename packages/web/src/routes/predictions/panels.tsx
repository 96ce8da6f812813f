import { Badge } from '../../components/ui/card.tsx'
import { Table, td, th } from '../../components/ui/table.tsx'
import type { ChurnRun, ClvRun, FitIssue, PredictionsSummary } from '../../hooks/api/predictions.ts'
import { useFormat } from '../../hooks/use-format.ts'
import { useI18n, type MessageKey } from '../../i18n/index.tsx'
import { percent } from '../../components/charts/labels.ts'

const sig = (fmt: ReturnType<typeof useFormat>, v: number | undefined, digits = 4) =>
  v === undefined || !Number.isFinite(v)
    ? '—'
    : new Intl.NumberFormat(fmt.tag, { maximumSignificantDigits: digits }).format(v)

/** The parameter table fits half a screen: no side scrolling, tighter cells than Table's. */
const compactTh =
  'border-b border-line py-2 pr-3 text-left text-xs font-semibold uppercase tracking-wide text-muted'
const compactTd = 'border-b border-line py-1.5 pr-3'

const MODEL_NAME: Record<string, string> = {
  bgnbd: 'BG/NBD',
  'pareto-nbd': 'Pareto/NBD',
}

const ISSUE_KEY: Record<string, MessageKey> = {
  'too-few-customers': 'predictions.issue.too-few-customers',
  'too-few-repeat-customers': 'predictions.issue.too-few-repeat-customers',
  'history-too-short': 'predictions.issue.history-too-short',
  'too-few-spend-customers': 'predictions.issue.too-few-spend-customers',
  'invalid-data': 'predictions.issue.invalid-data',
}

/** The customer-base and spend models: parameters with standard errors, or why they fell back. */
export function ClvModelPanel({ run }: { run: ClvRun }) {
  const { t, locale } = useI18n()
  const fmt = useFormat()
  const p = run.parameters
  const summary = run.data_summary
  if (run.fallback_reason || !p.params) {
    return (
      <div className="space-y-3 text-sm">
        <Badge tone="warn">{t('predictions.method.formula')}</Badge>
        <p>{t('predictions.clv.fallback')}</p>
        <ul className="list-disc space-y-1 pl-5">
          {(p.issues ?? []).map((issue: FitIssue, i) => (
            <li key={i}>
              {t(ISSUE_KEY[issue.code] ?? 'predictions.issue.other')}
              {/* The detailed figures come from the server in English only. */}
              {locale === 'en' && <span className="text-muted"> {issue.message}</span>}
            </li>
          ))}
        </ul>
        <SummaryLine summary={summary} />
      </div>
    )
  }
  const rows = [
    ...Object.entries(p.params).map(([k, v]) => ({
      model: MODEL_NAME[p.model ?? ''] ?? p.model ?? '',
      name: k,
      value: v,
      se: p.standardErrors?.[k],
    })),
    ...Object.entries(p.gammaGamma?.params ?? {}).map(([k, v]) => ({
      model: 'Gamma-Gamma',
      name: k,
      value: v,
      se: p.gammaGamma?.standardErrors?.[k],
    })),
  ]
  return (
    <div className="space-y-4 text-sm">
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone="ok">{t('predictions.method.model')}</Badge>
        <span className="text-muted">
          {t('predictions.clv.fitted', {
            model: MODEL_NAME[p.model ?? ''] ?? p.model ?? '',
            unit: t(run.unit === 'week' ? 'predictions.unit.week' : 'predictions.unit.day'),
            ll: sig(fmt, p.logLikelihood, 8),
          })}
        </span>
        {p.converged === false && <Badge tone="warn">{t('predictions.clv.notConverged')}</Badge>}
      </div>
      <table className="w-full border-collapse text-sm">
        <caption className="sr-only">{t('predictions.clv.parameters')}</caption>
        <thead>
          <tr>
            <th className={compactTh}>{t('predictions.clv.model')}</th>
            <th className={compactTh}>{t('predictions.clv.parameter')}</th>
            <th className={`${compactTh} text-right`}>{t('predictions.clv.estimate')}</th>
            <th className={`${compactTh} text-right`}>{t('predictions.clv.se')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.model}-${r.name}`}>
              <td className={compactTd}>{r.model}</td>
              <td className={`${compactTd} font-mono`}>{r.name}</td>
              <td className={`${compactTd} text-right tabular-nums`}>{sig(fmt, r.value)}</td>
              <td className={`${compactTd} text-right tabular-nums`}>{sig(fmt, r.se, 3)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <SummaryLine summary={summary} />
    </div>
  )
}

function SummaryLine({ summary }: { summary: ClvRun['data_summary'] }) {
  const { t } = useI18n()
  const fmt = useFormat()
  if (!summary || summary.customers === undefined) return null
  return (
    <p className="text-muted">
      {t('predictions.clv.summary', {
        customers: fmt.number(summary.customers),
        repeat: fmt.number(summary.repeatCustomers ?? 0),
        cycles: sig(fmt, summary.cyclesObserved, 2),
      })}
    </p>
  )
}

/** The churn model's out-of-time validation: trained one horizon earlier, scored on the next. */
export function ChurnValidationPanel({ run }: { run: ChurnRun }) {
  const { t } = useI18n()
  const fmt = useFormat()
  const v = run.validation
  if (run.status !== 'succeeded') {
    return (
      <div className="space-y-2 text-sm">
        <Badge tone="warn">{t('predictions.churn.notTrained')}</Badge>
        <p>{t('predictions.churn.notTrainedText')}</p>
      </div>
    )
  }
  if (!v) return <p className="text-sm text-muted">{t('predictions.churn.noValidation')}</p>
  const items: [string, string][] = [
    [t('predictions.churn.auc'), sig(fmt, v.rocAuc, 3)],
    [t('predictions.churn.prAuc'), sig(fmt, v.averagePrecision, 3)],
    [t('predictions.churn.brier'), sig(fmt, v.brier, 3)],
    [t('predictions.churn.lift'), `${sig(fmt, v.liftTopDecile, 3)}×`],
    [t('predictions.churn.rows'), fmt.number(v.rows)],
    [t('predictions.churn.rate'), v.rows > 0 ? percent(fmt, v.positives / v.rows) : '—'],
  ]
  return (
    <div className="space-y-3 text-sm">
      <dl className="grid grid-cols-2 gap-x-6 gap-y-2 sm:grid-cols-3">
        {items.map(([label, value]) => (
          <div key={label}>
            <dt className="text-muted">{label}</dt>
            <dd className="text-lg font-semibold tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>
      {v.trainedAt && v.evaluatedAt && (
        <p className="text-muted">
          {t('predictions.churn.window', {
            trained: fmt.date(v.trainedAt),
            evaluated: fmt.date(v.evaluatedAt),
          })}
        </p>
      )}
    </div>
  )
}

const TIER_KEY: Record<string, MessageKey> = {
  platinum: 'predictions.tier.platinum',
  gold: 'predictions.tier.gold',
  silver: 'predictions.tier.silver',
  standard: 'predictions.tier.standard',
}

/** Customers and predicted CLV per value tier. */
export function ValueTiers({
  tiers,
  currency,
}: {
  tiers: PredictionsSummary['value_tiers']
  currency: string
}) {
  const { t } = useI18n()
  const fmt = useFormat()
  const order = ['platinum', 'gold', 'silver', 'standard']
  const sorted = [...tiers].sort((a, b) => rank(order, a.tier) - rank(order, b.tier))
  return (
    <Table label={t('predictions.tiers.title')}>
      <thead>
        <tr>
          <th className={th}>{t('predictions.tiers.tier')}</th>
          <th className={`${th} text-right`}>{t('predictions.tiers.customers')}</th>
          <th className={`${th} text-right`}>{t('predictions.tiers.clv')}</th>
          <th className={`${th} text-right`}>{t('predictions.tiers.average')}</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((row) => (
          <tr key={row.tier ?? 'none'}>
            <td className={td}>
              {row.tier
                ? t(TIER_KEY[row.tier] ?? 'predictions.tier.standard')
                : t('predictions.tier.none')}
            </td>
            <td className={`${td} text-right tabular-nums`}>{fmt.number(row.customers)}</td>
            <td className={`${td} text-right tabular-nums`}>
              {row.clv_minor === null ? '—' : fmt.money(Math.round(row.clv_minor), currency)}
            </td>
            <td className={`${td} text-right tabular-nums`}>
              {row.clv_minor === null || row.customers === 0
                ? '—'
                : fmt.money(Math.round(row.clv_minor / row.customers), currency)}
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  )
}

function rank(order: string[], tier: string | null): number {
  const i = tier === null ? -1 : order.indexOf(tier)
  return i === -1 ? order.length : i
}
