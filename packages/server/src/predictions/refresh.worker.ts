import { parentPort, workerData } from 'node:worker_threads'
import { decodeSummaries, scoreBuffers } from './columnar.ts'
import { computePredictions } from './refresh.compute.ts'
import type { WorkerReply, WorkerRequest } from './refresh.runner.ts'

/**
 * The refresh worker: decodes the summaries it was handed (columnar.ts), runs the CPU part of
 * the refresh (refresh.compute.ts) and sends the scores back: columns, transferred. One worker
 * per refresh, started by refresh.runner.ts, which terminates it afterwards.
 */
const port = parentPort
if (!port) throw new Error('refresh.worker.ts runs only as a worker thread')
const post = (reply: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer)

try {
  // Epoch milliseconds once the modules are loaded: the runner reports the start-up cost.
  const loadedAt = performance.timeOrigin + performance.now()
  const request = workerData as WorkerRequest
  const t = performance.now()
  const input = {
    now: decodeSummaries(request.now),
    train: decodeSummaries(request.train),
    validation: decodeSummaries(request.validation),
  }
  const decodeMs = performance.now() - t
  const { facts, scores } = computePredictions(
    {
      ...input,
      asOfMs: request.asOfMs,
      trainCutMs: request.trainCutMs,
      validationCutMs: request.validationCutMs,
      settings: request.settings,
    },
    (step) => post({ type: 'progress', step }),
  )
  const worker = { loadedAt, decodeMs }
  post({ type: 'result', facts, scores, worker }, scoreBuffers(scores))
} catch (e) {
  const error = e instanceof Error ? e : new Error(String(e))
  post({ type: 'error', name: error.name, message: error.message, stack: error.stack ?? '' })
}
