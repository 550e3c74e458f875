/**
 * The Sokoban step-through: an episode's turns (each labelled with the model's raw answer and its
 * parse) or a solver plan, with play, pause, step, a scrubber and the keyboard (← → Space, Home,
 * End when focused). Overlays compare the model's move with the optimal one and mark unreadable
 * answers, moves that changed nothing, dead boxes and the first dead position. "Play by hand" lets
 * the arrow keys move the player, for checking a level.
 *
 * Performance: the frame index lives here, so stepping re-renders only this component; the board's
 * static layer is memoised on the level and only the boxes and the player move.
 */
import { memo, useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import { flushSync } from 'react-dom'
import type { StoredTurn } from '../../../core/eval/types.ts'
import type { Direction } from '../../../core/sokoban/directions.ts'
import type { Level } from '../../../core/sokoban/level.ts'
import { parseXsbLevel } from '../../../core/sokoban/xsb.ts'
import { arrowPath, bumpPath, cellCentre } from './board-geometry.ts'
import { handMove, handState, handStatus, handUndo, startHand, type HandSession } from './hand-play.ts'
import { PALETTE } from './palette.ts'
import { playerCommand } from './player-keys.ts'
import { SokobanBoard } from './SokobanBoard.tsx'
import {
  deadBoxes,
  describeStep,
  moveName,
  timelineFromPlan,
  timelineFromTurns,
  type Timeline,
  type TimelineMark,
  type TimelineStep,
} from './timeline.ts'
import './viewers.css'

export interface EpisodePlayerProps {
  /** The level in XSB text (`SokobanOutcome.level`). */
  readonly levelXsb: string
  /** The episode's turns (core/eval/types.ts); [] = just the board (or `plan`). */
  readonly turns: readonly StoredTurn[]
  /** A solver plan to step through instead of turns. */
  readonly plan?: readonly Direction[]
  /** Pixels of the board's longer side (default 360). */
  readonly size?: number
  readonly onClose?: () => void
  /** The step to open at (e.g. an episode's first deadlock); default 0. */
  readonly initialFrame?: number
}

/** Playback speeds in steps per second; 0 advances one step per displayed frame. */
export const SPEEDS: readonly number[] = [1, 2, 4, 8, 16, 0]

const OUTPUT_CHARS = 1200

function isTextEntry(target: EventTarget): boolean {
  const el = target as HTMLElement
  return el.tagName === 'INPUT' || el.tagName === 'SELECT' || el.tagName === 'TEXTAREA' || el.isContentEditable
}

/** The scrubber's marks: one row per kind, so position tells them apart as well as colour. */
const MarkStrip = memo(function MarkStrip({ marks, frames }: { readonly marks: readonly TimelineMark[]; readonly frames: number }) {
  if (marks.length === 0) return null
  const rowOf = { invalid: 0, ineffective: 1, 'off-optimal': 2, 'first-deadlock': 0 } as const
  const colour = { invalid: PALETTE.invalid, ineffective: PALETTE.box, 'off-optimal': PALETTE.model, 'first-deadlock': PALETTE.dead } as const
  const width = Math.max(frames - 1, 1)
  return (
    <svg className="mark-strip" viewBox={`-0.5 0 ${width + 1} 3`} preserveAspectRatio="none" aria-hidden="true" data-testid="mark-strip">
      {marks.map((m, i) =>
        m.kind === 'first-deadlock' ? (
          <rect key={i} x={m.frame - 0.5} y={0} width={Math.max(0.25, width / 200)} height={3} fill={colour[m.kind]} data-mark={m.kind} />
        ) : (
          <rect key={i} x={m.frame - 0.35} y={rowOf[m.kind] + 0.1} width={0.7} height={0.8} fill={colour[m.kind]} data-mark={m.kind} />
        ),
      )}
    </svg>
  )
})

function StepOverlay({ level, timeline, frame }: { readonly level: Level; readonly timeline: Timeline; readonly frame: number }) {
  const step: TimelineStep | undefined = timeline.steps[frame]
  const player = timeline.frames[frame].state.player
  const cols = level.cols
  if (step === undefined) return null
  const { x, y } = cellCentre(cols, player)
  const showOptimal = step.optimal !== null && step.turn !== null
  const same = showOptimal && step.action === step.optimal
  return (
    <g className="overlay" pointerEvents="none">
      {showOptimal && step.optimal !== null ? (
        <path
          d={arrowPath(cols, player, step.optimal, same ? -0.14 : 0)}
          fill={PALETTE.optimal}
          stroke={PALETTE.optimal}
          strokeWidth={0.09}
          strokeDasharray="0.14 0.08"
          strokeLinejoin="round"
          data-overlay="optimal"
          data-move={moveName(step.optimal)}
        >
          <title>{`Optimal move: ${moveName(step.optimal)}`}</title>
        </path>
      ) : null}
      {step.action !== null ? (
        <path
          d={arrowPath(cols, player, step.action, same ? 0.14 : 0)}
          fill={step.turn === null ? PALETTE.optimal : PALETTE.model}
          stroke={step.turn === null ? PALETTE.optimal : PALETTE.model}
          strokeWidth={0.1}
          strokeLinejoin="round"
          data-overlay={step.turn === null ? 'plan' : 'model'}
          data-move={moveName(step.action)}
        >
          <title>{step.turn === null ? `Plan: ${moveName(step.action)}` : `Model: ${moveName(step.action)}`}</title>
        </path>
      ) : null}
      {step.action !== null && !step.effective ? (
        <path d={bumpPath(cols, player, step.action)} stroke={PALETTE.model} strokeWidth={0.16} strokeLinecap="round" data-overlay="ineffective">
          <title>{`Ineffective: ${moveName(step.action)} changed nothing`}</title>
        </path>
      ) : null}
      {step.parseError !== null ? (
        <g data-overlay="invalid">
          <title>{`Unreadable answer (${step.parseError}): nothing moved`}</title>
          <circle cx={x + 0.3} cy={y - 0.3} r={0.22} fill={PALETTE.invalid} stroke="#ffffff" strokeWidth={0.04} />
          <text x={x + 0.3} y={y - 0.22} textAnchor="middle" fontSize={0.3} fontWeight={700} fill="#ffffff">
            ?
          </text>
        </g>
      ) : null}
    </g>
  )
}

function ParseResult({ step }: { readonly step: TimelineStep }) {
  if (step.turn === null) return null
  if (step.parseError !== null) {
    return (
      <span className="chip bad" data-testid="parse-result">
        unreadable: {step.parseError}
      </span>
    )
  }
  if (step.output === null) {
    return (
      <span className="chip" data-testid="parse-result">
        move {moveName(step.action)} of the turn&apos;s plan
      </span>
    )
  }
  return (
    <span className="chip ok" data-testid="parse-result">
      parsed: {step.parsed.map((d) => moveName(d)).join(', ') || 'nothing'}
    </span>
  )
}

const Legend = memo(function Legend({ episode }: { readonly episode: boolean }) {
  return (
    <ul className="viewer-legend" aria-label="Legend">
      {episode ? (
        <>
          <li>
            <svg viewBox="0 0 2 1" width={22} height={11} aria-hidden="true">
              <path d="M0.1 0.5H1.5M1.3 0.3L1.8 0.5L1.3 0.7z" stroke={PALETTE.model} fill={PALETTE.model} strokeWidth={0.14} />
            </svg>
            model&apos;s move
          </li>
          <li>
            <svg viewBox="0 0 2 1" width={22} height={11} aria-hidden="true">
              <path d="M0.1 0.5H1.5M1.3 0.3L1.8 0.5L1.3 0.7z" stroke={PALETTE.optimal} fill={PALETTE.optimal} strokeWidth={0.14} strokeDasharray="0.25 0.12" />
            </svg>
            optimal move (dashed)
          </li>
          <li>
            <span className="key-swatch" style={{ background: PALETTE.invalid }}>?</span> unreadable answer
          </li>
          <li>
            <span className="key-swatch bar" style={{ background: PALETTE.model }} /> ineffective move
          </li>
        </>
      ) : (
        <li>
          <svg viewBox="0 0 2 1" width={22} height={11} aria-hidden="true">
            <path d="M0.1 0.5H1.5M1.3 0.3L1.8 0.5L1.3 0.7z" stroke={PALETTE.optimal} fill={PALETTE.optimal} strokeWidth={0.14} />
          </svg>
          next move of the plan
        </li>
      )}
      <li>
        <span className="key-swatch dashed" style={{ borderColor: PALETTE.dead }} /> dead box
      </li>
      <li>
        <span className="key-swatch" style={{ background: PALETTE.boxOnGoal }}>✓</span> box on goal
      </li>
    </ul>
  )
})

interface TransportProps {
  readonly playing: boolean
  readonly speed: number
  readonly loop: boolean
  readonly onFirst: () => void
  readonly onStep: (delta: -1 | 1) => void
  readonly onTogglePlay: () => void
  readonly onLast: () => void
  readonly onSpeed: (speed: number) => void
  readonly onLoop: (loop: boolean) => void
}

/** Play, pause, step and jump buttons, speed and loop: memoised, so playback does not re-render them. */
const Transport = memo(function Transport(p: TransportProps) {
  return (
    <div className="row">
      <button className="small icon" onClick={p.onFirst} aria-label="First position" title="First (Home)">
        |◀
      </button>
      <button className="small icon" onClick={() => p.onStep(-1)} aria-label="Step back" title="Step back (←)" data-testid="step-back">
        ◀
      </button>
      <button className="small" onClick={p.onTogglePlay} data-testid="play" aria-label={p.playing ? 'Pause' : 'Play'} title="Play or pause (Space)">
        {p.playing ? '⏸ Pause' : '▶ Play'}
      </button>
      <button className="small icon" onClick={() => p.onStep(1)} aria-label="Step forward" title="Step forward (→)" data-testid="step-forward">
        ▶
      </button>
      <button className="small icon" onClick={p.onLast} aria-label="Last position" title="Last (End)">
        ▶|
      </button>
      <label className="inline">
        speed{' '}
        <select value={p.speed} onChange={(e) => p.onSpeed(Number(e.target.value))} data-testid="speed">
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s === 0 ? 'every frame' : `${s}/s`}
            </option>
          ))}
        </select>
      </label>
      <label className="inline">
        <input type="checkbox" checked={p.loop} onChange={(e) => p.onLoop(e.target.checked)} data-testid="loop" /> loop
      </label>
    </div>
  )
})

