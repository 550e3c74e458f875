import { describe, expect, it } from 'vitest'
import { DOWN, LEFT, RIGHT, UP } from '../../../core/sokoban/directions.ts'
import { playerCommand } from '../../../renderer/src/viewers/player-keys.ts'

describe('step-through keyboard', () => {
  it('replay: ← → step, Space plays or pauses, Home and End jump', () => {
    expect(playerCommand('ArrowLeft', 'replay')).toEqual({ kind: 'step', delta: -1 })
    expect(playerCommand('ArrowRight', 'replay')).toEqual({ kind: 'step', delta: 1 })
    expect(playerCommand(' ', 'replay')).toEqual({ kind: 'toggle-play' })
    expect(playerCommand('Home', 'replay')).toEqual({ kind: 'first' })
    expect(playerCommand('End', 'replay')).toEqual({ kind: 'last' })
    expect(playerCommand('ArrowUp', 'replay')).toBeNull()
  })

  it('hand play: the four arrows move, U or Backspace undoes, R restarts', () => {
    expect(playerCommand('ArrowUp', 'hand')).toEqual({ kind: 'move', direction: UP })
    expect(playerCommand('ArrowDown', 'hand')).toEqual({ kind: 'move', direction: DOWN })
    expect(playerCommand('ArrowLeft', 'hand')).toEqual({ kind: 'move', direction: LEFT })
    expect(playerCommand('ArrowRight', 'hand')).toEqual({ kind: 'move', direction: RIGHT })
    expect(playerCommand('u', 'hand')).toEqual({ kind: 'undo' })
    expect(playerCommand('Backspace', 'hand')).toEqual({ kind: 'undo' })
    expect(playerCommand('R', 'hand')).toEqual({ kind: 'restart' })
    expect(playerCommand(' ', 'hand')).toBeNull()
  })

  it('leaves chords with Ctrl, Meta or Alt to the page (Ctrl+S saves the notebook)', () => {
    expect(playerCommand('ArrowRight', 'replay', { ctrl: true })).toBeNull()
    expect(playerCommand('r', 'hand', { meta: true })).toBeNull()
    expect(playerCommand('ArrowUp', 'hand', { alt: true })).toBeNull()
  })
})
