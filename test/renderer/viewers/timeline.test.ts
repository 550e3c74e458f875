import { describe, expect, it } from 'vitest'
import type { StoredTurn } from '../../../core/eval/types.ts'
import { DOWN, LEFT, RIGHT, UP, type Direction } from '../../../core/sokoban/directions.ts'
import { parseXsbLevel } from '../../../core/sokoban/xsb.ts'
import { deadBoxes, describeStep, timelineFromPlan, timelineFromTurns } from '../../../renderer/src/viewers/timeline.ts'

// Row-major cells of a 3x5 corridor: player at 6, box at 7, goal at 8.
const CORRIDOR = parseXsbLevel('#####\n#@$.#\n#####')

// A 5x5 room: pushing the box left puts it against the left wall, a column with no goal.
const ROOM = parseXsbLevel(['#####', '#  .#', '# $@#', '#   #', '#####'].join('\n'))

function turn(n: number, fields: Partial<StoredTurn>): StoredTurn {
  return {
    turn: n,
    promptHash: `h${n}`,
    output: '',
    parsed: [],
    parseError: null,
    action: null,
    effective: false,
    reward: -0.1,
    boxesOnGoals: 0,
    deadlock: false,
    optimal: null,
    tokens: 3,
    finishReason: 'stop',
    ...fields,
  }
}

describe('timelineFromPlan', () => {
  it('replays a one-push plan: the box lands on the goal and the last frame is solved', () => {
    const t = timelineFromPlan(CORRIDOR, [RIGHT])
    expect(t.frames.map((f) => f.state)).toEqual([
      { player: 6, boxes: [7] },
      { player: 7, boxes: [8] },
    ])
    expect(t.frames.map((f) => [f.boxesOnGoals, f.solved])).toEqual([
      [0, false],
      [1, true],
    ])
    expect(t.steps[0]).toMatchObject({ action: RIGHT, effective: true, pushed: true, turn: null })
    expect(t.marks).toEqual([])
  })

  it('an empty plan is just the start position', () => {
    const t = timelineFromPlan(CORRIDOR, [])
    expect(t.frames).toHaveLength(1)
    expect(t.steps).toHaveLength(0)
    expect(describeStep(t.steps[0], t.frames[0])).toMatch(/not solved/)
  })

  it('marks the first position where a box can never reach a goal', () => {
    // UP walks, LEFT pushes the box from (2,2) to (2,1) beside the left wall.
    const t = timelineFromPlan(ROOM, [UP, DOWN, LEFT])
    expect(t.frames.map((f) => f.dead)).toEqual([false, false, false, true])
    expect(t.firstDeadlockFrame).toBe(3)
    expect(t.marks).toContainEqual({ frame: 3, kind: 'first-deadlock' })
  })
})

describe('deadBoxes', () => {
  it('finds a box pushed against a wall with no goal along it, and no box at the start', () => {
    expect(deadBoxes(ROOM, ROOM.start)).toEqual([])
    // Box at row 2, column 1 (cell 11), player beside it at cell 12.
    expect(deadBoxes(ROOM, { player: 12, boxes: [11] })).toEqual([11])
  })

  it('a box frozen on its goal is not dead, one frozen off a goal is', () => {
    const level = parseXsbLevel(['######', '#@ $.#', '#  $.#', '######'].join('\n'))
    // Two boxes on the goals of the right column, walled on the right, above and below: frozen, yet fine.
    expect(deadBoxes(level, { player: 7, boxes: [10, 16] })).toEqual([])
    // Two boxes side by side under the top wall: each holds the other, so neither can move again.
    expect(deadBoxes(level, { player: 7, boxes: [8, 9] })).toEqual([8, 9])
    // Stacked in a column with floor on both sides they can still be pushed right: not dead.
    expect(deadBoxes(level, { player: 7, boxes: [9, 15] })).toEqual([])
  })
})

describe('timelineFromTurns', () => {
  const turns: StoredTurn[] = [
    turn(1, { output: 'I think <answer>Jump</answer>', parseError: 'unknown-action', optimal: RIGHT }),
    turn(2, { output: '<answer>Left</answer>', parsed: [LEFT], action: LEFT, effective: false, optimal: RIGHT }),
    turn(3, { output: '<answer>Right</answer>', parsed: [RIGHT], action: RIGHT, effective: true, optimal: RIGHT, boxesOnGoals: 1, reward: 10.9 }),
  ]

  it('replays the turns: an unreadable answer and a bump leave the position unchanged', () => {
    const t = timelineFromTurns(CORRIDOR, turns)
    expect(t.frames.map((f) => f.state.player)).toEqual([6, 6, 6, 7])
    expect(t.frames[3].solved).toBe(true)
    expect(t.steps.map((s) => [s.turn, s.parseError, s.action, s.effective])).toEqual([
      [1, 'unknown-action', null, false],
      [2, null, LEFT, false],
      [3, null, RIGHT, true],
    ])
    expect(t.warnings).toEqual([])
  })

  it('marks invalid, ineffective and off-optimal steps at the frame they start from', () => {
    const t = timelineFromTurns(CORRIDOR, turns)
    expect(t.marks).toEqual([
      { frame: 0, kind: 'invalid' },
      { frame: 1, kind: 'ineffective' },
      { frame: 1, kind: 'off-optimal' },
    ])
  })

  it('labels each step with the model move, the optimal move and what happened', () => {
    const t = timelineFromTurns(CORRIDOR, turns)
    expect(describeStep(t.steps[0], t.frames[0])).toContain('could not be read (unknown-action)')
    expect(describeStep(t.steps[1], t.frames[1])).toContain('model Left (optimal: Right)')
    expect(describeStep(t.steps[1], t.frames[1])).toContain('bumped')
    expect(describeStep(t.steps[2], t.frames[2])).toContain('model Right (optimal)')
    expect(describeStep(t.steps[2], t.frames[2])).toContain('pushed a box')
    expect(describeStep(undefined, t.frames[3])).toBe('Final position: solved.')
  })

  it('takes dead positions from the stored flags and finds the first one', () => {
    const dead: StoredTurn[] = [
      turn(1, { parsed: [UP], action: UP, effective: true }),
      turn(2, { parsed: [DOWN], action: DOWN, effective: true }),
      turn(3, { parsed: [LEFT], action: LEFT, effective: true, deadlock: true }),
      turn(4, { parsed: [UP], action: UP, effective: true, deadlock: true }),
    ]
    const t = timelineFromTurns(ROOM, dead)
    expect(t.firstDeadlockFrame).toBe(3)
    expect(t.marks.filter((m) => m.kind === 'first-deadlock')).toEqual([{ frame: 3, kind: 'first-deadlock' }])
  })

  it('warns when the record disagrees with the replay (turns from another level)', () => {
    const t = timelineFromTurns(CORRIDOR, [turn(1, { parsed: [UP], action: UP as Direction, effective: true })])
    expect(t.warnings).toHaveLength(1)
    expect(t.warnings[0]).toMatch(/Turn 1: .*Up.*effective/)
  })

  it('open loop: later moves of one turn carry no output of their own', () => {
    const t = timelineFromTurns(CORRIDOR, [
      turn(1, { output: '<answer>Left, Right</answer>', parsed: [LEFT, RIGHT], action: LEFT, effective: false }),
      turn(1, { output: '', parsed: [], action: RIGHT, effective: true }),
    ])
    expect(t.steps.map((s) => s.output)).toEqual(['<answer>Left, Right</answer>', null])
    expect(t.frames[2].solved).toBe(true)
  })
})
