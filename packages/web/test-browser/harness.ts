/**
 * What every browser journey needs: a real `fedele serve` on a fresh data directory and a free
 * port, Debian's Chromium, an accessibility check and screenshots. Nothing here builds: the
 * dashboard in packages/web/dist is what `npm run test:browser` just built.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { expect } from 'vitest'

export const REPO = fileURLToPath(new URL('../../../', import.meta.url))
const FEDELE_BIN = join(REPO, 'packages/server/bin/fedele.js')
export const SCREENSHOTS = join(REPO, 'test-output/screenshots')
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export type Server = { url: string; dataDir: string; stop: () => Promise<void>; logs: () => string }

/**
 * Starts `fedele serve --json --port 0` on a new data directory and waits for its URL line.
 * `prepare` runs first on that directory (e.g. `fedele demo --no-serve` to load the demo).
 */
export async function startServer(
  options: { prepare?: (dataDir: string) => Promise<void>; env?: Record<string, string> } = {},
): Promise<Server> {
  if (!existsSync(join(REPO, 'packages/web/dist/index.html'))) {
    throw new Error(
      'packages/web/dist is missing: run `npm run test:browser`, which builds it first',
    )
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'fedele-browser-'))
  await options.prepare?.(dataDir)
  const child = spawn(
    process.execPath,
    [FEDELE_BIN, 'serve', '--json', '--port', '0', '--data', dataDir],
    {
      cwd: REPO,
      // No scheduled predictions refresh unless a journey asks: it would change screens mid-test.
      env: {
        ...process.env,
        FEDELE_LOG_LEVEL: 'warn',
        FEDELE_PREDICTIONS_INTERVAL_HOURS: '0',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    // A new PGlite database takes several seconds, far more on a busy machine.
    const timer = setTimeout(
      () => reject(new Error(`fedele serve did not start in 180 s: ${stderr}`)),
      180_000,
    )
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const line = out.split('\n').find((l) => l.startsWith('{'))
      if (!line) return
      clearTimeout(timer)
      // Chromium may try ::1 first for "localhost"; the server listens on 127.0.0.1.
      resolve((JSON.parse(line) as { url: string }).url.replace('//localhost:', '//127.0.0.1:'))
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`fedele serve exited with ${code}: ${stderr}`))
    })
  })
  return {
    url,
    dataDir,
    logs: () => stderr,
    stop: async () => {
      await stopChild(child)
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

async function stopChild(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
  await exited
  clearTimeout(timer)
}

/** Runs the `fedele` command to completion (e.g. `demo --no-serve`), failing with its stderr. */
export async function runFedele(args: string[], timeoutMs = 240_000): Promise<string> {
  const child = spawn(process.execPath, [FEDELE_BIN, ...args], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr.on('data', (d: Buffer) => (err += d.toString()))
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  clearTimeout(timer)
  if (code !== 0) throw new Error(`fedele ${args.join(' ')} exited with ${code}: ${err}`)
  return out
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: apt-get install -y chromium (see .ci/run)`)
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
}

export async function newContext(
  browser: Browser,
  baseURL: string,
  options: { locale?: string; width?: number; dark?: boolean } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL,
    locale: options.locale ?? 'en-GB',
    timezoneId: 'Europe/Rome',
    viewport: { width: options.width ?? 1280, height: 860 },
    colorScheme: options.dark ? 'dark' : 'light',
    reducedMotion: 'reduce',
  })
  context.setDefaultTimeout(30_000)
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL })
  return context
}

/** Collects uncaught page errors so a journey can assert that none happened. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  return errors
}

/** Waits until the screen has no loading skeleton left and the network is quiet. */
export async function settled(page: Page) {
  await page.waitForLoadState('networkidle')
  await expect.poll(() => page.locator('.animate-pulse').count(), { timeout: 30_000 }).toBe(0)
}

const require = createRequire(import.meta.url)
const AXE_PATH = require.resolve('axe-core/axe.min.js')

type AxeViolation = {
  id: string
  impact: string | null
  help: string
  nodes: { target: string[] }[]
}

/** Runs axe-core on the page; returns the serious and critical violations, described. */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE_PATH })
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> }
      }
    ).axe
    const result = await axe.run(document, { resultTypes: ['violations'] })
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }))
  })
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} at ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(' | ')}`,
    )
}

export async function screenshot(page: Page, name: string) {
  await mkdir(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true })
}

/** The session's CSRF token, for writes made with the page's own cookie. */
export async function csrfToken(page: Page): Promise<string> {
  const res = await page.request.get('/api/auth/me')
  expect(res.status()).toBe(200)
  return ((await res.json()) as { csrf_token: string }).csrf_token
}

/** Posts JSON as the signed-in user (cookie + CSRF header), failing loudly on an error. */
export async function postAsUser(page: Page, path: string, body: unknown): Promise<unknown> {
  const res = await page.request.post(path, {
    data: body,
    headers: { 'x-csrf-token': await csrfToken(page) },
  })
  const json: unknown = await res.json()
  if (!res.ok()) throw new Error(`${path} → ${res.status()}: ${JSON.stringify(json)}`)
  return json
}
