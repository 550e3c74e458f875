// The step-through's markup for a given frame, rendered on the server side of React (no DOM needed):
// which overlays and labels a researcher sees. Interaction (keys, playback) is covered in Chromium by
// test/e2e/viewers.test.ts.
import { createElement, type FunctionComponent } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import type { StoredTurn } from '../../../core/eval/types.ts'
import { DOWN, LEFT, RIGHT, UP, type Direction } from '../../../core/sokoban/directions.ts'

/** EpisodePlayer's props (renderer/src/viewers/EpisodePlayer.tsx; that project type-checks the component). */
interface EpisodePlayerProps {
  readonly levelXsb: string
  readonly turns: readonly StoredTurn[]
  readonly plan?: readonly Direction[]
  readonly initialFrame?: number
}

// Imported by a path held in a variable: the component needs the DOM and JSX settings of the renderer's
// TypeScript project, which this (Node) project does not have; vitest compiles it as usual.
const COMPONENT = '../../../renderer/src/viewers/EpisodePlayer.tsx'
const { EpisodePlayer } = (await import(COMPONENT)) as { EpisodePlayer: FunctionComponent<EpisodePlayerProps> }

const CORRIDOR = '#####\n#@$.#\n#####'
const ROOM = ['#####', '#  .#', '# $@#', '#   #', '#####'].join('\n')

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

function html(props: EpisodePlayerProps): string {
  return renderToStaticMarkup(createElement(EpisodePlayer, props))
}

/** The `data-move` of every element with this `data-overlay`. */
function overlays(markup: string, kind: string): string[] {
  return [...markup.matchAll(new RegExp(`data-overlay="${kind}"(?: data-move="(\\w+)")?`, 'g'))].map((m) => m[1] ?? kind)
}

function testId(markup: string, id: string): string | null {
  const m = new RegExp(`data-testid="${id}"[^>]*>([^<]*)<`).exec(markup)
  return m === null ? null : m[1]
}

describe('EpisodePlayer markup', () => {
  const bump = [
    turn(1, { output: 'Go <answer>Left</answer>', parsed: [LEFT], action: LEFT, effective: false, optimal: RIGHT }),
    turn(2, { output: '<answer>Right</answer>', parsed: [RIGHT], action: RIGHT, effective: true, optimal: RIGHT, boxesOnGoals: 1 }),
  ]

  it('shows the model move against the optimal one, and a move that changed nothing', () => {
    const m = html({ levelXsb: CORRIDOR, turns: bump })
    expect(overlays(m, 'model')).toEqual(['Left'])
    expect(overlays(m, 'optimal')).toEqual(['Right'])
    expect(overlays(m, 'ineffective')).toEqual(['ineffective'])
    expect(testId(m, 'step-label')).toBe('Turn 1: model Left (optimal: Right); bumped: nothing moved.')
    expect(testId(m, 'parse-result')).toBe('parsed: Left')
    expect(m).toContain('Go &lt;answer&gt;Left&lt;/answer&gt;')
    expect(m).toMatch(/data-testid="step-counter"[^>]*>step 0 \/ 2</)
  })

  it('the last frame shows the final position: the box on its goal is drawn as such', () => {
    const m = html({ levelXsb: CORRIDOR, turns: bump, initialFrame: 2 })
    expect(testId(m, 'step-label')).toBe('Final position: solved.')
    expect(m).toMatch(/data-box="8" data-on-goal="true"/)
    expect(overlays(m, 'model')).toEqual([])
  })

  it('an unreadable answer is marked and labelled with its parse failure', () => {
    const m = html({ levelXsb: CORRIDOR, turns: [turn(1, { output: 'I would go up', parseError: 'no-answer-tag', optimal: RIGHT })] })
    expect(overlays(m, 'invalid')).toEqual(['invalid'])
    expect(overlays(m, 'model')).toEqual([])
    expect(overlays(m, 'optimal')).toEqual(['Right'])
    expect(testId(m, 'parse-result')).toBe('unreadable: no-answer-tag')
  })

  it('marks the dead box and the first deadlock, and later frames as dead since then', () => {
    const turns = [
      turn(1, { parsed: [UP], action: UP, effective: true, output: '<answer>Up</answer>' }),
      turn(2, { parsed: [DOWN], action: DOWN, effective: true, output: '<answer>Down</answer>' }),
      turn(3, { parsed: [LEFT], action: LEFT, effective: true, deadlock: true, output: '<answer>Left</answer>' }),
      turn(4, { parsed: [UP], action: UP, effective: true, deadlock: true, output: '<answer>Up</answer>' }),
    ]
    const first = html({ levelXsb: ROOM, turns, initialFrame: 3 })
    expect(first).toMatch(/data-box="11"[^>]*>.*data-overlay="dead-box"/)
    expect(testId(first, 'deadlock-note')).toBe('first deadlock')
    const later = html({ levelXsb: ROOM, turns, initialFrame: 4 })
    expect(testId(later, 'deadlock-note')).toBe('dead since step 3')
    const before = html({ levelXsb: ROOM, turns, initialFrame: 2 })
    expect(overlays(before, 'dead-box')).toEqual([])
    expect(testId(before, 'deadlock-note')).toBeNull()
  })

  it('a solver plan shows the next move of the plan only', () => {
    const m = html({ levelXsb: CORRIDOR, turns: [], plan: [RIGHT] })
    expect(overlays(m, 'plan')).toEqual(['Right'])
    expect(overlays(m, 'model')).toEqual([])
    expect(overlays(m, 'optimal')).toEqual([])
    expect(testId(m, 'step-label')).toBe('Plan move: Right (push).')
  })

  it('text that is not a level is reported with the parser message', () => {
    const m = html({ levelXsb: '#####\n#@$x#\n#####', turns: [] })
    expect(m).toContain('role="alert"')
    expect(m).toMatch(/unknown character &#x27;x&#x27;.*line 2, column 4/)
  })
})
