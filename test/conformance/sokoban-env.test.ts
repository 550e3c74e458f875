// Conformance suite for Sokoban environments (style.md rules 8 and 12), run through the shared
// check in test/harness/sokoban-env-check.ts on the sample levels.
import { describe, expect, it } from 'vitest'
import type { Level } from '../../core/sokoban/level.ts'
import { parseXsb, parseXsbLevel } from '../../core/sokoban/xsb.ts'
import { SokobanEnv } from '../../core/sokoban/env.ts'
import { readRepoText } from '../harness/repo.ts'
import { checkEnv, type SokobanEnvLike } from '../harness/sokoban-env-check.ts'

describe('Sokoban env conformance', () => {
  const tutorial = parseXsb(readRepoText('samples/levels/tutorial.xsb'))
  const seed123 = parseXsbLevel(['######', '######', '#.####', '#$@###', '#  ###', '######'].join('\n'))
  const levels: Level[] = [seed123, ...tutorial]
  const source = (seed: number): Level => levels[seed % levels.length]
  const seeds = Array.from({ length: 14 }, (_, i) => i)

  it('[rule 12] SokobanEnv with the paper step budget passes the suite on sample levels', () => {
    checkEnv(() => new SokobanEnv({ maxSteps: 30 }, source), seeds)
  })

  it('[rule 12] and with a short budget that truncates most episodes', () => {
    checkEnv(() => new SokobanEnv({ maxSteps: 5 }, source), seeds)
  })

  it('the suite fails an env whose rollouts depend on hidden state', () => {
    let calls = 0
    const leaky = (): SokobanEnvLike => new SokobanEnv({ maxSteps: 30 }, () => levels[calls++ % levels.length])
    expect(() => checkEnv(leaky, [0])).toThrow()
  })
})
