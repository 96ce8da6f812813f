/**
 * `npm run bench`: every benchmark in turn; figures only (median of several runs, rows/s, ms,
 * RSS). Pass names to run a subset: `npm run bench -- ingest`. BENCH_DATABASE_URL (an admin URL
 * of a PostgreSQL server) adds the PostgreSQL figures.
 */
const BENCHES: Record<string, () => Promise<{ run: () => Promise<void> }>> = {
  ingest: () => import('./ingest-http.ts'),
  replica: () => import('./replica-sync.ts'),
  import: () => import('./import-demo.ts'),
  metrics: () => import('./metrics.ts'),
  predictions: () => import('./predictions.ts'),
  segments: () => import('./segments.ts'),
  dashboard: () => import('./dashboard.ts'),
}

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'))
const names = wanted.length ? wanted : Object.keys(BENCHES)
console.log(`Fedele benchmarks on Node ${process.version}, ${(await import('node:os')).cpus().length} cores`)
for (const name of names) {
  const load = BENCHES[name]
  if (!load) {
    console.error(`unknown benchmark ${name}; known: ${Object.keys(BENCHES).join(', ')}`)
    process.exit(1)
  }
  console.log(`\n## ${name}`)
  await (await load()).run()
}
