/**
 * The Jinja template editor: Monaco (loaded with import() on first use; the text shows read-only
 * until it arrives), with the Jinja tokenizer, completion of the task's declared variables, hover
 * previews and the problems given as markers. Ctrl/Cmd+Enter runs the cell; the editor grows with
 * its content.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react'
import type { TaskTemplateSchema, TemplateVariable } from '../../../core/prompt/schemas.ts'
import type { TemplateProblem } from './diagnostics.ts'
import { JINJA_LANGUAGE_ID, JINJA_THEME_NAME } from './jinja-language.ts'
import { editorTurn, loadMonaco } from './load.ts'
import './editor.css'

type MonacoModule = import('./monaco.ts').LoadedMonaco

export interface TemplateEditorProps {
  readonly value: string
  readonly onChange: (value: string) => void
  readonly readOnly: boolean
  readonly schema: TaskTemplateSchema
  readonly problems: readonly TemplateProblem[]
  /** Markdown for a hover over a declared variable. */
  readonly hover: (variable: TemplateVariable) => Promise<string>
  /** Ctrl/Cmd+Enter. */
  readonly onRun?: () => void
  readonly ariaLabel?: string
}

const MIN_HEIGHT = 120
const MAX_HEIGHT = 560
const MARKER_OWNER = 'sftbench-template'

export function TemplateEditor(props: TemplateEditorProps) {
  const host = useRef<HTMLDivElement>(null)
  const [mod, setMod] = useState<MonacoModule | null>(null)
  const [failed, setFailed] = useState<string | null>(null)
  const editorRef = useRef<import('monaco-editor/editor').editor.IStandaloneCodeEditor | null>(null)
  // The providers and commands read the latest props through this.
  const latest = useRef(props)
  latest.current = props
  // Texts this editor reported since the cell last set one from outside.
  const emitted = useRef(new Set<string>())

  // This editor's turn to be built (see editorTurn): released once it is, or if it never will be.
  const releaseTurn = useRef<(() => void) | null>(null)

  useEffect(() => {
    let live = true
    loadMonaco()
      .then(async (m) => {
        const release = await editorTurn()
        if (!live) return release()
        releaseTurn.current = release
        setMod(m)
      })
      .catch((error: unknown) => live && setFailed(error instanceof Error ? error.message : String(error)))
    return () => {
      live = false
      releaseTurn.current?.()
    }
  }, [])

  // Create the editor once Monaco is here (in the commit, not after the next paint); dispose it with
  // the component.
  useLayoutEffect(() => {
    if (mod === null || host.current === null) return
    const { monaco } = mod
    const model = monaco.editor.createModel(latest.current.value, JINJA_LANGUAGE_ID)
    const editor = monaco.editor.create(host.current, {
      model,
      theme: JINJA_THEME_NAME,
      readOnly: latest.current.readOnly,
      ariaLabel: latest.current.ariaLabel ?? 'Template source (Jinja)',
      automaticLayout: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      wordWrap: 'on',
      fontSize: 12.5,
      lineNumbersMinChars: 3,
      renderLineHighlight: 'line',
      wordBasedSuggestions: 'off',
      quickSuggestions: { other: true, comments: false, strings: false },
      suggest: { showWords: false, preview: false },
      fixedOverflowWidgets: true,
      scrollbar: { alwaysConsumeMouseWheel: false },
      hover: { delay: 250 },
      tabSize: 2,
    })
    // Brackets in the prompt's prose are text, not code: no colours by nesting depth (a model option).
    model.updateOptions({ bracketColorizationOptions: { enabled: false, independentColorPoolPerBracketType: false } })
    editorRef.current = editor
    mod.setModelContext(model, {
      get schema() {
        return latest.current.schema
      },
      hover: (variable) => latest.current.hover(variable),
    })
    const resize = (): void => {
      if (!host.current) return
      const height = Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, editor.getContentHeight()))
      host.current.style.height = `${height}px`
    }
    const sizeSub = editor.onDidContentSizeChange(resize)
    resize()
    const changeSub = model.onDidChangeContent(() => {
      const text = model.getValue()
      if (text === latest.current.value) return
      emitted.current.add(text)
      latest.current.onChange(text)
    })
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => latest.current.onRun?.())
    mod.markReadyWhenTokenized(model)
    releaseTurn.current?.()
    releaseTurn.current = null
    return () => {
      sizeSub.dispose()
      changeSub.dispose()
      mod.deleteModelContext(model)
      editor.dispose()
      model.dispose()
      editorRef.current = null
    }
  }, [mod])

  // Text set from outside (the variant's template, a reset) replaces the model's. The cell echoes
  // each edit back as `value`, possibly a few keystrokes late; those echoes must not rewind the text.
  useEffect(() => {
    const model = editorRef.current?.getModel()
    if (!model || model.getValue() === props.value) return
    if (emitted.current.has(props.value)) return
    emitted.current.clear()
    model.setValue(props.value)
  }, [props.value, mod])

  useEffect(() => {
    editorRef.current?.updateOptions({ readOnly: props.readOnly })
  }, [props.readOnly, mod])

  useEffect(() => {
    const model = editorRef.current?.getModel()
    if (!mod || !model) return
    mod.monaco.editor.setModelMarkers(
      model,
      MARKER_OWNER,
      props.problems.map((p) => ({
        severity: mod.monaco.MarkerSeverity.Error,
        message: p.message,
        source: p.source === 'syntax' ? 'template' : 'render',
        startLineNumber: p.startLineNumber,
        startColumn: p.startColumn,
        endLineNumber: p.endLineNumber,
        endColumn: p.endColumn,
      })),
    )
  }, [props.problems, mod])

  return (
    <div className="template-editor" data-testid="template-editor" data-ready={mod !== null ? 'true' : 'false'}>
      {mod === null ? (
        <pre className="template-editor-fallback" aria-label="Template source (loading the editor)">
          {props.value}
          <span className="hint">{failed === null ? '\nLoading the editor…' : `\nThe editor did not load: ${failed}`}</span>
        </pre>
      ) : null}
      <div ref={host} className="template-editor-host" style={mod === null ? { display: 'none' } : undefined} />
    </div>
  )
}
