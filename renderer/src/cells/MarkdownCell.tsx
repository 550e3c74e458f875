/** Notes: Markdown source, shown rendered; double-click (or Enter on the rendered text) to edit, run to render. */
import { useEffect, useRef, useState } from 'react'
import type { MarkdownCell as MarkdownCellT } from '../../../core/notebook/schema.ts'
import { Markdown } from '../components/Markdown.tsx'
import type { CellEditorProps } from './types.ts'

export function MarkdownCell({ cell, edit, readOnly, run }: CellEditorProps<MarkdownCellT>) {
  const [editing, setEditing] = useState(cell.source.trim() === '')
  const area = useRef<HTMLTextAreaElement>(null)
  // Running a notes cell renders it.
  useEffect(() => {
    if (run.status === 'done') setEditing(false)
  }, [run])
  useEffect(() => {
    if (editing) area.current?.focus()
  }, [editing])
  if (editing && !readOnly) {
    return (
      <textarea
        ref={area}
        className="mono"
        aria-label="Markdown source"
        rows={Math.max(3, cell.source.split('\n').length + 1)}
        value={cell.source}
        onChange={(e) => {
          const source = e.target.value
          edit((c) => ({ ...c, source }))
        }}
      />
    )
  }
  return (
    <div
      className="md-view"
      tabIndex={0}
      title={readOnly ? undefined : 'Double-click to edit'}
      onDoubleClick={() => setEditing(true)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && !e.shiftKey && !e.ctrlKey && !e.metaKey && !readOnly) {
          e.preventDefault()
          setEditing(true)
        }
      }}
    >
      {cell.source.trim() === '' ? <span className="hint">Empty note. Double-click to write.</span> : <Markdown source={cell.source} />}
    </div>
  )
}
