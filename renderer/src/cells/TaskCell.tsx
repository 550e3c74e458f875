/**
 * Task and instance set: the task, a paper difficulty or preset, the seed and the count; a gallery of
 * the instances (boards or hands, each with its optimal solution length or solution count); a click
 * opens one in the viewer. Sokoban task cells also keep levels of their own (`levels`, XSB text),
 * imported from XSB files or pasted text, or drawn in the board editor; those are solved in the
 * solver worker, so the page never waits for a search.
 */
import { memo, useEffect, useMemo, useState } from 'react'
import { PAPER_DIFFICULTIES, describeDifficulty } from '../../../core/experiment/difficulty.ts'
import { instanceAt } from '../../../core/experiment/instance-set.ts'
import { PRESETS } from '../../../core/experiment/presets.ts'
import type { HandView, LevelView } from '../../../core/contract/api.ts'
import { gpAnswerJson } from '../../../core/gp/cot.ts'
import { faceCardMessage } from '../../../core/gp/rules.ts'
import { instanceSetOf } from '../../../core/notebook/instances.ts'
import { MAX_TASK_LEVELS, type TaskCell as TaskCellT } from '../../../core/notebook/schema.ts'
import type { Direction } from '../../../core/sokoban/directions.ts'
import { parseLurd } from '../../../core/sokoban/solve/search.ts'
import { parseXsbLevel } from '../../../core/sokoban/xsb.ts'
import { NumberField, SelectField } from '../components/fields.tsx'
import { BoardEditor } from '../viewers/BoardEditor.tsx'
import { CardHand } from '../viewers/CardHand.tsx'
import { EpisodePlayer } from '../viewers/EpisodePlayer.tsx'
import { importXsb, type ImportResult } from '../viewers/level-import.ts'
import { SokobanBoard } from '../viewers/SokobanBoard.tsx'
import { VerdictPanel } from '../viewers/VerdictPanel.tsx'
import { useSolve, type SolveState } from '../workers/use-solve.ts'
import type { CellEditorProps } from './types.ts'
import '../viewers/viewers.css'

type Source = 'difficulty' | 'preset'

/** Pixels of a gallery board's longer side. */
const THUMB = 132

function difficultyOptions(task: 'sokoban' | 'gp'): [string, string][] {
  return Object.entries(PAPER_DIFFICULTIES)
    .filter(([, d]) => d.task === task)
    .map(([name, d]) => [name, `${name} (${describeDifficulty(d)})`])
}

function presetOptions(task: 'sokoban' | 'gp'): [string, string][] {
  return PRESETS.filter((p) => p.task === task).map((p) => [p.name, p.name])
}

/** What the viewer shows: a generated level with its plan, a level of the cell's own, or a hand. */
type Viewing =
  | { readonly kind: 'generated'; readonly level: LevelView }
  | { readonly kind: 'own'; readonly index: number; readonly xsb: string }
  | { readonly kind: 'hand'; readonly hand: HandView }

/** The editor: a new level, a copy of a generated one, or one of the cell's own levels (`index`). */
interface Editing {
  readonly xsb?: string
  readonly index: number | null
}

