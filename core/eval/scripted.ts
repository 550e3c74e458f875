/**
 * @module core/eval/scripted
 * Scripted, zero-latency `ModelClient`s for tests and benchmarks of the evaluation engine. They read
 * the board or the hand back from the prompt text, as a model would, so they exercise the whole
 * path (prompt rendering, parsing, scoring) without a model:
 *
 * - `oracleClient()`: Sokoban, the first optimal move (breadth-first search on the board in the
 *   prompt, answered with the prompt's own action names), or with `wholePlan` the whole optimal
 *   plan (open loop); General Points, a correct formula from the solver (one that is exact in floats
 *   when the hand has one), in the paper's answer JSON;
 * - `randomClient(seed)`: a uniformly random move among the prompt's names, or a random arithmetic
 *   chain over the hand's values, drawn from (seed, request seed) so runs repeat exactly;
 * - `formatBreakerClient()`: prose without an answer tag or formula.
 *
 * They understand the paper's prompts (the `[Current Observation]:` board drawn with the paper's
 * symbols, the `Answers:` line, `Cards: [...]` and the face-card sentence) and throw on anything
 * else. Each output's token count is its number of whitespace-separated words.
 */
import type {
  GenerateEvent,
  GeneratePrompt,
  GenerateRequest,
  GenerateResult,
  ModelClient,
  ModelInfo,
  ScoreResult,
  TokenInfo,
} from '../model/client.ts'
import { rngFor } from '../rng/index.ts'
import { parsePaperGrid } from '../sokoban/text.ts'
import { FLOOR, GOAL, WALL, type Level, type SokobanState } from '../sokoban/level.ts'
import { solveBfs, type BfsResult } from '../sokoban/solve/bfs.ts'
import { oneBoxPlan } from '../sokoban/generate/oneBoxPlan.ts'
import { positionCoder, type PositionCode } from './sokoban-protocol.ts'
import { applyMove } from '../sokoban/rules.ts'
import type { Direction } from '../sokoban/directions.ts'
import { extractAnswersMapping } from '../sokoban/parse-answer.ts'
import { allSolutions } from '../gp/solver.ts'
import { evaluateFloat, parseExpression } from '../gp/expression.ts'
import { pyEqualsInteger } from '../gp/python-number.ts'
import { gpAnswerJson } from '../gp/cot.ts'

/** Produces the output text for a prompt (the last user message in chat form) and a request seed. */
type Respond = (text: string, seed: number) => string

/** Options of `oracleClient`. */
export interface OracleOptions {
  /** Sokoban: answer the whole optimal plan, names joined by ", " (for open-loop runs). */
  readonly wholePlan?: boolean
}

// One shared token: the scripted clients only need a token count, not token contents.
const WORD_TOKEN: TokenInfo = Object.freeze({ id: 0, text: '', logprob: 0, top: Object.freeze([]) as readonly [] })

function promptText(prompt: GeneratePrompt): string {
  if (typeof prompt === 'string') return prompt
  const messages = prompt.messages
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i].role === 'user') return messages[i].content
  return messages.length > 0 ? messages[messages.length - 1].content : ''
}

function wordCount(text: string): number {
  let n = 0
  let inWord = false
  for (let i = 0; i < text.length; i++) {
    const space = text.charCodeAt(i) <= 32
    if (!space && !inWord) n++
    inWord = !space
  }
  return n
}

let nextId = 0

/** A client whose output is a pure function of the prompt and the request seed. */
class ScriptedClient implements ModelClient {
  private disposed = false

  constructor(
    private readonly name: string,
    private readonly respond: Respond,
  ) {}

  info(): Promise<ModelInfo> {
    if (this.disposed) return Promise.reject(this.disposedError())
    return Promise.resolve({
      name: this.name,
      provider: 'scripted',
      architecture: 'scripted',
      layers: 0,
      kvHeads: 0,
      headDim: 0,
      kvDtype: 'float32',
      vocabSize: 0,
      chatTemplate: false,
      maxContext: Number.MAX_SAFE_INTEGER,
    })
  }