/** The step counter and the scrubber: the only controls that change on every step. */
function Position({ frame, last, onScrub }: { readonly frame: number; readonly last: number; readonly onScrub: (frame: number) => void }) {
  const id = useId()
  return (
    <div className="position">
      <label htmlFor={id} className="sr-only">
        Position in the step-through
      </label>
      <input
        id={id}
        className="scrubber"
        type="range"
        min={0}
        max={last}
        value={frame}
        onChange={(e) => onScrub(Number(e.target.value))}
        data-testid="scrubber"
      />
      <span className="meta step-counter" data-testid="step-counter">
        step {frame} / {last}
      </span>
    </div>
  )
}

function parseLevel(xsb: string): { level: Level; error: null } | { level: null; error: string } {
  try {
    return { level: parseXsbLevel(xsb), error: null }
  } catch (e) {
    return { level: null, error: (e as Error).message }
  }
}

/** The Sokoban step-through viewer (see the module comment). */
export function EpisodePlayer({ levelXsb, turns, plan, size = 360, onClose, initialFrame = 0 }: EpisodePlayerProps) {
  const parsed = useMemo(() => parseLevel(levelXsb), [levelXsb])
  const level = parsed.level
  const timeline = useMemo(
    () => (level === null ? null : turns.length > 0 ? timelineFromTurns(level, turns) : timelineFromPlan(level, plan ?? [])),
    [level, turns, plan],
  )
  if (parsed.level === null || timeline === null) {
    return (
      <div className="episode-player" data-testid="episode-player">
        <div className="viewer-error" role="alert">
          This level cannot be shown: {parsed.error}
        </div>
        {onClose ? (
          <button className="small" onClick={onClose}>
            Close
          </button>
        ) : null}
      </div>
    )
  }
  // A new episode or plan starts afresh (first frame, paused, replay mode).
  return (
    <PlayerBody
      key={timelineId(timeline)}
      level={parsed.level}
      timeline={timeline}
      episode={turns.length > 0}
      plan={plan}
      size={size}
      onClose={onClose}
      initialFrame={initialFrame}
    />
  )
}

