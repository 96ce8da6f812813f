import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const FEDELE_BIN = fileURLToPath(new URL('../bin/fedele.js', import.meta.url))

export type Run = { code: number | null; stdout: string; stderr: string }

/** Runs the real `fedele` command to completion. */
export function runFedele(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [FEDELE_BIN, ...args], {
      // No scheduled predictions refresh unless a test asks: it would run beside the test.
      env: { ...process.env, FEDELE_LOG_LEVEL: 'silent', FEDELE_PREDICTIONS_INTERVAL_HOURS: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`fedele ${args.join(' ')} timed out; stderr: ${stderr}`))
    }, timeoutMs)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

export type Served = { child: ChildProcess; url: string; pid: number; stderr: () => string }

/** Starts `fedele serve --json` (or `command`, e.g. demo) and waits for its start-up line. */
export function startServe(
  args: string[],
  env: Record<string, string> = {},
  command = 'serve',
): Promise<Served> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [FEDELE_BIN, command, '--json', '--port', '0', ...args], {
      env: { ...process.env, FEDELE_LOG_LEVEL: 'warn', FEDELE_PREDICTIONS_INTERVAL_HOURS: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    const timer = setTimeout(() => reject(new Error(`${command} did not start: ${err}`)), 60_000)
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const line = out.split('\n').find((l) => l.startsWith('{'))
      if (line) {
        clearTimeout(timer)
        resolve({ child, url: (JSON.parse(line) as { url: string }).url, pid: child.pid!, stderr: () => err })
      }
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${command} exited with ${code}: ${err}`))
    })
  })
}

export function waitExit(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode)
    child.once('exit', (code) => resolve(code))
  })
}
