/**
 * The board editor: click (or drag) to place walls, floor, goals, boxes and the player. Every edit
 * is checked at once by core/sokoban's level checks, with the problem's cell outlined; a valid board
 * is solved in the solver worker (only the latest board: older searches are stopped), and its
 * optimal plan can be stepped through or the level played by hand.
 *
 * Keyboard (board focused): arrows move the cursor, Enter or Space applies the tool, W F G B P E pick
 * a tool, Delete erases.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react'
import type { Direction } from '../../../core/sokoban/directions.ts'
import { parseXsbLevel } from '../../../core/sokoban/xsb.ts'
import { SupersededError, type SolverClient } from '../workers/solver-client.ts'
import { newSolverClient } from '../workers/use-solve.ts'
import type { SokobanAnswer } from '../workers/solve.ts'
import {
  EDITOR_TOOLS,
  MAX_SIDE,
  MIN_SIDE,
  applyTool,
  checkGrid,
  emptyGrid,
  gridFromLevel,
  resizeGrid,
  type EditorGrid,
  type EditorTool,
} from './board-editor.ts'
import { EpisodePlayer } from './EpisodePlayer.tsx'
import { PALETTE } from './palette.ts'
import { BoxShape, PlayerShape } from './SokobanBoard.tsx'
import './viewers.css'

export interface BoardEditorProps {
  /** A level to start from (XSB text); a blank 7×7 room when absent. */
  readonly initialXsb?: string
  /** Called with the level's XSB text (title line included) when the user saves. */
  readonly onSave: (xsb: string) => void
  readonly onCancel: () => void
  readonly saveLabel?: string
}

/** How long the board must stay unchanged before it is solved (a drag makes many edits). */
const SOLVE_DELAY_MS = 200

type SolveView = { readonly state: 'idle' | 'solving' } | { readonly state: 'done'; readonly answer: SokobanAnswer } | { readonly state: 'error'; readonly message: string }

function initialGrid(xsb: string | undefined): { grid: EditorGrid; title: string } {
  if (xsb === undefined) return { grid: emptyGrid(7, 7), title: '' }
  const level = parseXsbLevel(xsb)
  return { grid: gridFromLevel(level), title: level.title ?? '' }
}

function solveText(view: SolveView, valid: boolean): string {
  if (!valid) return 'Fix the board to check whether it can be solved.'
  switch (view.state) {
    case 'idle':
    case 'solving':
      return 'Solving…'
    case 'error':
      return `The solver failed: ${view.message}`
    case 'done': {
      const a = view.answer
      if (a.status === 'solved') return `Solvable: optimal ${a.moveCount} moves (${a.pushCount} pushes).`
      if (a.status === 'unsolvable') return 'Unsolvable: no sequence of moves puts every box on a goal.'
      if (a.status === 'gave-up') return `The solver gave up (${a.message ?? 'search limit'}); the level may still be solvable.`
      return a.message ?? 'Invalid level.'
    }
  }
}

