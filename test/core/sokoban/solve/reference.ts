// Slow, plainly written reference solvers for the solver tests. They share no code with
// core/sokoban/solve: levels are built from text here, states are strings, and nothing is pruned,
// so a bug in the fast solvers (a wrong tie order, an inadmissible bound, an unsound deadlock
// rule) shows up as a disagreement.
import { FLOOR, GOAL, WALL, type Level } from '../../../../core/sokoban/level.ts'
import { rngFor } from '../../../../core/rng/index.ts'

/** A level from XSB rows (`#` wall, space/`-` floor, `.` goal, `$` box, `*` box on goal, `@`/`+` player). */
export function levelFromRows(rows: readonly string[]): Level {
  const cols = Math.max(...rows.map((r) => r.length))
  const fixed = new Uint8Array(rows.length * cols)
  const boxes: number[] = []
  let player = -1
  rows.forEach((row, r) => {
    for (let c = 0; c < cols; c++) {
      const ch = row[c] ?? '#'
      const cell = r * cols + c
      fixed[cell] = ch === '#' ? WALL : '.*+'.includes(ch) ? GOAL : FLOOR
      if (ch === '$' || ch === '*') boxes.push(cell)
      if (ch === '@' || ch === '+') player = cell
    }
  })
  if (player < 0) throw new Error('levelFromRows: no player')
  return { rows: rows.length, cols, fixed, start: { player, boxes: boxes.sort((a, b) => a - b) } }
}

/**
 * A line-by-line transcription of RAGEN's `get_shortest_action_path(room_fixed, room_state,
 * MAX_DEPTH)` (paper-tasks.md §4.3): FIFO queue of (state, path), depth test and duplicate test
 * when a state is dequeued, moves tried Up, Down, Left, Right. Returns the action list, `[]`
 * when nothing is found.
 */
export function paperShortestActionPath(level: Level, maxDepth: number): number[] {
  const { rows, cols } = level
  const roomFixed = Array.from(level.fixed)
  const roomState = roomFixed.slice()
  for (const b of level.start.boxes) roomState[b] = roomFixed[b] === GOAL ? 3 : 4
  roomState[level.start.player] = 5
  const queue: Array<[number[], number[]]> = [[roomState, []]]
  const explored = new Set<string>()
  const moves = [[-1, 0], [1, 0], [0, -1], [0, 1]]
  let head = 0
  while (head < queue.length) {
    const [state, path] = queue[head++]
    if (path.length > maxDepth) return []
    const key = state.join(',')
    if (explored.has(key)) continue
    explored.add(key)
    const p = state.indexOf(5)
    const pr = Math.floor(p / cols)
    const pc = p % cols
    if (!state.includes(4)) return path
    for (let a = 0; a < 4; a++) {
      const [dr, dc] = moves[a]
      const nr = pr + dr
      const nc = pc + dc
      if (nr < 0 || nr >= rows || nc < 0 || nc >= cols || roomFixed[nr * cols + nc] === WALL) continue
      const next = state.slice()
      const np = nr * cols + nc
      if (state[np] === 3 || state[np] === 4) {
        const br = nr + dr
        const bc = nc + dc
        if (br < 0 || br >= rows || bc < 0 || bc >= cols) continue
        const bp = br * cols + bc
        if (roomFixed[bp] === WALL || state[bp] === 3 || state[bp] === 4) continue
        next[np] = roomFixed[np]
        next[bp] = roomFixed[bp] === GOAL ? 3 : 4
      }
      next[p] = roomFixed[p]
      next[np] = 5
      queue.push([next, [...path, a + 1]])
    }
  }
  return []
}

/**
 * Fewest pushes by plain breadth-first search over (player region, boxes), no pruning and no
 * bound (environments.md §7.2's baseline). Returns -1 when no solution exists, or undefined
 * when more than `maxStates` positions would be needed.
 */
