/**
 * The dashboard's journeys on a real server: first run, sign-in, language, settings, API keys,
 * customers with a timeline, keyboard navigation, and axe on every screen in both themes, with a
 * screenshot of each in test-output/screenshots/. The steps run in order and share one server
 * (a fresh database costs seconds): the first one creates the owner the others sign in as.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  launchBrowser,
  newContext,
  postAsUser,
  screenshot,
  seriousViolations,
  settled,
  startServer,
  watchErrors,
  type Server,
} from './harness.ts'

const OWNER = {
  name: 'Giulia Bianchi',
  email: 'giulia@bottega.example',
  password: 'correct-horse-42',
}

let server: Server
let browser: Browser
let context: BrowserContext
let page: Page
let pageErrors: string[]

beforeAll(async () => {
  ;[server, browser] = await Promise.all([startServer(), launchBrowser()])
  context = await newContext(browser, server.url)
  page = await context.newPage()
  pageErrors = watchErrors(page)
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

async function signIn(p: Page, email = OWNER.email, password = OWNER.password) {
  await p.getByLabel('Email').fill(email)
  await p.getByLabel('Password').fill(password)
  await p.getByRole('button', { name: /^(Sign in|Accedi)$/ }).click()
}

/** Intl puts no-break spaces in money and dates; compare with plain spaces. */
const plain = (s: string | null) => (s ?? '').replace(/\s/g, ' ')

const nav = (p: Page) =>
  p.getByRole('navigation', { name: /Main navigation|Navigazione principale/ })

describe('first run and sign-in', () => {
  it('creates the owner on a new installation and opens the shell', async () => {
    await page.goto('/')
    await expect
      .poll(() => page.getByRole('heading', { name: 'Welcome to Fedele' }).isVisible())
      .toBe(true)
    await screenshot(page, 'setup-light')
    expect(await seriousViolations(page)).toEqual([])

    await page.getByLabel('Your name').fill(OWNER.name)
    await page.getByLabel('Email').fill(OWNER.email)
    await page.getByLabel('Password').fill('short')
    await page.getByLabel('Business name').fill('Bottega Bianchi')
    await page.getByRole('button', { name: 'Create the owner account' }).click()
    await expect
      .poll(() => page.getByText('The password needs at least 10 characters.').isVisible())
      .toBe(true)

    await page.getByLabel('Password').fill(OWNER.password)
    await page.getByRole('button', { name: 'Create the owner account' }).click()

    await expect
      .poll(() => page.getByRole('heading', { level: 1, name: 'Overview' }).isVisible())
      .toBe(true)
    await expect
      .poll(() => page.getByTestId('workspace-name').textContent())
      .toBe('Bottega Bianchi')
    const links = await nav(page).getByRole('link').allTextContents()
    expect(links.map((l) => l.replace(/Soon$/, ''))).toEqual([
      'Overview',
      'Retention',
      'Revenue',
      'Customers',
      'Segments',
      'Predictions',
      'Data',
      'Settings',
    ])
    const setup = await page.request.get('/api/setup')
    expect(await setup.json()).toEqual({ needs_setup: false })
    await settled(page)
    await screenshot(page, 'overview-first-run-light')

    // Before any data, screens explain what to do instead of showing an empty table.
    await nav(page).getByRole('link', { name: 'Customers' }).click()
    await expect
      .poll(() => page.getByRole('heading', { name: 'No customers yet' }).isVisible())
      .toBe(true)
    expect(await page.getByText('npx fedele demo').isVisible()).toBe(true)
    await screenshot(page, 'customers-empty-light')
    expect(await seriousViolations(page)).toEqual([])
    await page.goto('/data')
    await settled(page)
    await screenshot(page, 'data-empty-light')
    await page.goto('/')
  })

  it('signs out, shows a wrong password in words, and signs back in', async () => {
    await page.getByRole('button', { name: /User menu/ }).click()
    await page.getByRole('button', { name: 'Sign out' }).click()
    await expect
      .poll(() => page.getByRole('heading', { name: 'Sign in to Fedele' }).isVisible())
      .toBe(true)
    await screenshot(page, 'sign-in-light')

    await signIn(page, OWNER.email, 'not-the-password')
    // The server's own message, in the language sent in Accept-Language.
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('Email or password is wrong.')

    await signIn(page)
    await expect
      .poll(() => page.getByRole('heading', { level: 1, name: 'Overview' }).isVisible())
      .toBe(true)
  })
})

