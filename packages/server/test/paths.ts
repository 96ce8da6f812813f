import { createHash } from 'node:crypto'
import { readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export const TEST_TMP = fileURLToPath(new URL('../../../.vitest-tmp/', import.meta.url))
const MIGRATIONS = fileURLToPath(new URL('../src/db/migrations/', import.meta.url))
/** The migrated PGlite template, named after the migrations' content so a change rebuilds it. */
export const TEMPLATE_DIR = `${TEST_TMP}template-${createHash('sha256')
  .update(
    readdirSync(MIGRATIONS)
      .sort()
      .map((f) => readFileSync(MIGRATIONS + f, 'utf8'))
      .join('\n'),
  )
  .digest('hex')
  .slice(0, 12)}`
export const SHARED_DATA = fileURLToPath(new URL('../../../../shared/data/', import.meta.url))
