import { Worker } from 'node:worker_threads'
import {
  encodeSummaries,
  summaryBuffers,
  type ScoreColumns,
  type SummaryColumns,
} from './columnar.ts'
import type { PipelineSettings } from './models.ts'
import type { ComputeInput, ComputeStep, RunFacts } from './refresh.compute.ts'

/**
 * Runs refresh.compute.ts in a worker thread, so that tens of seconds of model fitting and
 * scoring on a large workspace never stop the server's event loop (HTTP, job polls, the job
 * runner). The hand-over is columnar (columnar.ts): the main thread encodes the summaries in
 * slices with the event loop between them, the typed arrays are transferred, and the scores come
 * back the same way.
 *
 * The worker loads TypeScript: the process's own module hooks (bin/register.js) are not inherited
 * by workers on Node 20 (measured: the worker fails with ERR_UNKNOWN_FILE_EXTENSION), and Vitest
 * loads sources through Vite rather than through them, so the worker always imports the register
 * file itself (`execArgv`). Newer Node versions share the process's hooks with workers; the extra
 * registration is then a second, identical hook in front, which handles each file first.
 */

export type WorkerRequest = {
  now: SummaryColumns
  train: SummaryColumns
  validation: SummaryColumns
  asOfMs: number
  trainCutMs: number
  validationCutMs: number
  settings: PipelineSettings
}

export type WorkerReply =
  | { type: 'progress'; step: ComputeStep }
  | {
      type: 'result'
      facts: RunFacts
      scores: ScoreColumns
      /** Epoch ms when its modules were loaded; its decoding time. */
      worker: { loadedAt: number; decodeMs: number }
    }
  | { type: 'error'; name: string; message: string; stack: string }

const WORKER_URL = new URL('./refresh.worker.ts', import.meta.url)
const REGISTER_URL = new URL('../../bin/register.js', import.meta.url)

export type WorkerRun = {
  facts: RunFacts
  scores: ScoreColumns
  /**
   * Main-thread time spent encoding the summaries (`handoverMs`), the worker's life from
   * creation to termination (`workerMs`), its start-up until its modules were loaded
   * (`workerStartMs`), and its own decoding of the summaries (`workerCodecMs`).
   */
  timings: { handoverMs: number; workerMs: number; workerStartMs: number; workerCodecMs: number }
}

/** Computes in a worker; `input`'s row arrays are emptied once handed over. */
export async function computeInWorker(
  input: ComputeInput,
  o: { signal?: AbortSignal | undefined; onStep?: (step: ComputeStep) => void } = {},
): Promise<WorkerRun> {
  o.signal?.throwIfAborted()
  let t = performance.now()
  // Each cut-off's rows are let go once encoded (the caller keeps only `input`): while the
  // worker runs, its own copies are the only ones.
  const now = await encodeSummaries(input.now)
  input.now = []
  const train = await encodeSummaries(input.train)
  input.train = []
  const validation = await encodeSummaries(input.validation)
  input.validation = []
  const request: WorkerRequest = {
    now,
    train,
    validation,
    asOfMs: input.asOfMs,
    trainCutMs: input.trainCutMs,
    validationCutMs: input.validationCutMs,
    settings: input.settings,
  }
  const handoverMs = performance.now() - t
  o.signal?.throwIfAborted()
  t = performance.now()
  const createdAt = performance.timeOrigin + t
  const worker = new Worker(WORKER_URL, {
    workerData: request,
    transferList: [request.now, request.train, request.validation].flatMap(summaryBuffers),
    execArgv: ['--import', REGISTER_URL.href],
  })
  let result: Extract<WorkerReply, { type: 'result' }>
  try {
    result = await new Promise((resolve, reject) => {
      // The signal's reason is what the caller aborted with (the job queue's shutdown error).
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      const abort = () => reject(o.signal?.reason)
      o.signal?.addEventListener('abort', abort, { once: true })
      const settle = () => o.signal?.removeEventListener('abort', abort)
      worker.on('message', (reply: WorkerReply) => {
        if (reply.type === 'progress') o.onStep?.(reply.step)
        else if (reply.type === 'result') {
          settle()
          resolve(reply)
        } else {
          settle()
          reject(rebuildError(reply))
        }
      })
      // An error the worker could not catch itself (its modules failed to load, say).
      worker.on('error', (e) => {
        settle()
        reject(e)
      })
      worker.on('exit', (code) => {
        settle()
        reject(new Error(`the predictions worker exited (code ${code}) without a result`))
      })
    })
  } finally {
    // On success, on error and on abort alike: a refresh never leaves a thread behind.
    await worker.terminate()
  }
  const workerMs = performance.now() - t
  return {
    facts: result.facts,
    scores: result.scores,
    timings: {
      handoverMs: Math.round(handoverMs),
      workerMs: Math.round(workerMs),
      workerStartMs: Math.round(result.worker.loadedAt - createdAt),
      workerCodecMs: Math.round(result.worker.decodeMs),
    },
  }
}

const ERRORS: Record<string, ErrorConstructor> = { RangeError, TypeError, SyntaxError, Error }

/** The worker's error with its own class name, message and stack. */
function rebuildError(reply: { name: string; message: string; stack: string }): Error {
  const error = new (ERRORS[reply.name] ?? Error)(reply.message)
  error.name = reply.name
  if (reply.stack) error.stack = reply.stack
  return error
}
