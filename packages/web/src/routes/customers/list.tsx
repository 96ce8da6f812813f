import { Link } from 'react-router'
import { Badge, Card } from '../../components/ui/card.tsx'
import { Button } from '../../components/ui/button.tsx'
import { EmptyState } from '../../components/ui/empty-state.tsx'
import { ErrorNotice } from '../../components/ui/error-notice.tsx'
import { PageHeader } from '../../components/ui/page-header.tsx'
import { SkeletonRows } from '../../components/ui/skeleton.tsx'
import { Table, td, th } from '../../components/ui/table.tsx'
import { ButtonLink } from '../../components/ui/button.tsx'
import { DemoHint } from '../../components/planned-screen.tsx'
import { useCustomerPages } from '../../hooks/api/customers.ts'
import { useFormat } from '../../hooks/use-format.ts'
import { useI18n } from '../../i18n/index.tsx'
import type { Customer } from '../../lib/api/types.ts'

const PAGE = 50

export function Component() {
  const { t, tp } = useI18n()
  const pages = useCustomerPages({ limit: PAGE })
  const customers = pages.data?.pages.flatMap((p) => p.items) ?? []
  // A failed "load more" keeps the rows already shown; only a failed first page replaces them.
  const nextPageFailed = pages.isFetchNextPageError
  const firstPageFailed = pages.isError && !nextPageFailed

  return (
    <>
      <PageHeader title={t('customers.title')} lead={t('customers.lead')} />
      <Card>
        {pages.isPending ? (
          <SkeletonRows rows={8} />
        ) : firstPageFailed ? (
          <ErrorNotice error={pages.error} onRetry={() => void pages.refetch()} />
        ) : customers.length === 0 ? (
          <EmptyState
            icon="customers"
            title={t('customers.empty.title')}
            actions={<ButtonLink to="/data">{t('empty.importData')}</ButtonLink>}
          >
            <p>{t('customers.empty.text')}</p>
            <p className="mt-2">
              <DemoHint />
            </p>
          </EmptyState>
        ) : (
          <>
            <Table label={t('customers.title')}>
              <thead>
                <tr>
                  <th scope="col" className={th}>
                    {t('customers.col.customer')}
                  </th>
                  <th scope="col" className={th}>
                    {t('customers.col.externalId')}
                  </th>
                  <th scope="col" className={th}>
                    {t('customers.col.location')}
                  </th>
                  <th scope="col" className={th}>
                    {t('customers.col.since')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {customers.map((c) => (
                  <CustomerRow key={c.external_id} customer={c} />
                ))}
              </tbody>
            </Table>
            {nextPageFailed && (
              <div className="mt-4">
                <ErrorNotice error={pages.error} onRetry={() => void pages.fetchNextPage()} />
              </div>
            )}
            <div className="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm text-muted">
              <p aria-live="polite">
                {tp('customers.shown', customers.length)}
                {!pages.hasNextPage && ` · ${t('customers.allLoaded')}`}
              </p>
              {pages.hasNextPage && (
                <Button
                  variant="secondary"
                  onClick={() => void pages.fetchNextPage()}
                  disabled={pages.isFetchingNextPage}
                >
                  {pages.isFetchingNextPage ? t('common.loadingMore') : t('common.loadMore')}
                </Button>
              )}
            </div>
          </>
        )}
      </Card>
    </>
  )
}

function CustomerRow({ customer: c }: { customer: Customer }) {
  const { t } = useI18n()
  const fmt = useFormat()
  const place = [c.city, c.country ? fmt.regionName(c.country) : null].filter(Boolean).join(', ')
  return (
    <tr className="hover:bg-subtle/60">
      <td className={td}>
        <Link
          to={`/customers/${encodeURIComponent(c.external_id)}`}
          className="font-medium text-brand-text hover:underline"
        >
          {c.name || c.email || t('customers.unnamed')}
        </Link>
        {c.name && c.email && <div className="text-xs text-muted">{c.email}</div>}
        {c.erased_at && (
          <div className="mt-1">
            <Badge tone="warn">{t('customers.erased')}</Badge>
          </div>
        )}
      </td>
      <td className={`${td} font-mono text-xs`}>{c.external_id}</td>
      <td className={td}>{place || t('common.none')}</td>
      <td className={`${td} tabular whitespace-nowrap`}>
        {c.created_at ? fmt.date(c.created_at) : t('common.none')}
      </td>
    </tr>
  )
}