describe('customers', () => {
  beforeAll(async () => {
    await postAsUser(page, '/api/customers/batch', {
      records: [
        {
          external_id: 'c-anna',
          name: 'Anna Rossi',
          email: 'anna@example.it',
          country: 'IT',
          city: 'Milano',
          tags: ['vip'],
          created_at: '2024-03-01T09:00:00Z',
          consent: {
            marketing_email: { granted: true, at: '2024-03-01T09:00:00Z', source: 'checkout' },
            profiling: { granted: false },
          },
        },
        { external_id: 'c-marco', name: 'Marco Verdi', email: 'marco@example.it', country: 'IT' },
        { external_id: 'c-lena', email: 'lena@example.de', country: 'DE', city: 'Berlin' },
      ],
    })
    await postAsUser(page, '/api/orders/batch', {
      records: [
        {
          external_id: 'o-1001',
          customer_external_id: 'c-anna',
          placed_at: '2025-01-10T10:00:00+01:00',
          currency: 'EUR',
          total: 123456,
          lines: [
            {
              product_name: 'Olio extravergine',
              quantity: 3,
              unit_price: 41152,
              line_total: 123456,
            },
          ],
        },
        {
          external_id: 'o-1002',
          customer_external_id: 'c-anna',
          placed_at: '2025-03-05T18:30:00+01:00',
          currency: 'EUR',
          total: 4990,
          status: 'refunded',
          refunded_amount: 4990,
        },
        {
          external_id: 'o-2001',
          customer_external_id: 'c-marco',
          placed_at: '2025-02-01T12:00:00+01:00',
          currency: 'EUR',
          total: 2500,
        },
      ],
    })
    await postAsUser(page, '/api/tickets/batch', {
      records: [
        {
          external_id: 't-1',
          customer_external_id: 'c-anna',
          channel: 'email',
          subject: 'Bottle arrived broken',
          opened_at: '2025-03-07T09:15:00+01:00',
          status: 'resolved',
          satisfaction: 5,
        },
      ],
    })
    await postAsUser(page, '/api/survey-answers/batch', {
      records: [
        {
          external_id: 's-1',
          customer_external_id: 'c-anna',
          survey: 'nps-2025-q1',
          kind: 'nps',
          score: 9,
          comment: 'Ottimo servizio',
          answered_at: '2025-03-20T08:00:00Z',
        },
      ],
    })
    await postAsUser(page, '/api/events/batch', {
      records: [
        {
          external_id: 'e-1',
          customer_external_id: 'c-anna',
          name: 'newsletter_opened',
          occurred_at: '2025-02-14T07:00:00Z',
        },
      ],
    })
  })

  it('lists customers and opens one with its profile, consent and timeline', async () => {
    await nav(page).getByRole('link', { name: 'Customers' }).click()
    await expect
      .poll(() => page.getByRole('heading', { level: 1, name: 'Customers' }).isVisible())
      .toBe(true)
    const table = page.getByRole('table', { name: 'Customers' })
    await expect.poll(() => table.locator('tbody tr').count()).toBe(3)
    await expect.poll(() => page.getByText('1–3 of 3 customers').isVisible()).toBe(true)

    await table.getByRole('link', { name: 'Anna Rossi' }).click()
    await expect
      .poll(() => page.getByRole('heading', { level: 1, name: 'Anna Rossi' }).isVisible())
      .toBe(true)
    expect(new URL(page.url()).pathname).toBe('/customers/c-anna')
    await settled(page)

    const consent = page.getByRole('region', { name: 'Consent' })
    expect(await consent.getByText('Granted').count()).toBe(1)
    expect(await consent.getByText('Denied').count()).toBe(1)
    expect(await consent.getByText('Not recorded').count()).toBe(1)

    // Newest first, across the four histories.
    const items = await page.getByTestId('timeline').locator('li p.font-medium').allTextContents()
    expect(items).toEqual([
      'Survey: NPS answer',
      'Ticket: Bottle arrived broken',
      'Order: Order o-1002',
      'Event: newsletter_opened',
      'Order: Order o-1001',
    ])
    // Money from integer minor units, in the user's locale; the refund is net of the total.
    const timeline = await page.getByTestId('timeline').textContent()
    expect(plain(timeline)).toContain('€1,234.56')
    expect(plain(await page.getByTestId('stat-customer.stats.spent').textContent())).toBe(
      '€1,234.56',
    )
    expect(await page.getByTestId('stat-customer.stats.orders').textContent()).toBe('2')
  })

  it('pages through customers on the server, sorts by name and searches', async () => {
    await postAsUser(page, '/api/customers/batch', {
      records: Array.from({ length: 57 }, (_, i) => ({
        external_id: `c-bulk-${String(i + 1).padStart(3, '0')}`,
        name: `Cliente ${i + 1}`,
        country: 'IT',
      })),
    })
    await page.goto('/customers')
    const table = page.getByRole('table', { name: 'Customers' })
    await expect.poll(() => table.locator('tbody tr').count()).toBe(50)
    expect(await page.getByText('1–50 of 60 customers').isVisible()).toBe(true)
    await page.getByRole('button', { name: 'Next' }).click()
    await expect.poll(() => table.locator('tbody tr').count()).toBe(10)
    expect(await page.getByText('51–60 of 60 customers').isVisible()).toBe(true)
    expect(await page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true)
    // Sorting by name: the URL holds it, so the link opens the same list.
    await page.getByRole('button', { name: /^Customer/ }).click()
    await expect.poll(() => new URL(page.url()).searchParams.get('sort')).toBe('name')
    await expect
      .poll(() => table.locator('tbody tr').first().locator('a').textContent())
      .toBe('Anna Rossi')
    await page.getByRole('searchbox', { name: 'Search' }).fill('c-bulk-05')
    await expect.poll(() => table.locator('tbody tr').count()).toBe(8)
    expect(new URL(page.url()).searchParams.get('q')).toBe('c-bulk-05')
  })

  it('says a customer that does not exist was not found', async () => {
    await page.goto('/customers/nobody')
    await expect
      .poll(() => page.getByRole('heading', { level: 1, name: 'Customer not found' }).isVisible())
      .toBe(true)
  })
})

