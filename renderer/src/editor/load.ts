/**
 * Loads Monaco (with the Jinja language and the workers) once per page. Kept apart from the editor
 * components so the template cell can start the download as soon as it renders, in parallel with
 * its own code.
 */
import { createTurns } from './turns.ts'

type MonacoModule = typeof import('./monaco.ts')

let loading: Promise<MonacoModule> | null = null

/** Monaco's set-up module; the first call starts the download. */
export function loadMonaco(): Promise<MonacoModule> {
  loading ??= import('./monaco.ts')
  return loading
}

/**
 * The page's template editors' turns to be built (see `createTurns`): the first at once, each next
 * one after the previous one's frame has painted.
 */
export const editorTurn = createTurns((fn) => requestAnimationFrame(() => setTimeout(fn, 0)))
