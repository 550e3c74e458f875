/**
 * @module core/sokoban/solve/zobrist
 * Zobrist keys for the transposition table: one random 64-bit key per cell for "a box is here"
 * and one per cell for "the player's region starts here", each held as two 32-bit halves so
 * the arithmetic stays in fast integer ops. A state's key is the XOR of its parts, so a push
 * updates it with two XORs. The keys are fixed (a constant seed), so searches are reproducible.
 */
import { rngFor } from '../../rng/index.ts'

/** Zobrist keys for a board of `size` cells. */
export interface Zobrist {
  readonly boxHi: Int32Array
  readonly boxLo: Int32Array
  readonly playerHi: Int32Array
  readonly playerLo: Int32Array
}

/** Keys for `size` cells; the same size always gives the same keys. */
export function createZobrist(size: number): Zobrist {
  const rng = rngFor('sokoban-solver', 'zobrist')
  const draw = (): Int32Array => {
    const out = new Int32Array(size)
    for (let i = 0; i < size; i++) out[i] = rng.nextUint32() | 0
    return out
  }
  return { boxHi: draw(), boxLo: draw(), playerHi: draw(), playerLo: draw() }
}