describe('CSV import', () => {
  const italianOrders = [
    'numero_ordine;data_ordine;id_cliente;cliente;totale;valuta',
    'IT-1;03/02/2025;imp-paola;Paola Neri;1.234,56;EUR',
    'IT-2;15/02/2025;imp-luca;Luca Gallo;12,50;EUR',
    'IT-3;21/03/2025;imp-paola;Paola Neri;99,90;EUR',
    'IT-4;31/02/2025;imp-luca;Luca Gallo;5,00;EUR',
  ].join('\n')
  const ambiguousOrders = [
    'order_id;date;customer_id;total;currency',
    'AM-1;01/02/2025;imp-amb-1;10,00;EUR',
    'AM-2;03/04/2025;imp-amb-2;20,00;EUR',
    'AM-3;05/05/2025;imp-amb-1;30,00;EUR',
    'AM-4;12/11/2025;imp-amb-3;40,00;EUR',
  ].join('\n')
  const importPanel = (p: Page) => p.getByTestId('import-panel')
  const count = (p: Page, id: string) => p.getByTestId(`count-${id}`).textContent()

  async function chooseFile(p: Page, name: string, text: string) {
    await p.getByLabel('File to import').setInputFiles({
      name,
      mimeType: 'text/csv',
      buffer: Buffer.from(text, 'utf8'),
    })
    await expect.poll(() => importPanel(p).getByText(name).isVisible()).toBe(true)
  }

  it('imports an Italian CSV of orders, reports the rejected row and refreshes the counts', async () => {
    await page.goto('/data')
    await settled(page)
    const customersBefore = await count(page, 'customers')
    expect(await count(page, 'orders')).toBe('3')
    await screenshot(page, 'import-form-light')
    expect(await seriousViolations(page)).toEqual([])

    await page.getByLabel('What the file contains').selectOption('orders')
    await chooseFile(page, 'ordini-italia.csv', italianOrders)
    await page.getByRole('checkbox', { name: /Import the valid rows, skip the rest/ }).check()
    await page.getByText('Options: format, dates, numbers, column mapping').click()
    await page.getByRole('button', { name: 'Add a mapping' }).click()
    expect(await page.getByTestId('map-row').count()).toBe(1)
    await page.getByRole('button', { name: 'Remove mapping 1' }).click()
    await screenshot(page, 'import-options-light')
    await page.getByRole('button', { name: 'Import', exact: true }).click()
    // The progress view is usually gone within a second on a file this small: capture it if seen.
    await page
      .getByTestId('import-progress')
      .waitFor({ timeout: 3000 })
      .then(() => screenshot(page, 'import-progress-light'))
      .catch(() => undefined)

    const report = page.getByTestId('import-report')
    await expect.poll(() => report.isVisible(), { timeout: 60_000 }).toBe(true)
    expect(await report.getByText('Import complete').isVisible()).toBe(true)
    expect(await page.getByTestId('import-count-inserted').textContent()).toBe('3')
    expect(await page.getByTestId('import-count-rejected').textContent()).toBe('1')
    const rejects = page.getByRole('table', { name: 'Rejected rows' })
    expect(await rejects.locator('tbody tr').count()).toBe(1)
    expect(await rejects.locator('tbody td').first().textContent()).toBe('5')
    await screenshot(page, 'import-report-light')
    expect(await seriousViolations(page)).toEqual([])

    // The data queries were invalidated: the tiles count the new orders and customers.
    await expect.poll(() => count(page, 'orders')).toBe('6')
    await expect.poll(() => count(page, 'customers')).toBe(String(Number(customersBefore) + 2))
    await page.goto('/customers/imp-paola')
    await settled(page)
    expect(plain(await page.getByTestId('stat-customer.stats.spent').textContent())).toBe(
      '€1,334.46',
    )
  })

  it('explains an ambiguous date order and succeeds once the date format is chosen', async () => {
    await page.goto('/data')
    await settled(page)
    // Dropped on the drop zone rather than picked.
    const dropped = await page.evaluateHandle((text) => {
      const data = new DataTransfer()
      data.items.add(new File([text], 'ambigue.csv', { type: 'text/csv' }))
      return data
    }, ambiguousOrders)
    await page.getByTestId('import-drop').dispatchEvent('drop', { dataTransfer: dropped })
    await expect.poll(() => importPanel(page).getByText('ambigue.csv').isVisible()).toBe(true)
    await page.getByRole('button', { name: 'Import', exact: true }).click()
    const failed = page.getByTestId('import-failed')
    await expect.poll(() => failed.isVisible(), { timeout: 60_000 }).toBe(true)
    expect(await page.getByTestId('date-hint').isVisible()).toBe(true)
    await screenshot(page, 'import-failed-date-light')
    expect(await seriousViolations(page)).toEqual([])

    await page.getByRole('button', { name: 'Try again with these options' }).click()
    // Same file, options open at the date format.
    expect(await importPanel(page).getByText('ambigue.csv').isVisible()).toBe(true)
    await page.getByLabel('Date format').selectOption('dd/mm/yyyy')
    await page.getByRole('button', { name: 'Import', exact: true }).click()
    await expect
      .poll(() => page.getByTestId('import-report').isVisible(), { timeout: 60_000 })
      .toBe(true)
    expect(await page.getByTestId('import-count-inserted').textContent()).toBe('4')
    await expect.poll(() => count(page, 'orders')).toBe('10')
    const res = await page.request.get('/api/orders/AM-1')
    expect(((await res.json()) as { placed_at: string }).placed_at).toMatch(/^2025-0(1-31|2-01)/)
    await page.getByRole('button', { name: 'Import another file' }).click()
    expect(await importPanel(page).getByText('Choose a file or drag it here').isVisible()).toBe(
      true,
    )
  })
})

