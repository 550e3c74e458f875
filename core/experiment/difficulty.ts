/**
 * @module core/experiment/difficulty
 * Difficulties: the generator parameters that make a task easy or hard (paper-tasks.md §3.4, §4.5,
 * §6.1, §6.3). A Sokoban difficulty is a room size, a box count and optionally a range of optimal
 * solution lengths; a General Points difficulty is the number of cards, the largest rank, which card
 * (if any) is forced out of distribution, and the target.
 *
 * The paper's own splits are listed as named difficulties (`PAPER_DIFFICULTIES`) so that presets,
 * the command line and users speak of the same things.
 */
import { z } from 'zod'

/** Largest room side sftbench generates (the solver and renderer handle more; this keeps rooms sane). */
export const MAX_ROOM_SIDE = 30

/** A Sokoban difficulty. `minMoves` / `maxMoves` filter on the move-optimal solution length. */
export const SokobanDifficultySchema = z
  .object({
    task: z.literal('sokoban'),
    rows: z.int().min(3).max(MAX_ROOM_SIDE),
    cols: z.int().min(3).max(MAX_ROOM_SIDE),
    boxes: z.int().min(1).max(20),
    minMoves: z.int().min(0).optional(),
    maxMoves: z.int().min(0).optional(),
  })
  .strict()
  .refine((d) => d.minMoves === undefined || d.maxMoves === undefined || d.minMoves <= d.maxMoves, {
    message: 'minMoves must not exceed maxMoves',
    path: ['minMoves'],
  })

/**
 * A General Points difficulty. `ood`: `none` (every rank uniform), `face` (one card forced into
 * J/Q/K, the paper's test splits), `high` (one card forced above K, `gp_l_large`).
 */
export const GpDifficultySchema = z
  .object({
    task: z.literal('gp'),
    cards: z.int().min(2).max(6),
    largest: z.int().min(1).max(19),
    ood: z.enum(['none', 'face', 'high']),
    target: z.int().min(-1_000_000).max(1_000_000),
  })
  .strict()
  .refine((d) => d.ood !== 'face' || d.largest >= 11, {
    message: "ood 'face' needs largest >= 11 (a J, Q or K)",
    path: ['ood'],
  })
  .refine((d) => d.ood !== 'high' || d.largest >= 14, {
    message: "ood 'high' needs largest >= 14 (a card above K); use ood 'face' for J/Q/K",
    path: ['ood'],
  })

/** Either task's difficulty, told apart by `task`. */
export const DifficultySpecSchema = z.discriminatedUnion('task', [SokobanDifficultySchema, GpDifficultySchema])

export type SokobanDifficulty = z.infer<typeof SokobanDifficultySchema>
export type GpDifficulty = z.infer<typeof GpDifficultySchema>
export type DifficultySpec = z.infer<typeof DifficultySpecSchema>

function sokoban(rows: number, cols: number, boxes: number): SokobanDifficulty {
  return Object.freeze({ task: 'sokoban', rows, cols, boxes })
}

function gp(cards: number, largest: number, ood: GpDifficulty['ood']): GpDifficulty {
  return Object.freeze({ task: 'gp', cards, largest, ood, target: 24 })
}

/**
 * The paper's difficulties by name: Sokoban `simple` (6×6, 1 box: training and in-distribution
 * eval), `larger` (10×10, 1 box), `two-boxes` (6×6, 2 boxes), `complex` (10×10, 2 boxes); General
 * Points `gp-train` (4 cards, ranks 1-13, no forcing), `gp-id` (4 cards, at least one J/Q/K),
 * `gp-large` (one card 14-19), `gp-5cards` (5 cards, no forcing). The eval levels are not filtered
 * on solution length; §4.5 lists the resulting means (3.7 / 7.5 / 8.1 / 13.0 moves).
 */
export const PAPER_DIFFICULTIES: Readonly<Record<string, DifficultySpec>> = Object.freeze({
  simple: sokoban(6, 6, 1),
  larger: sokoban(10, 10, 1),
  'two-boxes': sokoban(6, 6, 2),
  complex: sokoban(10, 10, 2),
  'gp-train': gp(4, 13, 'none'),
  'gp-id': gp(4, 13, 'face'),
  'gp-large': gp(4, 19, 'high'),
  'gp-5cards': gp(5, 13, 'none'),
})

/** A short human description, e.g. `6x6, 1 box` or `4 cards, ranks 1-13, >=1 J/Q/K, target 24`. */
export function describeDifficulty(d: DifficultySpec): string {
  if (d.task === 'sokoban') {
    const range =
      d.minMoves === undefined && d.maxMoves === undefined
        ? ''
        : `, ${d.minMoves ?? 0}-${d.maxMoves === undefined ? '' : d.maxMoves} optimal moves`
    return `${d.rows}x${d.cols}, ${d.boxes} box${d.boxes === 1 ? '' : 'es'}${range}`
  }
  const forced = d.ood === 'face' ? ', >=1 J/Q/K' : d.ood === 'high' ? `, >=1 card 14-${d.largest}` : ''
  return `${d.cards} cards, ranks 1-${d.largest}${forced}, target ${d.target}`
}
