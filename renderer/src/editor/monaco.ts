/**
 * Monaco, set up for the notebook, with nothing fetched from elsewhere: the editor core and its
 * contributions (`monaco-classic.ts`, a classic script of its own, loaded here), its editor worker
 * built by Vite from the package (`?worker`, so it loads from the app's own origin, which the page's
 * CSP requires), the Jinja language, its theme, and completion and hover providers that read each
 * editor's task from `setModelContext`.
 *
 * Import this module with `import()` (see `loadMonaco`): Monaco is about 3 MB, and the notebook
 * paints before it arrives. The page preloads Monaco's script (renderer/vite.config.ts), so by then
 * it is usually downloaded and compiled (or taken from the browser's code cache), and only its
 * evaluation is left.
 */
import type * as Monaco from 'monaco-editor/editor'
import EditorWorker from 'monaco-editor/editor/editor.worker?worker'
import { MONACO_GLOBAL, MONACO_SCRIPT, MONACO_STYLE } from 'virtual:monaco-classic'
import type { TaskTemplateSchema, TemplateVariable } from '../../../core/prompt/schemas.ts'
import { codeCacheWarmer, pageEnvironment } from './code-cache.ts'
import { completionsAt, variableAt, type CompletionEntry } from './completion.ts'
import { JINJA_CONFIGURATION, JINJA_LANGUAGE_ID, JINJA_MONARCH, JINJA_THEME, JINJA_THEME_NAME } from './jinja-language.ts'

/**
 * Monaco's workers come from this origin (its default would be a `data:` URL for the editor worker,
 * whose relative imports cannot resolve, and the page's CSP allows only 'self'). The editor worker
 * (diffs, links, word ranges) is the only one: the core registers no JSON, CSS, HTML or TypeScript
 * language, so nothing asks for their workers, and building them would only add 9 MB to the app.
 * Set before Monaco's script runs, which reads it.
 */
self.MonacoEnvironment = { getWorker: () => new EditorWorker() }

/** Adds `element` to the page's head and waits for what it loads. */
function loadElement(element: HTMLScriptElement | HTMLLinkElement, url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    element.addEventListener('load', () => resolve(), { once: true })
    element.addEventListener('error', () => reject(new Error(`The editor's file ${url} did not load: reload the page; if it persists, rebuild the app (npm run build:web).`)), { once: true })
    document.head.append(element)
  })
}

/** Monaco's script, by URL relative to this module. */
const scriptUrl = new URL(MONACO_SCRIPT, import.meta.url).href

/** Loads Monaco's script and stylesheet and returns Monaco. */
async function loadClassicMonaco(): Promise<typeof Monaco> {
  const script = Object.assign(document.createElement('script'), { src: scriptUrl })
  const loads = [loadElement(script, scriptUrl)]
  if (MONACO_STYLE !== null) {
    const styleUrl = new URL(MONACO_STYLE, import.meta.url).href
    loads.push(loadElement(Object.assign(document.createElement('link'), { rel: 'stylesheet', href: styleUrl }), styleUrl))
  }
  await Promise.all(loads)
  const loaded = (globalThis as Record<string, unknown>)[MONACO_GLOBAL] as { monaco?: typeof Monaco } | undefined
  if (loaded?.monaco === undefined) throw new Error(`The editor's script ${scriptUrl} ran but did not set ${MONACO_GLOBAL}: rebuild the app (npm run build:web).`)
  return loaded.monaco
}

/** The Performance API mark set when Monaco's script (Monaco and its contributions) has run. */
export const MONACO_LOADED_MARK = 'sftbench:monaco-loaded'

/** What the providers need to know about one editor's model. */
export interface JinjaModelContext {
  /** The task's declared variables. */
  readonly schema: TaskTemplateSchema
  /** Markdown for a hover over a declared variable (its docs and its value for the selected instance). */
  hover(variable: TemplateVariable): Promise<string>
}

const contexts = new Map<string, JinjaModelContext>()

/** Tells the providers which task (and which hover) a model's template belongs to. */
export function setModelContext(model: Monaco.editor.ITextModel, context: JinjaModelContext): void {
  contexts.set(model.uri.toString(), context)
}

/** Forgets a model (when its editor is disposed). */
export function deleteModelContext(model: Monaco.editor.ITextModel): void {
  contexts.delete(model.uri.toString())
}

/** Registers the Jinja language, its theme and the completion and hover providers with `monaco`. */
function registerJinja(monaco: typeof Monaco): void {
  monaco.languages.register({ id: JINJA_LANGUAGE_ID, extensions: ['.jinja', '.j2'], aliases: ['Jinja'] })
  monaco.languages.setMonarchTokensProvider(JINJA_LANGUAGE_ID, JINJA_MONARCH)
  monaco.languages.setLanguageConfiguration(JINJA_LANGUAGE_ID, JINJA_CONFIGURATION)
  monaco.editor.defineTheme(JINJA_THEME_NAME, JINJA_THEME)

  const KIND: Record<CompletionEntry['kind'], Monaco.languages.CompletionItemKind> = {
    variable: monaco.languages.CompletionItemKind.Variable,
    filter: monaco.languages.CompletionItemKind.Function,
    test: monaco.languages.CompletionItemKind.Function,
    keyword: monaco.languages.CompletionItemKind.Keyword,
  }

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
}

let setUp: Promise<LoadedMonaco> | null = null

/** What the editors use: Monaco with the Jinja language, and this module's helpers. */
export interface LoadedMonaco {
  readonly monaco: typeof Monaco
  readonly setModelContext: typeof setModelContext
  readonly deleteModelContext: typeof deleteModelContext
  readonly markReadyWhenTokenized: typeof markReadyWhenTokenized
}

/** Loads Monaco's script once and sets it up for Jinja. */
export function setUpMonaco(): Promise<LoadedMonaco> {
  setUp ??= loadClassicMonaco().then((monaco) => {
    performance.mark(MONACO_LOADED_MARK)
    registerJinja(monaco)
    return { monaco, setModelContext, deleteModelContext, markReadyWhenTokenized }
  })
  return setUp
}

/** The name of the Performance API mark set when the first template editor is ready. */
export const MONACO_READY_MARK = 'sftbench:monaco-ready'

/**
 * Tokenizes the model's lines now and marks the page's first ready editor (`MONACO_READY_MARK`),
 * once the frame showing it is painted; then Monaco's code cache is filled if need be
 * (code-cache.ts). Monaco's public API has no "tokens ready" event; the model's tokenization part
 * does the work its view would do on the next frame.
 */
export function markReadyWhenTokenized(model: Monaco.editor.ITextModel): void {
  const part = (model as unknown as { tokenization?: { forceTokenization?: (line: number) => void } }).tokenization
  part?.forceTokenization?.(model.getLineCount())
  if (performance.getEntriesByName(MONACO_READY_MARK).length > 0) return
  requestAnimationFrame(() => {
    if (performance.getEntriesByName(MONACO_READY_MARK).length > 0) return
    performance.mark(MONACO_READY_MARK)
    codeCacheWarmer(pageEnvironment())(scriptUrl, MONACO_GLOBAL)
  })
}
