/**
 * @module electron/app/generation
 * Generation and scoring with the app's model. A generation streams its tokens as
 * `wb:generate.event` (with log-probabilities and the top alternatives) and answers the final
 * result; `cancel` stops it by the caller's request id, and the partial result still comes back.
 * A request with `prefixTokenIds` forks: the model continues after the prompt plus those ids (ids
 * outside the model's vocabulary are `invalid-request`).
 */
import type { ValidRequestOf } from '../../core/contract/api.ts'
import type { GenerateResult, ScoreResult } from '../../core/model/client.ts'
import { ApiFailure } from './errors.ts'
import type { EventHub } from './events.ts'
import type { LoadedModel, ModelService } from './models.ts'

/** Refuses a fork whose ids the model does not have (the runtime would refuse it less politely). */
async function checkPrefix(client: LoadedModel, ids: readonly number[]): Promise<void> {
  const { vocabSize } = await client.info()
  const bad = ids.findIndex((id) => id >= vocabSize)
  if (bad >= 0) {
    throw new ApiFailure(
      'invalid-request',
      `prefixTokenIds[${bad}] is ${ids[bad]}, which is not a token id of the loaded model (0-${vocabSize - 1}); ` +
        'fork from the ids of this model\'s own tokens.',
    )
  }
}

/** Generations in flight, by request id. */
export class GenerationService {
  private readonly inFlight = new Map<string, LoadedModel>()

  constructor(
    private readonly models: ModelService,
    private readonly hub: EventHub,
  ) {}

  async generate(request: ValidRequestOf<'wb:generate.start'>): Promise<GenerateResult> {
    const client = this.models.ready()
    const { requestId } = request
    if (this.inFlight.has(requestId)) {
      throw new ApiFailure('conflict', `A generation with requestId "${requestId}" is already running; use a new id.`)
    }
    if (request.prefixTokenIds !== undefined) await checkPrefix(client, request.prefixTokenIds)
    this.inFlight.set(requestId, client)
    try {
      const fork = request.prefixTokenIds === undefined ? {} : { prefixTokenIds: request.prefixTokenIds }
      return await client.generate({ prompt: request.prompt, params: request.params, id: requestId, ...fork }, (event) =>
        this.hub.emit('wb:generate.event', { requestId, event }),
      )
    } finally {
      this.inFlight.delete(requestId)
    }
  }

  /** Cancels a generation; `cancelled` is false when none with that id is running. */
  cancel(requestId: string): { cancelled: boolean } {
    const client = this.inFlight.get(requestId)
    if (client === undefined) return { cancelled: false }
    client.cancel(requestId)
    return { cancelled: true }
  }

  score(request: ValidRequestOf<'wb:score'>): Promise<ScoreResult> {
    return this.models.ready().score(request)
  }

  /** Cancels every generation in flight. */
  cancelAll(): void {
    for (const [id, client] of this.inFlight) client.cancel(id)
  }
}
