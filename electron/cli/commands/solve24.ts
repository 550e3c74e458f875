/**
 * @module electron/cli/commands/solve24
 * `sftbench solve24 3 3 8 8 [--all] [--target 24] [--rule all_10] [--json]`: solves a hand with
 * the complete exact solver. Prints one solution (or every distinct one with --all), each on its
 * own line, or the line `no solution`; both are successful runs (exit 0).
 */
import { findSolution, allSolutions, isSolvable } from '../../../core/gp/solver.ts'
import { parseCard, rankValue } from '../../../core/gp/cards.ts'
import { REGULAR, parseFaceRule, type FaceRule } from '../../../core/gp/rules.ts'
import {
  EXIT_OK,
  JSON_OPTION,
  UsageError,
  flag,
  intOpt,
  printJson,
  stringOpt,
  type Command,
  type OptionSpec,
} from '../command.ts'

const MIN_CARDS = 2
const MAX_CARDS = 6

/** The `--rule` option of the General Points commands. */
export const RULE_OPTION: OptionSpec = {
  type: 'string',
  value: 'RULE',
  help: 'Face-card rule: a mapping name (all_10, mixed_8_9_10, ...), "regular", "v" or "j,q,k" (default 11,12,13).',
}

/** Reads the face-card rule option; the default is J/Q/K = 11/12/13. */
export function ruleOption(raw: string | undefined): FaceRule {
  if (raw === undefined) return REGULAR
  try {
    return parseFaceRule(raw)
  } catch (error) {
    throw new UsageError(`--rule: ${(error as Error).message}`)
  }
}

/**
 * The value of one command-line card: a number is taken as the value itself; `A` is 1 and
 * `J`, `Q`, `K` count as the rule says (a suit letter may follow, e.g. `QH`).
 */
function tokenValue(token: string, index: number, rule: FaceRule): number {
  if (/^\d+$/.test(token)) {
    const value = Number(token)
    if (!Number.isSafeInteger(value)) throw new UsageError(`card ${index + 1} ("${token}") is too large.`)
    return value
  }
  try {
    return rankValue(parseCard(token).rank, rule)
  } catch {
    throw new UsageError(
      `card ${index + 1} ("${token}") is not a card: ` +
        'give a number (its value) or A, J, Q, K (J/Q/K count as --rule says).',
    )
  }
}

/** `sftbench solve24`: one or every distinct solution of a General Points hand. */
export const solve24Command: Command = {
  name: 'solve24',
  summary: 'Solve a General Points (24-game) hand exactly: one solution, or every distinct one.',
  usage: 'solve24 CARD CARD [CARD ...] [options]',
  description: [
    `Give ${MIN_CARDS} to ${MAX_CARDS} cards. A number is used as its value; A counts 1 and J, Q, K count as`,
    '--rule says (default: J = 11, Q = 12, K = 13). Each card is used exactly once with + - * / and any',
    'brackets, in exact rational arithmetic. Prints one solution per line, or "no solution"; exit 0 either way.',
    'Distinct solutions differ by more than reordering or regrouping + - chains and * / chains.',
    'A negative target is written --target=-5.',
    '',
    'Example: sftbench solve24 3 3 8 8        prints 8/(3-8/3)',
    '         sftbench solve24 K Q 2 A --rule all_10 --all',
  ].join('\n'),
  options: {
    all: { type: 'boolean', help: 'Print every distinct solution, not only the first found.' },
    target: { type: 'string', value: 'T', help: 'The number to make (default 24).' },
    rule: RULE_OPTION,
    json: JSON_OPTION,
  },
  allowPositionals: true,
  run(args, io) {
    const tokens = args.positionals
    if (tokens.length < MIN_CARDS || tokens.length > MAX_CARDS) {
      throw new UsageError(`give ${MIN_CARDS} to ${MAX_CARDS} cards; got ${tokens.length}.`)
    }
    const rule = ruleOption(stringOpt(args, 'rule'))
    const target = intOpt(args, 'target', 24, -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)
    const values = tokens.map((token, i) => tokenValue(token, i, rule))
    const all = flag(args, 'all')
    let solutions: string[]
    if (all) {
      solutions = allSolutions(values, target).solutions
    } else {
      const one = isSolvable(values, target) ? findSolution(values, target) : null
      solutions = one === null ? [] : [one]
    }
    if (flag(args, 'json')) {
      printJson(io, {
        values,
        target,
        solvable: solutions.length > 0,
        solutions,
        ...(all ? { count: solutions.length } : {}),
      })
    } else {
      io.stdout(solutions.length === 0 ? 'no solution\n' : `${solutions.join('\n')}\n`)
    }
    return EXIT_OK
  },
}
