/**
 * Predictions on a real server over the demo business: the empty screen offers the first run,
 * the refresh job is followed to the end, the screen shows the fitted model, the holdout check,
 * the risk distribution and the churn model's validation; a customer at high risk shows the
 * reasons on their page, in English and in Italian. axe in both themes; screenshots in
 * test-output/screenshots/.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  launchBrowser,
  newContext,
  runFedele,
  screenshot,
  seriousViolations,
  settled,
  startServer,
  watchErrors,
  type Server,
} from './harness.ts'

let server: Server
let browser: Browser
let context: BrowserContext
let page: Page
let pageErrors: string[]

const OWNER = { email: 'giulia@bottega.example', password: 'correct-horse-42', name: 'Giulia' }

beforeAll(async () => {
  ;[server, browser] = await Promise.all([
    startServer({
      // The demo business, without predictions: the screen must offer the first run itself.
      prepare: async (dir) => {
        await runFedele([
          'demo',
          '--no-serve',
          '--customers',
          '1500',
          '--seed',
          '11',
          '--data',
          dir,
        ])
      },
      env: { FEDELE_PREDICTIONS_INTERVAL_HOURS: '0' },
    }),
    launchBrowser(),
  ])
  context = await newContext(browser, server.url)
  page = await context.newPage()
  pageErrors = watchErrors(page)
  const setup = await page.request.post('/api/setup', { data: OWNER })
  expect(setup.status()).toBe(201)
  // /api/setup signs the owner in: the context holds the session cookie from here on.
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

describe('predictions', () => {
  it('offers the first run, follows the job and shows the models', async () => {
    await page.goto('/predictions')
    await expect
      .poll(() => page.getByRole('heading', { name: 'No predictions yet' }).isVisible())
      .toBe(true)
    await screenshot(page, 'predictions-empty')
    expect(await seriousViolations(page)).toEqual([])

    await page.getByRole('button', { name: 'Refresh predictions' }).click()
    await expect
      .poll(() => page.getByRole('heading', { name: 'Customer-base model' }).isVisible(), {
        timeout: 180_000,
      })
      .toBe(true)
    await settled(page)

    // The figures on the screen are the server's: the same counts, formatted for people.
    const summary = (await (await page.request.get('/api/predictions/summary')).json()) as {
      customers: number
      runs: { clv: { parameters: { params?: Record<string, number> } } | null }
    }
    expect(summary.customers).toBeGreaterThan(500)
    const scored = page.getByText('Customers scored').locator('..')
    await expect
      .poll(() => scored.textContent())
      .toContain(summary.customers.toLocaleString('en-GB'))
    // The demo has years of orders: the model is fitted, not the formula fallback.
    expect(summary.runs.clv?.parameters.params).toBeDefined()
    await expect.poll(() => page.getByText('Model CLV').first().isVisible()).toBe(true)
    for (const name of ['Calibration vs holdout', 'Churn risk', 'Churn model', 'Value tiers']) {
      await expect
        .poll(() => page.getByRole('heading', { name, exact: true }).isVisible())
        .toBe(true)
    }
    await expect
      .poll(() => page.getByRole('img', { name: 'Calibration curve' }).isVisible())
      .toBe(true)
    await screenshot(page, 'predictions-light')
    expect(await seriousViolations(page)).toEqual([])

    // The high-risk count opens the customer list filtered to the same band: the same total.
    const hist = (await (await page.request.get('/api/predictions/summary')).json()) as {
      risk_histogram: { from: number; customers: number }[]
    }
    const high = hist.risk_histogram
      .filter((b) => b.from >= 0.7 - 1e-9)
      .reduce((n, b) => n + b.customers, 0)
    expect(high).toBeGreaterThan(0)
    await page.getByRole('link', { name: 'Open these customers' }).click()
    await expect.poll(() => new URL(page.url()).searchParams.get('risk')).toBe('high')
    await expect
      .poll(() => page.getByTestId('customers-total').textContent())
      .toContain(`of ${high.toLocaleString('en-GB')} customers`)
  })

  it('shows a risky customer’s reasons on their page, in English and Italian', async () => {
    const list = (await (await page.request.get('/api/customers?limit=200')).json()) as {
      items: { external_id: string }[]
    }
    let risky: { id: string; reasons: { en: string; it: string }[] } | undefined
    for (const c of list.items) {
      const p = (await (
        await page.request.get(`/api/customers/${c.external_id}/predictions`)
      ).json()) as {
        latest: { churn_risk: number | null; churn_reasons: { en: string; it: string }[] } | null
      }
      if (p.latest && (p.latest.churn_risk ?? 0) >= 0.7 && p.latest.churn_reasons.length > 0) {
        risky = { id: c.external_id, reasons: p.latest.churn_reasons }
        break
      }
    }
    expect(risky, 'a demo customer at high risk with reasons').toBeDefined()
    await page.goto(`/customers/${risky!.id}`)
    await expect
      .poll(() => page.getByRole('heading', { name: 'Predictions' }).isVisible())
      .toBe(true)
    await expect.poll(() => page.getByText(risky!.reasons[0]!.en).isVisible()).toBe(true)
    await expect.poll(() => page.getByText('High', { exact: true }).isVisible()).toBe(true)
    await settled(page)
    await screenshot(page, 'customer-predictions-light')
    expect(await seriousViolations(page)).toEqual([])

    await page.getByRole('button', { name: /Italiano/ }).click()
    await expect
      .poll(() => page.getByRole('heading', { name: 'Previsioni' }).isVisible())
      .toBe(true)
    await expect.poll(() => page.getByText(risky!.reasons[0]!.it).isVisible()).toBe(true)
    await screenshot(page, 'customer-predictions-it')
  })

  it('reads in Italian and in the dark theme', async () => {
    const dark = await newContext(browser, server.url, { dark: true, locale: 'it-IT' })
    const p = await dark.newPage()
    const errors = watchErrors(p)
    const login = await p.request.post('/api/auth/login', {
      data: { email: OWNER.email, password: OWNER.password },
    })
    expect(login.status()).toBe(200)
    await p.goto('/predictions')
    await expect
      .poll(() => p.getByRole('heading', { name: 'Modello della base clienti' }).isVisible())
      .toBe(true)
    await settled(p)
    await screenshot(p, 'predictions-dark-it')
    expect(await seriousViolations(p)).toEqual([])
    expect(errors).toEqual([])
    await dark.close()
    expect(pageErrors).toEqual([])
  })
})
