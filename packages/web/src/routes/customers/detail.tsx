import type { ReactNode } from 'react'
import { Link, useParams } from 'react-router'
import { CustomerPredictionsCard } from '../../components/predictions/customer-predictions.tsx'
import { Badge, Card } from '../../components/ui/card.tsx'
import { EmptyState } from '../../components/ui/empty-state.tsx'
import { ErrorNotice } from '../../components/ui/error-notice.tsx'
import { Icon, type IconName } from '../../components/ui/icons.tsx'
import { PageHeader } from '../../components/ui/page-header.tsx'
import { Skeleton, SkeletonRows } from '../../components/ui/skeleton.tsx'
import { useCustomer } from '../../hooks/api/customers.ts'
import { useEvents } from '../../hooks/api/events.ts'
import { useOrders } from '../../hooks/api/orders.ts'
import { useSurveyAnswers } from '../../hooks/api/survey-answers.ts'
import { useTickets } from '../../hooks/api/tickets.ts'
import { useFormat } from '../../hooks/use-format.ts'
import { useI18n, type MessageKey } from '../../i18n/index.tsx'
import { isApiError } from '../../lib/api/client.ts'
import type { Customer } from '../../lib/api/types.ts'
import { buildTimeline, netSpent, type TimelineEntry } from './timeline.ts'

/** The API's largest page: the first version reads one page of each history. */
const HISTORY_LIMIT = 1000

export function Component() {
  const { externalId = '' } = useParams()
  const { t } = useI18n()
  const customer = useCustomer(externalId)

  const back = (
    <Link
      to="/customers"
      className="mb-2 inline-flex items-center gap-1 text-sm font-medium text-brand-text hover:underline"
    >
      <Icon name="arrowLeft" className="size-4" />
      {t('customer.back')}
    </Link>
  )

  if (customer.isError && isApiError(customer.error, 404)) {
    return (
      <>
        <PageHeader eyebrow={back} title={t('customer.notFound.title')} />
        <div className="rounded-xl border border-line bg-surface">
          <EmptyState icon="customers" title={t('customer.notFound.text', { id: externalId })} />
        </div>
      </>
    )
  }

  const c = customer.data
  return (
    <>
      <PageHeader
        eyebrow={back}
        title={
          c ? (
            c.name || c.email || t('customers.unnamed')
          ) : (
            <span className="font-mono text-xl">{externalId}</span>
          )
        }
        lead={c?.name && c.email ? c.email : undefined}
        actions={c?.erased_at ? <Badge tone="warn">{t('customers.erased')}</Badge> : undefined}
      />
      {customer.isError ? (
        <ErrorNotice error={customer.error} onRetry={() => void customer.refetch()} />
      ) : (
        <div className="grid gap-6 lg:grid-cols-3">
          <div className="space-y-6 lg:col-span-1">
            <Profile customer={c} />
            <Consent customer={c} />
          </div>
          <div className="space-y-6 lg:col-span-2">
            <CustomerPredictionsCard externalId={externalId} />
            <History externalId={externalId} />
          </div>
        </div>
      )}
    </>
  )
}

function Profile({ customer: c }: { customer: Customer | undefined }) {
  const { t } = useI18n()
  const fmt = useFormat()
  const rows: [MessageKey, ReactNode][] = c
    ? [
        ['customer.field.externalId', <span className="font-mono text-xs">{c.external_id}</span>],
        ['customer.field.email', c.email],
        ['customer.field.phone', c.phone],
        [
          'customer.field.location',
          [c.city, c.region, c.postcode, c.country ? fmt.regionName(c.country) : null]
            .filter(Boolean)
            .join(', '),
        ],
        ['customer.field.locale', c.locale ? fmt.languageName(c.locale) : null],
        ['customer.field.birthday', c.birthday ? fmt.day(c.birthday) : null],
        ['customer.field.channel', c.acquisition_channel],
        ['customer.field.createdAt', c.created_at ? fmt.date(c.created_at) : null],
        [
          'customer.field.tags',
          c.tags?.length ? (
            <span className="flex flex-wrap gap-1">
              {c.tags.map((tag) => (
                <Badge key={tag}>{tag}</Badge>
              ))}
            </span>
          ) : null,
        ],
      ]
    : []
  return (
    <Card title={t('customer.profile')} id="profile">
      {!c ? (
        <SkeletonRows rows={4} />
      ) : (
        <dl className="space-y-3 text-sm">
          {rows.map(([label, value]) => (
            <div key={label} className="grid grid-cols-[minmax(0,2fr)_minmax(0,3fr)] gap-3">
              <dt className="text-muted">{t(label)}</dt>
              <dd className="min-w-0 break-words">{value || t('common.none')}</dd>
            </div>
          ))}
        </dl>
      )}
    </Card>
  )
}

