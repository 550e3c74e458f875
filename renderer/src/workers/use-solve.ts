/**
 * The solver worker in the page: the shared client behind the gallery (one solve per distinct job,
 * cached) and `useSolve`, the hook that gives a component the answer to a job.
 */
import { useEffect, useState } from 'react'
import { createSolverClient, type SolverClient, type WorkerLike } from './solver-client.ts'
import type { SolveAnswer, SolveJob } from './solve.ts'

/** A new solver worker (Vite bundles the module and its core/ imports into one worker script). */
function makeSolverWorker(): WorkerLike {
  return new Worker(new URL('./solver.worker.ts', import.meta.url), { type: 'module' }) as WorkerLike
}

/** A client with a worker of its own (the board editor's, so its cancellations touch nothing else). */
export function newSolverClient(): SolverClient {
  return createSolverClient(makeSolverWorker)
}

let shared: SolverClient | null = null
const cache = new Map<string, Promise<SolveAnswer>>()
const CACHE_LIMIT = 500

/** Solves a job on the shared worker, once per distinct job (gallery thumbnails ask again on every render). */
export function solveCached(job: SolveJob): Promise<SolveAnswer> {
  const key = JSON.stringify(job)
  const hit = cache.get(key)
  if (hit !== undefined) return hit
  shared ??= newSolverClient()
  const promise = shared.solve(job)
  // A failed job is not cached, so asking again retries it.
  promise.catch(() => cache.delete(key))
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string)
  cache.set(key, promise)
  return promise
}

export interface SolveState {
  readonly answer: SolveAnswer | null
  readonly error: string | null
  readonly pending: boolean
}

/** The answer to `job` from the shared worker (null: nothing to solve). */
export function useSolve(job: SolveJob | null): SolveState {
  const key = job === null ? null : JSON.stringify(job)
  const [state, setState] = useState<SolveState & { key: string | null }>({ key: null, answer: null, error: null, pending: false })
  useEffect(() => {
    if (key === null) return
    let live = true
    solveCached(JSON.parse(key) as SolveJob).then(
      (answer) => live && setState({ key, answer, error: null, pending: false }),
      (e: Error) => live && setState({ key, answer: null, error: e.message, pending: false }),
    )
    return () => {
      live = false
    }
  }, [key])
  if (key === null) return { answer: null, error: null, pending: false }
  if (state.key !== key) return { answer: null, error: null, pending: true }
  return state
}
