import { useState, type FormEvent } from 'react'
import { Badge, Card } from '../../components/ui/card.tsx'
import { Button } from '../../components/ui/button.tsx'
import { ErrorNotice } from '../../components/ui/error-notice.tsx'
import { SelectField, TextField } from '../../components/ui/field.tsx'
import { SkeletonRows } from '../../components/ui/skeleton.tsx'
import { Table, td, th } from '../../components/ui/table.tsx'
import { useCurrentUser } from '../../hooks/api/session.ts'
import { useCreateUser, useUsers, type NewUser } from '../../hooks/api/users.ts'
import { useFormat } from '../../hooks/use-format.ts'
import { LOCALES, useI18n } from '../../i18n/index.tsx'
import type { Locale, Role } from '../../lib/api/types.ts'
import { MIN_PASSWORD } from '../auth/auth-screen.tsx'
import { canManage } from './can-manage.ts'

const ROLES: Role[] = ['owner', 'admin', 'analyst', 'agent']
const INVITABLE: NewUser['role'][] = ['admin', 'analyst', 'agent']

export function Component() {
  const { t } = useI18n()
  const me = useCurrentUser()
  const allowed = canManage(me.role)
  const users = useUsers(allowed)
  const fmt = useFormat()

  if (!allowed) {
    return (
      <Card title={t('settings.users.title')} id="users">
        <p className="text-sm text-muted">
          {t('settings.forbidden', { role: t(`role.${me.role}`) })}
        </p>
      </Card>
    )
  }

  return (
    <div className="space-y-6">
      <Card title={t('settings.users.title')} lead={t('settings.users.lead')} id="users">
        {users.isPending ? (
          <SkeletonRows rows={3} />
        ) : users.isError ? (
          <ErrorNotice error={users.error} onRetry={() => void users.refetch()} />
        ) : (
          <Table label={t('settings.users.title')}>
            <thead>
              <tr>
                <th scope="col" className={th}>
                  {t('settings.users.col.user')}
                </th>
                <th scope="col" className={th}>
                  {t('settings.users.col.role')}
                </th>
                <th scope="col" className={th}>
                  {t('settings.users.col.language')}
                </th>
                <th scope="col" className={th}>
                  {t('settings.users.col.lastLogin')}
                </th>
              </tr>
            </thead>
            <tbody>
              {users.data.items.map((u) => (
                <tr key={u.id}>
                  <td className={td}>
                    <p className="font-medium">
                      {u.name || u.email}
                      {u.id === me.id && (
                        <span className="ml-2 text-xs font-normal text-muted">
                          ({t('settings.users.you')})
                        </span>
                      )}
                    </p>
                    {u.name && <p className="text-xs text-muted">{u.email}</p>}
                  </td>
                  <td className={td}>
                    <Badge tone={u.role === 'owner' ? 'brand' : 'neutral'}>
                      {t(`role.${u.role}`)}
                    </Badge>
                    {u.disabled_at && (
                      <span className="ml-1">
                        <Badge tone="warn">{t('settings.users.disabled')}</Badge>
                      </span>
                    )}
                  </td>
                  <td className={td}>{u.locale ? t(`locale.${u.locale}`) : t('common.none')}</td>
                  <td className={`${td} tabular whitespace-nowrap`}>
                    {u.last_login_at ? fmt.dateTime(u.last_login_at) : t('settings.users.never')}
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
      <div className="grid items-start gap-6 lg:grid-cols-5">
        <AddUser className="lg:col-span-3" />
        <Card title={t('settings.users.roles.title')} className="lg:col-span-2" id="roles">
          <dl className="space-y-3 text-sm">
            {ROLES.map((r) => (
              <div key={r}>
                <dt className="font-medium">{t(`role.${r}`)}</dt>
                <dd className="text-muted">{t(`role.${r}.help`)}</dd>
              </div>
            ))}
          </dl>
        </Card>
      </div>
    </div>
  )
}

function AddUser({ className }: { className: string }) {
  const { t, locale } = useI18n()
  const create = useCreateUser()
  const empty = { email: '', name: '', password: '', role: 'analyst' as NewUser['role'], locale }
  const [form, setForm] = useState(empty)
  const [tried, setTried] = useState(false)
  const [added, setAdded] = useState<string | null>(null)
  const tooShort = form.password.length < MIN_PASSWORD

  const submit = (e: FormEvent) => {
    e.preventDefault()
    setTried(true)
    if (tooShort) return
    create.mutate(
      {
        email: form.email.trim(),
        password: form.password,
        name: form.name.trim() || undefined,
        role: form.role,
        locale: form.locale,
      },
      {
        onSuccess: (u) => {
          setAdded(u.email)
          setForm(empty)
          setTried(false)
        },
      },
    )
  }

  return (
    <Card
      title={t('settings.users.add.title')}
      lead={t('settings.users.add.lead')}
      className={className}
      id="add-user"
    >
      <form onSubmit={submit} className="space-y-5" noValidate>
        <div className="grid gap-5 md:grid-cols-2">
          <TextField
            label={t('auth.email')}
            type="email"
            name="email"
            autoComplete="off"
            required
            value={form.email}
            onChange={(e) => setForm({ ...form, email: e.target.value })}
          />
          <TextField
            label={t('settings.users.name')}
            name="name"
            autoComplete="off"
            optional={t('common.optional')}
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
          />
          <TextField
            label={t('auth.password')}
            type="password"
            name="password"
            autoComplete="new-password"
            required
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })}
            help={t('auth.password.help', { min: MIN_PASSWORD })}
            error={
              tried && tooShort ? t('auth.password.tooShort', { min: MIN_PASSWORD }) : undefined
            }
          />
          <SelectField
            label={t('settings.users.role')}
            name="role"
            value={form.role}
            onChange={(e) => setForm({ ...form, role: e.target.value as NewUser['role'] })}
          >
            {INVITABLE.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </SelectField>
          <SelectField
            label={t('auth.language')}
            name="locale"
            value={form.locale}
            onChange={(e) => setForm({ ...form, locale: e.target.value as Locale })}
          >
            {LOCALES.map((l) => (
              <option key={l} value={l} lang={l}>
                {t(`locale.${l}`)}
              </option>
            ))}
          </SelectField>
        </div>
        {create.isError && <ErrorNotice error={create.error} />}
        <div className="flex flex-wrap items-center gap-4">
          <Button type="submit" disabled={create.isPending}>
            {create.isPending ? t('settings.users.add.submitting') : t('settings.users.add.submit')}
          </Button>
          <p role="status" className="text-sm text-ok">
            {added && t('settings.users.add.done', { email: added })}
          </p>
        </div>
      </form>
    </Card>
  )
}
