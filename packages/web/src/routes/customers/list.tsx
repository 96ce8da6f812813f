/**
 * Customers: search, filter, sort and page on the server (GET /api/search/customers). The state
 * lives in the URL, so a segment or a KPI can link to a filtered list and the back button works.
 */
import { riskTone } from '../../components/predictions/customer-predictions.tsx'
import { useEffect, useState, type FormEvent } from 'react'
import { Link, useSearchParams } from 'react-router'
import { DemoHint } from '../../components/planned-screen.tsx'
import { Button, ButtonLink } from '../../components/ui/button.tsx'
import { Badge, Card } from '../../components/ui/card.tsx'
import { EmptyState } from '../../components/ui/empty-state.tsx'
import { ErrorNotice } from '../../components/ui/error-notice.tsx'
import { SelectField, TextField } from '../../components/ui/field.tsx'
import { PageHeader } from '../../components/ui/page-header.tsx'
import { SkeletonRows } from '../../components/ui/skeleton.tsx'
import { Table, td, th } from '../../components/ui/table.tsx'
import { useCustomerSearch, type CustomerHit } from '../../hooks/api/customer-search.ts'
import { useSavedSegments, useSegmentCatalog } from '../../hooks/api/segments.ts'
import { useSettings } from '../../hooks/api/settings.ts'
import { useFormat } from '../../hooks/use-format.ts'
import { useI18n, type MessageKey } from '../../i18n/index.tsx'
import { currencyDigits } from '../../lib/format.ts'
import { apiQuery, FILTER_KEYS, type SortKey } from './search-params.ts'

const PAGE_SIZE = 50

export function Component() {
  const { t } = useI18n()
  const fmt = useFormat()
  const [params, setParams] = useSearchParams()
  const [text, setText] = useState(params.get('q') ?? '')
  const update = (changes: Record<string, string | null>, keepPage = false) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev)
        for (const [k, v] of Object.entries(changes)) {
          if (v === null || v === '') next.delete(k)
          else next.set(k, v)
        }
        if (!keepPage) next.delete('page')
        return next
      },
      { replace: true },
    )

  // Typing searches after a pause, not on every key.
  useEffect(() => {
    const id = setTimeout(() => {
      if ((params.get('q') ?? '') !== text.trim()) update({ q: text.trim() })
    }, 300)
    return () => clearTimeout(id)
  }, [text])

  const settings = useSettings()
  const digits = currencyDigits(settings.data?.reporting_currency ?? 'EUR')
  const search = useCustomerSearch(apiQuery(params, PAGE_SIZE, digits))
  const data = search.data
  const currency = data?.currency ?? 'EUR'
  const page = Number(params.get('page') ?? '1') || 1
  const sort = (params.get('sort') ?? 'last_order') as SortKey
  const dir = params.get('dir') === 'asc' ? 'asc' : 'desc'
  const filtered = FILTER_KEYS.some((k) => params.get(k))
  const valueLabel = useFilterValueLabel(params.get('segment'))

  const sortBy = (key: SortKey) =>
    update({
      sort: key,
      dir: key === sort ? (dir === 'asc' ? 'desc' : 'asc') : key === 'name' ? 'asc' : 'desc',
    })

  return (
    <>
      <PageHeader title={t('customers.title')} lead={t('customers.search.lead')} />
      <Card className="mb-4">
        <div className="space-y-4">
          <TextField
            label={t('customers.search.q')}
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={t('customers.search.qPlaceholder')}
          />
          <Filters
            params={params}
            currency={currency}
            predictions={data?.predictions ?? false}
            onApply={(changes) => update(changes)}
          />
          {filtered && (
            <div className="flex flex-wrap items-center gap-2 text-sm">
              <span className="text-muted">{t('customers.filter.active')}</span>
              {FILTER_KEYS.filter((k) => params.get(k)).map((k) => (
                <button
                  key={k}
                  type="button"
                  onClick={() => update({ [k]: null })}
                  className="rounded-full border border-line bg-subtle px-2 py-0.5 hover:border-danger"
                  aria-label={t('customers.filter.remove', {
                    filter: `${t(`customers.filter.${k}` as MessageKey)}: ${valueLabel(k, params.get(k) ?? '')}`,
                  })}
                >
                  {t(`customers.filter.${k}` as MessageKey)}: {valueLabel(k, params.get(k) ?? '')} ✕
                </button>
              ))}
              <Button
                variant="ghost"
                size="sm"
                onClick={() => {
                  setText('')
                  update(Object.fromEntries(FILTER_KEYS.map((k) => [k, null])))
                }}
              >
                {t('customers.filter.clear')}
              </Button>
            </div>
          )}
        </div>
      </Card>
      <Card>
        {search.isError ? (
          <ErrorNotice error={search.error} onRetry={() => void search.refetch()} />
        ) : !data ? (
          <SkeletonRows rows={8} />
        ) : data.total === 0 && !filtered && !params.get('q') ? (
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
        ) : data.total === 0 ? (
          <p className="py-6 text-center text-muted" role="status">
            {t('customers.search.none')}
          </p>
        ) : (
          <>
            <Table label={t('customers.title')} aria-busy={search.isFetching}>
              <thead>
                <tr>
                  <SortHeader
                    id="name"
                    label={t('customers.col.customer')}
                    sort={sort}
                    dir={dir}
                    onSort={sortBy}
                  />
                  <th scope="col" className={th}>
                    {t('customers.col.location')}
                  </th>
                  <SortHeader
                    id="last_order"
                    label={t('customers.col.lastOrder')}
                    sort={sort}
                    dir={dir}
                    onSort={sortBy}
                  />
                  <SortHeader
                    id="orders"
                    label={t('customers.col.orders')}
                    sort={sort}
                    dir={dir}
                    onSort={sortBy}
                    numeric
                  />
                  <SortHeader
                    id="total_spend"
                    label={t('customers.col.spend')}
                    sort={sort}
                    dir={dir}
                    onSort={sortBy}
                    numeric
                  />
                  {data.predictions && (
                    <>
                      <SortHeader
                        id="churn_risk"
                        label={t('customers.col.risk')}
                        sort={sort}
                        dir={dir}
                        onSort={sortBy}
                        numeric
                      />
                      <SortHeader
                        id="clv"
                        label={t('customers.col.clv')}
                        sort={sort}
                        dir={dir}
                        onSort={sortBy}
                        numeric
                      />
                    </>
                  )}
                </tr>
              </thead>
              <tbody>
                {data.items.map((c) => (
                  <CustomerRow
                    key={c.id}
                    customer={c}
                    currency={currency}
                    predictions={data.predictions}
                  />
                ))}
              </tbody>
            </Table>
            <nav
              aria-label={t('drilldown.pages')}
              className="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm text-muted"
            >
              <p aria-live="polite" data-testid="customers-total">
                {t('drilldown.showing', {
                  from: fmt.number((page - 1) * PAGE_SIZE + 1),
                  to: fmt.number(Math.min(page * PAGE_SIZE, data.total)),
                  total: fmt.number(data.total),
                })}
                {data.search_capped && ` · ${t('customers.search.capped')}`}
              </p>
              <div className="flex gap-2">
                <Button
                  variant="secondary"
                  size="sm"
                  disabled={page <= 1}
                  onClick={() => update({ page: String(page - 1) }, true)}
                >
                  {t('drilldown.previous')}
                </Button>
                <Button
                  variant="secondary"
                  size="sm"
                  disabled={page * PAGE_SIZE >= data.total}
                  onClick={() => update({ page: String(page + 1) }, true)}
                >
                  {t('drilldown.next')}
                </Button>
              </div>
            </nav>
          </>
        )}
      </Card>
    </>
  )
}

