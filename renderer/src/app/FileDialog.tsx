/**
 * The browser-mode file picker: a listing of the workspace through `wb:files.list` (the backend
 * keeps it inside the workspace). Open picks a `.sftnb` file; save picks a folder and a name.
 */
import { useEffect, useState } from 'react'
import type { FileListing, Transport } from '../../../core/contract/api.ts'
import { NOTEBOOK_EXTENSION } from '../../../core/notebook/schema.ts'

export interface FileDialogProps {
  readonly transport: Transport
  readonly mode: 'open' | 'save'
  readonly initialName?: string
  readonly onPick: (path: string) => void
  readonly onCancel: () => void
}

function joinPath(dir: string, name: string): string {
  const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/'
  return dir.endsWith(sep) ? `${dir}${name}` : `${dir}${sep}${name}`
}

export function FileDialog({ transport, mode, initialName, onPick, onCancel }: FileDialogProps) {
  const [listing, setListing] = useState<FileListing | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [selected, setSelected] = useState<string | null>(null)
  const [name, setName] = useState(initialName ?? `notebook${NOTEBOOK_EXTENSION}`)

  const load = async (dir?: string): Promise<void> => {
    const r = await transport.request('wb:files.list', dir === undefined ? {} : { dir })
    if (r.ok) {
      setListing(r.value)
      setSelected(null)
      setError(null)
    } else setError(r.error.message)
  }
  useEffect(() => {
    // Only on open; later loads follow clicks.
    void load()
  }, [])

  const fileName = name.endsWith(NOTEBOOK_EXTENSION) ? name : `${name}${NOTEBOOK_EXTENSION}`
  const confirm = (): void => {
    if (mode === 'open' && selected) onPick(selected)
    if (mode === 'save' && listing && name.trim() !== '') onPick(joinPath(listing.dir, fileName.trim()))
  }
  const entries = (listing?.entries ?? []).filter((e) => e.kind === 'dir' || e.name.endsWith(NOTEBOOK_EXTENSION))
  return (
    <div className="overlay" role="presentation" onMouseDown={(e) => e.target === e.currentTarget && onCancel()}>
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-label={mode === 'open' ? 'Open notebook' : 'Save notebook as'}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onCancel()
          if (e.key === 'Enter' && (e.target as HTMLElement).tagName !== 'BUTTON') confirm()
        }}
      >
        <header>{mode === 'open' ? 'Open notebook' : 'Save notebook as'}</header>
        <div className="body">
          <div className="meta mono">{listing ? `workspace/${listing.relative}` : 'Loading…'}</div>
          {error ? <div className="cell-error">{error}</div> : null}
          <ul className="file-list">
            {listing?.parent ? (
              <li>
                <button onClick={() => void load(listing.parent ?? undefined)}>../</button>
              </li>
            ) : null}
            {entries.map((e) => (
              <li key={e.path}>
                <button
                  className={selected === e.path ? 'selected' : undefined}
                  onClick={() => (e.kind === 'dir' ? void load(e.path) : setSelected(e.path))}
                  onDoubleClick={() => e.kind === 'file' && mode === 'open' && onPick(e.path)}
                >
                  {e.kind === 'dir' ? `${e.name}/` : e.name}
                </button>
              </li>
            ))}
            {listing && entries.length === 0 ? <li className="hint">No notebooks here.</li> : null}
          </ul>
          {mode === 'save' ? (
            <div className="field">
              <span>
                <label htmlFor="save-name">File name</label>
              </span>
              <input id="save-name" className="mono" autoFocus value={name} onChange={(e) => setName(e.target.value)} />
            </div>
          ) : null}
        </div>
        <footer>
          <button onClick={onCancel}>Cancel</button>
          <button className="primary" disabled={mode === 'open' ? !selected : name.trim() === ''} onClick={confirm}>
            {mode === 'open' ? 'Open' : 'Save'}
          </button>
        </footer>
      </div>
    </div>
  )
}
