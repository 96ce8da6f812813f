import { useRef, useState, type FormEvent } from 'react'
import { Badge, Card } from '../../components/ui/card.tsx'
import { Button } from '../../components/ui/button.tsx'
import { ErrorNotice } from '../../components/ui/error-notice.tsx'
import { TextField } from '../../components/ui/field.tsx'
import { Icon } from '../../components/ui/icons.tsx'
import { SkeletonRows } from '../../components/ui/skeleton.tsx'
import { Table, td, th } from '../../components/ui/table.tsx'
import { useApiKeys, useCreateApiKey, useRevokeApiKey } from '../../hooks/api/api-keys.ts'
import { useCurrentUser } from '../../hooks/api/session.ts'
import { useFormat } from '../../hooks/use-format.ts'
import { useI18n } from '../../i18n/index.tsx'
import type { ApiKey, ApiKeyScope, CreatedApiKey } from '../../lib/api/types.ts'
import { canManage } from './can-manage.ts'

const SCOPES: ApiKeyScope[] = ['ingest', 'read', 'write']

export function Component() {
  const { t } = useI18n()
  const me = useCurrentUser()
  const allowed = canManage(me.role)
  const keys = useApiKeys(allowed)
  // The secret lives only here, in memory, until the user dismisses it: never cached or stored.
  const [created, setCreated] = useState<CreatedApiKey | null>(null)

  if (!allowed) {
    return (
      <Card title={t('settings.keys.title')} id="api-keys">
        <p className="text-sm text-muted">
          {t('settings.forbidden', { role: t(`role.${me.role}`) })}
        </p>
      </Card>
    )
  }

  return (
    <div className="space-y-6">
      {created && <NewSecret created={created} onDone={() => setCreated(null)} />}
      <Card title={t('settings.keys.title')} lead={t('settings.keys.lead')} id="api-keys">
        {keys.isPending ? (
          <SkeletonRows rows={3} />
        ) : keys.isError ? (
          <ErrorNotice error={keys.error} onRetry={() => void keys.refetch()} />
        ) : keys.data.items.length === 0 ? (
          <p className="text-sm text-muted">{t('settings.keys.empty')}</p>
        ) : (
          <Table label={t('settings.keys.title')}>
            <thead>
              <tr>
                <th scope="col" className={th}>
                  {t('settings.keys.col.name')}
                </th>
                <th scope="col" className={th}>
                  {t('settings.keys.col.prefix')}
                </th>
                <th scope="col" className={th}>
                  {t('settings.keys.col.scopes')}
                </th>
                <th scope="col" className={th}>
                  {t('settings.keys.col.lastUsed')}
                </th>
                <th scope="col" className={th}>
                  <span className="sr-only">{t('settings.keys.col.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.data.items.map((k) => (
                <KeyRow key={k.id} apiKey={k} />
              ))}
            </tbody>
          </Table>
        )}
      </Card>
      <CreateKey onCreated={setCreated} />
    </div>
  )
}

function KeyRow({ apiKey: k }: { apiKey: ApiKey }) {
  const { t } = useI18n()
  const fmt = useFormat()
  const revoke = useRevokeApiKey()
  const [confirming, setConfirming] = useState(false)
  return (
    <tr className={k.revoked_at ? 'text-muted' : undefined}>
      <td className={td}>
        <p className="font-medium">{k.name}</p>
        {k.revoked_at && (
          <Badge tone="warn">{t('settings.keys.revoked', { date: fmt.date(k.revoked_at) })}</Badge>
        )}
        <p className="text-xs whitespace-nowrap text-muted">
          {t('settings.keys.col.created')}: {fmt.date(k.created_at)}
        </p>
      </td>
      <td className={`${td} font-mono text-xs whitespace-nowrap`}>fdl_{k.prefix}_…</td>
      <td className={td}>
        <span className="flex flex-wrap gap-1">
          {k.scopes.map((s) => (
            <Badge key={s}>{s}</Badge>
          ))}
        </span>
      </td>
      <td className={`${td} tabular whitespace-nowrap`}>
        {k.last_used_at ? fmt.dateTime(k.last_used_at) : t('settings.keys.neverUsed')}
      </td>
      <td className={`${td} text-right`}>
        {k.revoked_at ? null : confirming ? (
          <div className="flex flex-col items-end gap-2" role="group">
            <p className="max-w-56 text-left text-xs">
              {t('settings.keys.revoke.confirm', { name: k.name })}
            </p>
            <div className="flex gap-2">
              <Button size="sm" variant="ghost" onClick={() => setConfirming(false)}>
                {t('common.cancel')}
              </Button>
              <Button
                size="sm"
                variant="danger"
                disabled={revoke.isPending}
                onClick={() => revoke.mutate(k.id)}
              >
                {t('settings.keys.revoke.yes')}
              </Button>
            </div>
            {revoke.isError && <ErrorNotice error={revoke.error} />}
          </div>
        ) : (
          <Button size="sm" variant="danger" onClick={() => setConfirming(true)}>
            {t('settings.keys.revoke')}
          </Button>
        )}
      </td>
    </tr>
  )
}

