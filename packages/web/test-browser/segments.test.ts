/**
 * The Segments screen on a real server: the RFM grid and its named segments over customers sent
 * through the API, a custom segment built with the builder (live count checked against the data
 * the test sent), saved, edited, opened as a customer list link and deleted; axe in both themes
 * and in Italian, with screenshots in test-output/screenshots/.
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

let server: Server
let browser: Browser
let context: BrowserContext
let page: Page
let pageErrors: string[]

const DAY = 86_400_000
const daysAgo = (d: number) => new Date(Date.now() - d * DAY).toISOString()

/** 40 customers: customer i has (i % 6) orders of 20 € × (1 + i % 4), the last one i × 9 days ago. */
const CUSTOMERS = Array.from({ length: 40 }, (_, i) => ({
  external_id: `s-${i}`,
  name: `Cliente ${i}`,
  region: i % 3 === 0 ? 'Lombardia' : 'Lazio',
  tags: i % 5 === 0 ? ['vip'] : [],
  created_at: daysAgo(400),
}))
const ORDERS = CUSTOMERS.flatMap((c, i) =>
  Array.from({ length: i % 6 }, (_, k) => ({
    external_id: `s-${i}-o${k}`,
    customer_external_id: c.external_id,
    placed_at: daysAgo(i * 9 + k * 30),
    currency: 'EUR',
    total: 2000 * (1 + (i % 4)),
  })),
)
const ordersOf = (i: number) => i % 6

