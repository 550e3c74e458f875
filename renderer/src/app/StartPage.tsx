/** Shown when no notebook is open: recent notebooks, the notebooks in the workspace, and New. */
import { useEffect, useState } from 'react'
import type { AppInfo, FileEntry, Transport } from '../../../core/contract/api.ts'
import { NOTEBOOK_EXTENSION } from '../../../core/notebook/schema.ts'

export interface StartPageProps {
  readonly transport: Transport
  readonly info: AppInfo | null
  readonly onOpen: (path: string) => void
  readonly onNew: () => void
}

/** Notebooks in the workspace root and its `notebooks/` and `samples/notebooks/` folders. */
async function workspaceNotebooks(transport: Transport, workspace: string): Promise<FileEntry[]> {
  const found: FileEntry[] = []
  for (const dir of [workspace, `${workspace}/notebooks`, `${workspace}/samples/notebooks`]) {
    const r = await transport.request('wb:files.list', { dir })
    if (r.ok) found.push(...r.value.entries.filter((e) => e.kind === 'file' && e.name.endsWith(NOTEBOOK_EXTENSION)))
  }
  return found
}

export function StartPage({ transport, info, onOpen, onNew }: StartPageProps) {
  const [recent, setRecent] = useState<{ path: string; openedAt: string }[]>([])
  const [local, setLocal] = useState<FileEntry[]>([])
  useEffect(() => {
    void transport.request('wb:notebooks.recent', {}).then((r) => r.ok && setRecent(r.value))
  }, [transport])
  useEffect(() => {
    if (info) void workspaceNotebooks(transport, info.workspace).then(setLocal)
  }, [transport, info])
  const rel = (p: string): string => (info && p.startsWith(info.workspace) ? p.slice(info.workspace.length).replace(/^[\\/]/, '') : p)
  return (
    <div className="start">
      <h1>sftbench</h1>
      <p className="meta">Probe language models on Sokoban and General Points. Open a notebook or start a new one.</p>
      <div className="row">
        <button className="primary" onClick={onNew}>
          New notebook
        </button>
      </div>
      <h2>Notebooks in the workspace</h2>
      {local.length === 0 ? <p className="hint">None found.</p> : null}
      <ul className="file-list">
        {local.map((f) => (
          <li key={f.path}>
            <button onClick={() => onOpen(f.path)}>{rel(f.path)}</button>
          </li>
        ))}
      </ul>
      {recent.length > 0 ? (
        <>
          <h2>Recent</h2>
          <ul className="file-list">
            {recent.map((r) => (
              <li key={r.path}>
                <button onClick={() => onOpen(r.path)}>{rel(r.path)}</button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  )
}
