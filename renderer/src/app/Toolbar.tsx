/** The toolbar: file actions, Run All and Interrupt, and the status of the model and the connection. */
import type { ModelStatus } from '../../../core/contract/api.ts'
import type { ConnectionState } from '../transport/http.ts'

export interface ToolbarProps {
  readonly path: string | null
  /** The workspace, so the path shows relative to it. */
  readonly workspace: string | null
  readonly title: string | undefined
  readonly dirty: boolean
  readonly readOnly: boolean
  readonly hasDoc: boolean
  readonly busy: boolean
  readonly model: ModelStatus | null
  /** Browser mode only. */
  readonly connection: ConnectionState | null
  readonly onNew: () => void
  readonly onOpen: () => void
  readonly onSave: () => void
  readonly onSaveAs: () => void
  readonly onRunAll: () => void
  readonly onInterrupt: () => void
  readonly onTitle: (title: string) => void
}

function modelText(m: ModelStatus | null): { dot: string; text: string; title: string } {
  if (!m || m.state === 'none') return { dot: 'off', text: 'no model', title: 'No model is loaded; run a model cell.' }
  const name = m.info?.name ?? m.dir?.split(/[\\/]/).filter(Boolean).pop() ?? 'model'
  if (m.state === 'loading') return { dot: 'busy', text: `loading ${name}…`, title: m.dir ?? '' }
  if (m.state === 'failed') return { dot: 'err', text: `${name}: load failed`, title: m.error ?? '' }
  return { dot: 'ok', text: `${name} · ${m.provider ?? '?'}`, title: `${m.dir ?? ''}${m.file ? ` (${m.file})` : ''}` }
}

export function Toolbar(props: ToolbarProps) {
  const model = modelText(props.model)
  return (
    <nav className="toolbar" aria-label="Notebook">
      <span className="brand">sftbench</span>
      {props.hasDoc ? (
        <input
          className="title-input"
          aria-label="Notebook title"
          value={props.title ?? ''}
          placeholder="Untitled"
          disabled={props.readOnly}
          onChange={(e) => props.onTitle(e.target.value)}
        />
      ) : null}
      {props.path ? (
        <span className="path" title={props.path}>
          {props.workspace && props.path.startsWith(`${props.workspace}/`) ? props.path.slice(props.workspace.length + 1) : props.path}
        </span>
      ) : null}
      {props.dirty ? (
        <span className="dirty" data-testid="dirty">
          ● unsaved
        </span>
      ) : null}
      <span className="sep" />
      <button onClick={props.onNew}>New</button>
      <button onClick={props.onOpen} title="Open (Ctrl+O)">
        Open…
      </button>
      <button onClick={props.onSave} disabled={!props.hasDoc} title="Save (Ctrl+S)">
        Save
      </button>
      <button onClick={props.onSaveAs} disabled={!props.hasDoc} title="Save as (Ctrl+Shift+S)">
        Save as…
      </button>
      <span className="sep" />
      <button onClick={props.onRunAll} disabled={!props.hasDoc || props.readOnly} title="Run every cell from the top">
        Run all
      </button>
      <button onClick={props.onInterrupt} disabled={!props.busy} title="Interrupt (Esc, then I): finished sweep cells are kept">
        Interrupt
      </button>
      <span className="spacer" />
      <span className="status" title={model.title} data-testid="model-status-bar">
        <span className={`dot ${model.dot}`} />
        {model.text}
      </span>
      {props.connection ? (
        <span className="status" data-testid="connection">
          <span className={`dot ${props.connection === 'open' ? 'ok' : props.connection === 'connecting' ? 'busy' : 'err'}`} />
          {props.connection === 'open' ? 'connected' : props.connection}
        </span>
      ) : null}
    </nav>
  )
}
