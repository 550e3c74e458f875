/**
 * Monaco, set up for the notebook, with nothing fetched from elsewhere: the tree-shakeable editor
 * core (no bundled languages) with the contributions the editors use, its editor worker built by
 * Vite from the package (`?worker`, so it loads from the app's own origin, which the page's CSP
 * requires), the Jinja language, its theme, and completion and hover providers that read each
 * editor's task from `setModelContext`.
 *
 * Import this module with `import()` (see `loadMonaco`): it is about 3 MB, and the notebook paints
 * before it arrives. The page preloads its chunk (renderer/vite.config.ts), so by then it is
 * usually downloaded and compiled, and only its evaluation is left.
 */
import { loader } from '@monaco-editor/react'
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
import EditorWorker from 'monaco-editor/editor/editor.worker?worker'
import type { TaskTemplateSchema, TemplateVariable } from '../../../core/prompt/schemas.ts'
import { completionsAt, variableAt, type CompletionEntry } from './completion.ts'
import { JINJA_CONFIGURATION, JINJA_LANGUAGE_ID, JINJA_MONARCH, JINJA_THEME, JINJA_THEME_NAME } from './jinja-language.ts'

export { monaco }

/** The Performance API mark set when this module (Monaco and its contributions) has been evaluated. */
export const MONACO_LOADED_MARK = 'sftbench:monaco-loaded'
performance.mark(MONACO_LOADED_MARK)

/**
 * Monaco's workers come from this origin (its default would be a `data:` URL for the editor worker,
 * whose relative imports cannot resolve, and the page's CSP allows only 'self'). The editor worker
 * (diffs, links, word ranges) is the only one: the core registers no JSON, CSS, HTML or TypeScript
 * language, so nothing asks for their workers, and building them would only add 9 MB to the app.
 */
self.MonacoEnvironment = { getWorker: () => new EditorWorker() }

// `@monaco-editor/react` components, if any are used, get this Monaco instead of a CDN copy.
loader.config({ monaco })

/** What the providers need to know about one editor's model. */
export interface JinjaModelContext {
  /** The task's declared variables. */
  readonly schema: TaskTemplateSchema
  /** Markdown for a hover over a declared variable (its docs and its value for the selected instance). */
  hover(variable: TemplateVariable): Promise<string>
}

const contexts = new Map<string, JinjaModelContext>()

/** Tells the providers which task (and which hover) a model's template belongs to. */
export function setModelContext(model: monaco.editor.ITextModel, context: JinjaModelContext): void {
  contexts.set(model.uri.toString(), context)
}

/** Forgets a model (when its editor is disposed). */
export function deleteModelContext(model: monaco.editor.ITextModel): void {
  contexts.delete(model.uri.toString())
}

const KIND: Record<CompletionEntry['kind'], monaco.languages.CompletionItemKind> = {
  variable: monaco.languages.CompletionItemKind.Variable,
  filter: monaco.languages.CompletionItemKind.Function,
  test: monaco.languages.CompletionItemKind.Function,
  keyword: monaco.languages.CompletionItemKind.Keyword,
}

monaco.languages.register({ id: JINJA_LANGUAGE_ID, extensions: ['.jinja', '.j2'], aliases: ['Jinja'] })
monaco.languages.setMonarchTokensProvider(JINJA_LANGUAGE_ID, JINJA_MONARCH)
monaco.languages.setLanguageConfiguration(JINJA_LANGUAGE_ID, JINJA_CONFIGURATION)
monaco.editor.defineTheme(JINJA_THEME_NAME, JINJA_THEME)

monaco.languages.registerCompletionItemProvider(JINJA_LANGUAGE_ID, {
  triggerCharacters: ['{', ' ', '|', '%'],
  provideCompletionItems(model, position) {
    const context = contexts.get(model.uri.toString())
    if (context === undefined) return { suggestions: [] }
    const source = model.getValue()
    const offset = model.getOffsetAt(position)
    const entries = completionsAt(source, offset, context.schema)
    const word = model.getWordUntilPosition(position)
    const range = new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, position.column)
    return {
      suggestions: entries.map((e, i) => ({
        label: e.label,
        kind: KIND[e.kind],
        detail: e.detail,
        documentation: { value: e.documentation },
        insertText: e.insertText,
        range,
        // Declared variables first, in the schema's order.
        sortText: String(i).padStart(3, '0'),
      })),
    }
  },
})

monaco.languages.registerHoverProvider(JINJA_LANGUAGE_ID, {
  async provideHover(model, position) {
    const context = contexts.get(model.uri.toString())
    if (context === undefined) return null
    const found = variableAt(model.getValue(), model.getOffsetAt(position), context.schema)
    if (found === null) return null
    const start = model.getPositionAt(found.start)
    const end = model.getPositionAt(found.end)
    return {
      range: new monaco.Range(start.lineNumber, start.column, end.lineNumber, end.column),
      contents: [{ value: await context.hover(found.variable) }],
    }
  },
})

/** The name of the Performance API mark set when the first template editor is ready. */
export const MONACO_READY_MARK = 'sftbench:monaco-ready'

/**
 * Tokenizes the model's lines now and marks the page's first ready editor (`MONACO_READY_MARK`),
 * once the frame showing it is painted. Monaco's public API has no "tokens ready" event; the model's
 * tokenization part does the work its view would do on the next frame.
 */
export function markReadyWhenTokenized(model: monaco.editor.ITextModel): void {
  const part = (model as unknown as { tokenization?: { forceTokenization?: (line: number) => void } }).tokenization
  part?.forceTokenization?.(model.getLineCount())
  if (performance.getEntriesByName(MONACO_READY_MARK).length > 0) return
  requestAnimationFrame(() => {
    if (performance.getEntriesByName(MONACO_READY_MARK).length === 0) performance.mark(MONACO_READY_MARK)
  })
}