export function TaskCell({ cell, edit, readOnly, run }: CellEditorProps<TaskCellT>) {
  const source: Source = cell.preset !== undefined ? 'preset' : 'difficulty'
  const seed = cell.seedScheme?.kind === 'seeded' ? cell.seedScheme.seed : undefined
  const customScheme = cell.seedScheme !== undefined && cell.seedScheme.kind !== 'seeded'
  const difficultyName = typeof cell.difficulty === 'string' ? cell.difficulty : ''
  const [viewing, setViewing] = useState<Viewing | null>(null)
  const [editing, setEditing] = useState<Editing | null>(null)
  const [importing, setImporting] = useState(false)
  const own = cell.task === 'sokoban' ? (cell.levels ?? []) : []

  // A new run shows other instances: a viewer of the old ones would be stale.
  useEffect(() => setViewing((v) => (v?.kind === 'own' ? v : null)), [run.output])

  const setTask = (task: 'sokoban' | 'gp'): void =>
    edit((c) => ({ id: c.id, kind: 'task', reads: c.reads, task, difficulty: difficultyOptions(task)[0][0], seedScheme: { kind: 'seeded', seed: seed ?? 0 }, count: c.count }))
  const setSource = (next: Source): void =>
    edit((c) => {
      const { preset: _p, difficulty: _d, seedScheme: _s, rule: _r, ...rest } = c
      return next === 'preset'
        ? { ...rest, preset: presetOptions(c.task)[0]?.[0] ?? '' }
        : { ...rest, difficulty: difficultyOptions(c.task)[0][0], seedScheme: { kind: 'seeded', seed: 0 } }
    })
  const setLevels = (change: (levels: string[]) => string[]): void =>
    edit((c) => {
      const next = change([...(c.levels ?? [])])
      const { levels: _l, ...rest } = c
      return next.length === 0 ? rest : { ...rest, levels: next }
    })
  const saveEdited = (xsb: string): void => {
    const index = editing?.index ?? null
    setLevels((levels) => (index === null ? [...levels, xsb] : levels.map((l, i) => (i === index ? xsb : l))))
    setViewing({ kind: 'own', index: index ?? own.length, xsb })
    setEditing(null)
  }

  return (
    <>
      <div className="form">
        <SelectField label="Task" value={cell.task} disabled={readOnly} options={[['sokoban', 'Sokoban'], ['gp', 'General Points (24)']]} onChange={setTask} />
        <SelectField label="Instances from" value={source} disabled={readOnly} options={[['difficulty', 'a difficulty'], ['preset', "a paper preset"]]} onChange={setSource} />
        {source === 'preset' ? (
          <SelectField
            label="Preset"
            value={cell.preset ?? ''}
            disabled={readOnly}
            options={presetOptions(cell.task)}
            onChange={(preset) => edit((c) => ({ ...c, preset }))}
          />
        ) : (
          <>
            <SelectField
              label="Difficulty"
              value={difficultyName}
              disabled={readOnly || typeof cell.difficulty !== 'string'}
              options={typeof cell.difficulty === 'string' ? difficultyOptions(cell.task) : [['', 'custom (see JSON)']]}
              onChange={(difficulty) => edit((c) => ({ ...c, difficulty }))}
            />
            <NumberField
              label="Seed"
              integer
              min={0}
              value={seed}
              disabled={readOnly || customScheme}
              hint={customScheme ? `scheme: ${cell.seedScheme?.kind}` : undefined}
              onChange={(s) => edit((c) => ({ ...c, seedScheme: { kind: 'seeded', seed: s ?? 0 } }))}
            />
          </>
        )}
        <NumberField label="Count" integer min={1} max={100000} value={cell.count} disabled={readOnly} onChange={(count) => edit((c) => ({ ...c, count: count ?? 1 }))} />
        <NumberField label="Start" integer min={0} optional placeholder="0" value={cell.start} disabled={readOnly} onChange={(start) => edit((c) => ({ ...c, start }))} />
      </div>
      {run.output?.kind === 'levels' ? (
        <LevelGallery
          levels={run.output.levels}
          total={cell.count}
          selected={viewing?.kind === 'generated' ? viewing.level.id : null}
          onOpen={(level) => setViewing({ kind: 'generated', level })}
          onEditCopy={readOnly ? null : (level) => setEditing({ xsb: level.xsb, index: null })}
        />
      ) : null}
      {run.output?.kind === 'hands' ? (
        <HandGallery
          hands={run.output.hands}
          total={cell.count}
          selected={viewing?.kind === 'hand' ? viewing.hand.id : null}
          onOpen={(hand) => setViewing({ kind: 'hand', hand })}
        />
      ) : null}
      {cell.task === 'sokoban' ? (
        <>
          <div className="gallery-head">
            <strong>Own levels</strong>
            <span data-testid="own-level-count">{own.length === 0 ? 'none yet' : `${own.length} level${own.length === 1 ? '' : 's'}`}</span>
            <span className="hint">imported or drawn here; saved in the notebook</span>
            <span className="grow" />
            <button className="small" disabled={readOnly} onClick={() => setImporting((v) => !v)} data-testid="import-levels" aria-expanded={importing}>
              Import levels…
            </button>
            <button className="small" disabled={readOnly} onClick={() => setEditing({ index: null })} data-testid="new-level">
              New level
            </button>
          </div>
          {importing && !readOnly ? (
            <ImportPanel
              room={MAX_TASK_LEVELS - own.length}
              onAdd={(levels) => {
                setLevels((l) => [...l, ...levels])
                setImporting(false)
              }}
              onClose={() => setImporting(false)}
            />
          ) : null}
          {own.length > 0 ? (
            <OwnLevels
              levels={own}
              readOnly={readOnly}
              selected={viewing?.kind === 'own' ? viewing.index : null}
              onOpen={(index) => setViewing({ kind: 'own', index, xsb: own[index] })}
              onEdit={(index) => setEditing({ xsb: own[index], index })}
              onRemove={(index) => {
                setLevels((l) => l.filter((_, i) => i !== index))
                setViewing(null)
              }}
            />
          ) : null}
        </>
      ) : null}
      {editing !== null ? (
        <BoardEditor
          key={`${editing.index ?? 'new'}:${editing.xsb ?? ''}`}
          initialXsb={editing.xsb}
          saveLabel={editing.index === null ? 'Add to task' : 'Save changes'}
          onSave={saveEdited}
          onCancel={() => setEditing(null)}
        />
      ) : null}
      {viewing?.kind === 'generated' ? (
        <EpisodePlayer
          key={viewing.level.id}
          levelXsb={viewing.level.xsb}
          turns={NO_TURNS}
          plan={planOf(viewing.level)}
          onClose={() => setViewing(null)}
        />
      ) : null}
      {viewing?.kind === 'own' ? <OwnLevelViewer key={`${viewing.index}:${viewing.xsb}`} xsb={viewing.xsb} onClose={() => setViewing(null)} /> : null}
      {viewing?.kind === 'hand' ? <CardViewer key={viewing.hand.id} hand={viewing.hand} cell={cell} onClose={() => setViewing(null)} /> : null}
    </>
  )
}