const timelineIds = new WeakMap<Timeline, number>()
let lastTimelineId = 0

function timelineId(timeline: Timeline): number {
  let id = timelineIds.get(timeline)
  if (id === undefined) {
    id = ++lastTimelineId
    timelineIds.set(timeline, id)
  }
  return id
}

interface BodyProps {
  readonly level: Level
  readonly timeline: Timeline
  readonly episode: boolean
  readonly plan: readonly Direction[] | undefined
  readonly size: number
  readonly onClose: (() => void) | undefined
  readonly initialFrame: number
}

function PlayerBody({ level, timeline, episode, plan, size, onClose, initialFrame }: BodyProps) {
  const last = timeline.frames.length - 1
  const [frame, setFrame] = useState(() => Math.max(0, Math.min(last, Math.floor(initialFrame))))
  const [playing, setPlaying] = useState(false)
  const [speed, setSpeed] = useState(4)
  const [loop, setLoop] = useState(false)
  const [mode, setMode] = useState<'replay' | 'hand'>('replay')
  const [hand, setHand] = useState<HandSession>(() => startHand(level))
  const rootRef = useRef<HTMLDivElement>(null)

  // The frame as last committed, for the animation loop (which must not restart on every step).
  const frameRef = useRef(frame)
  useLayoutEffect(() => {
    frameRef.current = frame
  })

  // Auto-play on animation frames: `speed` steps per second, or one step per frame at speed 0. At the
  // end it wraps to the start (loop) or stops.
  useEffect(() => {
    if (!playing || mode !== 'replay') return
    let raf = 0
    let previous = performance.now()
    let owed = 0
    const tick = (now: number): void => {
      let advance = 1
      if (speed > 0) {
        owed += ((now - previous) * speed) / 1000
        advance = Math.floor(owed)
        owed -= advance
      }
      previous = now
      if (advance > 0) {
        const current = frameRef.current
        if (current >= last && !loop) {
          setPlaying(false)
          return
        }
        const next = current >= last ? 0 : Math.min(last, current + advance)
        frameRef.current = next
        // Committed inside this animation frame, so the step is painted in the frame that computed it.
        flushSync(() => setFrame(next))
      }
      raf = requestAnimationFrame(tick)
    }
    raf = requestAnimationFrame(tick)
    return () => cancelAnimationFrame(raf)
  }, [playing, speed, loop, last, mode])

  const togglePlay = useCallback((): void => {
    if (!playing && frameRef.current >= last) setFrame(0)
    setPlaying(!playing)
  }, [playing, last])

  const step = useCallback(
    (delta: -1 | 1): void => {
      setPlaying(false)
      setFrame((f) => Math.max(0, Math.min(last, f + delta)))
    },
    [last],
  )
  const jump = useCallback((to: number): void => {
    setPlaying(false)
    setFrame(to)
  }, [])
  const first = useCallback(() => jump(0), [jump])
  const scrub = jump
  const lastFrame = useCallback(() => jump(last), [jump, last])

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (isTextEntry(e.target)) return
    if (e.key === ' ' && (e.target as HTMLElement).tagName === 'BUTTON') return
    const command = playerCommand(e.key, mode, { ctrl: e.ctrlKey, meta: e.metaKey, alt: e.altKey })
    if (command === null) return
    e.preventDefault()
    e.stopPropagation()
    switch (command.kind) {
      case 'step':
        step(command.delta)
        break
      case 'toggle-play':
        togglePlay()
        break
      case 'first':
        first()
        break
      case 'last':
        lastFrame()
        break
      case 'move':
        setHand((h) => handMove(h, command.direction))
        break
      case 'undo':
        setHand((h) => handUndo(h))
        break
      case 'restart':
        setHand(startHand(level))
        break
    }
  }

  const enterHand = (): void => {
    setPlaying(false)
    setMode((m) => (m === 'hand' ? 'replay' : 'hand'))
    setHand(startHand(level))
    rootRef.current?.focus()
  }

  return (
    <div
      className="episode-player"
      data-testid="episode-player"
      data-mode={mode}
      ref={rootRef}
      tabIndex={0}
      onKeyDown={onKeyDown}
      aria-label={
        mode === 'hand'
          ? 'Sokoban, play by hand: arrow keys move, U undoes, R restarts'
          : 'Sokoban step-through: left and right arrows step, Space plays or pauses'
      }
    >
      <div className="player-head">
        <strong>{mode === 'hand' ? 'Play by hand' : episode ? 'Episode' : plan && plan.length > 0 ? 'Optimal plan' : 'Level'}</strong>
        <span className="meta">
          {level.title ? `${level.title} · ` : ''}
          {level.rows}×{level.cols}, {level.start.boxes.length} box{level.start.boxes.length === 1 ? '' : 'es'}
        </span>
        <span className="grow" />
        <button className={mode === 'hand' ? 'small primary' : 'small'} onClick={enterHand} data-testid="hand-mode" aria-pressed={mode === 'hand'}>
          {mode === 'hand' ? 'Back to replay' : 'Play by hand'}
        </button>
        {onClose ? (
          <button className="small icon" onClick={onClose} aria-label="Close viewer" title="Close viewer">
            ✕
          </button>
        ) : null}
      </div>
      {mode === 'hand' ? <HandPlayView hand={hand} size={size} /> : <ReplayView level={level} timeline={timeline} frame={frame} size={size} playing={playing} />}
      {mode === 'replay' && last > 0 ? (
        <div className="player-controls">
          <Transport
            playing={playing}
            speed={speed}
            loop={loop}
            onFirst={first}
            onStep={step}
            onTogglePlay={togglePlay}
            onLast={lastFrame}
            onSpeed={setSpeed}
            onLoop={setLoop}
          />
          <Position frame={frame} last={last} onScrub={scrub} />
          <MarkStrip marks={timeline.marks} frames={timeline.frames.length} />
        </div>
      ) : null}
      {mode === 'replay' ? <Legend episode={episode} /> : null}
      {timeline.warnings.length > 0 ? (
        <div className="viewer-warning" role="status">
          {timeline.warnings[0]}
          {timeline.warnings.length > 1 ? ` (and ${timeline.warnings.length - 1} more)` : ''}
        </div>
      ) : null}
    </div>
  )
}

