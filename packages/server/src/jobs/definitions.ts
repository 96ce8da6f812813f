import type { AppContext } from '../http/context.ts'
import { importJob } from './import.job.ts'
import { predictionsJob } from './predictions.job.ts'
import type { JobDefinition } from './queue.ts'
import { segmentsSnapshotJob } from './segments.job.ts'

/**
 * Registry of every background job. Each definition lives in its own file; handlers receive the
 * application context lazily, because the queue is built while the context is being assembled.
 */
export function jobDefinitions(ctx: () => AppContext): JobDefinition[] {
  return [importJob(ctx), segmentsSnapshotJob(ctx), predictionsJob(ctx)]
}
