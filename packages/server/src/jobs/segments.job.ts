import { z } from 'zod'
import type { AppContext } from '../http/context.ts'
import { snapshotSegments } from '../segments/segments.service.ts'
import type { JobDefinition, JobQueue } from './queue.ts'

export const SEGMENTS_SNAPSHOT_JOB = 'segments-snapshot'

export const ZSegmentsSnapshotJob = z.object({
  reason: z.enum(['daily', 'import', 'saved', 'manual']).default('manual'),
})

const DAY_MS = 86_400_000

/**
 * Queues the next daily snapshot, one per UTC day: the dedupe key carries the date, so however
 * many times this runs (every snapshot calls it) there is one queued job per day.
 */
export async function scheduleDailySnapshot(jobs: JobQueue, now: Date = new Date()): Promise<void> {
  const next = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS + DAY_MS + 5 * 60_000)
  await jobs.enqueue(
    SEGMENTS_SNAPSHOT_JOB,
    { reason: 'daily' },
    { dedupeKey: `${SEGMENTS_SNAPSHOT_JOB}:daily:${next.toISOString().slice(0, 10)}`, runAt: next },
  )
}

/**
 * Queues a snapshot after new facts (an import), when there is a saved segment to snapshot: no
 * segments, no job.
 */
export async function snapshotAfterImport(ctx: AppContext): Promise<void> {
  const any = await ctx.database.db.selectFrom('segments').select('id').limit(1).executeTakeFirst()
  if (any) await ctx.jobs.enqueue(SEGMENTS_SNAPSHOT_JOB, { reason: 'import' })
}

/**
 * Snapshots every saved segment's membership (count, value, entered, exited) into
 * segment_membership_history: daily (the job queues tomorrow's run), after imports and when a
 * segment is saved. Safe to repeat: a snapshot is keyed by its time, and the member set it
 * diffs against is replaced in the same transaction.
 */
export function segmentsSnapshotJob(
  ctx: () => AppContext,
): JobDefinition<typeof ZSegmentsSnapshotJob> {
  return {
    name: SEGMENTS_SNAPSHOT_JOB,
    schema: ZSegmentsSnapshotJob,
    maxAttempts: 3,
    handler: async (p) => {
      const result = await snapshotSegments(ctx(), p.reason)
      if (result.segments > 0 || result.skipped.length > 0) await scheduleDailySnapshot(ctx().jobs)
      return result
    },
  }
}