describe('overview KPIs', () => {
  beforeAll(async () => {
    const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString()
    await postAsUser(page, '/api/customers/batch', {
      records: [
        { external_id: 'k-1', name: 'Sara Conti', created_at: daysAgo(90) },
        { external_id: 'k-2', name: 'Piero Galli', created_at: daysAgo(80) },
      ],
    })
    await postAsUser(page, '/api/orders/batch', {
      records: [
        {
          external_id: 'k-o1',
          customer_external_id: 'k-1',
          placed_at: daysAgo(20),
          currency: 'EUR',
          total: 5000,
        },
        {
          external_id: 'k-o2',
          customer_external_id: 'k-1',
          placed_at: daysAgo(5),
          currency: 'EUR',
          total: 7000,
        },
        {
          external_id: 'k-o3',
          customer_external_id: 'k-2',
          placed_at: daysAgo(10),
          currency: 'EUR',
          total: 3000,
        },
      ],
    })
    await postAsUser(page, '/api/survey-answers/batch', {
      records: [
        {
          external_id: 'k-s1',
          customer_external_id: 'k-1',
          survey: 'nps-now',
          kind: 'nps',
          score: 10,
          answered_at: daysAgo(3),
        },
        {
          external_id: 'k-s2',
          customer_external_id: 'k-2',
          survey: 'nps-now',
          kind: 'nps',
          score: 6,
          answered_at: daysAgo(2),
        },
      ],
    })
  })

  it('shows KPI cards with numbers and explains one with its formula and inputs', async () => {
    await page.goto('/')
    await settled(page)
    const cards = page.getByTestId('kpi-cards')
    await expect.poll(() => cards.isVisible()).toBe(true)
    const repeat = page.getByTestId('kpi-repeat_purchase_rate')
    await expect.poll(() => repeat.getByTestId('kpi-value').textContent()).toMatch(/\d.*%/)
    expect(await page.getByTestId('kpi-nps').getByTestId('kpi-value').textContent()).toMatch(/\d/)
    // A metric the data cannot define says why instead of showing a number.
    expect(await page.getByTestId('kpi-csat').getByTestId('kpi-undefined').textContent()).toMatch(
      /^Not enough data: /,
    )
    await screenshot(page, 'overview-kpis-light')
    expect(await seriousViolations(page)).toEqual([])

    await repeat.click()
    const dialog = page.getByRole('dialog')
    await expect.poll(() => dialog.isVisible()).toBe(true)
    expect(await dialog.getByTestId('kpi-formula').textContent()).toMatch(/\S/)
    expect(await dialog.getByText('Inputs').isVisible()).toBe(true)
    await screenshot(page, 'overview-kpi-explain-light')
    expect(await seriousViolations(page)).toEqual([])
    await dialog.getByRole('button', { name: 'Close' }).click()
    await expect.poll(() => dialog.isVisible()).toBe(false)
  })
})

