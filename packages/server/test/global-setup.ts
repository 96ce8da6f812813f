import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { openDatabase } from '../src/db/database.ts'
import { TEMPLATE_DIR, TEST_TMP } from './paths.ts'

/**
 * Creating a PGlite database runs initdb (~4 s, ~800 MB once). Build one migrated template per
 * schema version and let every test copy the directory instead. Concurrent runs are safe: the
 * template is built under a private name and renamed into place; each test's own directory has
 * a random name and is removed by the test; leftovers older than a day are swept here.
 */
export default async function setup(): Promise<void> {
  mkdirSync(TEST_TMP, { recursive: true })
  const dayAgo = Date.now() - 24 * 3600 * 1000
  for (const entry of readdirSync(TEST_TMP)) {
    const path = `${TEST_TMP}${entry}`
    if (!path.startsWith(TEMPLATE_DIR) && statSync(path).mtimeMs < dayAgo) {
      rmSync(path, { recursive: true, force: true })
    }
  }
  if (!existsSync(`${TEMPLATE_DIR}/pg`)) {
    const building = `${TEMPLATE_DIR}.building-${process.pid}`
    const db = await openDatabase({ dataDir: building, command: 'test template' })
    await db.close()
    rmSync(`${building}/fedele.lock`, { force: true })
    try {
      renameSync(building, TEMPLATE_DIR)
    } catch {
      rmSync(building, { recursive: true, force: true })
    }
  }
}
