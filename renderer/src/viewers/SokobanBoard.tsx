/**
 * A Sokoban position drawn in SVG, in cell units, so it is crisp at any size. The static layer
 * (walls, floor, goals) is memoised on the level and drawn as three paths; only the boxes and the
 * player are re-rendered when the position changes, and they move by transform.
 */
import { memo, useMemo, type ReactNode } from 'react'
import { GOAL, type Level, type SokobanState } from '../../../core/sokoban/level.ts'
import { boardPixels, staticPaths } from './board-geometry.ts'
import { PALETTE } from './palette.ts'
import './viewers.css'

export interface SokobanBoardProps {
  readonly level: Level
  /** The position to draw (default: the level's start). */
  readonly state?: SokobanState
  /** Pixels of the longer side (default 240). */
  readonly size?: number
  /** The accessible name (default: the level's size, boxes and how many are on goals). */
  readonly label?: string
  /** Box cells to mark as dead (they can never reach a goal). */
  readonly deadBoxes?: readonly number[]
  /** Overlays in cell units (a cell is 1×1), drawn above the pieces. */
  readonly children?: ReactNode
  readonly className?: string
}

/** The static layer: re-rendered only when the level object changes. */
const StaticLayer = memo(function StaticLayer({ level }: { readonly level: Level }) {
  const paths = useMemo(() => staticPaths(level), [level])
  return (
    <g aria-hidden="true">
      <path d={paths.floor} fill={PALETTE.floor} stroke={PALETTE.floorLine} strokeWidth={0.02} shapeRendering="crispEdges" />
      <path d={paths.walls} fill={PALETTE.wall} stroke={PALETTE.wallEdge} strokeWidth={0.02} shapeRendering="crispEdges" />
      <path d={paths.goals} fill="none" stroke={PALETTE.goal} strokeWidth={0.09} strokeLinejoin="round" />
    </g>
  )
})

/** A box at the origin of a 1×1 cell: crossed planks off a goal, a tick on a goal. */
export const BoxShape = memo(function BoxShape({ onGoal }: { readonly onGoal: boolean }) {
  return (
    <>
      <rect
        x={0.1}
        y={0.1}
        width={0.8}
        height={0.8}
        rx={0.08}
        fill={onGoal ? PALETTE.boxOnGoal : PALETTE.box}
        stroke={onGoal ? PALETTE.boxOnGoalEdge : PALETTE.boxEdge}
        strokeWidth={0.06}
      />
      {onGoal ? (
        <path d="M0.28 0.52L0.44 0.68L0.73 0.33" fill="none" stroke="#ffffff" strokeWidth={0.11} strokeLinecap="round" strokeLinejoin="round" />
      ) : (
        <path d="M0.24 0.24L0.76 0.76M0.76 0.24L0.24 0.76" stroke={PALETTE.boxEdge} strokeWidth={0.06} strokeLinecap="round" />
      )}
    </>
  )
})

/** The player at the origin of a 1×1 cell. */
export const PlayerShape = memo(function PlayerShape() {
  return <circle cx={0.5} cy={0.5} r={0.3} fill={PALETTE.player} stroke="#ffffff" strokeWidth={0.07} />
})

function defaultLabel(level: Level, state: SokobanState): string {
  let onGoals = 0
  for (const b of state.boxes) if (level.fixed[b] === GOAL) onGoals++
  const n = state.boxes.length
  return `Sokoban board, ${level.rows} by ${level.cols}, ${n} box${n === 1 ? '' : 'es'}, ${onGoals} on goals`
}

/** A Sokoban position in SVG. */
export function SokobanBoard({ level, state = level.start, size = 240, label, deadBoxes, children, className }: SokobanBoardProps) {
  const { width, height } = boardPixels(level.rows, level.cols, size)
  const cols = level.cols
  const dead = deadBoxes && deadBoxes.length > 0 ? new Set(deadBoxes) : null
  return (
    <svg
      className={className ? `sokoban-board ${className}` : 'sokoban-board'}
      data-testid="sokoban-board"
      data-player={state.player}
      data-boxes={state.boxes.join(',')}
      role="img"
      aria-label={label ?? defaultLabel(level, state)}
      width={width}
      height={height}
      viewBox={`0 0 ${level.cols} ${level.rows}`}
    >
      <StaticLayer level={level} />
      <g>
        {state.boxes.map((b, i) => {
          const onGoal = level.fixed[b] === GOAL
          return (
            <g key={i} transform={`translate(${b % cols} ${Math.floor(b / cols)})`} data-box={b} data-on-goal={onGoal ? 'true' : 'false'}>
              <BoxShape onGoal={onGoal} />
              {dead?.has(b) ? (
                <rect className="dead-box" x={0.04} y={0.04} width={0.92} height={0.92} rx={0.1} fill="none" stroke={PALETTE.dead} strokeWidth={0.09} strokeDasharray="0.16 0.08" data-overlay="dead-box" />
              ) : null}
            </g>
          )
        })}
      </g>
      <g transform={`translate(${state.player % cols} ${Math.floor(state.player / cols)})`} data-testid="player">
        <PlayerShape />
      </g>
      {children}
    </svg>
  )
}