describe('language', () => {
  it('switches to Italian: strings, money, dates, server errors, and remembers it', async () => {
    await page.goto('/customers/c-anna')
    await settled(page)
    await page
      .getByRole('group', { name: 'Language' })
      .getByRole('button', { name: /Italiano/ })
      .click()

    await expect.poll(() => nav(page).getByRole('link', { name: 'Clienti' }).isVisible()).toBe(true)
    expect(await page.getByRole('heading', { level: 2, name: 'Cronologia' }).isVisible()).toBe(true)
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('it')
    await expect
      .poll(async () => plain(await page.getByTestId('stat-customer.stats.spent').textContent()))
      .toBe('1.234,56 €')
    expect(plain(await page.getByTestId('timeline').textContent())).toMatch(/10 gen 2025/)

    // Saved on the user, so it follows them to another browser.
    await expect
      .poll(
        async () =>
          ((await (await page.request.get('/api/auth/me')).json()) as { user: { locale: string } })
            .user.locale,
      )
      .toBe('it')
    const other = await newContext(browser, server.url, { locale: 'en-GB' })
    try {
      const p2 = await other.newPage()
      await p2.goto('/')
      await signIn(p2)
      await expect
        .poll(() => p2.getByRole('heading', { level: 1, name: 'Panoramica' }).isVisible())
        .toBe(true)
    } finally {
      await other.close()
    }

    // The server's validation message comes back in Italian too.
    await page.goto('/settings')
    await settled(page)
    await page.getByLabel('Finestra di attività (giorni)').fill('0')
    await page.getByRole('button', { name: 'Salva le modifiche' }).click()
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('La richiesta non è valida')
    await screenshot(page, 'settings-error-it-light')

    await page
      .getByRole('group', { name: 'Lingua' })
      .getByRole('button', { name: /English/ })
      .click()
    await expect
      .poll(() => nav(page).getByRole('link', { name: 'Customers' }).isVisible())
      .toBe(true)
    // The failed save is not repeated on its own; its message was from the server, in Italian.
    await page.reload()
    await settled(page)
  })
})