const NO_TURNS: readonly never[] = []

const planCache = new WeakMap<LevelView, readonly Direction[]>()

/** The generated level's optimal plan (letters U D L R from the backend), parsed once per level view. */
function planOf(level: LevelView): readonly Direction[] {
  let plan = planCache.get(level)
  if (plan === undefined) {
    plan = parseLurd(level.plan)
    planCache.set(level, plan)
  }
  return plan
}

/** A gallery board: the level drawn small, a button that opens it. */
const Thumb = memo(function Thumb({ xsb, label, onOpen }: { readonly xsb: string; readonly label: string; readonly onOpen: () => void }) {
  const level = useMemo(() => parseXsbLevel(xsb), [xsb])
  return (
    <button className="open" onClick={onOpen} aria-label={label} title={label}>
      <SokobanBoard level={level} size={THUMB} label={label} />
    </button>
  )
})

function LevelGallery({
  levels,
  total,
  selected,
  onOpen,
  onEditCopy,
}: {
  readonly levels: readonly LevelView[]
  readonly total: number
  readonly selected: string | null
  readonly onOpen: (level: LevelView) => void
  readonly onEditCopy: ((level: LevelView) => void) | null
}) {
  return (
    <>
      <div className="gallery viewer-gallery" data-testid="gallery">
        {levels.map((l) => (
          <figure className={selected === l.id ? 'instance selected' : 'instance'} key={l.id} data-level-id={l.id}>
            <figcaption className="caption">
              #{l.index} · {l.optimalMoves === null ? 'no solution in cap' : `optimal ${l.optimalMoves} moves`}
            </figcaption>
            <Thumb xsb={l.xsb} label={`Open level #${l.index} (${l.id}) in the viewer`} onOpen={() => onOpen(l)} />
            <div className="actions">
              {onEditCopy ? (
                <button className="small" onClick={() => onEditCopy(l)} title="Edit a copy in the board editor; it becomes one of this cell's own levels">
                  Edit a copy
                </button>
              ) : null}
            </div>
            <details className="xsb-text">
              <summary>XSB</summary>
              <pre className="board" aria-label={`Level ${l.id}`}>{l.xsb}</pre>
            </details>
          </figure>
        ))}
      </div>
      <div className="meta">
        Showing {levels.length} of {total}. Click a board to step through its optimal plan.
      </div>
    </>
  )
}

function solveCaption(state: SolveState): string {
  if (state.error !== null) return `solver failed: ${state.error}`
  const a = state.answer
  if (a === null || a.kind !== 'sokoban') return 'solving…'
  if (a.status === 'solved') return `optimal ${a.moveCount} moves`
  if (a.status === 'unsolvable') return 'unsolvable'
  if (a.status === 'gave-up') return 'solver gave up'
  return 'invalid'
}

