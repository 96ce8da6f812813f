/**
 * Run by crash.test.ts in its own process: syncs a replica once, writes more to the record, then
 * starts a second sync and SIGKILLs itself in the middle of it (inside the DuckDB transaction).
 * Prints the first sync's watermark on stdout.
 */
import { AnalyticsReplica } from '../../src/analytics/index.ts'
import { openDatabase } from '../../src/db/database.ts'
import { rng, Workload } from './workload.ts'

const [kind, location, replicaPath] = process.argv.slice(2)
if (!kind || !location || !replicaPath)
  throw new Error('usage: crash-child <kind> <dataDir|url> <replica>')
const db = await openDatabase(
  kind === 'pglite'
    ? { dataDir: location, command: 'crash-child' }
    : { databaseUrl: location, dataDir: '', command: 'crash-child' },
)

let armed = false
let pages = 0
const replica = await AnalyticsReplica.open(db, {
  path: replicaPath,
  pageSize: 4,
  hooks: {
    afterPage: () => {
      if (armed && ++pages === 3) process.kill(process.pid, 'SIGKILL')
    },
  },
})
const first = await replica.sync()
process.stdout.write(`${first.toSeq}\n`)
const work = new Workload(db.db, rng(99))
await work.loadIds()
for (let i = 0; i < 40; i++) await work.step()
armed = true
await replica.sync()
throw new Error('the sync should have been killed')
