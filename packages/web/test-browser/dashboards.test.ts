/**
 * Retention, Revenue and the customer list on a real server over the demo business: the
 * heatmap's cells open their customers, "on or after" never grows along a cohort, the revenue
 * tiles show the server's MRR formatted for people, the waterfall's movements open their
 * customers, filters live in the URL; axe in light and dark, Italian formats, screenshots.
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

const OWNER = { email: 'marta@bottega.example', password: 'correct-horse-42', name: 'Marta' }
const plain = (s: string | null) => (s ?? '').replace(/\s/g, ' ')

beforeAll(async () => {
  ;[server, browser] = await Promise.all([
    startServer({
      prepare: async (dir) => {
        await runFedele(['demo', '--no-serve', '--customers', '600', '--seed', '5', '--data', dir])
      },
    }),
    launchBrowser(),
  ])
  context = await newContext(browser, server.url)
  page = await context.newPage()
  pageErrors = watchErrors(page)
  const setup = await page.request.post('/api/setup', { data: { ...OWNER, locale: 'en' } })
  expect(setup.status()).toBe(201)
}, 300_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

const heatmap = () => page.getByTestId('cohort-heatmap')

/** The percentages of a heatmap row, offset 0 first. */
async function rowValues(row: number): Promise<number[]> {
  const texts = await heatmap().locator('tbody tr').nth(row).locator('td button').allTextContents()
  // The first button is the cohort size; the rest are cells like "12.5%" or "7%*".
  return texts.slice(1).map((t) => Number.parseFloat(t.replace(',', '.')))
}

describe('retention', () => {
  it('draws the cohort heatmap, opens a cell’s customers and keeps "on or after" monotone', async () => {
    const t0 = Date.now()
    await page.goto('/retention')
    await expect.poll(() => heatmap().locator('tbody tr').count()).toBeGreaterThan(6)
    await settled(page)
    console.log(`retention interactive in ${Date.now() - t0} ms`)
    // Offset 0 is the whole cohort.
    expect((await rowValues(0))[0]).toBe(100)
    expect(await page.getByRole('img', { name: 'Retention curves' }).count()).toBe(1)
    expect(await page.getByRole('img', { name: 'Lifecycle' }).count()).toBe(1)
    // The hidden tables carry the chart numbers for screen readers.
    expect(
      await page.locator('table.sr-only caption', { hasText: 'Churned and reactivated' }).count(),
    ).toBe(1)
    await screenshot(page, 'retention')
    expect(await seriousViolations(page)).toEqual([])

    // A cell says its customer count; the drill-down lists exactly that many.
    const cell = heatmap().locator('tbody tr').first().locator('td button').nth(2)
    const label = (await cell.getAttribute('aria-label')) ?? ''
    const count = Number(/\((\d[\d,]*) customers\)/.exec(label)?.[1]?.replace(/,/g, ''))
    expect(count, label).toBeGreaterThan(0)
    await cell.click()
    const dialog = page.getByTestId('drilldown')
    await expect
      .poll(() => dialog.getByTestId('drilldown-total').textContent())
      .toContain(`of ${count.toLocaleString('en-GB')} customers`)
    // Each customer is named (from the customer search) and links to their page.
    const first = dialog.getByRole('link').first()
    await expect.poll(() => dialog.getByText(/\d+ orders · €/).count()).toBeGreaterThan(0)
    const href = (await first.getAttribute('href')) ?? ''
    expect(href).toMatch(/^\/customers\/.+/)
    await screenshot(page, 'retention-drilldown')
    await first.click()
    await expect.poll(() => new URL(page.url()).pathname).toBe(href)

    await page.goto('/retention')
    await page.getByText('Active in or after').click()
    await settled(page)
    for (let row = 0; row < 4; row++) {
      const values = await rowValues(row)
      for (let k = 1; k < values.length; k++) expect(values[k]).toBeLessThanOrEqual(values[k - 1]!)
    }
    await page.getByText('Weeks').click()
    await settled(page)
    expect(await heatmap().locator('thead th', { hasText: 'Week 1' }).count()).toBe(1)
  })
})

