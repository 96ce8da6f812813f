/**
 * The customers behind a number: a modal list (paged on the server) of the customers of a cohort
 * cell or a metric input, each opening the customer page, with the whole list as CSV.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react'
import { Link } from 'react-router'
import { Button } from '../../components/ui/button.tsx'
import { Card } from '../../components/ui/card.tsx'
import { ErrorNotice } from '../../components/ui/error-notice.tsx'
import { SkeletonRows } from '../../components/ui/skeleton.tsx'
import {
  DRILLDOWN_PAGE_SIZE,
  drilldownCsvUrl,
  useDrilldown,
  type DrilldownSource,
} from '../../hooks/api/metric-charts.ts'
import { useCustomerSearch } from '../../hooks/api/customer-search.ts'
import { useFormat } from '../../hooks/use-format.ts'
import { useI18n } from '../../i18n/index.tsx'

export function DrilldownDialog({
  source,
  title,
  lead,
  onClose,
}: {
  source: DrilldownSource
  title: ReactNode
  lead?: ReactNode
  onClose: () => void
}) {
  const { t } = useI18n()
  const fmt = useFormat()
  const ref = useRef<HTMLDialogElement>(null)
  const [page, setPage] = useState(1)
  const list = useDrilldown(source, page)
  // The drill-down gives ids; the customer search adds who they are and what they spent.
  const ids = list.data?.customers.map((c) => c.id) ?? []
  const details = useCustomerSearch(
    { ids: ids.join('|'), page_size: String(Math.max(1, ids.length)) },
    ids.length > 0,
  )
  const byId = new Map((details.data?.items ?? []).map((c) => [c.id, c]))
  useEffect(() => {
    const d = ref.current
    if (d && !d.open) d.showModal()
  }, [])
  const total = list.data?.total ?? 0
  const pages = Math.max(1, Math.ceil(total / DRILLDOWN_PAGE_SIZE))
  const first = (page - 1) * DRILLDOWN_PAGE_SIZE

  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-labelledby="drilldown-title"
      data-testid="drilldown"
      className="m-auto w-[min(36rem,calc(100vw-2rem))] rounded-xl border border-line bg-surface p-0 text-ink shadow-lg backdrop:bg-black/40"
    >
      <Card
        title={<span id="drilldown-title">{title}</span>}
        lead={lead}
        className="border-0 shadow-none"
      >
        <div className="space-y-4 text-sm">
          {list.isError ? (
            <ErrorNotice error={list.error} onRetry={() => void list.refetch()} />
          ) : !list.data ? (
            <SkeletonRows rows={4} />
          ) : total === 0 ? (
            <p className="text-muted">{t('drilldown.empty')}</p>
          ) : (
            <>
              <p className="text-muted" data-testid="drilldown-total">
                {t('drilldown.showing', {
                  from: fmt.number(first + 1),
                  to: fmt.number(Math.min(first + DRILLDOWN_PAGE_SIZE, total)),
                  total: fmt.number(total),
                })}
              </p>
              <ul className="max-h-72 divide-y divide-line overflow-y-auto rounded-md border border-line">
                {list.data.customers.map((c) => {
                  const d = byId.get(c.id)
                  const name = d?.erased
                    ? t('customers.erased')
                    : d?.name || d?.email || c.external_id || `#${c.id}`
                  return (
                    <li key={c.id} className="flex items-center justify-between gap-3 px-3 py-2">
                      <div className="min-w-0">
                        {c.external_id ? (
                          <Link
                            to={`/customers/${encodeURIComponent(c.external_id)}`}
                            className="font-medium text-brand-text hover:underline"
                          >
                            {name}
                          </Link>
                        ) : (
                          <span className="text-muted">{name}</span>
                        )}
                        {name !== c.external_id && (
                          <div className="truncate font-mono text-xs text-muted">
                            {c.external_id}
                          </div>
                        )}
                      </div>
                      {d && (
                        <span className="tabular shrink-0 text-xs text-muted">
                          {t('drilldown.orders', {
                            orders: fmt.number(d.orders),
                            spend: fmt.money(d.total_spend, details.data?.currency ?? 'EUR'),
                          })}
                        </span>
                      )}
                    </li>
                  )
                })}
              </ul>
              {pages > 1 && (
                <nav
                  aria-label={t('drilldown.pages')}
                  className="flex items-center justify-between gap-2"
                >
                  <Button
                    variant="secondary"
                    size="sm"
                    disabled={page <= 1}
                    onClick={() => setPage((p) => p - 1)}
                  >
                    {t('drilldown.previous')}
                  </Button>
                  <span className="tabular text-muted">
                    {t('drilldown.page', { page: fmt.number(page), pages: fmt.number(pages) })}
                  </span>
                  <Button
                    variant="secondary"
                    size="sm"
                    disabled={page >= pages}
                    onClick={() => setPage((p) => p + 1)}
                  >
                    {t('drilldown.next')}
                  </Button>
                </nav>
              )}
            </>
          )}
          <div className="flex flex-wrap justify-end gap-2">
            {total > 0 && (
              <a
                href={drilldownCsvUrl(source)}
                download
                className="inline-flex h-10 items-center rounded-md px-4 font-medium text-brand-text hover:bg-subtle"
              >
                {t('drilldown.csv')}
              </a>
            )}
            <Button variant="secondary" onClick={() => ref.current?.close()} autoFocus>
              {t('common.close')}
            </Button>
          </div>
        </div>
      </Card>
    </dialog>
  )
}
