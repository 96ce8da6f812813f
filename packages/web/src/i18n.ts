/** Every interface string, in Italian and English. Components never hard-code text. */
export const MESSAGES = {
  it: {
    tagline: 'Chi resta, chi se ne va, perché, e quanto vale ogni cliente.',
    status: 'Stato del servizio',
    ready: 'pronto',
    notReady: 'non pronto',
    database: 'Database',
    apiDocs: 'Documentazione API',
    comingSoon: 'La dashboard è in costruzione: intanto i dati entrano dalle API e dalla riga di comando.',
    language: 'Lingua',
  },
  en: {
    tagline: 'Who stays, who leaves, why, and what each customer is worth.',
    status: 'Service status',
    ready: 'ready',
    notReady: 'not ready',
    database: 'Database',
    apiDocs: 'API reference',
    comingSoon: 'The dashboard is being built: meanwhile data comes in through the API and the command line.',
    language: 'Language',
  },
} as const

export type Locale = keyof typeof MESSAGES
export type MessageKey = keyof (typeof MESSAGES)['en']

export function initialLocale(): Locale {
  const saved = localStorage.getItem('fedele.locale')
  if (saved === 'it' || saved === 'en') return saved
  return navigator.language.toLowerCase().startsWith('it') ? 'it' : 'en'
}
