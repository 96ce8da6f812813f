import { closeSync, linkSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'

/**
 * An exclusive lock on an embedded data directory. Two processes opening one PGlite directory
 * corrupt it silently, so the second one must fail with a clear message instead.
 *
 * The lock is a file created atomically with link(2) (fails if it exists) holding the owner's PID
 * and command. A lock whose PID is no longer alive is stale and is taken over.
 */
export type LockOwner = { pid: number; command: string; startedAt: string }

export class DataDirInUseError extends Error {
  constructor(
    readonly dir: string,
    readonly owner: LockOwner,
  ) {
    super(
      `data directory ${dir} is in use by process ${owner.pid} (${owner.command}); ` +
        'stop it or use another --data',
    )
    this.name = 'DataDirInUseError'
  }
}

export type DataDirLock = { path: string; release: () => void }

export function acquireDataDirLock(dir: string, command: string): DataDirLock {
  const path = join(dir, 'fedele.lock')
  const owner: LockOwner = { pid: process.pid, command, startedAt: new Date().toISOString() }
  for (let attempt = 0; attempt < 3; attempt++) {
    const tmp = `${path}.${process.pid}.tmp`
    const fd = openSync(tmp, 'w')
    writeSync(fd, JSON.stringify(owner))
    closeSync(fd)
    try {
      linkSync(tmp, path)
      unlinkSync(tmp)
      return { path, release: onceRelease(path) }
    } catch (e) {
      unlinkSync(tmp)
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
    }
    const current = readOwner(path)
    if (current && isAlive(current.pid) && current.pid !== process.pid) {
      throw new DataDirInUseError(dir, current)
    }
    // Stale (owner dead, or unreadable half-written file from a crash): take it over.
    try {
      unlinkSync(path)
    } catch {
      /* another process removed it first; retry */
    }
  }
  const current = readOwner(path)
  throw new DataDirInUseError(dir, current ?? { pid: -1, command: 'unknown', startedAt: '' })
}

function onceRelease(path: string): () => void {
  let released = false
  const release = () => {
    if (released) return
    released = true
    process.off('exit', release)
    const current = readOwner(path)
    if (current?.pid === process.pid) {
      try {
        unlinkSync(path)
      } catch {
        /* already gone */
      }
    }
  }
  process.on('exit', release)
  return release
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>
    if (typeof parsed.pid !== 'number') return undefined
    return { pid: parsed.pid, command: String(parsed.command ?? ''), startedAt: String(parsed.startedAt ?? '') }
  } catch {
    return undefined
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}
