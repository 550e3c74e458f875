/**
 * Geometry of the SVG board, in cell units (a cell is 1×1, so the drawing scales without blur at any
 * size): the static layer as three paths (walls, floor, goals) instead of one element per cell, and
 * the arrows and markers the overlays draw.
 */
import { COL_DELTA, ROW_DELTA, type Direction } from '../../../core/sokoban/directions.ts'
import { FLOOR, GOAL, WALL, type Level } from '../../../core/sokoban/level.ts'

/** The static layer's paths. Goals are drawn on top of the floor. */
export interface StaticPaths {
  readonly walls: string
  readonly floor: string
  readonly goals: string
}

function square(r: number, c: number): string {
  return `M${c} ${r}h1v1h-1z`
}

/** A goal: a diamond inset in its cell (a shape, so goals stay visible without colour). */
function diamond(r: number, c: number): string {
  return `M${c + 0.5} ${r + 0.2}L${c + 0.8} ${r + 0.5}L${c + 0.5} ${r + 0.8}L${c + 0.2} ${r + 0.5}z`
}

/** The walls, floor (goal cells included) and goal markers of a level. VOID cells are left empty. */
export function staticPaths(level: Pick<Level, 'rows' | 'cols' | 'fixed'>): StaticPaths {
  let walls = ''
  let floor = ''
  let goals = ''
  for (let r = 0; r < level.rows; r++) {
    for (let c = 0; c < level.cols; c++) {
      const code = level.fixed[r * level.cols + c]
      if (code === WALL) walls += square(r, c)
      else if (code === FLOOR || code === GOAL) floor += square(r, c)
      if (code === GOAL) goals += diamond(r, c)
    }
  }
  return { walls, floor, goals }
}

/** The centre of a cell. */
export function cellCentre(cols: number, cell: number): { x: number; y: number } {
  return { x: (cell % cols) + 0.5, y: Math.floor(cell / cols) + 0.5 }
}

/**
 * An arrow from a cell's centre one cell towards `direction`, as a path (shaft and head). `offset`
 * shifts it sideways (in cells) so two arrows in the same direction stay apart.
 */
export function arrowPath(cols: number, cell: number, direction: Direction, offset = 0): string {
  const { x, y } = cellCentre(cols, cell)
  const dx = COL_DELTA[direction]
  const dy = ROW_DELTA[direction]
  // Perpendicular unit vector for the sideways offset and the head's wings.
  const px = -dy
  const py = dx
  const sx = x + px * offset + dx * 0.22
  const sy = y + py * offset + dy * 0.22
  const ex = x + px * offset + dx * 0.92
  const ey = y + py * offset + dy * 0.92
  const hx = ex - dx * 0.22
  const hy = ey - dy * 0.22
  const f = (n: number): string => String(Math.round(n * 1000) / 1000)
  return (
    `M${f(sx)} ${f(sy)}L${f(hx)} ${f(hy)}` +
    `M${f(hx + px * 0.16)} ${f(hy + py * 0.16)}L${f(ex)} ${f(ey)}L${f(hx - px * 0.16)} ${f(hy - py * 0.16)}z`
  )
}

/** A short thick bar on the side of a cell a move bumped into (an ineffective move). */
export function bumpPath(cols: number, cell: number, direction: Direction): string {
  const { x, y } = cellCentre(cols, cell)
  const dx = COL_DELTA[direction]
  const dy = ROW_DELTA[direction]
  const cx = x + dx * 0.42
  const cy = y + dy * 0.42
  const half = 0.3
  const f = (n: number): string => String(Math.round(n * 1000) / 1000)
  return `M${f(cx - dy * half)} ${f(cy - dx * half)}L${f(cx + dy * half)} ${f(cy + dx * half)}`
}

/** Pixel size of a board whose longer side is `size` px. */
export function boardPixels(rows: number, cols: number, size: number): { width: number; height: number } {
  const unit = size / Math.max(rows, cols, 1)
  return { width: Math.round(unit * cols), height: Math.round(unit * rows) }
}