function SortHeader({
  id,
  label,
  sort,
  dir,
  onSort,
  numeric = false,
}: {
  id: SortKey
  label: string
  sort: SortKey
  dir: 'asc' | 'desc'
  onSort: (k: SortKey) => void
  numeric?: boolean
}) {
  const active = sort === id
  return (
    <th
      scope="col"
      className={`${th} ${numeric ? 'text-right' : ''}`}
      aria-sort={active ? (dir === 'asc' ? 'ascending' : 'descending') : 'none'}
    >
      <button
        type="button"
        onClick={() => onSort(id)}
        className={`inline-flex items-center gap-1 uppercase hover:text-ink ${active ? 'text-ink' : ''}`}
      >
        {label}
        <span aria-hidden="true">{active ? (dir === 'asc' ? '▲' : '▼') : '↕'}</span>
      </button>
    </th>
  )
}

/**
 * How an active filter reads on its chip: a segment by its name (`segment:12` is a saved segment,
 * `rfm_segment:champions` an RFM segment, `country:IT` a country), other filters as given. The
 * names are fetched only while such a filter is on; until they arrive the raw value shows.
 */
function useFilterValueLabel(segment: string | null) {
  const { locale } = useI18n()
  const fmt = useFormat()
  const kind = segment?.slice(0, segment.indexOf(':')) ?? null
  const catalog = useSegmentCatalog(kind === 'rfm_segment')
  const saved = useSavedSegments(kind === 'segment')
  return (key: string, value: string): string => {
    if (key !== 'segment') return value
    const colon = value.indexOf(':')
    const id = value.slice(colon + 1)
    switch (value.slice(0, colon)) {
      case 'segment':
        return saved.data?.segments.find((s) => String(s.id) === id)?.name ?? value
      case 'rfm_segment':
        return catalog.data?.rfm_segments.find((s) => s.id === id)?.name[locale] ?? value
      case 'country':
        return fmt.regionName(id)
      default:
        return value
    }
  }
}

