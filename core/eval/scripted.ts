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
import { PAPER_LAYOUT, PAPER_SYMBOLS, gridRenderer, parsePaperGrid } from '../sokoban/text.ts'
import { solveBfs, type BfsResult } from '../sokoban/solve/bfs.ts'
import { oneBoxPlan } from '../sokoban/generate/oneBoxPlan.ts'
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

/** The paper grid of a Sokoban prompt, or null when the prompt is not one. */
function sokobanGrid(text: string): string | null {
  const at = text.indexOf(OBSERVATION)
  if (at < 0) return null
  const from = at + OBSERVATION.length
  const end = text.indexOf('\nDecide', from)
  return text.slice(from, end < 0 ? text.length : end)
}

/** The action names the prompt shows (Up, Down, Left, Right when it shows none). */
function actionNames(text: string, cache: Map<string, readonly string[]>): readonly string[] {
  const at = text.indexOf('Answers:')
  if (at < 0) return BASE_NAMES
  const lineEnd = text.indexOf('\n', text.indexOf('<answer>', at))
  const key = text.slice(at, lineEnd < 0 ? text.length : lineEnd)
  let names = cache.get(key)
  if (names === undefined) {
    const mapping = extractAnswersMapping(key)
    const byMove = ['', '', '', '']
    for (const [label, move] of mapping ?? []) if (byMove[move - 1] === '') byMove[move - 1] = label
    names = byMove.map((name, i) => (name === '' ? BASE_NAMES[i] : name))
    cache.set(key, names)
  }
  return names
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

/** Moves of the first shortest plan from a grid, cached for every position along the plan. */
class SokobanOracle {
  private readonly plans = new Map<string, readonly Direction[]>()

  plan(grid: string): readonly Direction[] {
    const known = this.plans.get(grid)
    if (known !== undefined) return known
    // Bounded: positions repeat within an episode and across repeats, not across a whole sweep.
    if (this.plans.size > 20_000) this.plans.clear()
    const level = parsePaperGrid(grid)
    const plan = oneBoxPlan(level) ?? solvedPlan(solveBfs(level))
    this.plans.set(grid, plan)
    if (plan.length > 1) {
      const render = gridRenderer(level, PAPER_SYMBOLS, PAPER_LAYOUT)
      let state = level.start
      for (let i = 1; i < plan.length; i++) {
        state = applyMove(level, state, plan[i - 1]).state
        this.plans.set(render(state), plan.slice(i))
      }
    }
    return plan
  }
}

/** A solver-backed policy (see the module comment). */
export function oracleClient(options: OracleOptions = {}): ModelClient {
  const sokoban = new SokobanOracle()
  const names = new Map<string, readonly string[]>()
  const gpAnswers = new Map<string, string>()
  return new ScriptedClient('oracle', (text) => {
    const grid = sokobanGrid(text)
    if (grid !== null) {
      const plan = sokoban.plan(grid)
      const shown = actionNames(text, names)
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
  const names = new Map<string, readonly string[]>()
  return new ScriptedClient(`random-${seed}`, (text, requestSeed) => {
    const rng = rngFor(seed, 'random-client', requestSeed)
    if (sokobanGrid(text) !== null) return answer(text, rng.pick(actionNames(text, names)))
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
    if (sokobanGrid(text) !== null) return 'I would push the box towards the target, moving up first.'
    if (gpHand(text) !== null) return 'These cards are hard; I cannot find a formula for them.'
    throw notUnderstood(text)
  })
}
