/**
 * The notebook app: toolbar, banners, the cells, keyboard shortcuts, saving with autosave to the
 * backend's recovery files, and the start page. It talks to the backend only through the transport.
 */
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react'
import type { AppInfo, ModelStatus, OpenedNotebook, Result, Transport } from '../../../core/contract/api.ts'
import type { Cell, CellKind, NotebookDocument } from '../../../core/notebook/schema.ts'
import { CELL_KINDS, NOTEBOOK_EXTENSION } from '../../../core/notebook/schema.ts'
import type { ConnectionState, HttpTransport } from '../transport/http.ts'
import { canInsert, emptyNotebook, KIND_LABELS } from '../notebook/cells.ts'
import { INITIAL_STATE, isDirty, notebookReducer } from '../notebook/state.ts'
import { CellView } from './CellView.tsx'
import { WorkbenchContext, type Workbench } from './context.ts'
import { FileDialog } from './FileDialog.tsx'
import { RunStore } from './run-store.ts'
import { IDLE_RUN, loadSavedRuns, runCell, type CellRun, type RunContext } from './runner.ts'
import { StartPage } from './StartPage.tsx'
import { Toolbar } from './Toolbar.tsx'

/** How often unsaved edits are written to the recovery file. */
export const AUTOSAVE_MS = 3000

interface Banner {
  readonly id: string
  readonly tone: 'error' | 'warn' | 'info'
  readonly text: string
  readonly actions?: readonly { readonly label: string; readonly run: () => void }[]
}

/** The notebook path kept in the page URL's hash, so a reload reopens it. */
function pathFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''))
  const nb = params.get('nb')
  return nb && nb.length > 0 ? nb : null
}

