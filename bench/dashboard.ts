import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Page } from 'playwright-core'
import { report } from './lib.ts'

/**
 * The dashboard on the demo business: time from navigation until each screen is interactive
 * (its main heading shown, no loading skeleton left, the network quiet), in Debian's Chromium
 * against a real `fedele serve`. BENCH_DASH_CUSTOMERS demo customers (default 100,000: about
 * 234k orders and a million records in all; 430,000 make the million-order demo);
 * BENCH_DASH_DATA=DIR keeps the data directory and reuses it. Each screen is
 * measured cold (its first visit after the server started: replica and caches cold) and warm
 * (median of BENCH_RUNS later visits). Predictions are computed once before the visits. RSS is
 * the server's (current and peak). The machine may be shared, so each visit's CPU time is printed
 * too: the server's plus Chromium's (user + system of every thread and process, from /proc),
 * the server's share beside the cold one; "CPU" is the median over the warm visits. The load average is
 * printed before the cold visits and after the warm ones.
 */
const CUSTOMERS = Number(process.env.BENCH_DASH_CUSTOMERS ?? 100_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 5)
const SETTLE_S = Number(process.env.BENCH_DASH_SETTLE_S ?? 0)
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const BIN = join(import.meta.dirname, '../packages/server/bin/fedele.js')
const OWNER = { email: 'bench@fedele.example', password: 'correct-horse-42', name: 'Bench' }

const SCREENS: { path: string; heading: RegExp }[] = [
  { path: '/', heading: /^(Overview|Panoramica)$/ },
  { path: '/retention', heading: /^(Retention|Fidelizzazione)$/ },
  { path: '/revenue', heading: /^(Revenue|Ricavi)$/ },
  { path: '/customers', heading: /^(Customers|Clienti)$/ },
  { path: '/segments', heading: /^(Segments|Segmenti)$/ },
  { path: '/predictions', heading: /^(Predictions|Previsioni)$/ },
  { path: '/data', heading: /^(Data|Dati)$/ },
  { path: '/settings', heading: /^(Settings|Impostazioni)$/ },
]

export async function run(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    console.log(`dashboard: skipped, ${CHROMIUM} not found (apt-get install -y chromium)`)
    return
  }
  if (!existsSync(join(import.meta.dirname, '../packages/web/dist/index.html'))) {
    console.log('dashboard: skipped, packages/web/dist missing (npm run build -w @fedele/web)')
    return
  }
  const kept = process.env.BENCH_DASH_DATA
  const dir = kept ?? mkdtempSync(join(tmpdir(), 'fedele-bench-dash-'))
  try {
    // `fedele demo` reuses a data directory that already holds the same demo.
    if (!existsSync(join(dir, 'pg'))) {
      const t = performance.now()
      await fedele(['demo', '--no-serve', '--customers', String(CUSTOMERS), '--data', dir])
      console.log(
        `dashboard: demo of ${CUSTOMERS.toLocaleString('en')} customers built in ${((performance.now() - t) / 1000).toFixed(1)} s`,
      )
    }
    const server = await serve(dir)
    try {
      // BENCH_DASH_SETTLE_S: let the server's start-up sync and prewarm finish first, as for a
      // user who arrives a little after a restart (default 0: the visits race them).
      if (SETTLE_S > 0) await new Promise((r) => setTimeout(r, SETTLE_S * 1000))
      await measureScreens(server.url, server.child.pid ?? 0)
    } finally {
      await stop(server.child)
    }
  } finally {
    if (!kept) rmSync(dir, { recursive: true, force: true })
  }
}

/** CPU time (user + system, every thread) the process has used so far, in ms (Linux /proc). */
function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100
  } catch {
    return NaN
  }
}

/**
 * CPU time (ms) used so far by Chromium: every live process descended from this one except the
 * server, each with the CPU of the children it has reaped (renderers that ended count too).
 */
function browserCpuMs(serverPid: number): number {
  const parent = new Map<number, number>()
  const cpu = new Map<number, number>()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const f = readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
      parent.set(Number(name), Number(f[1]))
      cpu.set(
        Number(name),
        ((Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 1000) / 100,
      )
    } catch {
      // The process ended meanwhile.
    }
  }
  const ours = (pid: number): boolean => {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) {
      if (p === serverPid) return false
      if (p === process.pid) return true
    }
    return false
  }
  let total = 0
  for (const [pid, ms] of cpu) if (pid !== serverPid && ours(pid)) total += ms
  return total
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')

/** A visit's wall time and CPU time: the server's and the page's main thread's. */
type Visit = { ms: number; cpuMs: number; serverCpuMs: number }

/** The server's resident set and its peak (Linux /proc), in MB. */
function serverRss(pid: number): { rssMb: number; peakRssMb: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN)
    return { rssMb: kb('VmRSS') / 1e3, peakRssMb: kb('VmHWM') / 1e3 }
  } catch {
    return { rssMb: NaN, peakRssMb: NaN }
  }
}

