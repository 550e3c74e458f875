/**
 * Prompt template cell. Its editor (Monaco, the variant form, the rendered prompt and the diff view)
 * lives in `editor/TemplateCellView.tsx` and is loaded with import() on first use, with Monaco's own
 * download started at the same time, so the notebook paints before either arrives.
 */
import { useEffect } from 'react'
import type { TemplateCell as TemplateCellT } from '../../../core/notebook/schema.ts'
import { loadable } from '../components/loadable.tsx'
import { loadMonaco } from '../editor/load.ts'
import type { CellEditorProps } from './types.ts'

const TemplateCellView = loadable('The template editor', () => import('../editor/TemplateCellView.tsx').then((m) => m.TemplateCellView))

export function TemplateCell(props: CellEditorProps<TemplateCellT>) {
  useEffect(() => {
    // Start Monaco's download with the cell's own code rather than after it. A failure is shown by
    // the editor, which awaits the same promise.
    loadMonaco().catch(() => undefined)
  }, [])
  return <TemplateCellView {...props} fallback={<div className="meta">Loading the template editor…</div>} />
}