const CONSENTS = ['marketing_email', 'profiling', 'surveys'] as const

function Consent({ customer: c }: { customer: Customer | undefined }) {
  const { t } = useI18n()
  const fmt = useFormat()
  return (
    <Card title={t('customer.consent')} id="consent">
      {!c ? (
        <SkeletonRows rows={3} />
      ) : (
        <ul className="space-y-3 text-sm">
          {CONSENTS.map((k) => {
            const flag = c.consent?.[k] ?? null
            return (
              <li key={k} className="flex items-start justify-between gap-3">
                <div>
                  <p>{t(`customer.consent.${k}`)}</p>
                  {flag && (flag.at || flag.source) && (
                    <p className="text-xs text-muted">
                      {[flag.at ? fmt.date(flag.at) : null, flag.source]
                        .filter(Boolean)
                        .join(' · ')}
                    </p>
                  )}
                </div>
                {flag === null ? (
                  <Badge>{t('customer.consent.unknown')}</Badge>
                ) : flag.granted ? (
                  <Badge tone="ok">{t('customer.consent.granted')}</Badge>
                ) : (
                  <Badge tone="danger">{t('customer.consent.denied')}</Badge>
                )}
              </li>
            )
          })}
        </ul>
      )}
    </Card>
  )
}

function History({ externalId }: { externalId: string }) {
  const { t } = useI18n()
  const fmt = useFormat()
  const q = { customer_external_id: externalId, limit: HISTORY_LIMIT }
  const orders = useOrders(q)
  const tickets = useTickets(q)
  const answers = useSurveyAnswers(q)
  const events = useEvents(q)
  const all = [orders, tickets, answers, events]
  const failed = all.find((r) => r.isError)
  const pending = all.some((r) => r.isPending)
  const truncated = all.some((r) => r.data?.next_cursor)

  const entries = buildTimeline({
    orders: orders.data?.items,
    tickets: tickets.data?.items,
    answers: answers.data?.items,
    events: events.data?.items,
  })
  const spent = netSpent(orders.data?.items ?? [])
  const lastAnswer = entries.find((e) => e.kind === 'survey')

  const stats: [MessageKey, ReactNode][] = [
    ['customer.stats.orders', orders.data ? fmt.number(orders.data.items.length) : null],
    [
      'customer.stats.spent',
      orders.data
        ? spent.length
          ? spent.map((s) => fmt.money(s.minor, s.currency)).join(' + ')
          : fmt.number(0)
        : null,
    ],
    ['customer.stats.tickets', tickets.data ? fmt.number(tickets.data.items.length) : null],
    [
      'customer.stats.lastSurvey',
      answers.data
        ? lastAnswer?.kind === 'survey'
          ? `${lastAnswer.record.score} (${lastAnswer.record.kind.toUpperCase()})`
          : t('common.none')
        : null,
    ],
  ]

  return (
    <div className="space-y-6">
      <dl className="grid grid-cols-2 gap-3 md:grid-cols-4">
        {stats.map(([label, value]) => (
          <div key={label} className="rounded-xl border border-line bg-surface px-4 py-3 shadow-sm">
            <dt className="text-xs font-medium text-muted">{t(label)}</dt>
            <dd className="tabular mt-1 text-lg font-semibold" data-testid={`stat-${label}`}>
              {value ?? <Skeleton className="mt-1 h-6 w-16" />}
            </dd>
          </div>
        ))}
      </dl>
      <Card title={t('customer.timeline')} lead={t('customer.timeline.lead')} id="timeline">
        {failed ? (
          <ErrorNotice error={failed.error} onRetry={() => all.forEach((r) => void r.refetch())} />
        ) : pending ? (
          <SkeletonRows rows={5} />
        ) : entries.length === 0 ? (
          <EmptyState icon="bolt" title={t('customer.timeline.empty')} />
        ) : (
          <>
            {truncated && (
              <p className="mb-3 text-sm text-muted">
                {t('customer.timeline.truncated', { count: fmt.number(HISTORY_LIMIT) })}
              </p>
            )}
            <ol className="relative space-y-0" data-testid="timeline">
              {entries.map((e) => (
                <TimelineRow key={`${e.kind}:${e.record.external_id}`} entry={e} />
              ))}
            </ol>
          </>
        )}
      </Card>
    </div>
  )
}