async function measureScreens(url: string, pid: number): Promise<void> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  try {
    const context = await browser.newContext({
      baseURL: url,
      locale: 'en-GB',
      viewport: { width: 1280, height: 860 },
    })
    const page = await context.newPage()
    const setup = await page.request.post('/api/setup', { data: OWNER })
    if (setup.status() === 409) {
      const login = await page.request.post('/api/auth/login', {
        data: { email: OWNER.email, password: OWNER.password },
      })
      if (!login.ok()) throw new Error(`sign-in failed: ${login.status()}`)
    } else if (!setup.ok()) throw new Error(`setup failed: ${setup.status()}`)
    // The first read waits for the replica to catch up with the record (built from nothing on a
    // fresh demo).
    const t = performance.now()
    const counts = (await (
      await page.request.get('/api/predictions/summary', { timeout: 0 })
    ).json()) as { customers: number }
    console.log(
      `dashboard: first API read answered in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    )
    if (counts.customers === 0) await refreshPredictions(page)

    // A customer page too: the first customer of the list.
    const first = (await (await page.request.get('/api/customers?limit=1')).json()) as {
      items: { external_id: string }[]
    }
    const screens = [...SCREENS]
    const id = first.items[0]?.external_id
    if (id) screens.push({ path: `/customers/${encodeURIComponent(id)}`, heading: /./ })

    const look = (path: string, heading: RegExp) => visit(page, pid, path, heading)
    const idle = processCpuMs(pid)
    await new Promise((r) => setTimeout(r, 1000))
    console.log(
      `dashboard: cold visits at load ${load()} (server CPU in the second before: ${Math.round(processCpuMs(pid) - idle)} ms)`,
    )
    const cold = new Map<string, Visit>()
    for (const s of screens) cold.set(s.path, await look(s.path, s.heading))
    for (const s of screens) {
      const visits: Visit[] = []
      for (let i = 0; i < RUNS; i++) visits.push(await look(s.path, s.heading))
      const times = visits.map((v) => v.ms).sort((a, b) => a - b)
      const cpu = visits.map((v) => v.cpuMs).sort((a, b) => a - b)
      const first = cold.get(s.path)
      report({
        name: `screen ${s.path.startsWith('/customers/') ? '/customers/:id' : s.path} (cold ${Math.round(first?.ms ?? NaN)} ms, CPU ${Math.round(first?.cpuMs ?? NaN)} ms, server ${Math.round(first?.serverCpuMs ?? NaN)})`,
        runs: RUNS,
        medianMs: times[Math.floor(times.length / 2)] ?? NaN,
        minMs: times[0] ?? NaN,
        maxMs: times[times.length - 1] ?? NaN,
        cpuMs: cpu[Math.floor(cpu.length / 2)] ?? NaN,
        ...serverRss(pid),
      })
    }
    console.log(`dashboard: load after the visits ${load()}`)
  } finally {
    await browser.close()
  }
}

/**
 * Milliseconds from navigation until the heading shows and no skeleton is left, and the CPU time
 * the server and the page's main thread spent meanwhile.
 */
async function visit(page: Page, pid: number, path: string, heading: RegExp): Promise<Visit> {
  await page.goto('about:blank')
  const browser0 = browserCpuMs(pid)
  const server0 = processCpuMs(pid)
  const t0 = performance.now()
  await page.goto(path, { waitUntil: 'commit' })
  try {
    await page
      .getByRole('heading', { level: 1, name: heading })
      .first()
      .waitFor({ timeout: 120_000 })
  } catch (e) {
    const shot = join(tmpdir(), 'fedele-bench-dashboard-failure.png')
    await page.screenshot({ path: shot, fullPage: true })
    throw new Error(`${path} did not show its heading (screenshot: ${shot})`, { cause: e })
  }
  // Interactive: the route's code has loaded and no loading skeleton is left (every query of
  // the screen has answered). Playwright's "networkidle" would add its own 500 ms of silence.
  await page.waitForLoadState('load')
  while ((await page.locator('.animate-pulse').count()) > 0) await page.waitForTimeout(10)
  const ms = performance.now() - t0
  const serverCpuMs = processCpuMs(pid) - server0
  return { ms, cpuMs: serverCpuMs + browserCpuMs(pid) - browser0, serverCpuMs }
}

async function refreshPredictions(page: Page): Promise<void> {
  const t = performance.now()
  const csrf = ((await (await page.request.get('/api/auth/me')).json()) as { csrf_token: string })
    .csrf_token
  const res = await page.request.post('/api/predictions/refresh', {
    data: {},
    headers: { 'x-csrf-token': csrf },
  })
  const { job_id } = (await res.json()) as { job_id: number }
  let longest = 0
  for (;;) {
    const asked = performance.now()
    // The models run in a worker; the summaries read and the final write still hold the
    // server's database for a while, so a poll may wait.
    const job = (await (await page.request.get(`/api/jobs/${job_id}`, { timeout: 0 })).json()) as {
      status: string
      error: string | null
    }
    longest = Math.max(longest, performance.now() - asked)
    if (job.status === 'succeeded' || job.status === 'completed') break
    if (job.status === 'failed' || job.status === 'dead')
      throw new Error(`predictions failed: ${job.error}`)
    await new Promise((r) => setTimeout(r, 500))
  }
  console.log(
    `dashboard: predictions refreshed in ${((performance.now() - t) / 1000).toFixed(1)} s (longest unanswered poll ${Math.round(longest)} ms)`,
  )
}

function fedele(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] })
    let err = ''
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)))
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`fedele ${args[0]} failed: ${err}`)),
    )
  })
}

async function serve(dir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--json', '--port', '0', '--data', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FEDELE_LOG_LEVEL: 'warn', FEDELE_PREDICTIONS_INTERVAL_HOURS: '0' },
  })
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const line = out.split('\n').find((l) => l.startsWith('{'))
      if (line)
        resolve((JSON.parse(line) as { url: string }).url.replace('//localhost:', '//127.0.0.1:'))
    })
    child.once('exit', (code) => reject(new Error(`fedele serve exited with ${code}`)))
  })
  return { url, child }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  await exited
}
