import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export const TEST_TMP = fileURLToPath(new URL('../../../.vitest-tmp/', import.meta.url))
/** The migrated PGlite template, named after the migrations it holds so a new one rebuilds it. */
export const TEMPLATE_DIR = `${TEST_TMP}template-${readdirSync(fileURLToPath(new URL('../src/db/migrations/', import.meta.url)))
  .filter((f) => /^\d{4}-.*\.ts$/.test(f))
  .sort()
  .map((f) => f.slice(0, 4))
  .join('_')}`
export const SHARED_DATA = fileURLToPath(new URL('../../../../shared/data/', import.meta.url))
