/**
 * @module electron/app/episodes
 * One Sokoban episode with the app's model, for the probe cell: the instance, variant and sampling
 * it names run through core/eval's protocol (`runSokobanCell`, the code a sweep cell runs), so the
 * record is the one a sweep would store for that cell. Each turn streams as `wb:episodes.event`;
 * `cancel` stops the episode by its id (the request then answers `cancelled`).
 *
 * Seeds: turn t samples with `turnSeed(seed, t)`, as a sweep cell with that seed does; the
 * request's `params.seed` is not used.
 */
import { hash } from 'node:crypto'
import type { EpisodeEvent, EpisodeRecord, ValidRequestOf } from '../../core/contract/api.ts'
import type { AbortSignalLike, GeneratePrompt, ModelClient } from '../../core/model/client.ts'
import type { SamplingParamsInput } from '../../core/model/params.ts'
import type { Direction } from '../../core/sokoban/directions.ts'
import { instanceAt, type SokobanInstance } from '../../core/experiment/instance-set.ts'
import { defaultTemplateLibrary, variantVocabularies } from '../../core/experiment/render.ts'
import { parseVariantSpec, variantByName, type SokobanVariantSpec, type VariantSpec } from '../../core/experiment/variant.ts'
import type { TemplateLibrary } from '../../core/prompt/index.ts'
import { turnSeed } from '../../core/eval/cells.ts'
import { SokobanPrompter } from '../../core/eval/prompts.ts'
import { SokobanLevelFacts, runSokobanCell } from '../../core/eval/sokoban-protocol.ts'
import type { ProtocolSpec } from '../../core/eval/spec.ts'
import type { TurnPrompt } from '../../core/eval/turns.ts'
import type { SokobanOutcome } from '../../core/eval/types.ts'
import { instanceSetOf } from '../../core/notebook/instances.ts'
import { ApiFailure } from './errors.ts'
import type { EventHub } from './events.ts'
import type { ModelService } from './models.ts'

/** The prompt hash of run folders (sha256 of the UTF-8 text, first 16 hex characters). */
export function episodePromptHash(text: string): string {
  return hash('sha256', text).slice(0, 16)
}

/** What one episode runs with. */
export interface ModelEpisodeOptions {
  readonly instance: SokobanInstance
  readonly variant: SokobanVariantSpec
  /** Sampling parameters over the model's defaults (the seed is replaced per turn). */
  readonly params: SamplingParamsInput
  /** The episode's seed: turn t samples with `turnSeed(seed, t)`. */
  readonly seed: number
  readonly protocol: ProtocolSpec
  /** Prefix of the generation request ids (`<prefix>#<turn>`); unique among requests in flight. */
  readonly requestPrefix: string
  readonly library?: TemplateLibrary
  readonly hash?: (text: string) => string
  readonly signal?: AbortSignalLike
  readonly onEvent?: (event: EpisodeEvent) => void
}

/** What `runModelEpisode` answers (the record less the request's own fields). */
export type ModelEpisode = Omit<EpisodeRecord, 'episodeId' | 'totalMs'>

/** The error an aborted episode rejects with (the backend answers it as `cancelled`). */
function aborted(): Error {
  const error = new Error('The episode was cancelled.')
  error.name = 'AbortError'
  return error
}

/**
 * Runs one episode of `options.instance` under `options.variant` with `client` through
 * `runSokobanCell`. Rejects with an `AbortError` when `signal` aborts, and with the client's
 * error when a generation fails.
 */