describe('settings', () => {
  it('saves workspace settings', async () => {
    await page.goto('/settings')
    await settled(page)
    await page.getByLabel('Business name').fill('Bottega Bianchi & Figli')
    await page.getByLabel('Time zone').selectOption('Europe/London')
    await page.getByLabel('Reporting currency').selectOption('CHF')
    await page.getByLabel('Business model').selectOption('both')
    await page.getByLabel('Activity window (days)').fill('180')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await expect.poll(() => page.getByText('Changes saved.').isVisible()).toBe(true)
    await expect
      .poll(() => page.getByTestId('workspace-name').textContent())
      .toBe('Bottega Bianchi & Figli')

    const saved = await (await page.request.get('/api/settings')).json()
    expect(saved).toMatchObject({
      name: 'Bottega Bianchi & Figli',
      time_zone: 'Europe/London',
      reporting_currency: 'CHF',
      business_model: 'both',
      activity_window_days: 180,
    })
    await page.reload()
    await settled(page)
    expect(await page.getByLabel('Time zone').inputValue()).toBe('Europe/London')
  })

  it('adds a user with a role', async () => {
    await page
      .getByRole('navigation', { name: 'Settings sections' })
      .getByRole('link', { name: 'Users and roles' })
      .click()
    await settled(page)
    await page.getByLabel('Email').fill('marta@bottega.example')
    await page.getByLabel(/^Name/).fill('Marta Neri')
    await page.getByLabel('Password').fill('another-long-pass')
    await page.getByRole('combobox', { name: 'Role', exact: true }).selectOption('agent')
    await page.getByRole('button', { name: 'Add user' }).click()
    await expect
      .poll(() => page.getByText('marta@bottega.example can now sign in.').isVisible())
      .toBe(true)
    const table = page.getByRole('table', { name: 'Users and roles' })
    await expect.poll(() => table.locator('tbody tr').count()).toBe(2)
    expect(await table.textContent()).toContain('Agent')
  })

  it('shows an agent what their role may not change', async () => {
    const other = await newContext(browser, server.url)
    try {
      const p = await other.newPage()
      await p.goto('/settings')
      await signIn(p, 'marta@bottega.example', 'another-long-pass')
      await expect
        .poll(() => p.getByRole('heading', { level: 1, name: 'Settings' }).isVisible())
        .toBe(true)
      await settled(p)
      const notice = 'Your role (Agent) cannot change this. Ask an owner or an administrator.'
      expect(await p.getByText(notice).isVisible()).toBe(true)
      expect(await p.getByLabel('Business name').isDisabled()).toBe(true)
      expect(await p.getByRole('button', { name: 'Save changes' }).count()).toBe(0)
      await p.getByRole('link', { name: 'API keys' }).click()
      await expect.poll(() => p.getByText(notice).isVisible()).toBe(true)
      expect(await p.getByRole('button', { name: 'Create key' }).count()).toBe(0)
    } finally {
      await other.close()
    }
  })

  it('creates an API key, shows its secret once, and the key works', async () => {
    await page
      .getByRole('navigation', { name: 'Settings sections' })
      .getByRole('link', { name: 'API keys' })
      .click()
    await settled(page)
    await page.getByLabel('Name', { exact: true }).fill('Shop')
    await page.getByRole('checkbox', { name: /^write/ }).check()
    await page.getByRole('button', { name: 'Create key' }).click()

    const panel = page.getByTestId('new-key')
    await expect.poll(() => panel.isVisible()).toBe(true)
    expect(await panel.textContent()).toContain('This is the only time the key is shown')
    const secret = await page.getByLabel('New API key').inputValue()
    expect(secret).toMatch(/^fdl_/)
    await panel.getByRole('button', { name: 'Copy' }).click()
    await expect.poll(() => panel.getByRole('button', { name: 'Copied' }).isVisible()).toBe(true)
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret)
    await screenshot(page, 'settings-api-key-created-light')

    await panel.getByRole('button', { name: 'I have stored the key' }).click()
    await expect.poll(() => panel.count()).toBe(0)
    const table = page.getByRole('table', { name: 'API keys' })
    await expect.poll(() => table.getByText('Shop').isVisible()).toBe(true)
    expect(await page.content()).not.toContain(secret)
    await page.reload()
    await settled(page)
    expect(await page.content()).not.toContain(secret)

    // The key is real: it reads data with a bearer header.
    const read = () =>
      fetch(`${server.url}/api/customers?limit=1`, {
        headers: { authorization: `Bearer ${secret}` },
      })
    expect((await read()).status).toBe(200)

    // Revoking asks first, then the key stops working at once.
    await table.getByRole('button', { name: 'Revoke' }).click()
    await table.getByRole('button', { name: 'Yes, revoke' }).click()
    await expect.poll(() => table.getByText(/^Revoked /).isVisible()).toBe(true)
    expect((await read()).status).toBe(401)
  })
})