  private disposedError(): Error {
    return new Error(`The scripted client "${this.name}" was disposed; create a new one.`)
  }

  private run(request: GenerateRequest, onEvent?: (event: GenerateEvent) => void): GenerateResult {
    if (this.disposed) throw this.disposedError()
    const text = this.respond(promptText(request.prompt), request.params?.seed ?? 0)
    const result: GenerateResult = {
      id: request.id ?? `scripted-${++nextId}`,
      text,
      tokens: new Array<TokenInfo>(wordCount(text)).fill(WORD_TOKEN),
      finishReason: 'stop',
      promptTokens: 0,
      timings: { timeToFirstTokenMs: 0, tokensPerSecond: 0, totalMs: 0 },
      provider: 'scripted',
    }
    onEvent?.({ type: 'done', result })
    return result
  }

  async generate(request: GenerateRequest, onEvent?: (event: GenerateEvent) => void): Promise<GenerateResult> {
    return this.run(request, onEvent)
  }

  async generateBatch(
    requests: readonly GenerateRequest[],
    onEvent?: (event: GenerateEvent) => void,
  ): Promise<GenerateResult[]> {
    return requests.map((r) => this.run(r, onEvent))
  }

  score(): Promise<ScoreResult> {
    return Promise.reject(new Error(`The scripted client "${this.name}" cannot score continuations.`))
  }

  cancel(): void {
    // Every request finishes before it could be cancelled.
  }

  async dispose(): Promise<void> {
    this.disposed = true
  }
}

// ---------------------------------------------------------------------------------------------
// Reading prompts

const OBSERVATION = '[Current Observation]:\n'
const BASE_NAMES: readonly string[] = ['Up', 'Down', 'Left', 'Right']

/** Where the paper grid of a Sokoban prompt lies: `text.slice(from, to)`, or null when it is not one. */
function sokobanGridAt(text: string): { from: number; to: number } | null {
  const at = text.indexOf(OBSERVATION)
  if (at < 0) return null
  const from = at + OBSERVATION.length
  return { from, to: gridEnd(text, from) }
}

/** Where the grid that starts at `from` ends. */
function gridEnd(text: string, from: number): number {
  const end = text.indexOf('\nDecide', from)
  return end < 0 ? text.length : end
}

/** The action names a prompt shows, read once per distinct `Answers:` line. */
class ActionNames {
  private readonly byLine = new Map<string, readonly string[]>()
  // The last lines seen, checked in place: a sweep's prompts share a few lines, and comparing one
  // costs less than slicing and hashing it for the map.
  private readonly recent: { line: string; names: readonly string[] }[] = []

  /** The names `text` shows (Up, Down, Left, Right when it shows none). */
  of(text: string): readonly string[] {
    const at = text.indexOf('Answers:')
    if (at < 0) return BASE_NAMES
    const lineEnd = text.indexOf('\n', text.indexOf('<answer>', at))
    const end = lineEnd < 0 ? text.length : lineEnd
    for (const seen of this.recent) {
      if (seen.line.length === end - at && text.startsWith(seen.line, at)) return seen.names
    }
    const line = text.slice(at, end)
    let names = this.byLine.get(line)
    if (names === undefined) {
      const mapping = extractAnswersMapping(line)
      const byMove = ['', '', '', '']
      for (const [label, move] of mapping ?? []) if (byMove[move - 1] === '') byMove[move - 1] = label
      names = byMove.map((name, i) => (name === '' ? BASE_NAMES[i] : name))
      if (this.byLine.size > 20_000) this.byLine.clear()
      this.byLine.set(line, names)
    }
    this.recent.unshift({ line, names })
    if (this.recent.length > 8) this.recent.pop()
    return names
  }
}

