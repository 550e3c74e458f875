/**
 * Loads Monaco (with the Jinja language and the workers) once per page. Kept apart from the editor
 * components so the template cell can start the download as soon as it renders, in parallel with
 * its own code.
 */
import type { LoadedMonaco } from './monaco.ts'
import { createTurns } from './turns.ts'

/** Monaco set up for the template editors; the first call starts the download (`setUpMonaco` runs once). */
export function loadMonaco(): Promise<LoadedMonaco> {
  return import('./monaco.ts').then((m) => m.setUpMonaco())
}

/**
 * The page's template editors' turns to be built (see `createTurns`): the first at once, each next
 * one after the previous one's frame has painted.
 */
export const editorTurn = createTurns((fn) => requestAnimationFrame(() => setTimeout(fn, 0)))
