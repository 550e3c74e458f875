import { describe, expect, it, vi } from 'vitest'
import { answerMessage, type SolveRequestMessage, type SolveResponseMessage } from '../../../renderer/src/workers/solve.ts'
import { SupersededError, createSolverClient, type WorkerLike } from '../../../renderer/src/workers/solver-client.ts'

/** A stand-in for a Web Worker: answers messages on a later tick, or holds them until `flush`. */
class FakeWorker extends EventTarget {
  terminated = false
  held: SolveRequestMessage[] = []
  constructor(private readonly hold = false) {
    super()
  }
  postMessage(message: SolveRequestMessage): void {
    if (this.hold) this.held.push(message)
    else setTimeout(() => this.reply(message), 0)
  }
  reply(message: SolveRequestMessage): void {
    if (this.terminated) return
    const data: SolveResponseMessage = answerMessage(message, () => performance.now())
    this.dispatchEvent(new MessageEvent('message', { data }))
  }
  terminate(): void {
    this.terminated = true
  }
}

const LEVEL = '#####\n#@$.#\n#####'

describe('solver client', () => {
  it('answers jobs through the worker, each promise with its own job', async () => {
    const client = createSolverClient(() => new FakeWorker() as unknown as WorkerLike)
    const [a, b] = await Promise.all([
      client.solve({ kind: 'sokoban', xsb: LEVEL }),
      client.solve({ kind: 'gp', values: [1, 1, 1, 1], target: 24 }),
    ])
    expect(a).toMatchObject({ kind: 'sokoban', status: 'solved', moveCount: 1 })
    expect(b).toMatchObject({ kind: 'gp', count: 0 })
  })

  it('cancelAll rejects pending jobs as superseded and stops the worker; the next job gets a new one', async () => {
    const workers: FakeWorker[] = []
    const client = createSolverClient(() => {
      const w = new FakeWorker(workers.length === 0)
      workers.push(w)
      return w as unknown as WorkerLike
    })
    const old = client.solve({ kind: 'sokoban', xsb: LEVEL })
    client.cancelAll()
    await expect(old).rejects.toBeInstanceOf(SupersededError)
    expect(workers[0].terminated).toBe(true)
    await expect(client.solve({ kind: 'sokoban', xsb: LEVEL })).resolves.toMatchObject({ status: 'solved' })
    expect(workers).toHaveLength(2)
  })

  it('solves on the page when no worker can start', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const client = createSolverClient(() => {
      throw new Error('workers are disabled')
    })
    await expect(client.solve({ kind: 'sokoban', xsb: LEVEL })).resolves.toMatchObject({ status: 'solved', moveCount: 1 })
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('workers are disabled'))
    warn.mockRestore()
  })

  it('a worker that fails to load hands its pending jobs to the page', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const broken = new FakeWorker(true)
    const client = createSolverClient(() => broken as unknown as WorkerLike)
    const job = client.solve({ kind: 'sokoban', xsb: LEVEL })
    broken.dispatchEvent(Object.assign(new Event('error'), { message: 'bad script' }))
    await expect(job).resolves.toMatchObject({ status: 'solved' })
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('bad script'))
    warn.mockRestore()
  })
})
