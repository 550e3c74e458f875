/**
 * The page's side of the solver worker: jobs go to a Web Worker and come back as promises, so a long
 * search never blocks the notebook. `cancelAll` ends the running search (the worker is terminated
 * and started afresh on the next job): the board editor uses it so only the latest board is solved.
 * Where a worker cannot start (an unusual embedding), jobs run on the page after a yield instead.
 * The shared worker and the React hook are in use-solve.ts.
 */
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

/**
 * What the client needs of a Web Worker (a structural type, so the client also runs, and is tested,
 * outside a browser with a stand-in).
 */
export interface WorkerLike {
  postMessage(message: SolveRequestMessage): void
  terminate(): void
  addEventListener(type: 'message', listener: (event: { readonly data: SolveResponseMessage }) => void): void
  addEventListener(type: 'error', listener: (event: { readonly message?: string }) => void): void
}

interface Pending {
  readonly job: SolveJob
  resolve(answer: SolveAnswer): void
  reject(error: Error): void
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

/** A client with its own worker, made by `makeWorker` on the first job (and again after `cancelAll`). */
export function createSolverClient(makeWorker: () => WorkerLike): SolverClient {
  let worker: WorkerLike | null = null
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

  const start = (): WorkerLike | null => {
    if (worker !== null || broken) return worker
    try {
      worker = makeWorker()
    } catch (e) {
      fallBack((e as Error).message)
      return null
    }
    worker.addEventListener('message', (event) => {
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
