import type { UseQueryResult } from '@tanstack/react-query'
import { Link } from 'react-router'
import { Badge, Card } from '../../components/ui/card.tsx'
import { EmptyState } from '../../components/ui/empty-state.tsx'
import { ErrorNotice } from '../../components/ui/error-notice.tsx'
import { Icon, type IconName } from '../../components/ui/icons.tsx'
import { PageHeader } from '../../components/ui/page-header.tsx'
import { Skeleton, SkeletonRows } from '../../components/ui/skeleton.tsx'
import { Table, td, th } from '../../components/ui/table.tsx'
import { useCustomers } from '../../hooks/api/customers.ts'
import { useEvents } from '../../hooks/api/events.ts'
import { useOrders } from '../../hooks/api/orders.ts'
import { useSubscriptions } from '../../hooks/api/subscriptions.ts'
import { useSurveyAnswers } from '../../hooks/api/survey-answers.ts'
import { useTickets } from '../../hooks/api/tickets.ts'
import { useFormat } from '../../hooks/use-format.ts'
import { useI18n } from '../../i18n/index.tsx'
import { ImportPanel } from './import-panel.tsx'
import type { Order, Page } from '../../lib/api/types.ts'

/**
 * The lists page oldest first and have no count endpoint yet, so the summary reads one large
 * first page per entity: the count is exact below the page size and "more than N" above it.
 */
const SAMPLE = 1000

type EntityId = 'customers' | 'orders' | 'subscriptions' | 'tickets' | 'survey_answers' | 'events'
type Row = {
  id: EntityId
  icon: IconName
  query: UseQueryResult<Page<Record<string, unknown>>>
  timeField?: string
}

export function Component() {
  const { t } = useI18n()
  const q = { limit: SAMPLE }
  const customers = useCustomers(q)
  const orders = useOrders(q)
  const subscriptions = useSubscriptions(q)
  const tickets = useTickets(q)
  const answers = useSurveyAnswers(q)
  const events = useEvents(q)
  const rows: Row[] = [
    { id: 'customers', icon: 'customers', query: customers, timeField: 'created_at' },
    { id: 'orders', icon: 'cart', query: orders, timeField: 'placed_at' },
    { id: 'subscriptions', icon: 'retention', query: subscriptions, timeField: 'started_at' },
    { id: 'tickets', icon: 'ticket', query: tickets, timeField: 'opened_at' },
    { id: 'survey_answers', icon: 'star', query: answers, timeField: 'answered_at' },
    { id: 'events', icon: 'bolt', query: events, timeField: 'occurred_at' },
  ]

  return (
    <>
      <PageHeader title={t('data.title')} lead={t('data.lead')} />
      <section aria-labelledby="recent-title" className="mb-8">
        <h2 id="recent-title" className="text-lg font-semibold">
          {t('data.recent.title')}
        </h2>
        <p className="mb-4 text-sm text-muted">{t('data.recent.lead')}</p>
        <ul className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
          {rows.map((r) => (
            <EntityTile key={r.id} row={r} />
          ))}
        </ul>
      </section>
      <ImportPanel className="mb-8" />
      <NewestOrders query={orders} className="" />
    </>
  )
}

function EntityTile({ row }: { row: Row }) {
  const { t } = useI18n()
  const fmt = useFormat()
  const { query } = row
  const items = query.data?.items ?? []
  const latest = row.timeField
    ? items.reduce<string | undefined>((max, it) => {
        const v = it[row.timeField ?? '']
        return typeof v === 'string' && (!max || Date.parse(v) > Date.parse(max)) ? v : max
      }, undefined)
    : undefined
  const count = query.data
    ? query.data.next_cursor
      ? t('data.count.more', { count: fmt.number(items.length) })
      : fmt.number(items.length)
    : null
  return (
    <li
      className="rounded-xl border border-line bg-surface p-4 shadow-sm"
      data-testid={`tile-${row.id}`}
    >
      <div className="flex items-center gap-3">
        <span className="grid size-9 place-items-center rounded-lg bg-brand-soft text-brand-text">
          <Icon name={row.icon} className="size-5" />
        </span>
        <h3 className="text-sm font-medium text-muted">{t(`data.entity.${row.id}`)}</h3>
      </div>
      {query.isError ? (
        <div className="mt-3">
          <ErrorNotice error={query.error} onRetry={() => void query.refetch()} />
        </div>
      ) : (
        <>
          <p className="tabular mt-3 text-2xl font-semibold" data-testid={`count-${row.id}`}>
            {count ?? <Skeleton className="h-8 w-16" />}
          </p>
          <p className="mt-1 text-xs text-muted">
            {query.data
              ? latest
                ? t('data.latest', { date: fmt.dateTime(latest) })
                : t('data.latest.none')
              : '\u00a0'}
          </p>
        </>
      )}
    </li>
  )
}

function NewestOrders({
  query,
  className,
}: {
  query: UseQueryResult<Page<Order>>
  className: string
}) {
  const { t } = useI18n()
  const fmt = useFormat()
  const newest = [...(query.data?.items ?? [])]
    .sort((a, b) => Date.parse(b.placed_at) - Date.parse(a.placed_at))
    .slice(0, 8)
  return (
    <Card title={t('data.newest.title')} className={className} id="newest-orders">
      {query.isPending ? (
        <SkeletonRows rows={5} />
      ) : query.isError ? (
        <ErrorNotice error={query.error} onRetry={() => void query.refetch()} />
      ) : newest.length === 0 ? (
        <EmptyState icon="cart" title={t('data.empty.title')}>
          <p>{t('data.empty.text')}</p>
        </EmptyState>
      ) : (
        <>
          <Table label={t('data.newest.title')}>
            <thead>
              <tr>
                <th scope="col" className={th}>
                  {t('data.newest.col.order')}
                </th>
                <th scope="col" className={th}>
                  {t('data.newest.col.customer')}
                </th>
                <th scope="col" className={th}>
                  {t('data.newest.col.placedAt')}
                </th>
                <th scope="col" className={`${th} text-right`}>
                  {t('data.newest.col.total')}
                </th>
              </tr>
            </thead>
            <tbody>
              {newest.map((o) => (
                <tr key={o.external_id}>
                  <td className={`${td} font-mono text-xs`}>{o.external_id}</td>
                  <td className={td}>
                    {o.customer_external_id ? (
                      <Link
                        className="font-medium text-brand-text hover:underline"
                        to={`/customers/${encodeURIComponent(o.customer_external_id)}`}
                      >
                        {o.customer_external_id}
                      </Link>
                    ) : (
                      <span className="text-muted">{t('data.newest.anonymous')}</span>
                    )}
                  </td>
                  <td className={`${td} tabular whitespace-nowrap`}>{fmt.dateTime(o.placed_at)}</td>
                  <td className={`${td} tabular text-right whitespace-nowrap`}>
                    {fmt.money(o.total, o.currency)}
                    {o.status !== 'completed' && (
                      <div>
                        <Badge tone="warn">{t(`status.${o.status}`)}</Badge>
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
          {query.data?.next_cursor && (
            <p className="mt-3 text-xs text-muted">
              {t('data.newest.partial', { count: fmt.number(SAMPLE) })}
            </p>
          )}
        </>
      )}
    </Card>
  )
}