export function referencePushBfs(level: Level, maxStates = 2_000_000): number | undefined {
  const { rows, cols, fixed } = level
  const open = (cell: number, boxes: Set<number>): boolean => {
    const r = Math.floor(cell / cols)
    const c = cell % cols
    return r >= 0 && r < rows && c >= 0 && c < cols && fixed[cell] !== WALL && fixed[cell] !== 3 && !boxes.has(cell)
  }
  const steps = (cell: number): number[] => {
    const r = Math.floor(cell / cols)
    const c = cell % cols
    const out: number[] = []
    if (r > 0) out.push(-cols)
    if (r < rows - 1) out.push(cols)
    if (c > 0) out.push(-1)
    if (c < cols - 1) out.push(1)
    return out
  }
  const region = (from: number, boxes: Set<number>): number[] => {
    const seen = new Set([from])
    const stack = [from]
    while (stack.length > 0) {
      const cell = stack.pop() as number
      for (const s of steps(cell)) if (open(cell + s, boxes) && !seen.has(cell + s)) {
        seen.add(cell + s)
        stack.push(cell + s)
      }
    }
    return [...seen]
  }
  const solved = (boxes: number[]): boolean => boxes.every((b) => fixed[b] === GOAL)
  let frontier: Array<{ player: number; boxes: number[] }> = [{ player: level.start.player, boxes: [...level.start.boxes] }]
  const seen = new Set<string>()
  const keyOf = (player: number, boxes: number[]): string => {
    const reach = region(player, new Set(boxes))
    return `${Math.min(...reach)}|${[...boxes].sort((a, b) => a - b).join(',')}`
  }
  seen.add(keyOf(level.start.player, level.start.boxes as number[]))
  for (let pushes = 0; frontier.length > 0; pushes++) {
    const next: typeof frontier = []
    for (const { player, boxes } of frontier) {
      if (solved(boxes)) return pushes
      const boxSet = new Set(boxes)
      for (const cell of region(player, boxSet)) {
        for (const s of steps(cell)) {
          const box = cell + s
          if (!boxSet.has(box)) continue
          const to = box + s
          if (!steps(box).includes(s) || !open(to, boxSet)) continue
          const moved = boxes.map((b) => (b === box ? to : b))
          const key = keyOf(box, moved)
          if (seen.has(key)) continue
          seen.add(key)
          if (seen.size > maxStates) return undefined
          next.push({ player: box, boxes: moved })
        }
      }
    }
    frontier = next
  }
  return -1
}

/**
 * A random small level: a rows×cols room with a wall border, random inner walls, `boxes` boxes
 * and as many goals on random free cells, and the player on another free cell. Many such levels
 * are unsolvable, which the tests want too.
 */
export function randomLevel(seed: number, rows: number, cols: number, boxes: number, wallChance = 0.2): Level {
  const rng = rngFor('solver-tests', seed)
  const fixed = new Uint8Array(rows * cols)
  const free: number[] = []
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const border = r === 0 || c === 0 || r === rows - 1 || c === cols - 1
      const wall = border || rng.chance(wallChance)
      fixed[r * cols + c] = wall ? WALL : FLOOR
      if (!wall) free.push(r * cols + c)
    }
  }
  if (free.length < boxes + 1) return randomLevel(seed + 1_000_000, rows, cols, boxes, wallChance)
  rng.shuffle(free)
  const goals = rng.shuffle(free.slice()).slice(0, boxes)
  for (const g of goals) fixed[g] = GOAL
  const boxCells = free.slice(0, boxes).sort((a, b) => a - b)
  return { rows, cols, fixed, start: { player: free[boxes], boxes: boxCells } }
}

/**
 * A random level that is solvable by construction: boxes start on the goals of a random room,
 * then the player walks `steps` random steps, pulling the box behind it most of the time it
 * can (reverse play, as the generators do). Undoing the pulls solves it.
 */
export function scrambledLevel(
  seed: number,
  rows: number,
  cols: number,
  boxes: number,
  steps: number,
  wallChance = 0.15,
): Level {
  const base = randomLevel(seed, rows, cols, boxes, wallChance)
  const rng = rngFor('solver-tests-scramble', seed)
  const { fixed } = base
  const goals: number[] = []
  for (let i = 0; i < fixed.length; i++) if (fixed[i] === GOAL) goals.push(i)
  const boxSet = new Set(goals)
  let player = base.start.player
  if (boxSet.has(player)) player = [...Array(fixed.length).keys()].find((c) => fixed[c] === FLOOR) as number
  const deltas = [-cols, cols, -1, 1]
  for (let s = 0; s < steps; s++) {
    const d = rng.pick(deltas)
    const to = player + d
    if (fixed[to] === WALL || boxSet.has(to)) continue
    const behind = player - d
    if (boxSet.has(behind) && rng.chance(0.8)) {
      boxSet.delete(behind)
      boxSet.add(player)
    }
    player = to
  }
  return { rows, cols, fixed, start: { player, boxes: [...boxSet].sort((a, b) => a - b) } }
}
