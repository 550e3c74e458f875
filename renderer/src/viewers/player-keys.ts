/**
 * The step-through's keyboard, as a pure mapping so it is easy to test and to document: in replay,
 * ← and → step, Space plays or pauses, Home and End jump; in hand play the arrows move the player,
 * U or Backspace undoes and R restarts.
 */
import { DOWN, LEFT, RIGHT, UP, type Direction } from '../../../core/sokoban/directions.ts'

export type PlayerCommand =
  | { readonly kind: 'step'; readonly delta: -1 | 1 }
  | { readonly kind: 'toggle-play' }
  | { readonly kind: 'first' }
  | { readonly kind: 'last' }
  | { readonly kind: 'move'; readonly direction: Direction }
  | { readonly kind: 'undo' }
  | { readonly kind: 'restart' }

const ARROWS: Readonly<Record<string, Direction>> = { ArrowUp: UP, ArrowDown: DOWN, ArrowLeft: LEFT, ArrowRight: RIGHT }

/** The command a key gives in a mode, or null (the key is left to the page). Modifier chords are never taken. */
export function playerCommand(
  key: string,
  mode: 'replay' | 'hand',
  modifiers: { readonly ctrl?: boolean; readonly meta?: boolean; readonly alt?: boolean } = {},
): PlayerCommand | null {
  if (modifiers.ctrl || modifiers.meta || modifiers.alt) return null
  if (mode === 'hand') {
    const direction = ARROWS[key]
    if (direction !== undefined) return { kind: 'move', direction }
    if (key === 'u' || key === 'U' || key === 'Backspace') return { kind: 'undo' }
    if (key === 'r' || key === 'R') return { kind: 'restart' }
    return null
  }
  switch (key) {
    case 'ArrowLeft':
      return { kind: 'step', delta: -1 }
    case 'ArrowRight':
      return { kind: 'step', delta: 1 }
    case ' ':
      return { kind: 'toggle-play' }
    case 'Home':
      return { kind: 'first' }
    case 'End':
      return { kind: 'last' }
    default:
      return null
  }
}