function OwnLevel({
  xsb,
  index,
  selected,
  readOnly,
  onOpen,
  onEdit,
  onRemove,
}: {
  readonly xsb: string
  readonly index: number
  readonly selected: boolean
  readonly readOnly: boolean
  readonly onOpen: (index: number) => void
  readonly onEdit: (index: number) => void
  readonly onRemove: (index: number) => void
}) {
  const job = useMemo(() => ({ kind: 'sokoban' as const, xsb }), [xsb])
  const solved = useSolve(job)
  const title = useMemo(() => parseXsbLevel(xsb).title, [xsb])
  return (
    <figure className={selected ? 'instance selected' : 'instance'} data-own-level={index}>
      <figcaption className="caption" data-testid="own-level-caption">
        L{index + 1}
        {title ? ` · ${title}` : ''} · {solveCaption(solved)}
      </figcaption>
      <Thumb xsb={xsb} label={`Open own level ${index + 1}${title ? ` (${title})` : ''} in the viewer`} onOpen={() => onOpen(index)} />
      {readOnly ? null : (
        <div className="actions">
          <button className="small" onClick={() => onEdit(index)}>
            Edit
          </button>
          <button className="small" onClick={() => onRemove(index)} aria-label={`Remove own level ${index + 1}`}>
            Remove
          </button>
        </div>
      )}
      <details className="xsb-text">
        <summary>XSB</summary>
        <pre className="board">{xsb}</pre>
      </details>
    </figure>
  )
}

/** Own levels shown at first, and added by each "show more" (each is drawn and solved when shown). */
const OWN_PAGE = 24

function OwnLevels(props: {
  readonly levels: readonly string[]
  readonly readOnly: boolean
  readonly selected: number | null
  readonly onOpen: (index: number) => void
  readonly onEdit: (index: number) => void
  readonly onRemove: (index: number) => void
}) {
  const [shown, setShown] = useState(OWN_PAGE)
  const more = props.levels.length - shown
  return (
    <div className="gallery viewer-gallery" data-testid="own-levels">
      {props.levels.slice(0, shown).map((xsb, i) => (
        <OwnLevel
          key={`${i}:${xsb}`}
          xsb={xsb}
          index={i}
          selected={props.selected === i}
          readOnly={props.readOnly}
          onOpen={props.onOpen}
          onEdit={props.onEdit}
          onRemove={props.onRemove}
        />
      ))}
      {more > 0 ? (
        <button className="small" onClick={() => setShown((n) => n + OWN_PAGE)} data-testid="own-levels-more">
          Show {Math.min(more, OWN_PAGE)} more of {more}
        </button>
      ) : null}
    </div>
  )
}

/** One of the cell's own levels in the viewer, with the optimal plan once the worker has it. */
function OwnLevelViewer({ xsb, onClose }: { readonly xsb: string; readonly onClose: () => void }) {
  const job = useMemo(() => ({ kind: 'sokoban' as const, xsb }), [xsb])
  const solved = useSolve(job)
  const answer = solved.answer?.kind === 'sokoban' ? solved.answer : null
  return (
    <>
      <div className="meta" data-testid="own-level-solve">
        {solveCaption(solved)}
        {answer?.status === 'solved' ? ` (${answer.pushCount} pushes; found in ${Math.round(answer.elapsedMs)} ms)` : ''}
      </div>
      <EpisodePlayer levelXsb={xsb} turns={NO_TURNS} plan={answer?.status === 'solved' ? answer.moves : undefined} onClose={onClose} />
    </>
  )
}

function ImportPanel({ room, onAdd, onClose }: { readonly room: number; readonly onAdd: (levels: readonly string[]) => void; readonly onClose: () => void }) {
  const [text, setText] = useState('')
  const [fileName, setFileName] = useState<string | null>(null)
  const result: ImportResult | null = useMemo(() => (text.trim() === '' ? null : importXsb(text)), [text])
  const tooMany = result?.ok === true && result.levels.length > room
  return (
    <div className="import-panel" data-testid="import-panel">
      <div className="row">
        <label className="small">
          From a file:{' '}
          <input
            type="file"
            accept=".xsb,.sok,.txt,text/plain"
            data-testid="import-file"
            onChange={(e) => {
              const file = e.target.files?.[0]
              if (!file) return
              setFileName(file.name)
              void file.text().then(setText)
            }}
          />
        </label>
        <span className="grow" />
        <button className="small icon" onClick={onClose} aria-label="Close import" title="Close">
          ✕
        </button>
      </div>
      <label className="field wide">
        <span>{fileName ? `Contents of ${fileName} (edit before adding if you like)` : 'Or paste XSB text (one or more levels, separated by blank lines)'}</span>
        <textarea value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} data-testid="import-text" placeholder={'#####\n#@$.#\n#####'} />
      </label>
      {result?.ok === false ? (
        <div className="import-error" role="alert" data-testid="import-error">
          <div>
            Line {result.line}, column {result.column}: {result.message}
          </div>
          <pre>
            {result.excerpt}
            {'\n'}
            {' '.repeat(Math.max(0, result.column - 1))}^
          </pre>
        </div>
      ) : null}
      {result?.ok === true ? (
        <div className="row">
          <span className="chip ok" data-testid="import-found">
            {result.levels.length} level{result.levels.length === 1 ? '' : 's'} found
          </span>
          {tooMany ? <span className="chip bad">a task cell keeps at most {MAX_TASK_LEVELS} levels; {room} more fit</span> : null}
          <button className="small primary" disabled={tooMany} onClick={() => onAdd(result.levels)} data-testid="import-add">
            Add {result.levels.length} level{result.levels.length === 1 ? '' : 's'}
          </button>
        </div>
      ) : null}
    </div>
  )
}

