/**
 * The overview's KPI cards: the last 30 days (GET /api/metrics/kpis) against the 30 days before,
 * each value in the user's locale with its change coloured by whether higher is better, and a
 * click opening the formula and the inputs the server computed it from. A metric without a value
 * says why ("not enough data: …") instead of showing 0.
 */
import { useEffect, useMemo, useRef, useState } from 'react'
import { Link } from 'react-router'
import { Button } from '../../components/ui/button.tsx'
import { Card } from '../../components/ui/card.tsx'
import { ErrorNotice } from '../../components/ui/error-notice.tsx'
import { Skeleton } from '../../components/ui/skeleton.tsx'
import { Segmented } from '../../components/charts/segmented.tsx'
import { useSeries } from '../../hooks/api/metric-charts.ts'
import { useKpis, type ExplainedMetric, type KpisResponse } from '../../hooks/api/metrics.ts'
import { useFormat } from '../../hooks/use-format.ts'
import { useI18n } from '../../i18n/index.tsx'
import { isApiError } from '../../lib/api/client.ts'
import type { Formatter } from '../../lib/format.ts'
import { DrilldownDialog } from '../customers/drilldown-dialog.tsx'
import { DEFAULT_KPI_DAYS, SPARK_METRICS } from '../../app/prefetch.ts'
import { lastTwelveMonths, rollingWindow } from '../../lib/periods.ts'

/** The periods a manager can choose: rolling windows ending today. */
const WINDOWS = [30, 90, 365] as const
type WindowDays = (typeof WINDOWS)[number]

/**
 * The cards, in order, with the catalogue's "higher is better" (packages/core metrics catalogue;
 * the API does not send it, and the dashboard imports core for types only).
 */
type CardId =
  | 'crr'
  | 'churn_rate'
  | 'repeat_purchase_rate'
  | 'clv'
  | 'nps'
  | 'csat'
  | 'mrr'
  | 'active_customers'

const CARDS: { id: CardId; source: 'period' | 'feedback'; higherIsBetter: boolean }[] = [
  { id: 'crr', source: 'period', higherIsBetter: true },
  { id: 'churn_rate', source: 'period', higherIsBetter: false },
  { id: 'repeat_purchase_rate', source: 'period', higherIsBetter: true },
  { id: 'clv', source: 'period', higherIsBetter: true },
  { id: 'nps', source: 'feedback', higherIsBetter: true },
  { id: 'csat', source: 'feedback', higherIsBetter: true },
  { id: 'mrr', source: 'period', higherIsBetter: true },
  { id: 'active_customers', source: 'period', higherIsBetter: true },
]

/**
 * The drill-down inputs (GET /api/metrics/drilldown) behind each card's formula: who the
 * numbers count. Survey scores have none (their answers, not customers, are the inputs).
 */
const WHO: Record<CardId, readonly DrillInput[]> = {
  crr: ['S', 'N', 'E', 'retained', 'lost'],
  churn_rate: ['lost', 'S'],
  repeat_purchase_rate: ['repeat', 'ordering'],
  clv: ['ordering', 'lost'],
  nps: [],
  csat: [],
  mrr: ['mrr_new', 'mrr_expansion', 'mrr_contraction', 'mrr_churn', 'mrr_reactivation'],
  active_customers: ['E', 'N', 'reactivated'],
}
type DrillInput =
  | 'S'
  | 'E'
  | 'N'
  | 'retained'
  | 'reactivated'
  | 'lost'
  | 'ordering'
  | 'repeat'
  | 'mrr_new'
  | 'mrr_expansion'
  | 'mrr_contraction'
  | 'mrr_churn'
  | 'mrr_reactivation'

function formatValue(m: ExplainedMetric, fmt: Formatter, currency: string): string {
  const v = m.value ?? 0
  switch (m.unit) {
    case 'percent':
      return new Intl.NumberFormat(fmt.tag, { style: 'percent', maximumFractionDigits: 1 }).format(
        v,
      )
    case 'money':
      return fmt.money(Math.round(v), currency)
    case 'score':
      return new Intl.NumberFormat(fmt.tag, { maximumFractionDigits: 1 }).format(v)
    case 'count':
      return fmt.number(v)
    default:
      return new Intl.NumberFormat(fmt.tag, { maximumFractionDigits: 2 }).format(v)
  }
}

