import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync, createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { generateDemo } from '@fedele/core/demo'
import pg from 'pg'

/**
 * Issue #3 figures: a 1M-row orders CSV, plain and in the Italian Excel format, imported by the
 * real `fedele import` (rows/s, CPU seconds and peak RSS of that process), embedded and on
 * PostgreSQL (BENCH_DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/postgres: a fresh
 * database is created and dropped); `fedele demo` from nothing until the dashboard answers (20k
 * customers); generator throughput for 1M customers. Scale with BENCH_ROWS and
 * BENCH_DEMO_CUSTOMERS.
 *
 * Last measured (shared 2-core machine, load 3–12, so CPU seconds are the steadier figure; see
 * docs/import.md "Memory and speed of the server's import" for the runs):
 *   1M plain rows, PostgreSQL: 6.8k–22.3k rows/s, 24.6 s CPU (median), peak RSS 251–255 MB in
 *   the import pass and 293–315 MB for the whole command (the DuckDB replica sync is the peak);
 *   1M Italian rows, PostgreSQL: 10.7k rows/s, 28.6 s CPU, 251 / 295 MB;
 *   100k rows, embedded: 4.4k–7.0k rows/s (SQL-bound: PGlite runs in this process), ~380–400 MB
 *   in the import pass, ~470–480 MB with the sync; 1M rows embedded, upsert: 5.8k–9.5k rows/s,
 *   50.3–54.7 s CPU, 366–399 / 433–449 MB; with the COPY path of a first import (load 7–14):
 *   36.8–43.8 s CPU, and with Liftoff-only WebAssembly 344 MB in the import pass. The floor of
 *   PGlite (~12 µs a row of SQL for a first import, 18–20 µs into filled tables) and why 100k
 *   rows/s is out of reach embedded: docs/import.md, "The floor of the embedded database".
 */
const BIN = fileURLToPath(new URL('../packages/server/bin/fedele.js', import.meta.url))
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)

async function writeCsv(path: string, italian: boolean) {
  const out = createWriteStream(path, { encoding: italian ? 'latin1' : 'utf8' })
  const sep = italian ? ';' : ','
  out.write(['numero_ordine', 'data_ordine', 'id_cliente', 'totale', 'valuta', 'negozio'].join(sep) + (italian ? '\r\n' : '\n'))
  for (let i = 0; i < ROWS; i++) {
    const cents = 500 + ((i * 7919) % 250_000)
    const d = new Date(Date.UTC(2023, 0, 1) + ((i * 104729) % (3 * 365)) * 86_400_000)
    const dd = String(d.getUTCDate()).padStart(2, '0')
    const mm = String(d.getUTCMonth() + 1).padStart(2, '0')
    const date = italian ? `${dd}/${mm}/${d.getUTCFullYear()}` : d.toISOString().slice(0, 10)
    const euros = Math.floor(cents / 100)
    const amount = italian
      ? `${euros.toLocaleString('it-IT')},${String(cents % 100).padStart(2, '0')}`
      : `${euros}.${String(cents % 100).padStart(2, '0')}`
    // Distinct order ids per file, so the second import inserts too instead of finding them unchanged.
    const line = [`${italian ? 'i' : 'o'}${i}`, date, `c${(i * 31) % 100_000}`, amount, 'EUR', italian ? 'Città di Castello' : 'Milano'].join(sep)
    if (!out.write(line + (italian ? '\r\n' : '\n'))) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
}

function run(args: string[], env: Record<string, string>): Promise<{ ms: number; out: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, FEDELE_LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'ignore'] })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.on('exit', (code) => {
      const ms = performance.now() - t0
      if (code !== 0) return reject(new Error(`fedele ${args.join(' ')} exited ${code}: ${out}`))
      resolve({ ms, out })
    })
  })
}

