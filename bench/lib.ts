/**
 * A tiny benchmark harness: runs a function several times, prints the median, min and max wall
 * time, the median CPU time of this process (user + system, all its threads: on a busy machine
 * it moves less than wall time), throughput when a row count is given, and the process's RSS and
 * peak RSS. Benchmarks
 * print figures; they never assert wall times.
 */
export type BenchFigure = {
  name: string
  runs: number
  medianMs: number
  minMs: number
  maxMs: number
  /** Median CPU time (user + system) of this process during a run. */
  cpuMs?: number
  rows?: number
  rowsPerSec?: number
  rssMb: number
  peakRssMb: number
}

export async function measure(
  name: string,
  fn: () => Promise<unknown> | unknown,
  opts: { runs?: number; rows?: number; setup?: () => Promise<void> | void } = {},
): Promise<BenchFigure> {
  const runs = opts.runs ?? 5
  const times: number[] = []
  const cpu: number[] = []
  for (let i = 0; i < runs; i++) {
    await opts.setup?.()
    const c0 = process.cpuUsage()
    const t0 = performance.now()
    await fn()
    times.push(performance.now() - t0)
    const c = process.cpuUsage(c0)
    cpu.push((c.user + c.system) / 1000)
  }
  times.sort((a, b) => a - b)
  cpu.sort((a, b) => a - b)
  const medianMs = times[Math.floor(times.length / 2)] ?? NaN
  const figure: BenchFigure = {
    name,
    runs,
    medianMs,
    minMs: times[0] ?? NaN,
    maxMs: times[times.length - 1] ?? NaN,
    cpuMs: cpu[Math.floor(cpu.length / 2)] ?? NaN,
    rssMb: process.memoryUsage().rss / 1e6,
    peakRssMb: process.resourceUsage().maxRSS / 1e3,
    ...(opts.rows ? { rows: opts.rows, rowsPerSec: opts.rows / (medianMs / 1000) } : {}),
  }
  report(figure)
  return figure
}

export function report(f: BenchFigure): void {
  const rate = f.rowsPerSec ? `  ${Math.round(f.rowsPerSec).toLocaleString('en')} rows/s` : ''
  console.log(
    `${f.name.padEnd(56)} median ${f.medianMs.toFixed(1)} ms (min ${f.minMs.toFixed(1)}, max ${f.maxMs.toFixed(1)}, n=${f.runs})${f.cpuMs === undefined ? '' : `, CPU ${f.cpuMs.toFixed(0)} ms`}${rate}  RSS ${f.rssMb.toFixed(0)} MB, peak ${f.peakRssMb.toFixed(0)} MB`,
  )
}