type Delta = { text: string; direction: 'up' | 'down' | 'flat'; good: boolean | null }

/** Percent metrics change in percentage points, NPS in points, amounts and counts in percent. */
function deltaOf(
  now: ExplainedMetric,
  before: ExplainedMetric | undefined,
  higherIsBetter: boolean,
  fmt: Formatter,
  t: (
    k: 'overview.kpi.delta.pp' | 'overview.kpi.delta.points',
    v: Record<string, string>,
  ) => string,
): Delta | null {
  if (!before || !now.defined || !before.defined || now.value === null || before.value === null)
    return null
  const diff = now.value - before.value
  const direction = diff > 1e-9 ? 'up' : diff < -1e-9 ? 'down' : 'flat'
  const good = direction === 'flat' ? null : (direction === 'up') === higherIsBetter
  const signed = (n: number, digits: number) =>
    new Intl.NumberFormat(fmt.tag, {
      maximumFractionDigits: digits,
      signDisplay: 'exceptZero',
    }).format(n)
  let text: string
  if (now.unit === 'percent') text = t('overview.kpi.delta.pp', { value: signed(diff * 100, 1) })
  else if (now.unit === 'score') text = t('overview.kpi.delta.points', { value: signed(diff, 1) })
  else if (before.value === 0) return { text: signed(diff, 0), direction, good }
  else
    text = new Intl.NumberFormat(fmt.tag, {
      style: 'percent',
      maximumFractionDigits: 1,
      signDisplay: 'exceptZero',
    }).format(diff / Math.abs(before.value))
  return { text, direction, good }
}