describe('keyboard and theme', () => {
  it('moves through the sidebar with Tab and the arrow keys and opens a screen with Enter', async () => {
    await page.goto('/')
    await settled(page)
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content')
    await page.keyboard.press('Tab')
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('title'))
    expect(await focused()).toBe('Overview')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    expect(await focused()).toBe('Customers')
    await page.keyboard.press('End')
    expect(await focused()).toBe('Settings')
    await page.keyboard.press('ArrowDown')
    expect(await focused()).toBe('Overview')
    await page.keyboard.press('ArrowUp')
    await page.keyboard.press('ArrowUp')
    expect(await focused()).toBe('Data')
    await page.keyboard.press('Enter')
    await expect.poll(() => new URL(page.url()).pathname).toBe('/data')
    // Focus moves to the new screen's heading, so it is announced and Tab continues from there.
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Data')
  })

  it('toggles the theme and keeps it across reloads', async () => {
    const isDark = () => page.evaluate(() => document.documentElement.classList.contains('dark'))
    expect(await isDark()).toBe(false)
    await page.getByRole('button', { name: /^Theme: System theme/ }).click()
    expect(await isDark()).toBe(false)
    await page.getByRole('button', { name: /^Theme: Light theme/ }).click()
    expect(await isDark()).toBe(true)
    await page.reload()
    await settled(page)
    expect(await isDark()).toBe(true)
    await page.getByRole('button', { name: /^Theme: Dark theme/ }).click()
    expect(await isDark()).toBe(false)
  })
})

const SCREENS = [
  ['overview', '/'],
  ['retention', '/retention'],
  ['revenue', '/revenue'],
  ['customers', '/customers'],
  ['customer', '/customers/c-anna'],
  ['segments', '/segments'],
  ['predictions', '/predictions'],
  ['data', '/data'],
  ['settings-workspace', '/settings'],
  ['settings-users', '/settings/users'],
  ['settings-api-keys', '/settings/api-keys'],
  ['not-found', '/no-such-page'],
] as const

describe('every screen', () => {
  it('has no serious accessibility violation in the light and the dark theme', async () => {
    const found: string[] = []
    for (const dark of [false, true]) {
      // The system preference decides: the theme toggle was left on "system".
      await page.emulateMedia({ colorScheme: dark ? 'dark' : 'light' })
      for (const [name, path] of SCREENS) {
        await page.goto(path)
        await settled(page)
        expect(await page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(
          dark,
        )
        await screenshot(page, `${name}-${dark ? 'dark' : 'light'}`)
        for (const v of await seriousViolations(page))
          found.push(`${path} (${dark ? 'dark' : 'light'}): ${v}`)
      }
    }
    await page.emulateMedia({ colorScheme: 'light' })
    expect(found).toEqual([])
  })

  it('is usable at tablet width (768 px) without horizontal scrolling of the page', async () => {
    const tablet = await newContext(browser, server.url, { width: 768 })
    try {
      const p = await tablet.newPage()
      const errors = watchErrors(p)
      await p.goto('/')
      await signIn(p)
      await expect
        .poll(() => p.getByRole('heading', { level: 1, name: 'Overview' }).isVisible())
        .toBe(true)
      for (const [name, path] of SCREENS) {
        await p.goto(path)
        await settled(p)
        const overflow = await p.evaluate(
          () => document.documentElement.scrollWidth - window.innerWidth,
        )
        expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0)
        await screenshot(p, `${name}-768`)
      }
      expect(await seriousViolations(p)).toEqual([])
      expect(errors).toEqual([])
    } finally {
      await tablet.close()
    }
  })

  it('threw no uncaught error in the page during the journeys', () => {
    expect(pageErrors).toEqual([])
  })
})
