import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'

/**
 * Batch ingest over HTTP against a real `fedele serve` process: 1M orders (one line each) in
 * batches of 5,000, on the embedded default and on PostgreSQL (BENCH_DATABASE_URL, an admin URL;
 * a scratch database is created and dropped). Also: cold start on an existing data directory,
 * and the server's RSS idle and after the load. Scale with BENCH_ORDERS.
 *
 * CPU beside wall time (the machine is shared): the server process's user+system time during the
 * order load, and on PostgreSQL that of the bench database's backends. The client builds the
 * next batch's JSON while the server works on the current one, as a real sender would, and
 * keeps BENCH_IN_FLIGHT requests in flight. The default is 2, and the figure printed says so: a
 * sender with two batches in flight is an ordinary client (each batch is still its own
 * all-or-nothing transaction; on PostgreSQL one batch's parsing, validation and customer lookup
 * overlap the other's writes, which the change lock serialises). BENCH_IN_FLIGHT=1 gives the
 * strictly sequential sender (each batch waits for the previous answer).
 * BENCH_CPU_PROF=DIR writes a V8 CPU profile of the server into DIR; BENCH_COLD_STARTS=0 skips
 * the cold-start figure; BENCH_ENGINES=pglite or =postgres runs one engine.
 */
const BIN = fileURLToPath(new URL('../packages/server/bin/fedele.js', import.meta.url))
const ORDERS = Number(process.env.BENCH_ORDERS ?? 1_000_000)
const BATCH = 5000
const CUSTOMERS = Math.max(1000, Math.round(ORDERS / 10))
const COLD_STARTS = Number(process.env.BENCH_COLD_STARTS ?? 3)
const PROFILE_DIR = process.env.BENCH_CPU_PROF
/** BENCH_ENGINES=pglite or =postgres runs one of the two. */
const ENGINES = (process.env.BENCH_ENGINES ?? 'pglite,postgres').split(',')
/** Requests in flight at once (BENCH_IN_FLIGHT, default 2; 1: each batch waits for the previous). */
const IN_FLIGHT = Math.max(1, Number(process.env.BENCH_IN_FLIGHT ?? 2))

type Server = { child: ChildProcess; url: string; startMs: number }

function serve(dataDir: string, env: Record<string, string>): Promise<Server> {
  const t0 = performance.now()
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        ...(PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : []),
        BIN,
        ...['serve', '--json', '--port', '0', '--data', dataDir],
      ],
      {
        env: {
          ...process.env,
          FEDELE_LOG_LEVEL: 'warn',
          FEDELE_BODY_LIMIT_MB: '256',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    )
    let out = ''
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const line = out.split('\n').find((l) => l.startsWith('{'))
      if (line)
        resolve({
          child,
          url: (JSON.parse(line) as { url: string }).url,
          startMs: performance.now() - t0,
        })
    })
    child.on('exit', (code) => reject(new Error(`serve exited ${code}`)))
  })
}

function rssMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0)
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 }
}

/** user + system CPU of a process so far, in ms (from /proc: clock ticks of 10 ms). */
function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

/** CPU of the PostgreSQL backends serving `database` (those alive now), in ms. */
async function backendCpuMs(adminUrl: string, database: string): Promise<number> {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    const r = await client.query<{ pid: number }>(
      'select pid from pg_stat_activity where datname = $1',
      [database],
    )
    let ms = 0
    for (const { pid } of r.rows) {
      try {
        ms += cpuMsOf(pid)
      } catch {
        // ended meanwhile
      }
    }
    return ms
  } finally {
    await client.end()
  }
}

async function stop(child: ChildProcess) {
  const done = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  await done
}

