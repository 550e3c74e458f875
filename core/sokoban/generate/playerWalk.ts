/**
 * @module core/sokoban/generate/playerWalk
 * RAGEN's post-generation player walk (environments.md §4.2, paper-tasks.md §4.2 step 4): the
 * reverse search leaves the player next to the last pulled box, so the player then takes 1-3
 * random non-pushing steps onto free cells, never revisiting one.
 */
import type { Rng } from '../../rng/index.ts'
import { DIRECTIONS, cellDelta, type Direction } from '../directions.ts'
import { FLOOR, GOAL } from '../level.ts'

/** Chance that the walk happens at all: 0.8 when the boxes are displaced by 1 in total, else 0.5. */
function walkProbability(displacement: number): number {
  return displacement === 1 ? 0.8 : 0.5
}

/** Chance of taking another step after each step. */
const CONTINUE_PROBABILITY = 0.5

/** The most steps the walk takes. */
const MAX_WALK_STEPS = 3

/** Where the walk ended and the steps it took. */
export interface PlayerWalk {
  readonly player: number
  readonly moves: Direction[]
}

/**
 * Walks the player: with probability `walkProbability(displacement)`, up to 3 steps, each onto a
 * uniformly chosen free, unvisited neighbour (in Up, Down, Left, Right order), continuing with
 * probability 0.5 after each step. `fixed` holds the level's static cells (see `level.ts`).
 */
export function walkPlayer(
  fixed: Uint8Array,
  boxes: readonly number[],
  cols: number,
  player: number,
  displacement: number,
  rng: Rng,
): PlayerWalk {
  const moves: Direction[] = []
  if (!rng.chance(walkProbability(displacement))) return { player, moves }
  const visited = [player]
  let at = player
  while (moves.length < MAX_WALK_STEPS) {
    const options: Direction[] = []
    for (const d of DIRECTIONS) {
      const next = at + cellDelta(d, cols)
      const open = fixed[next] === FLOOR || fixed[next] === GOAL
      if (open && !boxes.includes(next) && !visited.includes(next)) options.push(d)
    }
    if (options.length === 0) break
    const d = rng.pick(options)
    at += cellDelta(d, cols)
    visited.push(at)
    moves.push(d)
    if (!rng.chance(CONTINUE_PROBABILITY)) break
  }
  return { player: at, moves }
}
