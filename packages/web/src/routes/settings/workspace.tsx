import { useMemo, useState, type FormEvent } from 'react'
import { Button } from '../../components/ui/button.tsx'
import { Card } from '../../components/ui/card.tsx'
import { ErrorNotice } from '../../components/ui/error-notice.tsx'
import { SelectField, TextField } from '../../components/ui/field.tsx'
import { Icon } from '../../components/ui/icons.tsx'
import { SkeletonRows } from '../../components/ui/skeleton.tsx'
import { useCurrentUser } from '../../hooks/api/session.ts'
import { useSettings, useUpdateSettings } from '../../hooks/api/settings.ts'
import { useFormat } from '../../hooks/use-format.ts'
import { LOCALES, useI18n } from '../../i18n/index.tsx'
import type { BusinessModel, WorkspaceSettings } from '../../lib/api/types.ts'
import { canManage } from './can-manage.ts'

const MODELS: BusinessModel[] = ['orders', 'subscriptions', 'both']
/** Offered first in the currency list; every ISO code the browser knows follows. */
const COMMON_CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF']

function timeZones(current: string): string[] {
  // Engines list canonical zones only (no "UTC" in some); keep the saved value selectable.
  const zones = Intl.supportedValuesOf('timeZone')
  return zones.includes(current) ? zones : [current, ...zones]
}

function currencies(current: string): string[] {
  const all = Intl.supportedValuesOf('currency')
  const rest = all.filter((c) => !COMMON_CURRENCIES.includes(c))
  const list = [...COMMON_CURRENCIES, ...rest]
  return list.includes(current) ? list : [current, ...list]
}

export function Component() {
  const { t } = useI18n()
  const settings = useSettings()
  return (
    <Card title={t('settings.workspace.title')} lead={t('settings.workspace.lead')} id="workspace">
      {settings.isPending ? (
        <SkeletonRows rows={4} />
      ) : settings.isError ? (
        <ErrorNotice error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        <WorkspaceForm saved={settings.data} />
      )}
    </Card>
  )
}

function WorkspaceForm({ saved }: { saved: WorkspaceSettings }) {
  const { t } = useI18n()
  const fmt = useFormat()
  const user = useCurrentUser()
  const editable = canManage(user.role)
  const update = useUpdateSettings()
  const [draft, setDraft] = useState<WorkspaceSettings>(saved)
  const [note, setNote] = useState<'saved' | 'unchanged' | null>(null)
  const zones = useMemo(() => timeZones(saved.time_zone), [saved.time_zone])
  const codes = useMemo(() => currencies(saved.reporting_currency), [saved.reporting_currency])

  const set = <K extends keyof WorkspaceSettings>(k: K, v: WorkspaceSettings[K]) => {
    setNote(null)
    setDraft((d) => ({ ...d, [k]: v }))
  }

  const submit = (e: FormEvent) => {
    e.preventDefault()
    // Send only what changed: PATCH semantics, and a smaller chance of overwriting a colleague.
    const patch: Partial<WorkspaceSettings> = {}
    for (const k of Object.keys(draft) as (keyof WorkspaceSettings)[]) {
      if (draft[k] !== saved[k]) Object.assign(patch, { [k]: draft[k] })
    }
    if (Object.keys(patch).length === 0) {
      setNote('unchanged')
      return
    }
    update.mutate(patch, { onSuccess: () => setNote('saved') })
  }

  return (
    <form onSubmit={submit} className="space-y-6" noValidate>
      {!editable && (
        <p className="rounded-lg bg-info-soft px-4 py-3 text-sm text-info">
          {t('settings.forbidden', { role: t(`role.${user.role}`) })}
        </p>
      )}
      <fieldset disabled={!editable || update.isPending} className="grid gap-5 md:grid-cols-2">
        <TextField
          label={t('settings.workspace.name')}
          name="name"
          required
          maxLength={200}
          value={draft.name}
          onChange={(e) => set('name', e.target.value)}
        />
        <SelectField
          label={t('settings.workspace.timeZone')}
          name="time_zone"
          value={draft.time_zone}
          onChange={(e) => set('time_zone', e.target.value)}
          help={t('settings.workspace.timeZone.help')}
        >
          {zones.map((z) => (
            <option key={z} value={z}>
              {z.replaceAll('_', ' ')}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('settings.workspace.currency')}
          name="reporting_currency"
          value={draft.reporting_currency}
          onChange={(e) => set('reporting_currency', e.target.value)}
          help={t('settings.workspace.currency.help')}
        >
          {codes.map((c) => (
            <option key={c} value={c}>
              {c} — {fmt.currencyName(c)}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('settings.workspace.businessModel')}
          name="business_model"
          value={draft.business_model}
          onChange={(e) => set('business_model', e.target.value as BusinessModel)}
        >
          {MODELS.map((m) => (
            <option key={m} value={m}>
              {t(`settings.workspace.businessModel.${m}`)}
            </option>
          ))}
        </SelectField>
        <TextField
          label={t('settings.workspace.activityWindow')}
          name="activity_window_days"
          type="number"
          inputMode="numeric"
          min={1}
          max={3650}
          step={1}
          value={Number.isNaN(draft.activity_window_days) ? '' : draft.activity_window_days}
          onChange={(e) => set('activity_window_days', e.target.valueAsNumber)}
          help={t('settings.workspace.activityWindow.help')}
        />
        <SelectField
          label={t('settings.workspace.defaultLocale')}
          name="default_locale"
          value={draft.default_locale}
          onChange={(e) =>
            set('default_locale', e.target.value as WorkspaceSettings['default_locale'])
          }
          help={t('settings.workspace.defaultLocale.help')}
        >
          {LOCALES.map((l) => (
            <option key={l} value={l} lang={l}>
              {t(`locale.${l}`)}
            </option>
          ))}
        </SelectField>
      </fieldset>
      {update.isError && <ErrorNotice error={update.error} />}
      {editable && (
        <div className="flex flex-wrap items-center gap-4 border-t border-line pt-5">
          <Button type="submit" disabled={update.isPending}>
            {update.isPending ? t('common.saving') : t('common.save')}
          </Button>
          <p role="status" className="text-sm">
            {note === 'saved' && (
              <span className="inline-flex items-center gap-1 text-ok">
                <Icon name="check" className="size-4" />
                {t('common.saved')}
              </span>
            )}
            {note === 'unchanged' && (
              <span className="text-muted">{t('settings.workspace.unchanged')}</span>
            )}
          </p>
        </div>
      )}
    </form>
  )
}