describe('revenue', () => {
  it('shows the server’s MRR for the last full month and opens a movement’s customers', async () => {
    await page.goto('/revenue')
    await expect.poll(() => page.getByTestId('revenue-mrr').textContent()).toMatch(/€[\d,.]+/)
    await settled(page)
    // The tile equals the series endpoint's MRR of the latest complete month.
    const to = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000)
    const from = new Date(to.getTime() - 400 * 86_400_000)
    const res = await page.request.get(
      `/api/metrics/series?granularity=month&metric=mrr&from=${from.toISOString()}&to=${to.toISOString()}`,
    )
    const series = (await res.json()) as {
      points: { complete: boolean; metrics: { mrr: { value: number } } }[]
    }
    const last = series.points.filter((p) => p.complete).at(-1)!
    const expected = new Intl.NumberFormat('en-GB', {
      style: 'currency',
      currency: 'EUR',
      useGrouping: 'always',
    }).format(last.metrics.mrr.value / 100)
    expect(plain(await page.getByTestId('revenue-mrr').textContent())).toContain(expected)
    expect(await page.getByRole('img', { name: /MRR movements in/ }).count()).toBe(1)
    await screenshot(page, 'revenue')
    expect(await seriousViolations(page)).toEqual([])

    await page.getByRole('button', { name: 'Customers: New' }).click()
    const dialog = page.getByTestId('drilldown')
    await expect
      .poll(
        async () =>
          (await dialog.getByTestId('drilldown-total').count()) > 0 ||
          (await dialog.getByText('No customers here.').count()) > 0,
      )
      .toBe(true)
    await dialog.getByRole('button', { name: 'Close' }).click()
  })
})

describe('customers', () => {
  it('opens a filtered, sorted list from a link and sorts by spend', async () => {
    await page.goto('/customers?tags=vip&sort=total_spend&dir=desc')
    const table = page.getByRole('table', { name: 'Customers' })
    await expect.poll(() => table.locator('tbody tr').count()).toBeGreaterThan(0)
    await settled(page)
    const rows = table.locator('tbody tr')
    const n = await rows.count()
    for (let i = 0; i < n; i++) {
      expect(await rows.nth(i).getByText('vip', { exact: true }).count()).toBe(1)
    }
    const spends = (await rows.locator('td:nth-child(5)').allTextContents()).map((s) =>
      Number(s.replace(/[^\d.]/g, '')),
    )
    expect(spends).toEqual([...spends].sort((a, b) => b - a))
    expect(await page.getByRole('button', { name: /Remove filter Tags: vip/ }).count()).toBe(1)
    await screenshot(page, 'customers-filtered')
    expect(await seriousViolations(page)).toEqual([])
  })
})

describe('dark and Italian', () => {
  it('has no serious accessibility violation in the dark theme', async () => {
    const dark = await newContext(browser, server.url, { dark: true })
    const p = await dark.newPage()
    await p.request.post('/api/auth/login', {
      data: { email: OWNER.email, password: OWNER.password },
    })
    for (const screen of ['retention', 'revenue']) {
      await p.goto(`/${screen}`)
      await p.waitForLoadState('networkidle')
      await expect.poll(() => p.locator('.animate-pulse').count(), { timeout: 30_000 }).toBe(0)
      await screenshot(p, `${screen}-dark`)
      expect(await seriousViolations(p), screen).toEqual([])
    }
    await dark.close()
  })

  it('formats the revenue screen in Italian', async () => {
    const it = await newContext(browser, server.url, { locale: 'it-IT' })
    const p = await it.newPage()
    await p.addInitScript(() => localStorage.setItem('fedele.locale', 'it'))
    await p.request.post('/api/auth/login', {
      data: { email: OWNER.email, password: OWNER.password },
    })
    await p.goto('/revenue')
    await expect
      .poll(() => p.getByRole('heading', { level: 1, name: 'Ricavi' }).isVisible())
      .toBe(true)
    await expect
      .poll(async () => plain(await p.getByTestId('revenue-mrr').textContent()))
      .toMatch(/\d{1,3}(\.\d{3})*,\d{2} €/)
    await expect.poll(() => p.locator('.animate-pulse').count(), { timeout: 30_000 }).toBe(0)
    await screenshot(p, 'revenue-it')
    await p.goto('/retention')
    await expect
      .poll(() => p.getByTestId('cohort-heatmap').locator('tbody tr').count())
      .toBeGreaterThan(0)
    await expect.poll(() => p.locator('.animate-pulse').count(), { timeout: 30_000 }).toBe(0)
    expect(await p.getByTestId('cohort-heatmap').locator('thead').textContent()).toContain('Mese 1')
    await screenshot(p, 'retention-it')
    await it.close()
  })

  it('threw no uncaught error in the page', () => {
    expect(pageErrors).toEqual([])
  })
})
