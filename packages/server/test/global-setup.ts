import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { openDatabase } from '../src/db/database.ts'
import { TEMPLATE_DIR, TEST_TMP } from './paths.ts'

/**
 * Creating a PGlite database runs initdb (~4 s, ~800 MB once). Do it once per test run, migrate
 * it, and let every test copy the directory instead.
 */
export default async function setup(): Promise<() => void> {
  rmSync(TEST_TMP, { recursive: true, force: true })
  mkdirSync(TEST_TMP, { recursive: true })
  if (!existsSync(join(TEMPLATE_DIR, 'pg'))) {
    const db = await openDatabase({ dataDir: TEMPLATE_DIR, command: 'test template' })
    await db.close()
  }
  return () => rmSync(TEST_TMP, { recursive: true, force: true })
}
