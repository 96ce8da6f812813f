import { useState, type FormEvent } from 'react'
import { Button } from '../../components/ui/button.tsx'
import { ErrorNotice } from '../../components/ui/error-notice.tsx'
import { SelectField, TextField } from '../../components/ui/field.tsx'
import { SkeletonRows } from '../../components/ui/skeleton.tsx'
import { LOCALES, useI18n } from '../../i18n/index.tsx'
import { useSetupOwner, useSetupStatus, useSignIn } from '../../hooks/api/session.ts'
import type { Locale } from '../../lib/api/types.ts'
import { LanguageSwitch } from '../../components/layout/language-switch.tsx'
import { ThemeToggle } from '../../components/layout/theme-toggle.tsx'

/** Same rule as the server (MIN_PASSWORD_LENGTH); checked here only to answer before a round trip. */
export const MIN_PASSWORD = 10

/**
 * Shown instead of the dashboard while nobody is signed in: the first-run form on a new
 * installation, the sign-in form otherwise. The URL is kept, so after signing in the user lands
 * on the page they asked for.
 */
export function AuthScreen() {
  const { t } = useI18n()
  const status = useSetupStatus()
  return (
    <div className="flex min-h-screen flex-col">
      <div className="flex justify-end gap-2 p-4">
        <LanguageSwitch />
        <ThemeToggle />
      </div>
      <main className="flex flex-1 items-start justify-center px-4 pt-4 pb-16 sm:pt-12">
        <div className="w-full max-w-md">
          <div className="mb-6 flex items-center gap-3">
            <span
              aria-hidden="true"
              className="grid size-10 place-items-center rounded-xl bg-brand text-lg font-bold text-brand-ink"
            >
              F
            </span>
            <div>
              <p className="text-lg font-semibold">{t('app.name')}</p>
              <p className="text-sm text-muted">{t('app.tagline')}</p>
            </div>
          </div>
          <div className="rounded-xl border border-line bg-surface p-6 shadow-sm sm:p-8">
            {status.isPending ? (
              <>
                <h1 className="sr-only">{t('auth.checking')}</h1>
                <SkeletonRows rows={3} />
              </>
            ) : status.isError ? (
              <ErrorNotice error={status.error} onRetry={() => void status.refetch()} />
            ) : status.data.needs_setup ? (
              <SetupForm />
            ) : (
              <SignInForm />
            )}
          </div>
        </div>
      </main>
    </div>
  )
}

function SignInForm() {
  const { t } = useI18n()
  const signIn = useSignIn()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const submit = (e: FormEvent) => {
    e.preventDefault()
    signIn.mutate({ email: email.trim(), password })
  }
  return (
    <form onSubmit={submit} className="space-y-5" noValidate>
      <div>
        <h1 className="text-xl font-semibold">{t('auth.signIn.title')}</h1>
        <p className="mt-1 text-sm text-muted">{t('auth.signIn.lead')}</p>
      </div>
      {signIn.isError && <ErrorNotice error={signIn.error} />}
      <TextField
        label={t('auth.email')}
        type="email"
        name="email"
        autoComplete="username"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
      />
      <TextField
        label={t('auth.password')}
        type="password"
        name="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      <Button type="submit" className="w-full" disabled={signIn.isPending}>
        {signIn.isPending ? t('auth.signIn.submitting') : t('auth.signIn.submit')}
      </Button>
    </form>
  )
}

function SetupForm() {
  const { t, locale, setLocale } = useI18n()
  const setup = useSetupOwner()
  const [email, setEmail] = useState('')
  const [name, setName] = useState('')
  const [password, setPassword] = useState('')
  const [workspace, setWorkspace] = useState('')
  const [tried, setTried] = useState(false)
  const tooShort = password.length < MIN_PASSWORD

  const submit = (e: FormEvent) => {
    e.preventDefault()
    setTried(true)
    if (tooShort) return
    setup.mutate({
      email: email.trim(),
      password,
      name: name.trim() || undefined,
      workspace_name: workspace.trim() || undefined,
      locale,
    })
  }

  return (
    <form onSubmit={submit} className="space-y-5" noValidate>
      <div>
        <h1 className="text-xl font-semibold">{t('auth.setup.title')}</h1>
        <p className="mt-1 text-sm text-muted">{t('auth.setup.lead')}</p>
      </div>
      {setup.isError && <ErrorNotice error={setup.error} />}
      <TextField
        label={t('auth.name')}
        name="name"
        autoComplete="name"
        value={name}
        onChange={(e) => setName(e.target.value)}
      />
      <TextField
        label={t('auth.email')}
        type="email"
        name="email"
        autoComplete="email"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
      />
      <TextField
        label={t('auth.password')}
        type="password"
        name="password"
        autoComplete="new-password"
        required
        minLength={MIN_PASSWORD}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        help={t('auth.password.help', { min: MIN_PASSWORD })}
        error={tried && tooShort ? t('auth.password.tooShort', { min: MIN_PASSWORD }) : undefined}
      />
      <TextField
        label={t('auth.workspaceName')}
        name="workspace_name"
        autoComplete="organization"
        value={workspace}
        onChange={(e) => setWorkspace(e.target.value)}
        help={t('auth.workspaceName.help')}
      />
      <SelectField
        label={t('auth.language')}
        name="locale"
        value={locale}
        onChange={(e) => setLocale(e.target.value as Locale)}
      >
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {t(`locale.${l}`)}
          </option>
        ))}
      </SelectField>
      <Button type="submit" className="w-full" disabled={setup.isPending}>
        {setup.isPending ? t('auth.setup.submitting') : t('auth.setup.submit')}
      </Button>
    </form>
  )
}