async function session(url: string): Promise<Record<string, string>> {
  const res = await fetch(`${url}/api/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench@example.it', password: 'bench password 123' }),
  })
  const csrf = ((await res.json()) as { csrf_token: string }).csrf_token
  const key = await fetch(`${url}/api/api-keys`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      cookie: res.headers.get('set-cookie')!.split(';')[0]!,
      'x-csrf-token': csrf,
    },
    body: JSON.stringify({ name: 'bench', scopes: ['ingest'] }),
  })
  return {
    authorization: `Bearer ${((await key.json()) as { key: string }).key}`,
    'content-type': 'application/json',
  }
}

async function post(url: string, headers: Record<string, string>, body: string) {
  const res = await fetch(url, { method: 'POST', headers, body })
  if (res.status !== 200) throw new Error(`${res.status} ${await res.text()}`)
  await res.arrayBuffer()
}

function orderBatch(from: number, n: number): string {
  const records = []
  for (let i = from; i < from + n; i++) {
    const total = 1000 + ((i * 7919) % 20000)
    const day = new Date(
      Date.UTC(2023, 0, 1) + ((i * 104729) % (3 * 365)) * 86_400_000,
    ).toISOString()
    records.push({
      external_id: `o${i}`,
      customer_external_id: `c${(i * 31) % CUSTOMERS}`,
      placed_at: day,
      currency: 'EUR',
      total,
      lines: [{ sku: `SKU${i % 500}`, quantity: 1, unit_price: total, line_total: total }],
    })
  }
  return JSON.stringify({ records })
}

export async function runIngest(
  label: string,
  dataDir: string,
  env: Record<string, string>,
  postgres?: { adminUrl: string; database: string },
) {
  const server = await serve(dataDir, env)
  const headers = await session(server.url)
  const idle = rssMb(server.child.pid!)
  for (let c = 0; c < CUSTOMERS; c += BATCH) {
    const records = Array.from({ length: Math.min(BATCH, CUSTOMERS - c) }, (_, k) => ({
      external_id: `c${c + k}`,
      country: 'IT',
    }))
    await post(`${server.url}/api/customers/batch`, headers, JSON.stringify({ records }))
  }
  const batchMs: number[] = []
  const pid = server.child.pid!
  const serverCpu0 = cpuMsOf(pid)
  const pgCpu0 = postgres ? await backendCpuMs(postgres.adminUrl, postgres.database) : 0
  const clientCpu0 = process.cpuUsage()
  // V8 profiles time samples on the monotonic clock in µs, as hrtime does: the order load's window.
  const window0 = process.hrtime.bigint() / 1000n
  const t0 = performance.now()
  const inFlight = new Set<Promise<void>>()
  for (let i = 0; i < ORDERS; i += BATCH) {
    // Built while the previous requests are being written.
    const body = orderBatch(i, Math.min(BATCH, ORDERS - i))
    while (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight)
    const b0 = performance.now()
    const sent: Promise<void> = post(`${server.url}/api/orders/batch`, headers, body).then(() => {
      batchMs.push(performance.now() - b0)
      inFlight.delete(sent)
    })
    inFlight.add(sent)
  }
  await Promise.all(inFlight)
  const totalS = (performance.now() - t0) / 1000
  if (PROFILE_DIR)
    console.log(
      `  profile window of the order load (µs): ${window0} ${process.hrtime.bigint() / 1000n}`,
    )
  const serverCpuS = (cpuMsOf(pid) - serverCpu0) / 1000
  const pgCpuS = postgres
    ? ((await backendCpuMs(postgres.adminUrl, postgres.database)) - pgCpu0) / 1000
    : 0
  const clientCpu = process.cpuUsage(clientCpu0)
  const clientCpuS = (clientCpu.user + clientCpu.system) / 1e6
  const loaded = rssMb(server.child.pid!)
  await stop(server.child)
  batchMs.sort((a, b) => a - b)
  console.log(
    `ingest over HTTP, ${label}, ${IN_FLIGHT} request${IN_FLIGHT > 1 ? 's' : ''} in flight: ${ORDERS.toLocaleString('en')} orders in ${totalS.toFixed(1)} s = ${Math.round(ORDERS / totalS).toLocaleString('en')} orders/s; ` +
      `batch of ${BATCH}: median ${batchMs[Math.floor(batchMs.length / 2)]!.toFixed(0)} ms`,
  )
  console.log(
    `  CPU during the load: server ${serverCpuS.toFixed(1)} s (${((serverCpuS * 1e6) / ORDERS).toFixed(0)} µs/order)` +
      (postgres
        ? `, PostgreSQL backends ${pgCpuS.toFixed(1)} s (${((pgCpuS * 1e6) / ORDERS).toFixed(0)} µs/order)`
        : '') +
      `; client ${clientCpuS.toFixed(1)} s`,
  )
  console.log(
    `  server RSS idle ${idle.rss.toFixed(0)} MB; after load ${loaded.rss.toFixed(0)} MB (peak ${loaded.peak.toFixed(0)} MB)`,
  )

  const starts: number[] = []
  if (COLD_STARTS <= 0) return
  for (let k = 0; k < COLD_STARTS; k++) {
    const s = await serve(dataDir, env)
    starts.push(s.startMs)
    await stop(s.child)
  }
  starts.sort((a, b) => a - b)
  console.log(
    `  cold start of fedele serve on the existing data: median ${starts[Math.floor(starts.length / 2)]!.toFixed(0)} ms (n=${starts.length}, includes Node + module loading)`,
  )
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'fedele-bench-'))
  try {
    if (ENGINES.includes('pglite')) await runIngest('embedded PGlite', join(dir, 'embedded'), {})
    const admin = process.env.BENCH_DATABASE_URL
    if (!ENGINES.includes('postgres')) return
    if (admin) {
      const name = `fedele_bench_${process.pid}`
      const client = new pg.Client({ connectionString: admin })
      await client.connect()
      await client.query(`create database ${name}`)
      const u = new URL(admin)
      u.pathname = `/${name}`
      try {
        await runIngest(
          'PostgreSQL',
          join(dir, 'pg'),
          { DATABASE_URL: u.toString() },
          { adminUrl: admin, database: name },
        )
      } finally {
        await client.query(`drop database if exists ${name} with (force)`)
        await client.end()
      }
    } else console.log('ingest over HTTP, PostgreSQL: skipped (set BENCH_DATABASE_URL)')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run()