function HandGallery({
  hands,
  total,
  selected,
  onOpen,
}: {
  readonly hands: readonly HandView[]
  readonly total: number
  readonly selected: string | null
  readonly onOpen: (hand: HandView) => void
}) {
  return (
    <>
      <div className="gallery viewer-gallery" data-testid="gallery">
        {hands.map((h) => (
          <figure className={selected === h.id ? 'instance selected' : 'instance'} key={h.id} data-hand-id={h.id}>
            <figcaption className="caption">
              #{h.index} · target {h.target} · {h.solutionCount} solutions
            </figcaption>
            <button className="open" onClick={() => onOpen(h)} aria-label={`Open hand #${h.index} (${h.cards.join(' ')}) in the card viewer`}>
              <CardHand cards={h.cards} size="small" />
            </button>
            <div className="cards sr-only">{h.cards.join('  ')}</div>
            {h.solution ? <div className="meta mono">{h.solution}</div> : null}
          </figure>
        ))}
      </div>
      <div className="meta">
        Showing {hands.length} of {total}. Click a hand to check an answer against both verifiers.
      </div>
    </>
  )
}

/** The face-card rule of the cell's hand `index`, as the prompt states it (and the scored rule when it differs). */
function faceRuleOf(cell: TaskCellT, index: number): string {
  try {
    const set = instanceSetOf('gp', {
      ...(cell.preset !== undefined ? { preset: cell.preset } : { difficulty: cell.difficulty }),
      ...(cell.seedScheme !== undefined ? { seedScheme: cell.seedScheme } : {}),
      ...(cell.rule !== undefined ? { rule: cell.rule } : {}),
      start: cell.start ?? 0,
      count: index + 1,
    })
    const item = instanceAt(set, index)
    if (item.task !== 'gp') return 'unknown (not a General Points hand)'
    const shown = faceCardMessage(item.rule.shown)
    const scored = faceCardMessage(item.rule.scored)
    return shown === scored ? shown : `${shown} (shown); the verifier scores ${scored}`
  } catch (e) {
    // The cell changed since it ran (or names an unknown preset): say why the rule is unknown.
    return `unknown: ${(e as Error).message}`
  }
}

function CardViewer({ hand, cell, onClose }: { readonly hand: HandView; readonly cell: TaskCellT; readonly onClose: () => void }) {
  const [output, setOutput] = useState(() => (hand.solution ? gpAnswerJson(hand.cards, hand.values, hand.solution) : ''))
  const faceRule = useMemo(() => faceRuleOf(cell, hand.index), [cell, hand.index])
  const job = useMemo(() => ({ kind: 'gp' as const, values: hand.values, target: hand.target }), [hand])
  const solved = useSolve(job)
  const answer = solved.answer?.kind === 'gp' ? solved.answer : null
  return (
    <div className="card-viewer" data-testid="card-viewer">
      <div className="player-head">
        <strong>Hand #{hand.index}</strong>
        <span className="meta">{hand.id}</span>
        <span className="grow" />
        <button className="small icon" onClick={onClose} aria-label="Close viewer" title="Close viewer">
          ✕
        </button>
      </div>
      <label className="field wide">
        <span>A model answer to check (edit it to see both verifiers respond)</span>
        <textarea value={output} onChange={(e) => setOutput(e.target.value)} spellCheck={false} data-testid="gp-answer" />
      </label>
      <VerdictPanel cards={hand.cards} values={hand.values} target={hand.target} output={output} faceRule={faceRule} />
      <div className="meta" data-testid="gp-solutions">
        {solved.error !== null
          ? `The solver failed: ${solved.error}`
          : answer === null
            ? 'Counting solutions…'
            : `${answer.count} distinct solution${answer.count === 1 ? '' : 's'}${answer.count > answer.solutions.length ? `; the first ${answer.solutions.length}` : ''}:`}
      </div>
      {answer !== null && answer.solutions.length > 0 ? (
        <ul className="solution-list">
          {answer.solutions.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ul>
      ) : null}
    </div>
  )
}
