/**
 * @module electron/cli/commands/gen-gp
 * `sftbench gen gp --cards 4 --count N --seed S [...]`: deals seeded General Points hands. Hand i
 * depends only on (seed, i), so `--start` picks up any slice of a run.
 */
import { dealHand, dealSettings, type DealSettings, type Hand } from '../../../core/gp/deal.ts'
import { cardLabel, cardString } from '../../../core/gp/cards.ts'
import { allSolutions } from '../../../core/gp/solver.ts'
import {
  CliFailure,
  EXIT_OK,
  JSON_OPTION,
  UsageError,
  choiceOpt,
  flag,
  intOpt,
  printJson,
  stringOpt,
  type Command,
} from '../command.ts'
import { startProgress } from '../progress.ts'
import { RULE_OPTION, ruleOption } from './solve24.ts'

/** One dealt hand as `--json` prints it. */
interface HandRecord {
  index: number
  cards: string[]
  suits?: string[]
  values: number[]
  target: number
  /** One canonical solution, or null when the hand is unsolvable (only with --allow-unsolvable). */
  solution: string | null
  /** The number of distinct solutions. */
  solutionCount: number
  redraws: number
}

function handLine(hand: Hand): string {
  return `${hand.cards.map((c) => cardLabel(c)).join(' ')}  -> values ${hand.values.join(' ')}`
}

/** `sftbench gen gp`: seeded General Points hands. */
export const genGpCommand: Command = {
  name: 'gen gp',
  summary: 'Deal seeded General Points (24-game) hands.',
  usage: 'gen gp [--cards 4] [--count N] [--seed S] [options]',
  description: [
    'Deals hands with replacement, ranks uniform in 1..--largest (the paper\'s deal), or from a real deck',
    'with --deck. Unsolvable hands are redrawn (up to 50 times) unless --allow-unsolvable is given.',
    'Text output: one hand per line, e.g. "2 7 Q 2  -> values 2 7 10 2" (values under --rule).',
    'JSON output adds one solution and the number of distinct solutions per hand.',
    '',
    'Example: sftbench gen gp --cards 4 --count 5 --seed 7 --rule all_10 --ood face',
  ].join('\n'),
  options: {
    cards: { type: 'string', value: 'N', help: 'Cards per hand, 2 to 6 (default 4).' },
    count: { type: 'string', value: 'N', help: 'How many hands (default 10).' },
    seed: { type: 'string', value: 'S', help: 'Seed (default 0).' },
    start: { type: 'string', value: 'I', help: 'Index of the first hand (default 0).' },
    rule: RULE_OPTION,
    ood: { type: 'string', value: 'MODE', help: 'none, face (at least one J/Q/K) or high (a card above K) (default none).' },
    largest: { type: 'string', value: 'L', help: 'Largest rank, 1 to 19 (default 13).' },
    target: { type: 'string', value: 'T', help: 'The number to make (default 24; negative as --target=-5).' },
    deck: { type: 'boolean', help: 'Deal from a deck (4 suits per rank) without replacement.' },
    'allow-unsolvable': { type: 'boolean', help: 'Keep the first draw even when it has no solution.' },
    json: JSON_OPTION,
  },
  run(args, io) {
    const count = intOpt(args, 'count', 10, 1, 1_000_000)
    const seed = intOpt(args, 'seed', 0, 0, Number.MAX_SAFE_INTEGER)
    const start = intOpt(args, 'start', 0, 0, Number.MAX_SAFE_INTEGER - count)
    let settings: DealSettings
    try {
      settings = dealSettings({
        numCards: intOpt(args, 'cards', 4, 2, 6),
        target: intOpt(args, 'target', 24, -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
        largestRank: intOpt(args, 'largest', 13, 1, 19),
        ood: choiceOpt(args, 'ood', ['none', 'face', 'high'] as const, 'none'),
        mode: flag(args, 'deck') ? 'deck' : 'with-replacement',
        rule: ruleOption(stringOpt(args, 'rule')),
        requireSolvable: !flag(args, 'allow-unsolvable'),
      })
    } catch (error) {
      if (error instanceof UsageError) throw error
      throw new UsageError((error as Error).message)
    }
    const json = flag(args, 'json')
    const records: HandRecord[] = []
    // Counting every distinct solution of five or six cards takes a while: show progress.
    const progress = startProgress(io, 'dealing', count, json && settings.numCards >= 5)
    for (let k = 0; k < count; k++) {
      const index = start + k
      let hand: Hand
      try {
        hand = dealHand(settings, seed, index)
      } catch (error) {
        throw new CliFailure(`gen gp: ${(error as Error).message}`)
      }
      if (json) {
        const solved = allSolutions(hand.values, hand.target)
        records.push({
          index,
          cards: hand.cards.map((c) => cardString(c.rank)),
          ...(settings.mode === 'deck' ? { suits: hand.cards.map((c) => c.suit ?? '') } : {}),
          values: hand.values,
          target: hand.target,
          solution: solved.solutions[0] ?? null,
          solutionCount: solved.count,
          redraws: hand.redraws,
        })
      } else {
        io.stdout(`${handLine(hand)}\n`)
      }
      progress.update(k + 1)
    }
    progress.finish()
    if (json) printJson(io, records)
    return EXIT_OK
  },
}
