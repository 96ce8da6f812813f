/**
 * A one-line progress display on stderr (rows, rows/s, ETA) that redraws in place on a
 * terminal and prints a line every few seconds otherwise, so logs stay readable.
 */
export function createProgress(label: string, total?: number) {
  const tty = process.stderr.isTTY
  const t0 = performance.now()
  let lastPrint = 0
  const fmt = (n: number) => Math.round(n).toLocaleString('en')
  return {
    update(done: number, extra = '') {
      const now = performance.now()
      if (!tty && now - lastPrint < 5000) return
      lastPrint = now
      const secs = (now - t0) / 1000
      const rate = secs > 0 ? done / secs : 0
      const eta = total && rate > 0 ? ` ETA ${Math.max(0, Math.round((total - done) / rate))} s` : ''
      const pct = total ? ` ${Math.min(100, (100 * done) / total).toFixed(0)}%` : ''
      const line = `${label}: ${fmt(done)}${total ? `/${fmt(total)}` : ''}${pct} · ${fmt(rate)}/s${eta}${extra ? ` · ${extra}` : ''}`
      process.stderr.write(tty ? `\r\x1b[K${line}` : `${line}\n`)
    },
    done(message: string) {
      process.stderr.write(tty ? `\r\x1b[K${message}\n` : `${message}\n`)
    },
  }
}