function answer(text: string, content: string): string {
  return text.endsWith('<think>') ? `</think> <answer> ${content} </answer>` : `<answer> ${content} </answer>`
}

/** A General Points prompt's hand: card strings, the values they stand for, and the target. */
interface GpHand {
  readonly cards: string[]
  readonly values: number[]
  readonly target: number
}

const CARDS_RE = /Cards: \[([^\]]*)\]/
const TARGET_RE = /evaluates to (-?\d+) using/
const FACE_PER_CARD_RE = /'J' counts as '(\d+)', 'Q' counts as '(\d+)', and 'K' counts as '(\d+)'/
const FACE_RESPECTIVELY_RE = /count as '(\d+)', '(\d+)', and '(\d+)' respectively/
const FACE_UNIFORM_RE = /'J', 'Q', and 'K' (?:all )?count as '(\d+)'/

function gpHand(text: string): GpHand | null {
  const cardsMatch = CARDS_RE.exec(text)
  const targetMatch = TARGET_RE.exec(text)
  if (cardsMatch === null || targetMatch === null) return null
  const cards = [...cardsMatch[1].matchAll(/'([^']*)'/g)].map((m) => m[1])
  const face =
    FACE_PER_CARD_RE.exec(text) ?? FACE_RESPECTIVELY_RE.exec(text) ?? FACE_UNIFORM_RE.exec(text)
  if (face === null) {
    throw new Error('Scripted client: the General Points prompt has no face-card sentence it can read.')
  }
  const uniform = face.length < 4
  const [jack, queen, king] = [1, 2, 3].map((k) => Number(face[uniform ? 1 : k]))
  const values = cards.map((card) => {
    if (card === 'A') return 1
    if (card === 'J') return jack
    if (card === 'Q') return queen
    if (card === 'K') return king
    const value = Number(card)
    if (!Number.isInteger(value)) throw new Error(`Scripted client: cannot read the card ${JSON.stringify(card)}.`)
    return value
  })
  return { cards, values, target: Number(targetMatch[1]) }
}

function notUnderstood(text: string): Error {
  const start = text.slice(0, 80)
  return new Error(
    `Scripted client: the prompt is neither a Sokoban prompt with the paper's board nor a General Points prompt ` +
      `(it starts ${JSON.stringify(start)}).`,
  )
}

// ---------------------------------------------------------------------------------------------
// The policies

function solvedPlan(result: BfsResult): Direction[] {
  return result.status === 'solved' ? result.plan : []
}

/** A paper grid's static cell code (+ BOX or + PLAYER) by UTF-16 code; -1 for anything else. */
const BOX = 4
const PLAYER = 8
function paperCell(code: number): number {
  switch (code) {
    case 0x23: // #
      return WALL
    case 0x5f: // _
      return FLOOR
    case 0x4f: // O
      return GOAL
    case 0x58: // X
      return FLOOR + BOX
    case 0x221a: // √
      return GOAL + BOX
    case 0x50: // P
      return FLOOR + PLAYER
    case 0x53: // S
      return GOAL + PLAYER
    default:
      return -1
  }
}

/**
 * A position read in place from a prompt's paper grid, without slicing it out: the static cells
 * (and a hash of them), the player and the boxes. It reads only grids that text.ts
 * `parsePaperGrid` reads by position (well formed, a wall all around, one player, as many boxes as
 * goals), so for those the level is the one `parsePaperGrid` returns.
 */
class GridReader {
  fixed = new Uint8Array(64)
  rows = 0
  cols = 0
  player = -1
  boxes: number[] = []
  hash = 0

