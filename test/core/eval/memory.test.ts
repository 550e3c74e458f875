import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { runSweep } from '../../../core/eval/runner.ts'
import { oracleClient } from '../../../core/eval/scripted.ts'
import type { CellResult } from '../../../core/eval/types.ts'
import { hash, sweep, tickClock } from './helpers.ts'

// A full collection before each reading, so the heap size reflects what is still referenced.
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

function heapAfterGc(): number {
  gc()
  gc()
  return process.memoryUsage().heapUsed
}

describe('runSweep: memory', () => {
  it('stays flat over a 20,000-cell sweep: the runner keeps no per-cell data', async () => {
    // 50 levels x 400 repeats: every per-level cache is warm after the first few hundred cells, so
    // anything that still grows is per-cell. A kept result is about 2 KB: 18,000 of them would add 30+ MB.
    const spec = sweep('sokoban', { instances: 50, repeats: 400, concurrency: 16 })
    let count = 0
    let atStart = 0
    let atEnd = 0
    const outcome = await runSweep(spec, {
      clients: new Map([['m', oracleClient()]]),
      clock: tickClock(),
      hash,
      sink: {
        prompt: () => {},
        result: (_result: CellResult) => {
          count++
          if (count === 2_000) atStart = heapAfterGc()
          if (count === 20_000) atEnd = heapAfterGc()
        },
      },
    })
    expect(outcome.done).toBe(20_000)
    expect(count).toBe(20_000)
    expect(atEnd - atStart).toBeLessThan(8 * 1024 * 1024)
  })
})
