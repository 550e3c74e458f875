/**
 * Monaco's editor core with the contributions the template editors use, built on its own as one
 * classic script (renderer/vite.config.ts, `classicMonaco`): `assets/monaco-editor-[hash].js`,
 * which sets the global `sftbenchMonaco` to `{ monaco }`. `monaco.ts` loads it and sets up the
 * Jinja language.
 *
 * Why a classic script and not a chunk like the rest of the app: Chromium keeps the compiled code
 * of a classic script in its code cache and reuses it, off the main thread, on the next load, also
 * after the browser or the desktop app restarts; it does that for no module script. Compiling
 * Monaco's 3 MB is most of what opening a template cell costs, so every load after the first one
 * skips it.
 */
import * as monaco from 'monaco-editor/editor'
// The editor core comes without its contributions; these are the ones a template editor and a
// read-only diff use (the suggest widget itself has no feature entry of its own). Left out: the
// context menu and its clipboard actions (the browser's own menu and keys copy and paste), smart
// select and word highlighting, which templates of a few lines do not need.
import 'monaco-editor/features/bracketMatching/register'
import 'monaco-editor/features/codicon/register'
import 'monaco-editor/features/comment/register'
import 'monaco-editor/features/cursorUndo/register'
import 'monaco-editor/features/diffEditor/register'
import 'monaco-editor/features/find/register'
import 'monaco-editor/features/gotoError/register'
import 'monaco-editor/features/hover/register'
import 'monaco-editor/features/indentation/register'
import 'monaco-editor/features/linesOperations/register'
import 'monaco-editor/features/multicursor/register'
import 'monaco-editor/features/readOnlyMessage/register'
import 'monaco-editor/features/snippet/register'
import 'monaco-editor/features/suggest/register'
import 'monaco-editor/editor/contrib/suggest/browser/suggestController'
import 'monaco-editor/features/toggleTabFocusMode/register'
import 'monaco-editor/features/wordOperations/register'

export { monaco }