  /** Reads `text.slice(from, to)`; false when it is not such a grid. */
  read(text: string, from: number, to: number): boolean {
    const firstBreak = text.indexOf('\n', from)
    const width = ((firstBreak < 0 || firstBreak > to ? to : firstBreak) - from) / 4
    const rowLength = 4 * width + 1
    if (width < 1 || !Number.isInteger(width) || (to - from + 1) % rowLength !== 0) return false
    const rows = (to - from + 1) / rowLength
    if (this.fixed.length < rows * width) this.fixed = new Uint8Array(rows * width)
    const fixed = this.fixed
    const boxes: number[] = []
    let player = -1
    let goals = 0
    let hash = Math.imul(0x811c9dc5 ^ rows, 0x01000193) ^ width
    for (let r = 0, i = 0; r < rows; r++) {
      const rowStart = from + r * rowLength
      if (r > 0 && text.charCodeAt(rowStart - 1) !== 10) return false
      for (let c = 0, at = rowStart; c < width; c++, at += 4, i++) {
        const cell = paperCell(text.charCodeAt(at + 1))
        if (cell < 0 || text.charCodeAt(at) !== 32 || text.charCodeAt(at + 2) !== 32) return false
        if (text.charCodeAt(at + 3) !== 9) return false
        const code = cell & 3
        if ((r === 0 || c === 0 || r === rows - 1 || c === width - 1) && code !== WALL) return false
        fixed[i] = code
        hash = Math.imul(hash ^ code, 0x01000193)
        if (code === GOAL) goals++
        if (cell & BOX) boxes.push(i)
        if (cell & PLAYER) {
          if (player >= 0) return false
          player = i
        }
      }
    }
    if (player < 0 || boxes.length === 0 || boxes.length !== goals) return false
    this.rows = rows
    this.cols = width
    this.player = player
    this.boxes = boxes
    this.hash = hash >>> 0
    return true
  }

  /** True when the grid read last has the static cells of `level`. */
  sameLevel(level: Level): boolean {
    if (level.rows !== this.rows || level.cols !== this.cols) return false
    const { fixed } = level
    for (let i = 0; i < fixed.length; i++) if (fixed[i] !== this.fixed[i]) return false
    return true
  }

  /** The level of the grid read last. */
  level(): Level {
    const cells = this.rows * this.cols
    return { rows: this.rows, cols: this.cols, fixed: this.fixed.slice(0, cells), start: this.state() }
  }

  state(): SokobanState {
    return { player: this.player, boxes: this.boxes }
  }
}

/** A level the oracle has planned on: the plan from each position it has seen, by position code. */
interface OracleLevel {
  readonly level: Level
  readonly code: (state: SokobanState) => PositionCode
  readonly plans: Map<PositionCode, readonly Direction[]>
}

/** Levels and positions the oracle keeps before starting afresh (plans are recomputed exactly). */
const MAX_ORACLE_LEVELS = 256
const MAX_ORACLE_POSITIONS = 1024

/**
 * Moves of the first shortest plan from a prompt's grid. Plans are cached per level for every
 * position along them: the suffix of the first shortest plan in U, D, L, R order is the first
 * shortest plan from each of its positions, so an episode that follows the oracle plans once.
 */
class SokobanOracle {
  private readonly reader = new GridReader()
  private readonly levels = new Map<number, OracleLevel[]>()
  private levelCount = 0
  /** Grids the reader declines (not a closed paper grid), by text. */
  private readonly others = new Map<string, readonly Direction[]>()

  plan(text: string, from: number, to: number): readonly Direction[] {
    const reader = this.reader
    if (!reader.read(text, from, to)) return this.planOther(text.slice(from, to))
    let candidates = this.levels.get(reader.hash)
    let entry: OracleLevel | undefined
    if (candidates !== undefined) {
      for (const known of candidates) {
        if (reader.sameLevel(known.level)) {
          entry = known
          break
        }
      }
    }
    if (entry === undefined) {
      if (this.levelCount >= MAX_ORACLE_LEVELS) {
        this.levels.clear()
        this.levelCount = 0
        candidates = undefined
      }
      const level = reader.level()
      entry = { level, code: positionCoder(level), plans: new Map() }
      if (candidates === undefined) this.levels.set(reader.hash, [entry])
      else candidates.push(entry)
      this.levelCount++
    }
    const state = reader.state()
    const known = entry.plans.get(entry.code(state))
    if (known !== undefined) return known
    return this.planFrom(entry, state)
  }

