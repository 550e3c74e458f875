/**
 * @module electron/runtime/worker
 * The model worker: a `worker_threads` thread that owns the onnxruntime session and runs the
 * scheduler, so `session.run` (which blocks its thread) never stalls the main thread. It answers
 * the messages of `protocol.ts`; `client.ts` starts it and talks to it.
 *
 * Cancellation is prompt: onnxruntime's `run` starts each step from `setImmediate`, so messages
 * (including `cancel`) are handled between steps.
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { GenerateEvent } from '../../core/model/client.ts'
import { loadModel, type LocalModelClient } from './engine.ts'
import { WORKER_FLAG, toWire, type FromWorker, type ToWorker } from './protocol.ts'

/** Serves the protocol on `port` until a `dispose` message. */
export function serveModel(port: NonNullable<typeof parentPort>): void {
  let client: LocalModelClient | undefined
  const post = (message: FromWorker): void => port.postMessage(message)
  const answer = (call: number, work: () => Promise<unknown>): void => {
    work().then(
      (value) => post({ op: 'result', call, value }),
      (error: unknown) => post({ op: 'error', call, error: toWire(error) }),
    )
  }
  const loaded = (): LocalModelClient => {
    if (!client) throw new Error('No model is loaded in the worker; send a load request first.')
    return client
  }

  port.on('message', (message: ToWorker) => {
    switch (message.op) {
      case 'load':
        answer(message.call, async () => {
          if (client) throw new Error('A model is already loaded in this worker; start another worker for a second model.')
          client = await loadModel(message.options)
          return client.report
        })
        break
      case 'info':
        answer(message.call, () => loaded().info())
        break
      case 'stats':
        answer(message.call, async () => loaded().decoderStats())
        break
      case 'generate': {
        const onEvent = (event: GenerateEvent): void => post({ op: 'event', call: message.call, event })
        answer(message.call, () =>
          message.batch
            ? loaded().generateBatch(message.requests, onEvent)
            : loaded().generate(message.requests[0], onEvent).then((result) => [result]),
        )
        break
      }
      case 'score':
        answer(message.call, () => loaded().score(message.request))
        break
      case 'tokenize':
        answer(message.call, () => loaded().tokenize(message.prompt))
        break
      case 'cancel':
        client?.cancel(message.id)
        break
      case 'dispose':
        answer(message.call, async () => {
          await client?.dispose()
          client = undefined
          return null
        })
        break
    }
  })
}

if (parentPort && (workerData as Record<string, unknown> | null)?.[WORKER_FLAG] === true) serveModel(parentPort)
