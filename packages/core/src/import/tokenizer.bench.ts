/// <reference types="node" />
// Throughput of the import layers, printed, not asserted (wall times vary by machine):
//   node --import ./packages/server/bin/register.js packages/core/src/import/tokenizer.bench.ts [rows]
// 1. the CSV tokenizer on simple rows (target ≥ 1M rows/s);
// 2. the whole import (decode + tokenize + convert + zod validation) on the same rows as orders.
// CPU time is reported beside wall time: on a shared machine wall time includes waiting.
import { createDelimitedTokenizer } from './tokenizer.ts'
import { createImporter, planImport } from './pipeline.ts'

const rows = Number(process.argv[2] ?? 1_000_000)
const lines: string[] = ['order_id,date,customer_id,total,currency']
for (let i = 0; i < rows; i++) {
  const day = String(1 + (i % 28)).padStart(2, '0')
  lines.push(`${i + 1},2024-01-${day},C${10_000 + (i % 5_000)},${(i % 100_000) / 100},EUR`)
}
const text = `${lines.join('\n')}\n`
const bytes = new TextEncoder().encode(text)
const CHUNK = 65_536
const textChunks: string[] = []
for (let i = 0; i < text.length; i += CHUNK) textChunks.push(text.slice(i, i + CHUNK))

function measure(label: string, count: number, run: () => number): void {
  const best = { wall: Infinity, cpu: Infinity }
  for (let rep = 0; rep < 3; rep++) {
    const c0 = process.cpuUsage()
    const t0 = performance.now()
    const n = run()
    const wall = (performance.now() - t0) / 1000
    const cpu = process.cpuUsage(c0).user / 1e6
    if (n !== count) throw new Error(`${label}: expected ${count}, got ${n}`)
    best.wall = Math.min(best.wall, wall)
    best.cpu = Math.min(best.cpu, cpu)
  }
  const perS = (s: number) => Math.round(count / s).toLocaleString('en-US')
  console.log(
    `${label}: ${count.toLocaleString('en-US')} rows, best of 3: ${best.wall.toFixed(3)} s wall ` +
      `(${perS(best.wall)} rows/s), ${best.cpu.toFixed(3)} s CPU (${perS(best.cpu)} rows/s), ` +
      `${(text.length / 1e6 / best.wall).toFixed(0)} MB/s`,
  )
}

measure('tokenizer (string chunks of 64 KB)', rows + 1, () => {
  const t = createDelimitedTokenizer({ delimiter: ',' })
  let n = 0
  for (const c of textChunks) n += t.push(c).length
  return n + t.end().length
})

const plan = planImport(bytes.subarray(0, CHUNK), { dateOrder: 'dmy', decimalSeparator: '.' })
if (!plan.ok) throw new Error(plan.error.map((e) => e.message.en).join('; '))
measure('full import to validated orders (bytes in, zod out)', rows, () => {
  const importer = createImporter(plan.value)
  let n = 0
  for (let i = 0; i < bytes.length; i += CHUNK)
    for (const o of importer.push(bytes.subarray(i, i + CHUNK))) if (o.type === 'record') n++
  for (const o of importer.end()) if (o.type === 'record') n++
  return n
})