interface ReplayProps {
  readonly level: Level
  readonly timeline: Timeline
  readonly frame: number
  readonly size: number
  readonly playing: boolean
}

function ReplayView({ level, timeline, frame, size, playing }: ReplayProps) {
  const current = timeline.frames[frame]
  const step = timeline.steps[frame]
  const dead = useMemo(() => (current.dead ? deadBoxes(level, current.state) : []), [level, current])
  const first = timeline.firstDeadlockFrame
  return (
    <div className="player-body">
      <SokobanBoard level={level} state={current.state} size={size} deadBoxes={dead} label={`Step ${frame}: ${describeStep(step, current)}`}>
        <StepOverlay level={level} timeline={timeline} frame={frame} />
      </SokobanBoard>
      {/* Announced when stepping, not 60 times a second while playing. */}
      <div className="step-info" aria-live={playing ? 'off' : 'polite'}>
        <div className="step-label" data-testid="step-label" data-frame={frame}>
          {describeStep(step, current)}
        </div>
        <div className="row">
          <span className="chip" data-testid="boxes-on-goals">
            {current.boxesOnGoals}/{current.state.boxes.length} boxes on goals
          </span>
          {current.solved ? <span className="chip ok">solved</span> : null}
          {current.dead ? (
            <span className="chip bad" data-testid="deadlock-note">
              {frame === first ? 'first deadlock' : `dead since step ${first ?? frame}`}
            </span>
          ) : null}
          {step ? <ParseResult step={step} /> : null}
        </div>
        {step?.output ? (
          <pre className="raw-answer" data-testid="raw-answer">
            {step.output.length > OUTPUT_CHARS ? `${step.output.slice(0, OUTPUT_CHARS)}…` : step.output}
          </pre>
        ) : null}
      </div>
    </div>
  )
}

function HandPlayView({ hand, size }: { readonly hand: HandSession; readonly size: number }) {
  const state = handState(hand)
  const dead = useMemo(() => deadBoxes(hand.level, state), [hand.level, state])
  const status = handStatus(hand)
  return (
    <div className="player-body">
      <SokobanBoard level={hand.level} state={state} size={size} deadBoxes={dead} label={`Playing by hand: ${status}`} />
      <div className="step-info" aria-live="polite">
        <div className="step-label" data-testid="hand-status">
          {status}
        </div>
        <div className="row">
          {dead.length > 0 ? (
            <span className="chip bad" data-testid="deadlock-note">
              deadlock: {dead.length} box{dead.length === 1 ? '' : 'es'} can no longer reach a goal (U to undo)
            </span>
          ) : null}
          {hand.bumped ? <span className="chip">bumped</span> : null}
        </div>
        <div className="hint">Arrow keys move · U or Backspace undoes · R restarts</div>
      </div>
    </div>
  )
}
