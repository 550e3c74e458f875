import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { LEFT, RIGHT, UP } from '../../../core/sokoban/directions.ts'
import { sameState } from '../../../core/sokoban/level.ts'
import { solve } from '../../../core/sokoban/solve/search.ts'
import { parseXsb, parseXsbLevel } from '../../../core/sokoban/xsb.ts'
import { handMove, handState, handStatus, handUndo, startHand } from '../../../renderer/src/viewers/hand-play.ts'

const TUTORIAL = parseXsb(fs.readFileSync(path.resolve(import.meta.dirname, '../../../samples/levels/tutorial.xsb'), 'utf8'))

describe('playing by hand', () => {
  it.each(TUTORIAL.map((level, i) => [i + 1, level] as const))(
    'tutorial level %i: the solver plan played by hand solves it with the solver pushes',
    (_, level) => {
      const plan = solve(level, { optimal: 'moves' })
      expect(plan.status).toBe('solved')
      let s = startHand(level)
      for (const move of plan.moves) s = handMove(s, move)
      expect(s.moves).toHaveLength(plan.moveCount)
      expect(s.pushes).toBe(plan.pushCount)
      expect(handStatus(s)).toMatch(/solved$/)
    },
  )

  it('undo walks back through the same positions and push counts', () => {
    const level = TUTORIAL[1]
    const plan = solve(level, { optimal: 'moves' })
    let s = startHand(level)
    const seen = [s]
    for (const move of plan.moves) {
      s = handMove(s, move)
      seen.push(s)
    }
    for (let i = seen.length - 2; i >= 0; i--) {
      s = handUndo(s)
      expect(sameState(handState(s), handState(seen[i]))).toBe(true)
      expect(s.pushes).toBe(seen[i].pushes)
    }
    expect(handUndo(s).moves).toEqual([])
  })

  it('a bump into a wall is reported and not counted as a move', () => {
    const level = parseXsbLevel('#####\n#@$.#\n#####')
    const s = handMove(startHand(level), UP)
    expect(s.bumped).toBe(true)
    expect(s.moves).toEqual([])
    expect(handMove(s, LEFT).bumped).toBe(true)
  })

  it('ignores moves once the level is solved', () => {
    const level = parseXsbLevel('######\n#@$. #\n######')
    const solved = handMove(startHand(level), RIGHT)
    expect(handStatus(solved)).toBe('1 moves, 1 pushes, 1/1 boxes on goals · solved')
    expect(handMove(solved, RIGHT)).toBe(solved)
  })
})
