// A fast-check generator of random valid levels for the Sokoban format tests: a random wall/floor
// pattern inside a wall border, its outside marked VOID, then boxes, goals and a player placed on
// the enclosed floor. Built directly on the Level model, not through any parser, so round-trip
// tests compare the parsers against an independent construction.
import fc from 'fast-check'
import { FLOOR, GOAL, VOID, WALL, sortedBoxes, type Level } from '../../../core/sokoban/level.ts'

/** Marks the non-wall cells reachable from the grid's edge without crossing a wall. */
function outsideCells(rows: number, cols: number, wall: (i: number) => boolean): Set<number> {
  const seen = new Set<number>()
  const stack: number[] = []
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (r === 0 || c === 0 || r === rows - 1 || c === cols - 1) stack.push(r * cols + c)
    }
  }
  while (stack.length > 0) {
    const i = stack.pop() as number
    if (seen.has(i) || wall(i)) continue
    seen.add(i)
    const r = Math.floor(i / cols)
    const c = i % cols
    if (r > 0) stack.push(i - cols)
    if (r < rows - 1) stack.push(i + cols)
    if (c > 0) stack.push(i - 1)
    if (c < cols - 1) stack.push(i + 1)
  }
  return seen
}

interface Draft {
  rows: number
  cols: number
  walls: boolean[]
  picks: number[]
  boxes: number
}

function build({ rows, cols, walls, picks, boxes }: Draft): Level | null {
  // Cells on the edge may be wall or open; open edge cells become outside.
  const outside = outsideCells(rows, cols, (i) => walls[i])
  const fixed = new Uint8Array(rows * cols)
  const inner: number[] = []
  for (let i = 0; i < rows * cols; i++) {
    if (walls[i]) fixed[i] = WALL
    else if (outside.has(i)) fixed[i] = VOID
    else {
      fixed[i] = FLOOR
      inner.push(i)
    }
  }
  if (inner.length < boxes + 1) return null
  // Rows or columns of VOID only cannot be written in XSB (blank line) or are cropped; skip them.
  for (let r = 0; r < rows; r++) {
    let allVoid = true
    for (let c = 0; c < cols; c++) if (fixed[r * cols + c] !== VOID) allVoid = false
    if (allVoid) return null
  }
  for (let c = 0; c < cols; c++) {
    let allVoid = true
    for (let r = 0; r < rows; r++) if (fixed[r * cols + c] !== VOID) allVoid = false
    if (allVoid) return null
  }
  // Distinct cells from the picks: a player, `boxes` boxes and `boxes` goals (goals may coincide
  // with boxes or the player).
  const pool = inner.slice()
  const take = (k: number): number => pool.splice(picks[k % picks.length] % pool.length, 1)[0]
  const player = take(0)
  const boxCells: number[] = []
  for (let b = 0; b < boxes; b++) boxCells.push(take(b + 1))
  const goalPool = inner.slice()
  for (let g = 0; g < boxes; g++) {
    const cell = goalPool.splice(picks[(g + 7) % picks.length] % goalPool.length, 1)[0]
    fixed[cell] = GOAL
  }
  return { rows, cols, fixed, start: { player, boxes: sortedBoxes(boxCells) } }
}

/** Random valid levels (closed, one player, boxes = goals >= 1), 3x3 to 9x9. */
export function arbitraryLevel(): fc.Arbitrary<Level> {
  return fc
    .record({ rows: fc.integer({ min: 3, max: 9 }), cols: fc.integer({ min: 3, max: 9 }) })
    .chain(({ rows, cols }) =>
      fc.record({
        rows: fc.constant(rows),
        cols: fc.constant(cols),
        walls: fc.array(fc.integer({ min: 0, max: 99 }), { minLength: rows * cols, maxLength: rows * cols }).map((xs) =>
          xs.map((x, i) => {
            const r = Math.floor(i / cols)
            const c = i % cols
            const edge = r === 0 || c === 0 || r === rows - 1 || c === cols - 1
            return edge ? x < 80 : x < 25
          }),
        ),
        picks: fc.array(fc.nat(), { minLength: 12, maxLength: 12 }),
        boxes: fc.integer({ min: 1, max: 3 }),
      }),
    )
    .map(build)
    .filter((level): level is Level => level !== null)
}