function setHashPath(path: string | null): void {
  const hash = path === null ? '' : `#nb=${encodeURIComponent(path)}`
  if (window.location.hash !== hash) window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}${hash}`)
}

function isEditable(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  if (!el || !el.tagName) return false
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName)
}

export interface AppProps {
  readonly transport: Transport
  readonly http: HttpTransport | null
}

export function App({ transport, http }: AppProps) {
  const store = useMemo(() => new RunStore(), [])
  const [info, setInfo] = useState<AppInfo | null>(null)
  const [model, setModel] = useState<ModelStatus | null>(null)
  const [nb, dispatch] = useReducer(notebookReducer, INITIAL_STATE)
  const [runs, setRuns] = useState<Readonly<Record<string, CellRun>>>({})
  const [focused, setFocused] = useState<string | null>(null)
  const [banners, setBanners] = useState<readonly Banner[]>([])
  const [dialog, setDialog] = useState<'open' | 'save' | null>(null)
  const [connection, setConnection] = useState<ConnectionState>(http?.connection() ?? 'open')
  const [busy, setBusy] = useState(false)
  const [started, setStarted] = useState(false)

  const nbRef = useRef(nb)
  nbRef.current = nb
  const modelRef = useRef(model)
  modelRef.current = model
  const runAll = useRef<{ active: boolean; interrupted: boolean }>({ active: false, interrupted: false })
  const commandMode = useRef(false)
  const requestCounter = useRef(0)
  const autosavedVersion = useRef(-1)

  const workbench: Workbench = useMemo(() => ({ transport, store, info }), [transport, store, info])

  const addBanner = useCallback((banner: Banner) => setBanners((bs) => [...bs.filter((b) => b.id !== banner.id), banner]), [])
  const dropBanner = useCallback((id: string) => setBanners((bs) => bs.filter((b) => b.id !== id)), [])

  const setRun = useCallback((id: string, run: CellRun) => setRuns((r) => ({ ...r, [id]: run })), [])

  const ctx: RunContext = useMemo(
    () => ({
      transport,
      store,
      doc: () => nbRef.current.doc,
      dispatch,
      setRun,
      modelStatus: () => modelRef.current,
      nextRequestNumber: () => ++requestCounter.current,
    }),
    [transport, store, setRun],
  )

  // Backend facts, model status and events.
  useEffect(() => {
    void transport.request('wb:app.info', {}).then((r) => (r.ok ? setInfo(r.value) : addBanner({ id: 'info', tone: 'error', text: r.error.message })))
    void transport.request('wb:models.status', {}).then((r) => r.ok && setModel(r.value))
    const stops = [
      transport.subscribe('wb:models.changed', setModel),
      transport.subscribe('wb:sweeps.event', store.onSweepEvent),
      transport.subscribe('wb:sweeps.status', store.onSweepStatus),
      transport.subscribe('wb:generate.event', store.onGenerateEvent),
      store.subscribe(() => setBusy(store.busy())),
    ]
    return () => stops.forEach((stop) => stop())
  }, [transport, store, addBanner])

  // The WebSocket's state (browser mode): a banner while the server is away, a refresh when it is back.
  useEffect(() => {
    if (!http) return
    // The socket may have opened before this effect subscribed.
    setConnection(http.connection())
    return http.onConnection((state) => {
      setConnection(state)
      if (state === 'open') {
        dropBanner('connection')
        void transport.request('wb:models.status', {}).then((r) => r.ok && setModel(r.value))
        void loadSavedRuns(ctx, nbRef.current.doc)
      } else if (state === 'closed') {
        addBanner({ id: 'connection', tone: 'warn', text: 'The connection to the sftbench server was lost; reconnecting…' })
      }
    })
  }, [http, transport, ctx, addBanner, dropBanner])

  const showOpened = useCallback(
    (opened: OpenedNotebook) => {
      dispatch({ type: 'opened', opened })
      setRuns({})
      autosavedVersion.current = -1
      setHashPath(opened.path)
      setBanners((bs) => bs.filter((b) => !['problem', 'recovery', 'migrated', 'save'].includes(b.id)))
      if (opened.problem) {
        const hint = opened.document
          ? 'It opens read-only and will not be overwritten; use Save as to keep a copy.'
          : 'The file is left untouched. Fix it in a text editor, or start a new notebook.'
        addBanner({ id: 'problem', tone: 'error', text: `${opened.problem.message}\n${hint}` })
      } else if (opened.readOnly) {
        addBanner({ id: 'problem', tone: 'warn', text: 'This notebook opens read-only; use Save as to keep your edits.' })
      }
      if (opened.migratedFrom !== null) {
        addBanner({ id: 'migrated', tone: 'info', text: `This notebook was written in format ${opened.migratedFrom} and has been updated; saving writes the current format.` })
      }
      if (opened.recovery?.newerThanNotebook) {
        const recovery = opened.recovery
        addBanner({
          id: 'recovery',
          tone: 'warn',
          text: `Unsaved work from ${new Date(recovery.savedAt).toLocaleString()} was recovered for this notebook.`,
          actions: [
            {
              label: 'Restore it',
              run: () => {
                void transport.request('wb:notebooks.recover', { path: recovery.notebookPath }).then((r) => {
                  const entry = r.ok ? r.value[0] : undefined
                  if (entry?.document) {
                    dispatch({ type: 'restore', doc: entry.document })
                    dropBanner('recovery')
                  } else {
                    addBanner({ id: 'recovery', tone: 'error', text: r.ok ? (entry?.problem?.message ?? 'The recovery file is empty.') : r.error.message })
                  }
                })
              },
            },
            {
              label: 'Discard it',
              run: () => void transport.request('wb:notebooks.discardRecovery', { path: recovery.notebookPath }).then(() => dropBanner('recovery')),
            },
          ],
        })
      }
      void loadSavedRuns(ctx, opened.document)
    },
    [transport, ctx, addBanner, dropBanner],
  )

  const openPath = useCallback(
    async (path: string) => {
      const r = await transport.request('wb:notebooks.open', { path })
      if (r.ok) showOpened(r.value)
      else addBanner({ id: 'open', tone: 'error', text: r.error.message })
      setStarted(true)
    },
    [transport, showOpened, addBanner],
  )

  // Reopen the notebook named in the URL (a reload), or show the start page.
  useEffect(() => {
    const path = pathFromHash(window.location.hash)
    if (path) void openPath(path)
    else setStarted(true)
  }, [openPath])

  const writeTo = useCallback(
    async (path: string, base: string | undefined): Promise<boolean> => {
      const state = nbRef.current
      if (!state.doc) return false
      const version = state.version
      const r: Result<{ path: string; revision: string }> = await transport.request('wb:notebooks.save', {
        path,
        document: state.doc,
        ...(base !== undefined ? { baseRevision: base } : {}),
      })
      if (r.ok) {
        dispatch({ type: 'saved', path: r.value.path, revision: r.value.revision, version })
        setHashPath(r.value.path)
        dropBanner('save')
        dropBanner('problem')
        dropBanner('recovery')
        return true
      }
      const actions =
        r.error.code === 'conflict' && !state.readOnly
          ? [
              { label: 'Save as…', run: () => setDialog('save') },
              { label: 'Overwrite', run: () => void writeTo(path, undefined) },
            ]
          : [{ label: 'Save as…', run: () => setDialog('save') }]
      addBanner({ id: 'save', tone: 'error', text: `Not saved: ${r.error.message}`, actions })
      return false
    },
    [transport, addBanner, dropBanner],
  )

  const saveAs = useCallback(async () => {
    if (!nbRef.current.doc) return
    if (info?.mode === 'desktop') {
      const picked = await transport.request('wb:files.pick', { kind: 'save', filters: [{ name: 'sftbench notebook', extensions: ['sftnb'] }] })
      if (!picked.ok) addBanner({ id: 'save', tone: 'error', text: picked.error.message })
      else if (picked.value.path) await writeTo(picked.value.path, undefined)
      return
    }
    setDialog('save')
  }, [info, transport, writeTo, addBanner])

  const save = useCallback(async () => {
    const state = nbRef.current
    if (!state.doc) return
    if (!state.path || state.readOnly) return saveAs()
    await writeTo(state.path, state.revision ?? undefined)
  }, [saveAs, writeTo])

  const open = useCallback(async () => {
    if (info?.mode === 'desktop') {
      const picked = await transport.request('wb:files.pick', { kind: 'open', filters: [{ name: 'sftbench notebook', extensions: ['sftnb'] }] })
      if (!picked.ok) addBanner({ id: 'open', tone: 'error', text: picked.error.message })
      else if (picked.value.path) await openPath(picked.value.path)
      return
    }
    setDialog('open')
  }, [info, transport, openPath, addBanner])

  const onPicked = useCallback(
    async (path: string) => {
      const mode = dialog
      setDialog(null)
      // The backend records the choice (and resolves it inside the workspace).
      const picked = await transport.request('wb:files.pick', { kind: mode === 'save' ? 'save' : 'open', path })
      if (!picked.ok) return addBanner({ id: mode === 'save' ? 'save' : 'open', tone: 'error', text: picked.error.message })
      if (!picked.value.path) return
      if (mode === 'open') await openPath(picked.value.path)
      else await writeTo(picked.value.path, undefined)
    },
    [dialog, transport, openPath, writeTo, addBanner],
  )

  // Autosave: unsaved edits go to the recovery file every few seconds (the notebook file is untouched).
  useEffect(() => {
    const timer = setInterval(() => {
      const state = nbRef.current
      if (!state.doc || !state.path || !isDirty(state) || autosavedVersion.current === state.version) return
      const version = state.version
      void transport.request('wb:notebooks.autosave', { path: state.path, document: state.doc }).then((r) => {
        if (r.ok) autosavedVersion.current = version
        else addBanner({ id: 'autosave', tone: 'warn', text: `Autosave failed: ${r.error.message}` })
      })
    }, AUTOSAVE_MS)
    return () => clearInterval(timer)
  }, [transport, addBanner])

  // Warn before leaving with unsaved edits.
  useEffect(() => {
    const onUnload = (e: BeforeUnloadEvent): void => {
      const state = nbRef.current
      if (state.doc && isDirty(state)) {
        if (state.path) void transport.request('wb:notebooks.autosave', { path: state.path, document: state.doc })
        e.preventDefault()
      }
    }
    window.addEventListener('beforeunload', onUnload)
    return () => window.removeEventListener('beforeunload', onUnload)
  }, [transport])

  const runOne = useCallback((id: string, options?: { resume?: boolean }) => runCell(ctx, id, options), [ctx])

  const interrupt = useCallback(() => {
    runAll.current.interrupted = true
    for (const requestId of store.runningProbes()) void transport.request('wb:generate.cancel', { requestId })
    for (const { runId } of store.runningSweeps()) void transport.request('wb:sweeps.cancel', { runId })
  }, [store, transport])

  const cancelCell = useCallback(
    (id: string) => {
      const probe = store.probe(id)
      if (probe.running && probe.requestId) void transport.request('wb:generate.cancel', { requestId: probe.requestId })
      const sweep = store.sweep(id)
      if (sweep.runId && (sweep.status === 'running' || sweep.status === 'starting')) void transport.request('wb:sweeps.cancel', { runId: sweep.runId })
    },
    [store, transport],
  )

  const runAllCells = useCallback(async () => {
    if (runAll.current.active) return
    runAll.current = { active: true, interrupted: false }
    try {
      for (const cell of nbRef.current.doc?.cells ?? []) {
        if (runAll.current.interrupted) break
        if (!(await runOne(cell.id))) break
      }
    } finally {
      runAll.current = { active: false, interrupted: false }
    }
  }, [runOne])

  const focusCell = useCallback((id: string | null) => {
    setFocused(id)
    if (id === null) return
    const el = document.querySelector<HTMLElement>(`[data-cell-id="${id}"]`)
    if (el && !el.contains(document.activeElement)) el.focus({ preventScroll: false })
  }, [])

  // Keyboard: Shift/Ctrl/Cmd+Enter run the focused cell (Shift moves on); Ctrl/Cmd+S saves; Escape then I interrupts.
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const mod = e.ctrlKey || e.metaKey
      if (e.key === 'Enter' && (e.shiftKey || mod)) {
        const id = focused
        const doc = nbRef.current.doc
        if (!id || !doc) return
        e.preventDefault()
        void runOne(id)
        if (e.shiftKey && !mod) {
          const i = doc.cells.findIndex((c) => c.id === id)
          const next = doc.cells[i + 1]
          if (next) focusCell(next.id)
        }
        return
      }
      if (mod && (e.key === 's' || e.key === 'S')) {
        e.preventDefault()
        void (e.shiftKey ? saveAs() : save())
        return
      }
      if (mod && (e.key === 'o' || e.key === 'O')) {
        e.preventDefault()
        void open()
        return
      }
      if (e.key === 'Escape' && !dialog) {
        commandMode.current = true
        if (isEditable(document.activeElement)) {
          ;(document.activeElement as HTMLElement).blur()
          if (focused) focusCell(focused)
        }
        return
      }
      if (commandMode.current && !isEditable(e.target) && (e.key === 'i' || e.key === 'I') && !mod) {
        e.preventDefault()
        interrupt()
      }
      if (!['Shift', 'Control', 'Meta', 'Alt'].includes(e.key)) commandMode.current = e.key === 'Escape'
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [focused, dialog, runOne, save, saveAs, open, interrupt, focusCell])

  const onEdit = useCallback((id: string, change: (cell: Cell) => Cell) => dispatch({ type: 'edit', id, change }), [])
  const onMove = useCallback((id: string, delta: -1 | 1) => dispatch({ type: 'move', id, delta }), [])
  const onDelete = useCallback((id: string) => dispatch({ type: 'delete', id }), [])
  const insert = useCallback((index: number, kind: CellKind) => dispatch({ type: 'insert', index, kind }), [])
  const onRun = useCallback((id: string, options?: { resume?: boolean }) => void runOne(id, options), [runOne])

  const doc = nb.doc
  const dirty = isDirty(nb)
  const title = doc?.title ?? (nb.path ? nb.path.split(/[\\/]/).pop() : undefined)
  useEffect(() => {
    document.title = `${dirty ? '• ' : ''}${title ?? 'sftbench'}${title ? ' — sftbench' : ''}`
  }, [title, dirty])

  return (
    <WorkbenchContext.Provider value={workbench}>
      <Toolbar
        path={nb.path}
        workspace={info?.workspace ?? null}
        title={doc?.title}
        dirty={dirty}
        readOnly={nb.readOnly}
        hasDoc={doc !== null}
        busy={busy}
        model={model}
        connection={http ? connection : null}
        onNew={() => {
          dispatch({ type: 'new', doc: emptyNotebook() })
          setRuns({})
          setHashPath(null)
          setStarted(true)
        }}
        onOpen={() => void open()}
        onSave={() => void save()}
        onSaveAs={() => void saveAs()}
        onRunAll={() => void runAllCells()}
        onInterrupt={interrupt}
        onTitle={(t) => dispatch({ type: 'title', title: t })}
      />
      {banners.map((b) => (
        <div key={b.id} className={`banner ${b.tone}`} role={b.tone === 'error' ? 'alert' : 'status'} data-testid={`banner-${b.id}`}>
          <div className="text">{b.text}</div>
          {b.actions?.map((a) => (
            <button key={a.label} className="small" onClick={a.run}>
              {a.label}
            </button>
          ))}
          <button className="small icon" aria-label="Dismiss" onClick={() => dropBanner(b.id)}>
            ✕
          </button>
        </div>
      ))}
      <main className="notebook">
        {doc ? (
          <Cells
            doc={doc}
            runs={runs}
            focused={focused}
            readOnly={nb.readOnly}
            onFocus={setFocused}
            onEdit={onEdit}
            onRun={onRun}
            onCancel={cancelCell}
            onMove={onMove}
            onDelete={onDelete}
            onInsert={insert}
          />
        ) : started ? (
          <StartPage transport={transport} info={info} onOpen={(p) => void openPath(p)} onNew={() => dispatch({ type: 'new', doc: emptyNotebook() })} />
        ) : null}
      </main>
      <div className="footer-help">
        <span className="kbd">Shift+Enter</span> run and advance · <span className="kbd">Ctrl+Enter</span> run ·{' '}
        <span className="kbd">Esc</span> then <span className="kbd">I</span> interrupt · <span className="kbd">Ctrl+S</span> save
        {info ? <span> · workspace <span className="mono">{info.workspace}</span></span> : null}
      </div>
      {dialog ? (
        <FileDialog
          transport={transport}
          mode={dialog}
          initialName={nb.path ? nb.path.split(/[\\/]/).pop() : `${(doc?.title ?? 'notebook').replace(/[^A-Za-z0-9._-]+/g, '-')}${NOTEBOOK_EXTENSION}`}
          onPick={(p) => void onPicked(p)}
          onCancel={() => setDialog(null)}
        />
      ) : null}
    </WorkbenchContext.Provider>
  )
}

interface CellsProps {
  readonly doc: NotebookDocument
  readonly runs: Readonly<Record<string, CellRun>>
  readonly focused: string | null
  readonly readOnly: boolean
  readonly onFocus: (id: string) => void
  readonly onEdit: (id: string, change: (cell: Cell) => Cell) => void
  readonly onRun: (id: string, options?: { resume?: boolean }) => void
  readonly onCancel: (id: string) => void
  readonly onMove: (id: string, delta: -1 | 1) => void
  readonly onDelete: (id: string) => void
  readonly onInsert: (index: number, kind: CellKind) => void
}

function AddRow({ cells, index, onInsert, disabled }: { cells: readonly Cell[]; index: number; onInsert: (index: number, kind: CellKind) => void; disabled: boolean }) {
  if (disabled) return null
  return (
    <div className={index === cells.length ? 'add-row last' : 'add-row'} aria-label={`Add a cell at position ${index + 1}`}>
      {CELL_KINDS.filter((kind) => canInsert(cells, index, kind)).map((kind) => (
        <button key={kind} className="small" onClick={() => onInsert(index, kind)} title={`Add a ${KIND_LABELS[kind].toLowerCase()} cell here`}>
          + {KIND_LABELS[kind]}
        </button>
      ))}
    </div>
  )
}

function Cells(props: CellsProps) {
  const { doc } = props
  return (
    <>
      {doc.cells.length === 0 ? <div className="empty">This notebook has no cells yet.</div> : null}
      <AddRow cells={doc.cells} index={0} onInsert={props.onInsert} disabled={props.readOnly} />
      {doc.cells.map((cell, i) => (
        <div key={cell.id}>
          <CellView
            cell={cell}
            index={i}
            count={doc.cells.length}
            doc={doc}
            run={props.runs[cell.id] ?? IDLE_RUN}
            focused={props.focused === cell.id}
            readOnly={props.readOnly}
            onFocus={props.onFocus}
            onEdit={props.onEdit}
            onRun={props.onRun}
            onCancel={props.onCancel}
            onMove={props.onMove}
            onDelete={props.onDelete}
          />
          <AddRow cells={doc.cells} index={i + 1} onInsert={props.onInsert} disabled={props.readOnly} />
        </div>
      ))}
    </>
  )
}