function CreateKey({ onCreated }: { onCreated: (k: CreatedApiKey) => void }) {
  const { t } = useI18n()
  const create = useCreateApiKey()
  const [name, setName] = useState('')
  const [scopes, setScopes] = useState<ApiKeyScope[]>(['ingest'])
  const [tried, setTried] = useState(false)

  const submit = (e: FormEvent) => {
    e.preventDefault()
    setTried(true)
    if (scopes.length === 0 || !name.trim()) return
    create.mutate(
      { name: name.trim(), scopes },
      {
        onSuccess: (k) => {
          onCreated(k)
          // Drop the answer (and its secret) from the mutation's memory as well.
          create.reset()
          setName('')
          setTried(false)
        },
      },
    )
  }

  return (
    <Card title={t('settings.keys.create.title')} id="create-key">
      <form onSubmit={submit} className="space-y-5" noValidate>
        <div className="max-w-md">
          <TextField
            label={t('settings.keys.name')}
            name="key_name"
            required
            maxLength={100}
            value={name}
            onChange={(e) => setName(e.target.value)}
            help={t('settings.keys.name.help')}
          />
        </div>
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">{t('settings.keys.scopes')}</legend>
          {SCOPES.map((s) => (
            <label key={s} className="flex items-start gap-2 text-sm">
              <input
                type="checkbox"
                name="scopes"
                value={s}
                className="mt-0.5 size-4 accent-(--color-brand)"
                checked={scopes.includes(s)}
                onChange={(e) =>
                  setScopes((cur) => (e.target.checked ? [...cur, s] : cur.filter((x) => x !== s)))
                }
              />
              <span>{t(`settings.keys.scope.${s}`)}</span>
            </label>
          ))}
          {tried && scopes.length === 0 && (
            <p className="text-xs font-medium text-danger">{t('settings.keys.scopes.required')}</p>
          )}
        </fieldset>
        {create.isError && <ErrorNotice error={create.error} />}
        <Button type="submit" disabled={create.isPending}>
          <Icon name="key" className="size-4" />
          {create.isPending
            ? t('settings.keys.create.submitting')
            : t('settings.keys.create.submit')}
        </Button>
      </form>
    </Card>
  )
}

function NewSecret({ created, onDone }: { created: CreatedApiKey; onDone: () => void }) {
  const { t } = useI18n()
  const [copied, setCopied] = useState(false)
  const input = useRef<HTMLInputElement>(null)

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.key)
      setCopied(true)
    } catch {
      // Clipboard refused (no permission, insecure origin): select the text for Ctrl+C instead.
      input.current?.select()
    }
  }

  return (
    <section
      role="alert"
      aria-labelledby="new-key-title"
      className="rounded-xl border-2 border-warn/60 bg-warn-soft p-5"
      data-testid="new-key"
    >
      <h2 id="new-key-title" className="flex items-center gap-2 font-semibold">
        <Icon name="alert" className="size-5 text-warn" />
        {t('settings.keys.secret.title', { name: created.name })}
      </h2>
      <p className="mt-1 text-sm">{t('settings.keys.secret.warning')}</p>
      <div className="mt-4 flex flex-wrap gap-2">
        <label htmlFor="new-key-secret" className="sr-only">
          {t('settings.keys.secret.label')}
        </label>
        <input
          ref={input}
          id="new-key-secret"
          readOnly
          value={created.key}
          onFocus={(e) => e.currentTarget.select()}
          className="h-10 min-w-0 flex-1 rounded-md border border-line-strong bg-surface px-3 font-mono text-sm leading-10"
        />
        <Button variant="secondary" onClick={() => void copy()}>
          <Icon name={copied ? 'check' : 'copy'} className="size-4" />
          {copied ? t('common.copied') : t('common.copy')}
        </Button>
        <Button onClick={onDone}>{t('settings.keys.secret.done')}</Button>
      </div>
    </section>
  )
}
