/**
 * @module electron/app/generation
 * Generation and scoring with the app's model. A generation streams its tokens as
 * `wb:generate.event` (with log-probabilities and the top alternatives) and answers the final
 * result; `cancel` stops it by the caller's request id, and the partial result still comes back.
 */
import type { ValidRequestOf } from '../../core/contract/api.ts'
import type { GenerateResult, ScoreResult } from '../../core/model/client.ts'
import { ApiFailure } from './errors.ts'
import type { EventHub } from './events.ts'
import type { LoadedModel, ModelService } from './models.ts'

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
    this.inFlight.set(requestId, client)
    try {
      return await client.generate({ prompt: request.prompt, params: request.params, id: requestId }, (event) =>
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