/** The Sokoban board editor (see the module comment). */
export function BoardEditor({ initialXsb, onSave, onCancel, saveLabel = 'Save to task' }: BoardEditorProps) {
  const start = useMemo(() => initialGrid(initialXsb), [initialXsb])
  const [grid, setGrid] = useState<EditorGrid>(start.grid)
  const [title, setTitle] = useState(start.title)
  const [tool, setTool] = useState<EditorTool>('wall')
  const [cursor, setCursor] = useState(0)
  const [solveView, setSolveView] = useState<SolveView>({ state: 'idle' })
  const [showPlan, setShowPlan] = useState(false)
  const dragging = useRef<{ last: number } | null>(null)
  const client = useRef<SolverClient | null>(null)
  const check = useMemo(() => checkGrid(grid, title), [grid, title])
  const board = check.ok ? check.board : null

  useEffect(() => () => client.current?.dispose(), [])

  // Solve the latest valid board; an edit stops the search of the board before it.
  useEffect(() => {
    if (board === null) {
      client.current?.cancelAll()
      setSolveView({ state: 'idle' })
      return
    }
    client.current ??= newSolverClient()
    const solver = client.current
    solver.cancelAll()
    setSolveView({ state: 'solving' })
    let live = true
    const timer = setTimeout(() => {
      solver.solve({ kind: 'sokoban', xsb: board }).then(
        (answer) => live && answer.kind === 'sokoban' && setSolveView({ state: 'done', answer }),
        (e: Error) => live && !(e instanceof SupersededError) && setSolveView({ state: 'error', message: e.message }),
      )
    }, SOLVE_DELAY_MS)
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [board])

  useEffect(() => setShowPlan(false), [board])

  const cellPx = Math.max(14, Math.min(34, Math.floor(440 / Math.max(grid.rows, grid.cols))))
  const cellAt = (e: PointerEvent<SVGSVGElement>): number | null => {
    const rect = e.currentTarget.getBoundingClientRect()
    const c = Math.floor(((e.clientX - rect.left) / rect.width) * grid.cols)
    const r = Math.floor(((e.clientY - rect.top) / rect.height) * grid.rows)
    return r >= 0 && r < grid.rows && c >= 0 && c < grid.cols ? r * grid.cols + c : null
  }
  const onPointerDown = (e: PointerEvent<SVGSVGElement>): void => {
    const cell = cellAt(e)
    if (cell === null) return
    e.currentTarget.setPointerCapture(e.pointerId)
    dragging.current = { last: cell }
    setCursor(cell)
    setGrid((g) => applyTool(g, cell, tool, true))
  }
  const onPointerMove = (e: PointerEvent<SVGSVGElement>): void => {
    if (dragging.current === null || tool === 'player' || (e.buttons & 1) === 0) return
    const cell = cellAt(e)
    if (cell === null || cell === dragging.current.last) return
    dragging.current.last = cell
    setGrid((g) => applyTool(g, cell, tool, false))
  }
  const endDrag = (): void => {
    dragging.current = null
  }

  const onKeyDown = (e: KeyboardEvent<SVGSVGElement>): void => {
    if (e.ctrlKey || e.metaKey || e.altKey) return
    const moves: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] }
    const picked = EDITOR_TOOLS.find((t) => t.key === e.key.toLowerCase())
    let handled = true
    if (moves[e.key] !== undefined) {
      const [dr, dc] = moves[e.key]
      const r = Math.max(0, Math.min(grid.rows - 1, Math.floor(cursor / grid.cols) + dr))
      const c = Math.max(0, Math.min(grid.cols - 1, (cursor % grid.cols) + dc))
      setCursor(r * grid.cols + c)
    } else if (e.key === 'Enter' || e.key === ' ') {
      setGrid((g) => applyTool(g, cursor, tool, true))
    } else if (e.key === 'Delete' || e.key === 'Backspace') {
      setGrid((g) => applyTool(g, cursor, 'erase'))
    } else if (picked !== undefined) {
      setTool(picked.tool)
    } else {
      handled = false
    }
    if (handled) {
      e.preventDefault()
      e.stopPropagation()
    }
  }

  const resize = (rows: number, cols: number): void => {
    setGrid((g) => resizeGrid(g, rows, cols))
    setCursor(0)
  }

  const plan: readonly Direction[] | null =
    solveView.state === 'done' && solveView.answer.status === 'solved' ? solveView.answer.moves : null
  const errorCell = check.ok ? null : check.cell
  const cells = grid.cells

  return (
    <div className="board-editor" data-testid="board-editor">
      <div className="row editor-tools" role="radiogroup" aria-label="Tool">
        {EDITOR_TOOLS.map((t) => (
          <button
            key={t.tool}
            className={tool === t.tool ? 'small primary' : 'small'}
            role="radio"
            aria-checked={tool === t.tool}
            onClick={() => setTool(t.tool)}
            title={`${t.label} (${t.key.toUpperCase()})`}
            data-tool={t.tool}
          >
            {t.label}
          </button>
        ))}
        <span className="grow" />
        <label className="inline">
          rows{' '}
          <input type="number" min={MIN_SIDE} max={MAX_SIDE} value={grid.rows} onChange={(e) => resize(Number(e.target.value), grid.cols)} aria-label="Rows" />
        </label>
        <label className="inline">
          columns{' '}
          <input type="number" min={MIN_SIDE} max={MAX_SIDE} value={grid.cols} onChange={(e) => resize(grid.rows, Number(e.target.value))} aria-label="Columns" />
        </label>
        <button className="small" onClick={() => setGrid(emptyGrid(grid.rows, grid.cols))} title="A walled, empty room of this size">
          Clear
        </button>
      </div>
      <div className="editor-main">
        <svg
          className="editor-grid"
          data-testid="editor-grid"
          width={grid.cols * cellPx}
          height={grid.rows * cellPx}
          viewBox={`0 0 ${grid.cols} ${grid.rows}`}
          tabIndex={0}
          role="application"
          aria-label={`Board editor, ${grid.rows} by ${grid.cols}; tool ${tool}. Arrows move the cursor, Enter places, W F G B P E choose a tool.`}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={endDrag}
          onPointerCancel={endDrag}
          onKeyDown={onKeyDown}
        >
          {cells.map((c, i) => {
            const x = i % grid.cols
            const y = Math.floor(i / grid.cols)
            const goal = c === '.' || c === '*' || c === '+'
            return (
              <g key={i} transform={`translate(${x} ${y})`} data-cell={i} data-symbol={c}>
                <rect width={1} height={1} fill={c === '#' ? PALETTE.wall : '#f7f8fa'} stroke={PALETTE.floorLine} strokeWidth={0.03} />
                {goal ? <path d="M0.5 0.2L0.8 0.5L0.5 0.8L0.2 0.5z" fill="none" stroke={PALETTE.goal} strokeWidth={0.09} /> : null}
                {c === '$' || c === '*' ? <BoxShape onGoal={c === '*'} /> : null}
                {c === '@' || c === '+' ? <PlayerShape /> : null}
              </g>
            )
          })}
          {errorCell !== null ? (
            <rect
              x={(errorCell % grid.cols) + 0.04}
              y={Math.floor(errorCell / grid.cols) + 0.04}
              width={0.92}
              height={0.92}
              fill="none"
              stroke={PALETTE.dead}
              strokeWidth={0.12}
              data-testid="editor-error-cell"
              pointerEvents="none"
            />
          ) : null}
          <rect
            className="editor-cursor"
            x={(cursor % grid.cols) + 0.02}
            y={Math.floor(cursor / grid.cols) + 0.02}
            width={0.96}
            height={0.96}
            fill="none"
            stroke={PALETTE.optimal}
            strokeWidth={0.06}
            strokeDasharray="0.12 0.08"
            pointerEvents="none"
          />
        </svg>
        <div className="editor-side">
          <label className="field">
            <span>Title (optional)</span>
            <input value={title} onChange={(e) => setTitle(e.target.value)} placeholder="e.g. Corner trap" data-testid="editor-title" />
          </label>
          <div className={check.ok ? 'chip ok' : 'chip bad'} role="status" data-testid="editor-check" data-valid={check.ok ? 'true' : 'false'}>
            {check.ok ? `Valid level: ${check.boxes} box${check.boxes === 1 ? '' : 'es'}.` : check.message}
          </div>
          <div
            className="editor-solve"
            role="status"
            data-testid="editor-solve"
            data-state={check.ok ? (solveView.state === 'done' ? solveView.answer.status : solveView.state) : 'invalid'}
          >
            {solveText(solveView, check.ok)}
          </div>
          <div className="row">
            <button className={check.ok ? 'small primary' : 'small'} disabled={!check.ok} onClick={() => check.ok && onSave(check.xsb)} data-testid="editor-save">
              {saveLabel}
            </button>
            <button className="small" onClick={() => setShowPlan((s) => !s)} disabled={!check.ok} data-testid="editor-view">
              {showPlan ? 'Hide viewer' : plan ? 'Step through the plan' : 'Open in viewer'}
            </button>
            <button className="small" onClick={onCancel}>
              Cancel
            </button>
          </div>
        </div>
      </div>
      {showPlan && check.ok ? <EpisodePlayer levelXsb={check.xsb} turns={[]} plan={plan ?? undefined} size={300} onClose={() => setShowPlan(false)} /> : null}
    </div>
  )
}