beforeAll(async () => {
  ;[server, browser] = await Promise.all([startServer(), launchBrowser()])
  context = await newContext(browser, server.url)
  page = await context.newPage()
  pageErrors = watchErrors(page)
  const setup = await page.request.post('/api/setup', {
    data: { email: 'giulia@bottega.example', password: 'correct-horse-42', name: 'Giulia' },
  })
  expect(setup.status()).toBe(201)
  await postAsUser(page, '/api/customers/batch', { records: CUSTOMERS })
  await postAsUser(page, '/api/orders/batch', { records: ORDERS })
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

describe('segments screen', () => {
  it('shows the RFM grid with counts and value, and the named segments', async () => {
    await page.goto('/segments')
    await settled(page)
    const grid = page.getByTestId('rfm-grid')
    await expect.poll(() => grid.isVisible()).toBe(true)
    // 25 cells, and their customers add up to everyone with an order.
    const cells = grid.locator('tbody button')
    expect(await cells.count()).toBe(25)
    const buyers = CUSTOMERS.filter((_, i) => ordersOf(i) > 0).length
    const counts = await grid.locator('tbody [data-count]').allTextContents()
    expect(counts.reduce((a, s) => a + Number(s.replace(/\D/g, '')), 0)).toBe(buyers)
    // Cells carry value in euros.
    expect(await grid.locator('tbody button').first().textContent()).toMatch(/€/)
    const champions = page.locator('tr[data-segment="champions"]')
    expect(
      await champions
        .getByRole('link', { name: /Open customers of Champions/ })
        .getAttribute('href'),
    ).toBe('/customers?segment=rfm_segment:champions')
    await screenshot(page, 'segments-light')
    expect(await seriousViolations(page)).toEqual([])
    // Selecting a cell highlights its segment.
    await cells.first().click()
    expect(await cells.first().getAttribute('aria-pressed')).toBe('true')
  })

  it('builds a segment with a live count, saves, edits and deletes it', async () => {
    await page.getByRole('button', { name: 'New segment' }).click()
    const form = page.getByRole('form', { name: 'New segment' })
    await expect.poll(() => form.isVisible()).toBe(true)
    await form.getByLabel('Field').first().selectOption({ label: 'Orders' })
    await form.getByLabel('Operator').first().selectOption({ label: 'at least' })
    await form.getByLabel('Value', { exact: true }).first().fill('3')
    const expected = CUSTOMERS.filter((_, i) => ordersOf(i) >= 3).length
    const live = page.getByTestId('segment-live-count')
    await expect
      .poll(async () => (await live.textContent()) ?? '')
      .toMatch(new RegExp(`^${expected} customers match`))
    // A second condition inside an "any of" group: region Lombardia or tag vip.
    await form.getByRole('button', { name: 'Add group' }).click()
    const group = form.locator('fieldset fieldset').first()
    await group.getByLabel('Field').first().selectOption({ label: 'Region' })
    await group.getByLabel('Value', { exact: true }).first().fill('Lombardia')
    await group.getByRole('button', { name: 'Add condition' }).click()
    await group.getByLabel('Field').nth(1).selectOption({ label: 'Tag' })
    await group.getByLabel('Tag', { exact: true }).fill('vip')
    const both = CUSTOMERS.filter(
      (c, i) => ordersOf(i) >= 3 && (c.region === 'Lombardia' || c.tags.includes('vip')),
    ).length
    await expect
      .poll(async () => (await live.textContent()) ?? '')
      .toMatch(new RegExp(`^${both} customers match`))
    await screenshot(page, 'segments-builder-light')
    expect(await seriousViolations(page)).toEqual([])

    // Saving without a name says so; with one, the segment is listed.
    await form.getByRole('button', { name: 'Save segment' }).click()
    await expect.poll(() => form.getByText('Give the segment a name.').isVisible()).toBe(true)
    await form.getByLabel('Name', { exact: true }).fill('Frequent in the north')
    await form.getByRole('button', { name: 'Save segment' }).click()
    const row = page.locator('tr[data-saved-segment="Frequent in the north"]')
    await expect.poll(() => row.isVisible()).toBe(true)
    await expect.poll(() => form.isVisible()).toBe(false)
    const link = row.getByRole('link', { name: 'Open customers of Frequent in the north' })
    expect(await link.getAttribute('href')).toMatch(/^\/customers\?segment=segment:\d+$/)
    // The customer list opens filtered by the segment.
    await link.click()
    await expect
      .poll(async () => (await page.getByTestId('customers-total').textContent()) ?? '')
      .toMatch(new RegExp(`of ${both} customers`))
    // The filter chip names the segment, not its id.
    await expect
      .poll(() => page.getByRole('button', { name: /^Remove filter/ }).first().textContent())
      .toMatch(/Frequent in the north/)
    await screenshot(page, 'segments-open-customers')
    await page.goBack()
    await expect.poll(() => row.isVisible()).toBe(true)

    // Edit: the builder opens with the saved rule; change the threshold to 5 orders.
    await row.getByRole('button', { name: 'Edit' }).click()
    const edit = page.getByRole('form', { name: 'Edit segment' })
    await expect.poll(() => edit.isVisible()).toBe(true)
    expect(await edit.getByLabel('Value', { exact: true }).first().inputValue()).toBe('3')
    await edit.getByLabel('Value', { exact: true }).first().fill('5')
    const five = CUSTOMERS.filter(
      (c, i) => ordersOf(i) >= 5 && (c.region === 'Lombardia' || c.tags.includes('vip')),
    ).length
    await expect
      .poll(async () => (await live.textContent()) ?? '')
      .toMatch(new RegExp(`^${five} customers match`))
    await edit.getByRole('button', { name: 'Save segment' }).click()
    await expect.poll(() => edit.isVisible()).toBe(false)
    const saved = (await (await page.request.get('/api/segments')).json()) as {
      segments: { name: string; rule: unknown }[]
    }
    expect(JSON.stringify(saved.segments[0]?.rule)).toContain('"value":5')

    // History opens (a snapshot is queued on save; an empty history says so).
    await row.getByRole('button', { name: 'History' }).click()
    await expect
      .poll(async () => (await row.textContent()) ?? '')
      .toMatch(/Entered|No snapshot yet/)

    // Dark theme and Italian, then delete.
    await page.emulateMedia({ colorScheme: 'dark' })
    await screenshot(page, 'segments-dark')
    expect(await seriousViolations(page)).toEqual([])
    await page.emulateMedia({ colorScheme: 'light' })

    page.once('dialog', (d) => void d.accept())
    await row.getByRole('button', { name: 'Delete' }).click()
    await expect.poll(() => row.count()).toBe(0)
    expect(pageErrors).toEqual([])
  })

  it('reads in Italian with Italian number formats', async () => {
    const it = await newContext(browser, server.url, { locale: 'it-IT' })
    try {
      const p = await it.newPage()
      await p.request.post('/api/auth/login', {
        data: { email: 'giulia@bottega.example', password: 'correct-horse-42' },
      })
      await p.request.patch('/api/auth/me', {
        data: { locale: 'it' },
        headers: {
          'x-csrf-token': (
            (await (await p.request.get('/api/auth/me')).json()) as { csrf_token: string }
          ).csrf_token,
        },
      })
      await p.goto('/segments')
      await settled(p)
      await expect
        .poll(() => p.getByRole('heading', { name: 'Griglia RFM' }).isVisible())
        .toBe(true)
      expect(await p.getByTestId('rfm-grid').locator('tbody button').first().textContent()).toMatch(
        /\d,\d{2}\s?€/,
      )
      await screenshot(p, 'segments-it')
      expect(await seriousViolations(p)).toEqual([])
    } finally {
      await it.close()
    }
  })
})