export async function runModelEpisode(client: ModelClient, options: ModelEpisodeOptions): Promise<ModelEpisode> {
  const { instance, variant, protocol, signal, onEvent } = options
  const library = options.library ?? defaultTemplateLibrary()
  const hashOf = options.hash ?? episodePromptHash
  const row = instance.index
  const facts = new SokobanLevelFacts(instance)
  const render = new SokobanPrompter(variant, library).forInstance(instance, row)
  const prompts: Record<string, string> = {}
  let provider = ''
  let current: TurnPrompt | undefined
  onEvent?.({
    type: 'started',
    instanceId: instance.id,
    level: facts.xsb,
    optimalMoves: facts.optimalMoves,
    maxTurns: protocol.maxTurns,
  })
  const outcome = await runSokobanCell({
    facts,
    variant,
    accepted: variantVocabularies(variant, { row }).accepted,
    protocol,
    prompt: (state) => {
      const text = render(state)
      const promptHash = hashOf(text)
      prompts[promptHash] = text
      return { text, hash: promptHash }
    },
    generate: async (prompt, turn) => {
      if (signal?.aborted) throw aborted()
      current = prompt
      const sent: GeneratePrompt = variant.chat.mode === 'model' ? { messages: [{ role: 'user', content: prompt.text }] } : prompt.text
      const result = await client.generate(
        { id: `${options.requestPrefix}#${turn}`, prompt: sent, params: { ...options.params, seed: turnSeed(options.seed, turn) } },
        undefined,
        signal,
      )
      if (result.finishReason === 'cancelled') throw aborted()
      provider = result.provider
      return { text: result.text, tokens: result.tokens.length, finishReason: result.finishReason }
    },
    ...(onEvent === undefined
      ? {}
      : {
          onTurn: (turn: number, output: string, action: Direction | null, tokens: number) => {
            const prompt = current as TurnPrompt
            onEvent({ type: 'turn', turn, prompt: prompt.text, promptHash: prompt.hash, output, action, tokens })
          },
        }),
  })
  const sokoban = outcome.sokoban as SokobanOutcome
  return {
    instanceId: instance.id,
    variant: variant.name,
    seed: options.seed,
    provider,
    success: outcome.success,
    validity: outcome.validity,
    reward: outcome.reward,
    turns: outcome.turns,
    steps: outcome.steps,
    tokens: outcome.tokens,
    failure: outcome.failure,
    sokoban,
    prompts,
  }
}

/** The variant a request names, as a Sokoban variant spec (`invalid-request` otherwise). */
function sokobanVariant(input: string | Record<string, unknown>): SokobanVariantSpec {
  let variant: VariantSpec
  try {
    variant = typeof input === 'string' ? variantByName(input) : parseVariantSpec(input)
  } catch (error) {
    throw new ApiFailure('invalid-request', `variant: ${(error as Error).message}`)
  }
  if (variant.task !== 'sokoban') {
    throw new ApiFailure('invalid-request', `variant: "${variant.name}" is a ${variant.task} variant; episodes need a Sokoban one.`)
  }
  return variant
}

/** The instance a request names (`invalid-request` for a bad source or index). */
function sokobanInstance(request: ValidRequestOf<'wb:episodes.run'>): SokobanInstance {
  let instance
  try {
    const set = instanceSetOf('sokoban', request.source)
    if (request.index >= set.count) {
      throw new Error(`index: ${request.index} is outside the source's ${set.count} instances (0-${set.count - 1}).`)
    }
    instance = instanceAt(set, request.index)
  } catch (error) {
    throw new ApiFailure('invalid-request', (error as Error).message)
  }
  if (instance.task !== 'sokoban') throw new ApiFailure('invalid-request', `source: instance ${instance.id} is not a Sokoban level.`)
  return instance
}

/** Episodes in flight, by episode id. */
export class EpisodeService {
  private readonly running = new Map<string, AbortController>()

  constructor(
    private readonly models: ModelService,
    private readonly hub: EventHub,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Runs the episode a `wb:episodes.run` request describes and answers its record. */
  async run(request: ValidRequestOf<'wb:episodes.run'>): Promise<EpisodeRecord> {
    const { episodeId } = request
    if (this.running.has(episodeId)) {
      throw new ApiFailure('conflict', `An episode with episodeId "${episodeId}" is already running; use a new id.`)
    }
    const variant = sokobanVariant(request.variant)
    const instance = sokobanInstance(request)
    const client = this.models.ready()
    const controller = new AbortController()
    this.running.set(episodeId, controller)
    const started = this.now()
    const emit = (event: EpisodeEvent): void => this.hub.emit('wb:episodes.event', { episodeId, event })
    try {
      const episode = await runModelEpisode(client, {
        instance,
        variant,
        params: request.params,
        seed: request.seed,
        protocol: request.protocol,
        requestPrefix: `episode:${episodeId}`,
        signal: controller.signal,
        onEvent: emit,
      })
      emit({ type: 'finished', status: 'completed', error: null })
      return { episodeId, ...episode, totalMs: this.now() - started }
    } catch (error) {
      const cancelled = controller.signal.aborted
      emit({ type: 'finished', status: cancelled ? 'cancelled' : 'failed', error: cancelled ? null : (error as Error).message })
      if (cancelled) throw new ApiFailure('cancelled', `Episode "${episodeId}" was cancelled.`)
      throw error
    } finally {
      this.running.delete(episodeId)
    }
  }

  /** Cancels an episode; `cancelled` is false when none with that id is running. */
  cancel(episodeId: string): { cancelled: boolean } {
    const controller = this.running.get(episodeId)
    if (controller === undefined) return { cancelled: false }
    controller.abort()
    return { cancelled: true }
  }

  /** Cancels every episode in flight. */
  cancelAll(): void {
    for (const controller of this.running.values()) controller.abort()
  }
}
