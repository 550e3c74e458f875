/**
 * @module core/sokoban/generate/topology
 * Phases 1 and 2 of gym-sokoban's generator (environments.md §4.1): a random-walk room and a
 * random placement of the player and the targets.
 */
import type { Rng } from '../../rng/index.ts'

/** gym-sokoban's `p_change_directions`: chance of a new random heading before each step. */
const TURN_PROBABILITY = 0.35

// The five 3×3 floor masks of gym-sokoban, centred on the walker, as the (row, col) offsets of
// their floor cells: a horizontal bar, a vertical bar, two "L" shapes and a 2×2 block.
const MASKS: readonly (readonly number[])[] = [
  [0, -1, 0, 0, 0, 1],
  [-1, 0, 0, 0, 1, 0],
  [0, -1, 0, 0, 1, 0],
  [0, -1, 0, 0, 1, -1, 1, 0],
  [0, 0, 0, 1, 1, 0],
]

/** The most floor cells one mask stamp adds; bounds the floor a walk of n steps can carve. */
export const MAX_CELLS_PER_MASK = 4

// Walker headings in gym-sokoban's order: down, right, up, left.
const WALK_DR = [1, 0, -1, 0]
const WALK_DC = [0, 1, 0, -1]

// One 32-bit draw per walk step decides all three choices, because drawing is the main cost of
// carving a small room: bits 0-19 the turn (probability TURN_THRESHOLD / 2^20 = 0.3500004),
// bits 20-21 the new heading, bits 22-31 the mask (values 1020-1023 redraw it, so each mask
// stays exactly equally likely).
const TURN_THRESHOLD = Math.round(TURN_PROBABILITY * 2 ** 20)
const MASK_BITS_LIMIT = 1020

/**
 * Carves a room by a random walk: the walker starts on a random cell (gym's
 * `randint(1, dim - 1)`, so possibly on the last row or column) with a random heading, turns to
 * a random heading with probability 0.35 before each step, is clamped to the interior, and
 * stamps a random mask at every position. The border is forced to wall afterwards. Returns 1 for
 * floor and 0 for wall, row-major, in `into` when given (at least rows × cols long; it is
 * cleared first) or in a new array.
 */
export function carveRoom(rows: number, cols: number, walkSteps: number, rng: Rng, into?: Uint8Array): Uint8Array {
  const room = into ?? new Uint8Array(rows * cols)
  if (into !== undefined) room.fill(0, 0, rows * cols)
  let heading = rng.below(4)
  let row = rng.intBetween(1, rows - 1)
  let col = rng.intBetween(1, cols - 1)
  for (let step = 0; step < walkSteps; step++) {
    const bits = rng.nextUint32()
    if ((bits & 0xfffff) < TURN_THRESHOLD) heading = (bits >>> 20) & 3
    row = Math.max(Math.min(row + WALK_DR[heading], rows - 2), 1)
    col = Math.max(Math.min(col + WALK_DC[heading], cols - 2), 1)
    const maskBits = bits >>> 22
    const mask = MASKS[maskBits < MASK_BITS_LIMIT ? maskBits % MASKS.length : rng.below(MASKS.length)]
    for (let m = 0; m < mask.length; m += 2) room[(row + mask[m]) * cols + col + mask[m + 1]] = 1
  }
  for (let c = 0; c < cols; c++) {
    room[c] = 0
    room[(rows - 1) * cols + c] = 0
  }
  for (let r = 0; r < rows; r++) {
    room[r * cols] = 0
    room[r * cols + cols - 1] = 0
  }
  return room
}

/** Where phase 2 put the player and the targets. */
export interface Placement {
  readonly player: number
  /** Target cells in placement order; box i starts on target i. */
  readonly targets: number[]
}

// Scratch list of floor cells, reused between calls.
let freeCells = new Int32Array(0)

/**
 * Puts the player on a uniformly random floor cell of `room` (its first `cells` entries), then
 * `boxes` targets on random remaining floor cells. Returns null when the room has fewer than
 * `boxes + 2` floor cells, the condition under which gym-sokoban raises "Not enough free spots".
 */
export function placePlayerAndTargets(room: Uint8Array, cells: number, boxes: number, rng: Rng): Placement | null {
  if (freeCells.length < cells) freeCells = new Int32Array(cells)
  const free = freeCells
  let count = 0
  for (let i = 0; i < cells; i++) if (room[i] === 1) free[count++] = i
  if (count <= boxes + 1) return null
  // A partial Fisher-Yates shuffle: each pick is uniform over the cells not yet taken.
  const targets: number[] = []
  let player = -1
  for (let k = 0; k <= boxes; k++) {
    const j = k + rng.below(count - k)
    const cell = free[j]
    free[j] = free[k]
    free[k] = cell
    if (k === 0) player = cell
    else targets.push(cell)
  }
  return { player, targets }
}