export function KpiCards() {
  const { t } = useI18n()
  const [days, setDays] = useState<WindowDays>(DEFAULT_KPI_DAYS)
  const query = useMemo(() => rollingWindow(days), [days])
  const kpis = useKpis(query)
  const months = useMemo(lastTwelveMonths, [])
  const series = useSeries({ granularity: 'month', ...months, metric: SPARK_METRICS.join(',') })
  const [open, setOpen] = useState<CardId | null>(null)

  return (
    <section aria-labelledby="kpis-title" className="mb-6">
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="kpis-title" className="text-lg font-semibold">
          {t('overview.kpi.title')}
        </h2>
        <div className="flex flex-wrap items-center gap-3">
          <p className="text-sm text-muted">{t('overview.kpi.period', { days })}</p>
          <Segmented
            label={t('overview.kpi.window')}
            value={String(days)}
            onChange={(v) => setDays(Number(v) as WindowDays)}
            options={WINDOWS.map((d) => ({
              value: String(d),
              label: t(`overview.kpi.window.${d}`),
            }))}
          />
        </div>
      </div>
      {kpis.isError ? (
        isApiError(kpis.error) && kpis.error.code === 'mixed_currencies' ? (
          <div className="space-y-3">
            <ErrorNotice error={kpis.error} />
            <p className="text-sm text-muted">
              {t('overview.kpi.mixedCurrencies')}{' '}
              <Link className="font-medium text-brand-text hover:underline" to="/settings">
                {t('overview.kpi.openSettings')}
              </Link>
            </p>
          </div>
        ) : (
          <ErrorNotice error={kpis.error} onRetry={() => void kpis.refetch()} />
        )
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4" data-testid="kpi-cards">
          {CARDS.map((c) => (
            <li key={c.id}>
              {kpis.data ? (
                <KpiCard
                  card={c}
                  data={kpis.data}
                  days={days}
                  trend={series.data?.points.map((p) => p.metrics[c.id]?.value ?? null)}
                  onOpen={() => setOpen(c.id)}
                />
              ) : (
                <div className="h-32 rounded-xl border border-line bg-surface p-4 shadow-sm">
                  <Skeleton className="h-4 w-24" />
                  <Skeleton className="mt-3 h-8 w-20" />
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {open && kpis.data && (
        <KpiExplanation
          metric={metricOf(kpis.data, CARDS.find((c) => c.id === open) ?? CARDS[0]!)}
          id={open}
          data={kpis.data}
          onClose={() => setOpen(null)}
        />
      )}
    </section>
  )
}

function metricOf(data: KpisResponse, c: (typeof CARDS)[number]): ExplainedMetric | undefined {
  return c.source === 'feedback' ? data.feedback[c.id] : data.period.metrics[c.id]
}

function KpiCard({
  card,
  data,
  days,
  trend,
  onOpen,
}: {
  card: (typeof CARDS)[number]
  data: KpisResponse
  days: number
  trend: (number | null)[] | undefined
  onOpen: () => void
}) {
  const { t, locale } = useI18n()
  const fmt = useFormat()
  const m = metricOf(data, card)
  const before = card.source === 'period' ? data.previous?.metrics[card.id] : undefined
  const name = m ? m.name[locale] : t(`overview.kpi.name.${card.id}`)
  const delta = m ? deltaOf(m, before, card.higherIsBetter, fmt, t) : null
  const tone =
    delta?.good === true ? 'text-ok' : delta?.good === false ? 'text-danger' : 'text-muted'

  return (
    <button
      type="button"
      onClick={onOpen}
      data-testid={`kpi-${card.id}`}
      className="flex h-full w-full flex-col justify-start rounded-xl border border-line bg-surface p-4 text-left shadow-sm hover:border-brand focus-visible:outline-2 focus-visible:outline-brand"
    >
      <span className="block text-sm font-medium text-muted">{name}</span>
      {m?.defined ? (
        <>
          <span className="tabular mt-2 block text-2xl font-semibold" data-testid="kpi-value">
            {formatValue(m, fmt, data.currency)}
          </span>
          <span className={`mt-1 block text-xs ${tone}`}>
            {delta ? (
              <>
                <span aria-hidden="true">
                  {delta.direction === 'up' ? '▲ ' : delta.direction === 'down' ? '▼ ' : '■ '}
                </span>
                {delta.text} {t('overview.kpi.vsPrevious', { days })}
                {delta.good !== null && (
                  <span className="sr-only">
                    {' '}
                    ({delta.good ? t('overview.kpi.better') : t('overview.kpi.worse')})
                  </span>
                )}
              </>
            ) : (
              <span className="text-muted">
                {card.source === 'feedback'
                  ? t('overview.kpi.thisPeriodOnly', { days })
                  : t('overview.kpi.noComparison')}
              </span>
            )}
          </span>
          {trend && card.source === 'period' && (
            <Sparkline
              values={trend}
              good={card.higherIsBetter}
              format={(v) => formatValue({ ...m, value: v }, fmt, data.currency)}
            />
          )}
        </>
      ) : (
        <span className="mt-2 block text-sm text-muted" data-testid="kpi-undefined">
          {m?.because
            ? t('overview.kpi.notEnough', { reason: m.because[locale] })
            : t('overview.kpi.notAvailable')}
        </span>
      )}
    </button>
  )
}

/**
 * Twelve months of a metric as a small line: months without a value leave a gap. The drawing is
 * hidden from screen readers, which get the first and last values in words instead.
 */
function Sparkline({
  values,
  good,
  format,
}: {
  values: (number | null)[]
  good: boolean
  format: (v: number) => string
}) {
  const { t } = useI18n()
  const defined = values.filter((v): v is number => v !== null && Number.isFinite(v))
  if (defined.length < 2) return null
  const min = Math.min(...defined)
  const max = Math.max(...defined)
  const w = 120
  const h = 28
  const x = (i: number) => (values.length === 1 ? 0 : (i / (values.length - 1)) * w)
  const y = (v: number) => (max === min ? h / 2 : h - 2 - ((v - min) / (max - min)) * (h - 4))
  const segments: string[] = []
  let current = ''
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      if (current) segments.push(current)
      current = ''
      return
    }
    current += `${current ? ' L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`
  })
  if (current) segments.push(current)
  const first = defined[0]!
  const last = defined[defined.length - 1]!
  const rising = last > first
  return (
    <span className="mt-3 block" data-testid="kpi-sparkline">
      <svg
        width={w}
        height={h}
        viewBox={`0 0 ${w} ${h}`}
        aria-hidden="true"
        className={rising === good ? 'text-ok' : last === first ? 'text-muted' : 'text-danger'}
      >
        {segments.map((d, i) => (
          <path key={i} d={d} fill="none" stroke="currentColor" strokeWidth="1.5" />
        ))}
      </svg>
      <span className="sr-only">
        {t('overview.kpi.trend', { first: format(first), last: format(last) })}
      </span>
    </span>
  )
}

function KpiExplanation({
  metric: m,
  id,
  data,
  onClose,
}: {
  metric: ExplainedMetric | undefined
  id: CardId
  data: KpisResponse
  onClose: () => void
}) {
  const { t, locale } = useI18n()
  const fmt = useFormat()
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const d = ref.current
    if (d && !d.open) d.showModal()
  }, [])
  const [drill, setDrill] = useState<DrillInput | null>(null)
  const inputs = Object.entries(m?.inputs ?? {}).filter(
    ([, v]) => typeof v === 'number' || typeof v === 'string',
  )
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-labelledby="kpi-explain-title"
      className="m-auto w-[min(36rem,calc(100vw-2rem))] rounded-xl border border-line bg-surface p-0 text-ink shadow-lg backdrop:bg-black/40"
    >
      <Card
        title={
          <span id="kpi-explain-title">{m ? m.name[locale] : t(`overview.kpi.name.${id}`)}</span>
        }
        lead={t('overview.kpi.explain.period', {
          from: fmt.date(data.period.start),
          to: fmt.date(new Date(Date.parse(data.period.end) - 1).toISOString()),
        })}
        className="border-0 shadow-none"
      >
        <div className="space-y-4 text-sm">
          {m && (
            <>
              <div>
                <h3 className="mb-1 font-medium">{t('overview.kpi.explain.formula')}</h3>
                <p
                  className="rounded-md bg-subtle px-3 py-2 font-mono text-xs"
                  data-testid="kpi-formula"
                >
                  {m.formula}
                </p>
              </div>
              <div>
                <h3 className="mb-1 font-medium">{t('overview.kpi.explain.inputs')}</h3>
                {inputs.length ? (
                  <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
                    {inputs.map(([k, v]) => (
                      <div key={k} className="contents">
                        <dt className="font-mono text-xs text-muted">{k}</dt>
                        <dd className="tabular">
                          {typeof v === 'number'
                            ? new Intl.NumberFormat(fmt.tag, { maximumFractionDigits: 4 }).format(v)
                            : String(v)}
                        </dd>
                      </div>
                    ))}
                  </dl>
                ) : (
                  <p className="text-muted">{t('overview.kpi.explain.noInputs')}</p>
                )}
              </div>
              {!m.defined && m.because && (
                <p className="rounded-md bg-warn-soft px-3 py-2 text-warn">
                  {t('overview.kpi.notEnough', { reason: m.because[locale] })}
                </p>
              )}
              {m.notes[locale] && <p className="text-muted">{m.notes[locale]}</p>}
            </>
          )}
          {WHO[id].length > 0 && (
            <div>
              <h3 className="mb-1 font-medium">{t('overview.kpi.explain.who')}</h3>
              <ul className="flex flex-wrap gap-2" data-testid="kpi-who">
                {WHO[id].map((input) => (
                  <li key={input}>
                    <button
                      type="button"
                      onClick={() => setDrill(input)}
                      className="rounded-md border border-line px-2 py-1 hover:bg-subtle"
                    >
                      {t(`overview.kpi.who.${input}`)}
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          )}
          <div className="flex justify-end">
            <Button variant="secondary" onClick={() => ref.current?.close()} autoFocus>
              {t('common.close')}
            </Button>
          </div>
        </div>
      </Card>
      {drill && (
        <DrilldownDialog
          source={{ kind: 'input', input: drill, from: data.period.start, to: data.period.end }}
          title={t(`overview.kpi.who.${drill}`)}
          lead={t('overview.kpi.explain.period', {
            from: fmt.date(data.period.start),
            to: fmt.date(new Date(Date.parse(data.period.end) - 1).toISOString()),
          })}
          onClose={() => setDrill(null)}
        />
      )}
    </dialog>
  )
}
