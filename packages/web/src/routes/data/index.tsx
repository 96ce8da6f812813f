import type { UseQueryResult } from '@tanstack/react-query'
import { Link } from 'react-router'
import { Badge, Card } from '../../components/ui/card.tsx'
import { EmptyState } from '../../components/ui/empty-state.tsx'
import { ErrorNotice } from '../../components/ui/error-notice.tsx'
import { Icon, type IconName } from '../../components/ui/icons.tsx'
import { PageHeader } from '../../components/ui/page-header.tsx'
import { Skeleton, SkeletonRows } from '../../components/ui/skeleton.tsx'
import { Table, td, th } from '../../components/ui/table.tsx'
import { useDataSummary, type DataKind, type DataSummary } from '../../hooks/api/data-summary.ts'
import { useFormat } from '../../hooks/use-format.ts'
import { useI18n } from '../../i18n/index.tsx'
import { ImportPanel } from './import-panel.tsx'

/** The tiles, in order, with their icons. Counts and instants come from GET /api/data/summary. */
const KINDS: { id: DataKind; icon: IconName }[] = [
  { id: 'customers', icon: 'customers' },
  { id: 'orders', icon: 'cart' },
  { id: 'subscriptions', icon: 'retention' },
  { id: 'tickets', icon: 'ticket' },
  { id: 'survey_answers', icon: 'star' },
  { id: 'events', icon: 'bolt' },
]

export function Component() {
  const { t } = useI18n()
  const summary = useDataSummary()

  return (
    <>
      <PageHeader title={t('data.title')} lead={t('data.lead')} />
      <section aria-labelledby="recent-title" className="mb-8">
        <h2 id="recent-title" className="text-lg font-semibold">
          {t('data.recent.title')}
        </h2>
        <p className="mb-4 text-sm text-muted">{t('data.recent.lead')}</p>
        <ul className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
          {KINDS.map((k) => (
            <EntityTile key={k.id} id={k.id} icon={k.icon} query={summary} />
          ))}
        </ul>
      </section>
      <ImportPanel className="mb-8" />
      <NewestOrders query={summary} className="" />
    </>
  )
}

function EntityTile({
  id,
  icon,
  query,
}: {
  id: DataKind
  icon: IconName
  query: UseQueryResult<DataSummary>
}) {
  const { t } = useI18n()
  const fmt = useFormat()
  const kind = query.data?.[id]
  return (
    <li
      className="rounded-xl border border-line bg-surface p-4 shadow-sm"
      data-testid={`tile-${id}`}
    >
      <div className="flex items-center gap-3">
        <span className="grid size-9 place-items-center rounded-lg bg-brand-soft text-brand-text">
          <Icon name={icon} className="size-5" />
        </span>
        <h3 className="text-sm font-medium text-muted">{t(`data.entity.${id}`)}</h3>
      </div>
      {query.isError ? (
        <div className="mt-3">
          <ErrorNotice error={query.error} onRetry={() => void query.refetch()} />
        </div>
      ) : (
        <>
          <p className="tabular mt-3 text-2xl font-semibold" data-testid={`count-${id}`}>
            {kind ? fmt.number(kind.count) : <Skeleton className="h-8 w-16" />}
          </p>
          <p className="mt-1 text-xs text-muted">
            {kind
              ? kind.latest
                ? t('data.latest', { date: fmt.dateTime(kind.latest) })
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
  query: UseQueryResult<DataSummary>
  className: string
}) {
  const { t } = useI18n()
  const fmt = useFormat()
  const newest = query.data?.newest_orders ?? []
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
        </>
      )}
    </Card>
  )
}
