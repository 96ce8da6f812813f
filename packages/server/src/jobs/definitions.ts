import type { JobDefinition } from './queue.ts'

/** Registry of every background job. Each definition lives in its own file. */
export const JOB_DEFINITIONS: JobDefinition[] = []
