/**
 * @module core/eval/turns
 * What the protocols and the runner hand each other: a turn's prompt (text and hash), a turn's
 * generation, and a finished cell's outcome before the runner adds the cell's reference and timing.
 */
import type { FinishReason } from '../model/client.ts'
import type { Direction } from '../sokoban/directions.ts'
import type { CellResult } from './types.ts'

/** A prompt as sent: its text (the user message content in chat mode `model`) and its content hash. */
export interface TurnPrompt {
  readonly text: string
  readonly hash: string
}

/** What a model produced for one turn. */
export interface TurnGeneration {
  readonly text: string
  /** Tokens generated. */
  readonly tokens: number
  readonly finishReason: FinishReason
}

/** Asks the cell's model for turn `turn` (1-based); the runner sets the seed, ids and cancellation. */
export type GenerateTurn = (prompt: TurnPrompt, turn: number) => Promise<TurnGeneration>

/** Called after each turn with what the model said and the move it yields (null: none). */
export type TurnListener = (turn: number, output: string, action: Direction | null, tokens: number) => void

/** The task part of a finished cell. */
export type CellOutcome = Pick<
  CellResult,
  'success' | 'validity' | 'reward' | 'turns' | 'steps' | 'tokens' | 'failure' | 'sokoban' | 'gp'
>
