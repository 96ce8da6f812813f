import { PlannedScreen } from '../../components/planned-screen.tsx'
import { PageHeader } from '../../components/ui/page-header.tsx'
import { KpiCards } from './kpis.tsx'
import { Card } from '../../components/ui/card.tsx'
import { ButtonLink } from '../../components/ui/button.tsx'
import { Icon } from '../../components/ui/icons.tsx'
import { Skeleton } from '../../components/ui/skeleton.tsx'
import { useApiKeys } from '../../hooks/api/api-keys.ts'
import { useCustomers } from '../../hooks/api/customers.ts'
import { useCurrentUser } from '../../hooks/api/session.ts'
import { useSettings } from '../../hooks/api/settings.ts'
import { useI18n } from '../../i18n/index.tsx'

/**
 * Once customers exist, the KPI cards of the last 30 days (with the checklist below while a step
 * is left); before any data, the getting-started checklist above the description of the KPIs.
 */
export function Component() {
  const { t } = useI18n()
  const customers = useCustomers({ limit: 1 })
  if (customers.isPending || (customers.data?.items.length ?? 0) === 0)
    return (
      <PlannedScreen screen="overview" icon="overview" sketch="bars">
        <GettingStarted />
      </PlannedScreen>
    )
  return (
    <>
      <PageHeader title={t('overview.title')} lead={t('overview.lead')} />
      <KpiCards />
      <GettingStarted />
    </>
  )
}

function GettingStarted() {
  const { t } = useI18n()
  const user = useCurrentUser()
  const canManageKeys = user.role === 'owner' || user.role === 'admin'
  const settings = useSettings()
  const customers = useCustomers({ limit: 1 })
  const keys = useApiKeys(canManageKeys)

  const steps = [
    {
      id: 'workspace',
      title: t('overview.start.workspace'),
      pending: settings.isPending,
      done: Boolean(settings.data),
      text: settings.data ? t('overview.start.workspace.done', { name: settings.data.name }) : '',
      to: '/settings',
    },
    {
      id: 'data',
      title: t('overview.start.data'),
      pending: customers.isPending,
      done: (customers.data?.items.length ?? 0) > 0,
      text:
        (customers.data?.items.length ?? 0) > 0
          ? t('overview.start.data.done')
          : t('overview.start.data.todo'),
      to: '/data',
    },
    ...(canManageKeys
      ? [
          {
            id: 'key',
            title: t('overview.start.key'),
            pending: keys.isPending,
            done: (keys.data?.items ?? []).some((k) => !k.revoked_at),
            text: (keys.data?.items ?? []).some((k) => !k.revoked_at)
              ? t('overview.start.key.done')
              : t('overview.start.key.todo'),
            to: '/settings/api-keys',
          },
        ]
      : []),
  ]

  return (
    <Card title={t('overview.start.title')} className="mb-6" id="getting-started">
      <ol className="divide-y divide-line">
        {steps.map((s, i) => (
          <li key={s.id} className="flex items-center gap-4 py-3 first:pt-0 last:pb-0">
            <span
              className={`grid size-8 shrink-0 place-items-center rounded-full text-sm font-semibold ${
                s.done ? 'bg-ok-soft text-ok' : 'bg-subtle text-muted'
              }`}
            >
              {s.done ? <Icon name="check" className="size-4" /> : i + 1}
            </span>
            <div className="min-w-0 flex-1">
              <p className="font-medium">
                {s.title}
                <span className="sr-only">
                  {' '}
                  ({s.done ? t('overview.start.done') : t('overview.start.todo')})
                </span>
              </p>
              {s.pending ? (
                <Skeleton className="mt-1 h-3.5 w-1/2" />
              ) : (
                <p className="text-sm text-muted">{s.text}</p>
              )}
            </div>
            {!s.pending && !s.done && (
              <ButtonLink to={s.to} variant="secondary" size="sm">
                {t('overview.start.go')}
              </ButtonLink>
            )}
          </li>
        ))}
      </ol>
    </Card>
  )
}
