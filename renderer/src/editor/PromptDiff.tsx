/**
 * Two prompts side by side in Monaco's diff editor (read-only), with changed lines and the changed
 * characters within them highlighted. The diff is computed in Monaco's editor worker.
 */
import { useEffect, useRef, useState } from 'react'
import { loadMonaco } from './load.ts'
import { JINJA_THEME_NAME } from './jinja-language.ts'
import './editor.css'

export interface PromptDiffProps {
  readonly original: string
  readonly modified: string
  readonly originalLabel: string
  readonly modifiedLabel: string
}

const LINE_PX = 18
const MAX_HEIGHT = 520

type MonacoModule = Awaited<ReturnType<typeof loadMonaco>>

export function PromptDiff(props: PromptDiffProps) {
  const host = useRef<HTMLDivElement>(null)
  const [mod, setMod] = useState<MonacoModule | null>(null)
  const texts = useRef(props)
  texts.current = props
  const models = useRef<{ original: import('monaco-editor/editor').editor.ITextModel; modified: import('monaco-editor/editor').editor.ITextModel } | null>(null)

  useEffect(() => {
    let live = true
    void loadMonaco().then((m) => live && setMod(m))
    return () => {
      live = false
    }
  }, [])

  useEffect(() => {
    if (mod === null || host.current === null) return
    const { monaco } = mod
    const original = monaco.editor.createModel(texts.current.original, 'plaintext')
    const modified = monaco.editor.createModel(texts.current.modified, 'plaintext')
    const editor = monaco.editor.createDiffEditor(host.current, {
      theme: JINJA_THEME_NAME,
      readOnly: true,
      originalEditable: false,
      renderSideBySide: true,
      useInlineViewWhenSpaceIsLimited: false,
      automaticLayout: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      wordWrap: 'on',
      diffWordWrap: 'on',
      fontSize: 12,
      lineNumbersMinChars: 3,
      renderOverviewRuler: false,
      ignoreTrimWhitespace: false,
      scrollbar: { alwaysConsumeMouseWheel: false },
      ariaLabel: 'Prompt differences',
    })
    editor.setModel({ original, modified })
    models.current = { original, modified }
    return () => {
      editor.dispose()
      original.dispose()
      modified.dispose()
      models.current = null
    }
    // The editor is created once; the texts are updated in place below.
  }, [mod])

  useEffect(() => {
    const m = models.current
    if (m === null) return
    if (m.original.getValue() !== props.original) m.original.setValue(props.original)
    if (m.modified.getValue() !== props.modified) m.modified.setValue(props.modified)
  }, [props.original, props.modified, mod])

  const lines = Math.max(props.original.split('\n').length, props.modified.split('\n').length)
  const height = Math.min(MAX_HEIGHT, Math.max(120, (lines + 2) * LINE_PX))
  return (
    <div className="prompt-diff" data-testid="prompt-diff" data-ready={mod !== null ? 'true' : 'false'}>
      <div className="prompt-diff-labels">
        <span>{props.originalLabel}</span>
        <span>{props.modifiedLabel}</span>
      </div>
      {mod === null ? <div className="hint">Loading the diff view…</div> : null}
      <div ref={host} className="prompt-diff-host" style={{ height }} />
    </div>
  )
}