function Filters({
  params,
  currency,
  predictions,
  onApply,
}: {
  params: URLSearchParams
  currency: string
  predictions: boolean
  onApply: (changes: Record<string, string | null>) => void
}) {
  const { t } = useI18n()
  const [open, setOpen] = useState(false)
  const digits = currencyDigits(currency)
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const form = new FormData(e.currentTarget)
    const get = (k: string) => {
      const v = form.get(k)
      return typeof v === 'string' ? v.trim() : ''
    }
    onApply({
      tags: get('tags')
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
        .join('|'),
      last_order_from: get('last_order_from'),
      last_order_to: get('last_order_to'),
      spend_min: get('spend_min'),
      spend_max: get('spend_max'),
      risk: get('risk'),
      clv_min: get('clv_min'),
    })
  }
  const step = digits > 0 ? `0.${'0'.repeat(digits - 1)}1` : '1'
  return (
    <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className="cursor-pointer text-sm font-medium text-brand-text">
        {t('customers.filter.title')}
      </summary>
      <form
        onSubmit={submit}
        className="mt-3 grid gap-4 sm:grid-cols-2 lg:grid-cols-4"
        key={params.toString()}
      >
        <TextField
          label={t('customers.filter.tags')}
          name="tags"
          defaultValue={(params.get('tags') ?? '').split('|').join(', ')}
          help={t('customers.filter.tagsHelp')}
        />
        <TextField
          label={t('customers.filter.last_order_from')}
          name="last_order_from"
          type="date"
          defaultValue={params.get('last_order_from') ?? ''}
        />
        <TextField
          label={t('customers.filter.last_order_to')}
          name="last_order_to"
          type="date"
          defaultValue={params.get('last_order_to') ?? ''}
        />
        <div className="grid grid-cols-2 gap-2">
          <TextField
            label={t('customers.filter.spend_min')}
            name="spend_min"
            type="number"
            min="0"
            step={step}
            defaultValue={params.get('spend_min') ?? ''}
          />
          <TextField
            label={t('customers.filter.spend_max')}
            name="spend_max"
            type="number"
            min="0"
            step={step}
            defaultValue={params.get('spend_max') ?? ''}
          />
        </div>
        {predictions && (
          <>
            <SelectField
              label={t('customers.filter.risk')}
              name="risk"
              defaultValue={params.get('risk') ?? ''}
            >
              <option value="">{t('customers.filter.any')}</option>
              <option value="high">{t('customers.risk.high')}</option>
              <option value="medium|high">{t('customers.risk.mediumHigh')}</option>
              <option value="medium">{t('customers.risk.medium')}</option>
              <option value="low">{t('customers.risk.low')}</option>
            </SelectField>
            <TextField
              label={t('customers.filter.clv_min')}
              name="clv_min"
              type="number"
              min="0"
              step={step}
              defaultValue={params.get('clv_min') ?? ''}
            />
          </>
        )}
        <div className="flex items-end gap-2 sm:col-span-2 lg:col-span-4">
          <Button type="submit">{t('customers.filter.apply')}</Button>
        </div>
      </form>
    </details>
  )
}

function CustomerRow({
  customer: c,
  currency,
  predictions,
}: {
  customer: CustomerHit
  currency: string
  predictions: boolean
}) {
  const { t } = useI18n()
  const fmt = useFormat()
  const place = [c.city, c.country ? fmt.regionName(c.country) : null].filter(Boolean).join(', ')
  const pct = (v: number) =>
    new Intl.NumberFormat(fmt.tag, { style: 'percent', maximumFractionDigits: 0 }).format(v)
  const label = c.erased
    ? t('customers.erased')
    : c.name || c.email || c.external_id || t('customers.unnamed')
  return (
    <tr className="hover:bg-subtle/60">
      <td className={td}>
        {c.external_id ? (
          <Link
            to={`/customers/${encodeURIComponent(c.external_id)}`}
            className="font-medium text-brand-text hover:underline"
          >
            {label}
          </Link>
        ) : (
          label
        )}
        <div className="font-mono text-xs text-muted">
          {c.name && c.email ? c.email : c.external_id}
        </div>
        {c.tags.length > 0 && (
          <div className="mt-1 flex flex-wrap gap-1">
            {c.tags.map((tag) => (
              <Badge key={tag}>{tag}</Badge>
            ))}
          </div>
        )}
      </td>
      <td className={td}>{place || t('common.none')}</td>
      <td className={`${td} tabular whitespace-nowrap`}>
        {c.last_order_at ? fmt.date(c.last_order_at) : t('common.none')}
      </td>
      <td className={`${td} tabular text-right`}>{fmt.number(c.orders)}</td>
      <td className={`${td} tabular text-right whitespace-nowrap`}>
        {fmt.money(c.total_spend, currency)}
      </td>
      {predictions && (
        <>
          <td className={`${td} text-right`}>
            {c.churn_risk === null ? (
              t('common.none')
            ) : (
              <Badge tone={riskTone(c.churn_risk)}>{pct(c.churn_risk)}</Badge>
            )}
          </td>
          <td className={`${td} tabular text-right whitespace-nowrap`}>
            {c.clv === null ? t('common.none') : fmt.money(c.clv, currency)}
          </td>
        </>
      )}
    </tr>
  )
}
