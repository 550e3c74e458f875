/**
 * The page's side of the solver worker: jobs go to a Web Worker and come back as promises, so a long
 * search never blocks the notebook. `cancelAll` ends the running search (the worker is terminated
 * and started afresh on the next job): the board editor uses it so only the latest board is solved.
 * Where a worker cannot start (an unusual embedding), jobs run on the page after a yield instead.
 */
import { useEffect, useState } from 'react'
import { runSolveJob, type SolveAnswer, type SolveJob, type SolveRequestMessage, type SolveResponseMessage } from './solve.ts'

/** The promise of a job that `cancelAll` dropped. */
export class SupersededError extends Error {
  constructor() {
    super('This solve was superseded by a newer one.')
    this.name = 'SupersededError'
  }
}

export interface SolverClient {
  solve(job: SolveJob): Promise<SolveAnswer>
  /** Rejects every pending job with SupersededError and stops the one running. */
  cancelAll(): void
  dispose(): void
}

interface Pending {
  readonly job: SolveJob
  resolve(answer: SolveAnswer): void
  reject(error: Error): void
}

function defaultWorker(): Worker {
  return new Worker(new URL('./solver.worker.ts', import.meta.url), { type: 'module' })
}

function runOnPage(job: SolveJob): Promise<SolveAnswer> {
  // Yield first so the click that asked for the solve paints before the search starts.
  return new Promise((resolve, reject) =>
    setTimeout(() => {
      try {
        resolve(runSolveJob(job, () => performance.now()))
      } catch (e) {
        reject(e as Error)
      }
    }, 0),
  )
}

/** A client with its own worker (started on the first job). */
export function createSolverClient(makeWorker: () => Worker = defaultWorker): SolverClient {
  let worker: Worker | null = null
  let broken = false
  let nextId = 1
  const pending = new Map<number, Pending>()

  const fallBack = (why: string): void => {
    broken = true
    worker?.terminate()
    worker = null
    console.warn(`The solver worker failed (${why}); solving on the page instead.`)
    const jobs = [...pending.values()]
    pending.clear()
    for (const p of jobs) runOnPage(p.job).then(p.resolve, p.reject)
  }

  const start = (): Worker | null => {
    if (worker !== null || broken) return worker
    try {
      worker = makeWorker()
    } catch (e) {
      fallBack((e as Error).message)
      return null
    }
    worker.addEventListener('message', (event: MessageEvent<SolveResponseMessage>) => {
      const message = event.data
      const p = pending.get(message.id)
      if (p === undefined) return
      pending.delete(message.id)
      if (message.ok) p.resolve(message.answer)
      else p.reject(new Error(message.error))
    })
    worker.addEventListener('error', (event) => fallBack(event.message || 'it could not be loaded'))
    return worker
  }

  return {
    solve(job) {
      const w = start()
      if (w === null) return runOnPage(job)
      return new Promise<SolveAnswer>((resolve, reject) => {
        const id = nextId++
        pending.set(id, { job, resolve, reject })
        const message: SolveRequestMessage = { id, job }
        w.postMessage(message)
      })
    },
    cancelAll() {
      if (pending.size === 0) return
      worker?.terminate()
      worker = null
      const dropped = [...pending.values()]
      pending.clear()
      for (const p of dropped) p.reject(new SupersededError())
    },
    dispose() {
      this.cancelAll()
      worker?.terminate()
      worker = null
    },
  }
}

let shared: SolverClient | null = null
const cache = new Map<string, Promise<SolveAnswer>>()
const CACHE_LIMIT = 500

/** Solves a job on the shared worker, once per distinct job (gallery thumbnails ask again on every render). */
export function solveCached(job: SolveJob): Promise<SolveAnswer> {
  const key = JSON.stringify(job)
  const hit = cache.get(key)
  if (hit !== undefined) return hit
  shared ??= createSolverClient()
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