  private planFrom(entry: OracleLevel, start: SokobanState): readonly Direction[] {
    const { level, plans, code } = entry
    const plan = oneBoxPlan(level, start) ?? solvedPlan(solveBfs(level, { start }))
    if (plans.size + plan.length + 1 > MAX_ORACLE_POSITIONS) plans.clear()
    plans.set(code(start), plan)
    let state = start
    for (let i = 1; i < plan.length; i++) {
      state = applyMove(level, state, plan[i - 1]).state
      plans.set(code(state), plan.slice(i))
    }
    return plan
  }

  private planOther(grid: string): readonly Direction[] {
    const known = this.others.get(grid)
    if (known !== undefined) return known
    const level = parsePaperGrid(grid)
    const plan = oneBoxPlan(level) ?? solvedPlan(solveBfs(level))
    if (this.others.size > 20_000) this.others.clear()
    this.others.set(grid, plan)
    return plan
  }
}

/** A solver-backed policy (see the module comment). */
export function oracleClient(options: OracleOptions = {}): ModelClient {
  const sokoban = new SokobanOracle()
  const names = new ActionNames()
  const gpAnswers = new Map<string, string>()
  return new ScriptedClient('oracle', (text) => {
    const grid = sokobanGridAt(text)
    if (grid !== null) {
      const plan = sokoban.plan(text, grid.from, grid.to)
      const shown = names.of(text)
      // A solved or hopeless position has no optimal move; any valid name keeps the format.
      if (plan.length === 0) return answer(text, shown[0])
      const content = options.wholePlan === true ? plan.map((d) => shown[d - 1]).join(', ') : shown[plan[0] - 1]
      return answer(text, content)
    }
    const hand = gpHand(text)
    if (hand === null) throw notUnderstood(text)
    const key = `${hand.target}|${hand.cards.join(' ')}|${hand.values.join(' ')}`
    let reply = gpAnswers.get(key)
    if (reply === undefined) {
      const { solutions } = allSolutions(hand.values, hand.target)
      const exact = solutions.find((formula) => {
        const parsed = parseExpression(formula)
        if (!parsed.ok) return false
        const value = evaluateFloat(parsed.expr)
        return value.ok && pyEqualsInteger(value.value, BigInt(hand.target))
      })
      const formula = exact ?? solutions[0] ?? hand.values.join('+')
      reply = gpAnswerJson(hand.cards, hand.values, formula)
      if (gpAnswers.size > 20_000) gpAnswers.clear()
      gpAnswers.set(key, reply)
    }
    return reply
  })
}

const OPERATORS = ['+', '-', '*', '/'] as const

/** A random policy, reproducible from (seed, request seed) (see the module comment). */
export function randomClient(seed: number): ModelClient {
  const names = new ActionNames()
  return new ScriptedClient(`random-${seed}`, (text, requestSeed) => {
    const rng = rngFor(seed, 'random-client', requestSeed)
    if (sokobanGridAt(text) !== null) return answer(text, rng.pick(names.of(text)))
    const hand = gpHand(text)
    if (hand === null) throw notUnderstood(text)
    const values = rng.shuffle([...hand.values])
    let formula = String(values[0])
    for (let i = 1; i < values.length; i++) formula += rng.pick(OPERATORS) + String(values[i])
    return gpAnswerJson(hand.cards, hand.values, formula)
  })
}

/** A policy that never answers in the expected format: prose with no answer tag, no formula and no digits. */
export function formatBreakerClient(): ModelClient {
  return new ScriptedClient('format-breaker', (text) => {
    if (sokobanGridAt(text) !== null) return 'I would push the box towards the target, moving up first.'
    if (gpHand(text) !== null) return 'These cards are hard; I cannot find a formula for them.'
    throw notUnderstood(text)
  })
}
