import { defineConfig } from 'vitest/config'

// One runner for the workspace. Pure core tests are fast; server tests open real databases
// (PGlite always, PostgreSQL when TEST_DATABASE_URL is set), so they get longer timeouts.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'core',
          include: ['packages/core/src/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'server',
          include: ['packages/server/src/**/*.test.ts', 'packages/server/test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          globalSetup: ['packages/server/test/global-setup.ts'],
        },
      },
    ],
  },
})
