import { StrictMode, useEffect, useState } from 'react'
import { createRoot } from 'react-dom/client'
import { MESSAGES, initialLocale, type Locale, type MessageKey } from './i18n.ts'
import './styles.css'

type Ready = { status: 'ready'; database: string } | { error: { message: string } }

function App() {
  const [locale, setLocale] = useState<Locale>(initialLocale)
  const [ready, setReady] = useState<Ready | undefined>()
  const t = (key: MessageKey) => MESSAGES[locale][key]

  useEffect(() => {
    document.documentElement.lang = locale
    localStorage.setItem('fedele.locale', locale)
  }, [locale])
  useEffect(() => {
    fetch('/api/ready', { headers: { 'accept-language': locale } })
      .then((r) => r.json() as Promise<Ready>)
      .then(setReady)
      .catch((e: unknown) => setReady({ error: { message: String(e) } }))
  }, [locale])

  return (
    <main className="shell">
      <header>
        <h1>Fedele</h1>
        <label>
          {t('language')}{' '}
          <select value={locale} onChange={(e) => setLocale(e.target.value as Locale)}>
            <option value="it">Italiano</option>
            <option value="en">English</option>
          </select>
        </label>
      </header>
      <p className="tagline">{t('tagline')}</p>
      <section className="card" aria-live="polite">
        <h2>{t('status')}</h2>
        {ready === undefined ? (
          <p className="skeleton">…</p>
        ) : 'status' in ready ? (
          <p>
            <span className="ok">●</span> {t('ready')} · {t('database')}: {ready.database}
          </p>
        ) : (
          <p>
            <span className="bad">●</span> {t('notReady')}: {ready.error.message}
          </p>
        )}
      </section>
      <p>{t('comingSoon')}</p>
      <p>
        <a href="/api/docs">{t('apiDocs')}</a>
      </p>
    </main>
  )
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