const KIND_ICON: Record<TimelineEntry['kind'], IconName> = {
  order: 'cart',
  ticket: 'ticket',
  survey: 'star',
  event: 'bolt',
}

function TimelineRow({ entry: e }: { entry: TimelineEntry }) {
  const { t, tp } = useI18n()
  const fmt = useFormat()
  let title: ReactNode
  let meta: ReactNode[] = []
  let aside: ReactNode = null
  switch (e.kind) {
    case 'order': {
      const o = e.record
      title = t('timeline.order', { id: o.external_id })
      const items = (o.lines ?? []).reduce((n, l) => n + l.quantity, 0)
      meta = [
        items ? tp('timeline.order.lines', items) : null,
        o.channel,
        o.refunded_amount
          ? t('timeline.order.refunded', { amount: fmt.money(o.refunded_amount, o.currency) })
          : null,
      ]
      aside = (
        <div className="text-right">
          <p className="tabular font-semibold">{fmt.money(o.total, o.currency)}</p>
          {o.status !== 'completed' && (
            <Badge tone={o.status === 'refunded' ? 'warn' : 'neutral'}>
              {t(`status.${o.status}`)}
            </Badge>
          )}
        </div>
      )
      break
    }
    case 'ticket': {
      const tk = e.record
      title = tk.subject || t('timeline.ticket', { id: tk.external_id })
      meta = [
        t('timeline.ticket.via', { channel: t(`channel.${tk.channel}`) }),
        tk.satisfaction ? t('timeline.ticket.csat', { score: tk.satisfaction }) : null,
      ]
      aside = (
        <Badge tone={tk.status === 'open' || tk.status === 'pending' ? 'info' : 'neutral'}>
          {t(`status.${tk.status}`)}
        </Badge>
      )
      break
    }
    case 'survey': {
      const a = e.record
      title = t('timeline.survey', { kind: a.kind.toUpperCase() })
      meta = [a.survey, a.comment ? `“${a.comment}”` : null]
      aside = (
        <Badge tone={scoreTone(a.kind, a.score)}>
          {t('timeline.survey.score', { score: a.score })}
        </Badge>
      )
      break
    }
    case 'event': {
      title = e.record.name
      meta = [t('timeline.event')]
      break
    }
  }
  return (
    <li className="group relative flex gap-4 pb-5 last:pb-0">
      <span
        aria-hidden="true"
        className="absolute top-9 bottom-0 left-4 w-px bg-line group-last:hidden"
      />
      <span className="relative grid size-8 shrink-0 place-items-center rounded-full border border-line bg-subtle text-muted">
        <Icon name={KIND_ICON[e.kind]} className="size-4" />
      </span>
      <div className="min-w-0 flex-1 pt-1">
        <p className="font-medium">
          <span className="sr-only">{t(`timeline.kind.${e.kind}`)}: </span>
          {title}
        </p>
        <p className="text-xs text-muted">
          <time dateTime={e.at}>{fmt.dateTime(e.at)}</time>
          {meta.filter(Boolean).map((m, i) => (
            <span key={i}> · {m}</span>
          ))}
        </p>
      </div>
      {aside && <div className="shrink-0 pt-1">{aside}</div>}
    </li>
  )
}

/** Promoters/satisfied in green, detractors/unsatisfied in red, the middle neutral. */
function scoreTone(kind: string, score: number): 'ok' | 'danger' | 'neutral' {
  if (kind === 'nps' || kind === 'enps')
    return score >= 9 ? 'ok' : score <= 6 ? 'danger' : 'neutral'
  if (kind === 'csat') return score >= 4 ? 'ok' : score <= 2 ? 'danger' : 'neutral'
  if (kind === 'ces') return score >= 5 ? 'ok' : score <= 3 ? 'danger' : 'neutral'
  return 'neutral'
}
