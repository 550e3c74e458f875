/**
 * @module electron/app/backend
 * The backend both transports share: `createBackend` wires the services (models, generation,
 * sweeps, runs, notebooks, levels and hands, files) over one workspace and returns `handle`, which
 * validates a request against the contract (`invalid-request` naming the field), runs the service
 * and answers a `Result`, never a thrown error; plus the event stream the transports forward.
 *
 *     const backend = await createBackend({ workspace: '/home/me/experiments', defaultModel: 'models/tiny' })
 *     const result = await backend.handle('wb:models.status', {})
 *     const stop = backend.events((channel, payload) => socket.send(JSON.stringify({ type: 'event', channel, payload })))
 */
import path from 'node:path'
import {
  ok,
  type RequestChannel,
  type RequestOf,
  type ResponseOf,
  type Result,
  type ValidRequestOf,
} from '../../core/contract/api.ts'
import { validateRequest } from '../../core/contract/validate.ts'
import { startModelWorker } from '../runtime/client.ts'
import { ApiFailure, failureOf } from './errors.ts'
import type { EpisodeService as EpisodeServiceT } from './episodes.ts'
import { EventHub, type EventListener } from './events.ts'
import { FileGuard } from './files.ts'
import { GenerationService } from './generation.ts'
import { generateHands, generateLevels } from './instances.ts'
import { ModelService, type ModelStarter } from './models.ts'
import { NotebookStore } from './notebooks.ts'
import { PromptService } from './prompts.ts'
import { RunService } from './runs.ts'
import { SweepService, type RunEvalFn } from './sweeps.ts'
import { RUNS_FOLDER, RecentStore, STATE_FOLDER, packageVersion } from './workspace.ts'

/** What a file picker asks the native dialog for (the desktop app supplies the dialog). */
export interface PickRequest {
  readonly kind: 'open' | 'save' | 'folder'
  readonly title?: string
  readonly filters?: readonly { readonly name: string; readonly extensions: readonly string[] }[]
}

/** Options of `createBackend`. */
export interface BackendOptions {
  /** The workspace folder: every path from the UI must stay inside it or be picked by the user. */
  readonly workspace: string
  /** A model folder to load at start, in the background (relative paths: to the current folder). */
  readonly defaultModel?: string | null
  /** `desktop` when a native dialog is available (default: desktop when `pickPath` is given). */
  readonly mode?: 'desktop' | 'browser'
  /** Shows the native open / save / folder dialog; resolves with the chosen path or null. */
  readonly pickPath?: (request: PickRequest) => Promise<string | null>
  /** Load the default model at start (default true). */
  readonly loadDefaultModel?: boolean
  /** How models start (default `startModelWorker`). */
  readonly startModel?: ModelStarter
  /** How sweeps run (default `runEval` of electron/eval/eval-service.ts). */
  readonly runEval?: RunEvalFn
  /** The sftbench cache folder for sweeps (generations, model hashes); default: the user's cache folder. */
  readonly cacheDir?: string
  readonly now?: () => Date
  /** Where the backend reports failures nobody asked about (default: stderr). */
  readonly log?: (message: string) => void
}

/** Who sent a request (for logs; the answer does not depend on it). */
export interface RequestContext {
  readonly transport: 'ipc' | 'http' | 'ws' | 'test'
}

/** The backend of one app window or one `sftbench serve`. */
export interface Backend {
  /** The workspace (absolute, real path). */
  readonly workspace: string
  /** Answers one request of the contract; never throws. */
  handle(channel: string, payload: unknown, context?: RequestContext): Promise<Result<unknown>>
  /** `handle` with the contract's types, for in-process callers and tests. */
  request<C extends RequestChannel>(channel: C, payload: RequestOf<C>): Promise<Result<ResponseOf<C>>>
  /** Listens to every event; returns the function that stops listening. */
  events(listener: EventListener): () => void
  /** Cancels sweeps and generations (finished sweep cells are kept) and unloads the model. */
  dispose(): Promise<void>
}

type Handlers = { [C in RequestChannel]: (payload: ValidRequestOf<C>) => Promise<ResponseOf<C>> | ResponseOf<C> }

