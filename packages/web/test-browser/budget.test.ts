/**
 * The first paint's JavaScript stays within budget (300 KB gzipped): what index.html loads and
 * preloads, measured on the build `npm run test:browser` just made. Screens are lazy chunks and
 * do not count until visited.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { expect, it } from 'vitest'
import { REPO } from './harness.ts'

const DIST = join(REPO, 'packages/web/dist')
const BUDGET_KB = 300

it(`loads at most ${BUDGET_KB} KB of gzipped JavaScript before the first screen`, async () => {
  const html = await readFile(join(DIST, 'index.html'), 'utf8')
  const scripts = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1] ?? '')
  expect(scripts.length).toBeGreaterThan(0)
  let total = 0
  for (const s of scripts) total += gzipSync(await readFile(join(DIST, s))).length
  const kb = total / 1024
  console.log(`initial JavaScript: ${scripts.length} files, ${kb.toFixed(1)} KB gzipped`)
  expect(kb).toBeLessThanOrEqual(BUDGET_KB)
})
