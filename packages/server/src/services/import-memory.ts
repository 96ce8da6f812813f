import { getHeapStatistics, setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

/**
 * Keeps the JavaScript heap of a long import near what is live. V8 collects the old generation
 * when it has grown to a multiple of what survived the previous full collection, so over an
 * import of a million rows (every batch's records, column arrays and SQL parameters promoted,
 * then dead) the heap floated 100–270 MB above the live data. Node fixes its heap limits
 * (`--max-old-space-size`) at start-up, before `fedele` can choose them, and setting them later
 * does nothing; so the import asks for a full collection itself once the heap has grown
 * `budgetMb` beyond what the last one left.
 *
 * Measured with `fedele import orders` of a 1M-row CSV into PostgreSQL (with 64 KB chunks, see
 * import.service.ts): peak RSS of the import pass 429 → 259 MB for 24.5 → 26.3 s of CPU. For
 * comparison, starting Node with --max-old-space-size=96 gave 286 MB for 33.9 s of CPU,
 * --max-semi-space-size=2 388 MB, --optimize-for-size 238 MB for 56.5 s.
 */
export type HeapGuard = {
  /** Collects when the heap grew past the budget; cheap otherwise (one heap statistics read). */
  check(): void
  /** Collects now (before work that needs the room, such as the replica sync). */
  collect(): void
}

let gc: (() => void) | undefined

function collector(): () => void {
  if (!gc) {
    // V8's collector without starting Node with --expose-gc: set now, the flag gives contexts
    // created afterwards a `gc` function (the technique of the `expose-gc` package).
    setFlagsFromString('--expose-gc')
    gc = runInNewContext('gc') as () => void
  }
  return gc
}

export function createHeapGuard(budgetMb: number): HeapGuard {
  const budget = budgetMb * 1024 * 1024
  let limit = getHeapStatistics().used_heap_size + budget
  const collect = () => {
    collector()()
    limit = getHeapStatistics().used_heap_size + budget
  }
  return {
    check() {
      if (getHeapStatistics().used_heap_size > limit) collect()
    },
    collect,
  }
}

/**
 * Compile WebAssembly with V8's baseline compiler only (Liftoff), for a process that is about to
 * open PGlite and do nothing but an import. By default V8 compiles the PostgreSQL module with
 * Liftoff and recompiles its hot functions with TurboFan in the background, keeping both: with
 * Liftoff alone a PGlite data dir opened at 161 instead of 200 MB RSS, and `fedele import` of
 * 1M orders (runs alternated, load 7–10) peaked at 343–351 instead of 412–421 MB in the import
 * pass, for 40.7–42.5 instead of 37.3–40.0 s of CPU: Liftoff's code is slower (COPY of 300k
 * orders 16.3 → 21.6 µs a row) but nothing is compiled twice. Must run before PGlite compiles
 * its module; it holds for the rest of the process, so it is not for `fedele serve`, whose
 * queries would run on the slower code.
 */
export function useBaselineWasmCompiler(): void {
  setFlagsFromString('--liftoff-only')
}
