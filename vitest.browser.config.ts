import { defineConfig } from 'vitest/config'

/**
 * The dashboard's browser journeys: a real `fedele serve` on a fresh data directory, driven by
 * Debian's Chromium through playwright-core. `npm run test:browser` builds the page first; the
 * tests build nothing. One fork, files one after another: each file owns a server and a browser,
 * and two at once would only fight over two cores.
 */
export default defineConfig({
  test: {
    name: 'browser',
    include: ['packages/web/test-browser/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 240_000,
    // The machine may be busy: give the page time before a polled expectation fails.
    expect: { poll: { timeout: 30_000, interval: 100 } },
  },
})