async function importFigures(dir: string, label: string, env: Record<string, string>, dataDir: string) {
  // Create and migrate the database first: PGlite's initdb of a fresh directory peaks at ~900 MB
  // RSS, which belongs to `fedele migrate`, not to the import.
  await run(['migrate', '--data', dataDir], env)
  for (const [name, italian] of [['plain.csv', false], ['italiano.csv', true]] as const) {
    const path = join(dir, name)
    const r = await run(['import', 'orders', path, '--data', dataDir, '--json'], env)
    const report = JSON.parse(r.out) as { rows: number; inserted: number; seconds: number; peak_rss_mb: number; import_peak_rss_mb: number; cpu_seconds: number }
    console.log(
      `import ${ROWS.toLocaleString('en')}-row ${italian ? 'Italian-format' : 'plain'} orders CSV, ${label}: ${Math.round(report.rows / report.seconds).toLocaleString('en')} rows/s ` +
        `(${report.seconds.toFixed(1)} s in the import, ${(r.ms / 1000).toFixed(1)} s and ${report.cpu_seconds.toFixed(1)} s of CPU for the whole command; inserted ${report.inserted.toLocaleString('en')}); ` +
        `peak RSS ${report.import_peak_rss_mb} MB at the end of the import, ${report.peak_rss_mb} MB for the whole command (with the replica sync)`,
    )
  }
}

export async function run_(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'fedele-bench-import-'))
  try {
    await writeCsv(join(dir, 'plain.csv'), false)
    await writeCsv(join(dir, 'italiano.csv'), true)
    writeFileSync(join(dir, '.keep'), '')
    await importFigures(dir, 'embedded', {}, join(dir, 'embedded'))
    const admin = process.env.BENCH_DATABASE_URL
    if (admin) {
      const name = `fedele_bench_imp_${process.pid}`
      const c = new pg.Client({ connectionString: admin })
      await c.connect()
      await c.query(`create database ${name}`)
      const u = new URL(admin)
      u.pathname = `/${name}`
      try {
        await importFigures(dir, 'PostgreSQL', { DATABASE_URL: u.toString() }, join(dir, 'pg'))
      } finally {
        await c.query(`drop database if exists ${name} with (force)`)
        await c.end()
      }
    }

    const customers = Number(process.env.BENCH_DEMO_CUSTOMERS ?? 20_000)
    const t0 = performance.now()
    const demo = spawn(process.execPath, [BIN, 'demo', '--customers', String(customers), '--data', join(dir, 'demo'), '--port', '0', '--json'], { stdio: ['ignore', 'pipe', 'ignore'] })
    const url = await new Promise<string>((resolve) => {
      let out = ''
      demo.stdout.on('data', (d: Buffer) => {
        out += d.toString()
        const line = out.split('\n').find((l) => l.includes('"url"'))
        if (line) resolve((JSON.parse(line) as { url: string }).url)
      })
    })
    for (;;) {
      const r = await fetch(`${url}/`).catch(() => undefined)
      if (r?.ok) break
      await new Promise((r) => setTimeout(r, 100))
    }
    console.log(`fedele demo, ${customers.toLocaleString('en')} customers, fresh data dir: dashboard answers after ${((performance.now() - t0) / 1000).toFixed(1)} s`)
    demo.kill('SIGTERM')
    await once(demo, 'exit')

    const g0 = performance.now()
    let records = 0
    for (const b of generateDemo({ seed: 1, now: '2026-11-01T00:00:00Z', customers: 1_000_000 })) {
      records += 1 + b.orders.length + b.subscriptions.length + b.tickets.length + b.events.length + b.survey_answers.length
    }
    const gs = (performance.now() - g0) / 1000
    console.log(`generator, 1,000,000 customers: ${gs.toFixed(1)} s = ${Math.round(1e6 / gs).toLocaleString('en')} customers/s, ${Math.round(records / gs).toLocaleString('en')} records/s; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
export { run_ as run }

if (import.meta.url === `file://${process.argv[1]}`) await run_()
