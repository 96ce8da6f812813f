import { ButtonLink } from '../components/ui/button.tsx'
import { EmptyState } from '../components/ui/empty-state.tsx'
import { PageHeader } from '../components/ui/page-header.tsx'
import { useI18n } from '../i18n/index.tsx'

export function Component() {
  const { t } = useI18n()
  return (
    <>
      <PageHeader title={t('notFound.title')} />
      <div className="rounded-xl border border-line bg-surface">
        <EmptyState
          icon="alert"
          title={t('notFound.text')}
          actions={<ButtonLink to="/">{t('notFound.home')}</ButtonLink>}
        />
      </div>
    </>
  )
}