/** Creates the backend over `options.workspace` (which must exist). */
export async function createBackend(options: BackendOptions): Promise<Backend> {
  const log = options.log ?? ((message: string) => process.stderr.write(`${message}\n`))
  const now = options.now ?? (() => new Date())
  const guard = await FileGuard.create(options.workspace)
  const root = guard.root
  const runsDir = path.join(root, RUNS_FOLDER)
  const hub = new EventHub(log)
  const recent = new RecentStore(path.join(root, STATE_FOLDER, 'recent.json'), now)
  const version = await packageVersion()
  const mode = options.mode ?? (options.pickPath === undefined ? 'browser' : 'desktop')

  // Paths the backend itself recorded (recent lists, the default model) were allowed when chosen.
  let defaultModel: string | null = null
  if (options.defaultModel) defaultModel = await guard.allow(path.resolve(options.defaultModel), 'dir')
  try {
    const lists = await recent.read()
    for (const entry of lists.notebooks) await guard.allow(entry.path, 'file')
    for (const entry of lists.models) await guard.allow(entry.path, 'dir')
  } catch (error) {
    log(`The recent lists were not read: ${(error as Error).message}`)
  }

  const models = new ModelService({ guard, hub, recent, start: options.startModel ?? startModelWorker, defaultModel })
  const generation = new GenerationService(models, hub)
  // The evaluation engine loads with the first sweep, so the app starts sooner.
  const runEval: RunEvalFn = options.runEval ?? (async (o) => (await import('../eval/eval-service.ts')).runEval(o))
  const sweeps = new SweepService({
    guard,
    hub,
    runsDir,
    runEval,
    now,
    log,
    ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
  })
  const runs = new RunService(guard, runsDir)
  // Episodes load core's evaluation code with the first one, like sweeps.
  let episodes: Promise<EpisodeServiceT> | undefined
  const episodeService = (): Promise<EpisodeServiceT> =>
    (episodes ??= import('./episodes.ts').then((m) => new m.EpisodeService(models, hub)))
  const notebooks = new NotebookStore({ guard, recent, now })
  const prompts = new PromptService(models)

  const handlers: Handlers = {
    'wb:app.info': () => ({ version, workspace: root, mode, platform: process.platform, defaultModel, runsDir }),
    'wb:models.list': () => models.list(),
    'wb:models.load': (p) => models.load(p.dir, p.provider, p.variant),
    'wb:models.unload': () => models.unload(),
    'wb:models.status': () => models.current(),
    'wb:generate.start': (p) => generation.generate(p),
    'wb:generate.cancel': (p) => generation.cancel(p.requestId),
    'wb:score': (p) => generation.score(p),
    'wb:episodes.run': async (p) => (await episodeService()).run(p),
    'wb:episodes.cancel': async (p) => (episodes === undefined ? { cancelled: false } : (await episodes).cancel(p.episodeId)),
    'wb:sweeps.start': (p) => sweeps.start(p),
    'wb:sweeps.cancel': (p) => sweeps.cancel(p.runId),
    'wb:sweeps.resume': (p) => sweeps.resume(p),
    'wb:sweeps.active': () => sweeps.active(),
    'wb:runs.list': (p) => runs.list(p.dir),
    'wb:runs.read': (p) => runs.read(p.dir, p.offset, p.limit),
    'wb:runs.results': (p) => runs.results(p.dir, p.filter, p.offset, p.limit, p.detail),
    'wb:notebooks.open': (p) => notebooks.open(p.path),
    'wb:notebooks.save': (p) => notebooks.save(p.path, p.document, p.baseRevision),
    'wb:notebooks.autosave': (p) => notebooks.autosave(p.path, p.document),
    'wb:notebooks.recover': (p) => notebooks.recover(p.path),
    'wb:notebooks.discardRecovery': (p) => notebooks.discardRecovery(p.path),
    'wb:notebooks.recent': async () => {
      const lists = await recent.read()
      return lists.notebooks.filter((entry) => guard.permits(entry.path))
    },
    'wb:levels.generate': (p) => generateLevels(p),
    'wb:hands.generate': (p) => generateHands(p),
    'wb:prompts.render': (p) => prompts.render(p),
    'wb:files.list': (p) => guard.list(p.dir),
    'wb:files.pick': async (p) => {
      const kind = p.kind === 'folder' ? 'dir' : 'file'
      if (options.pickPath !== undefined) {
        const chosen = await options.pickPath({
          kind: p.kind,
          ...(p.title === undefined ? {} : { title: p.title }),
          ...(p.filters === undefined ? {} : { filters: p.filters }),
        })
        return { path: chosen === null ? null : await guard.allow(chosen, kind) }
      }
      if (p.path === undefined) {
        throw new ApiFailure(
          'unavailable',
          'In browser mode the UI shows its own picker: list folders with wb:files.list and send the chosen path as "path".',
        )
      }
      return { path: await guard.resolve(p.path, { mustExist: p.kind !== 'save', kind }) }
    },
  }

  const handle = async (channel: string, payload: unknown, context?: RequestContext): Promise<Result<unknown>> => {
    const valid = validateRequest(channel, payload)
    if (!valid.ok) return valid
    const name = channel as RequestChannel
    try {
      const run = handlers[name] as (p: unknown) => Promise<unknown> | unknown
      return ok(await run(valid.value))
    } catch (error) {
      const failure = failureOf(error)
      if (failure.error.code === 'internal') {
        const where = context === undefined ? '' : ` (${context.transport})`
        log(`${name}${where} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
      }
      return failure
    }
  }

  if (defaultModel !== null && options.loadDefaultModel !== false) models.loadInBackground(defaultModel, log)

  return {
    workspace: root,
    handle,
    request: (channel, payload) => handle(channel, payload) as Promise<Result<never>>,
    events: (listener) => hub.subscribe(listener),
    async dispose() {
      generation.cancelAll()
      if (episodes !== undefined) (await episodes).cancelAll()
      await sweeps.dispose()
      await models.dispose()
    },
  }
}
