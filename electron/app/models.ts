/**
 * @module electron/app/models
 * The app's loaded model: at most one at a time, in a worker thread (`startModelWorker`), so
 * inference never blocks the process that serves the UI. Loading is a state (`loading`, `ready`,
 * `failed`) broadcast as `wb:models.changed`, so a model that fails to load becomes a status the UI
 * shows, never a crash.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type { ModelEntry, ModelStatus } from '../../core/contract/api.ts'
import type { ProviderChoice } from '../../core/notebook/schema.ts'
import type { ModelClient } from '../../core/model/client.ts'
import type { LoadOptions, LoadReport } from '../runtime/engine.ts'
import { ModelFolderError } from '../runtime/issues.ts'
import { ProviderUnavailableError } from '../runtime/providers.ts'
import { ApiFailure } from './errors.ts'
import type { EventHub } from './events.ts'
import type { FileGuard } from './files.ts'
import type { RecentStore } from './workspace.ts'

/** A loaded model: a client plus, when the runtime gives one, its load report. */
export type LoadedModel = ModelClient & { readonly report?: LoadReport }

/** Starts a model (default: `startModelWorker`); injectable for tests. */
export type ModelStarter = (options: LoadOptions) => Promise<LoadedModel>

/** What the models service needs. */
export interface ModelServiceDeps {
  readonly guard: FileGuard
  readonly hub: EventHub
  readonly recent: RecentStore
  readonly start: ModelStarter
  /** The model folder offered first (absolute), if any. */
  readonly defaultModel: string | null
}

const NONE: ModelStatus = Object.freeze({
  state: 'none',
  dir: null,
  requested: null,
  provider: null,
  variant: null,
  file: null,
  info: null,
  loadMs: null,
  warnings: [],
  error: null,
})

async function isModelFolder(dir: string): Promise<boolean> {
  try {
    const names = await fs.readdir(dir)
    return names.includes('config.json') && names.includes('tokenizer.json')
  } catch (error) {
    if (['ENOENT', 'ENOTDIR', 'EACCES'].includes((error as NodeJS.ErrnoException).code ?? '')) return false
    throw error
  }
}

/** Loads, unloads and reports the app's model. */
export class ModelService {
  private status: ModelStatus = NONE
  private client: LoadedModel | null = null
  /** Bumped by every load and unload, so a slow load that was superseded does not win. */
  private generation = 0

  constructor(private readonly deps: ModelServiceDeps) {}

  current(): ModelStatus {
    return this.status
  }

  /** The ready model's client; `no-model` or `busy` (while loading) otherwise. */
  ready(): LoadedModel {
    if (this.client !== null && this.status.state === 'ready') return this.client
    if (this.status.state === 'loading') {
      throw new ApiFailure('busy', `The model ${this.status.dir} is still loading; try again when it is ready.`)
    }
    const why = this.status.state === 'failed' ? ` (the last load failed: ${this.status.error})` : ''
    throw new ApiFailure('no-model', `No model is loaded${why}; load one with the model cell or wb:models.load.`)
  }

  /**
   * Loads the model in `dir` (replacing the current one). Resolves with the ready status; a folder
   * that is not a model is `invalid-request`, a provider that cannot run here `unavailable`.
   */
  async load(dir: string, provider: ProviderChoice = 'auto', variant?: string): Promise<ModelStatus> {
    if (this.status.state === 'loading') {
      throw new ApiFailure('busy', `The model ${this.status.dir} is loading; wait for it before loading another.`)
    }
    let real: string
    try {
      real = await this.deps.guard.resolve(dir, { mustExist: true, kind: 'dir' })
    } catch (error) {
      this.set({ ...NONE, state: 'failed', dir, requested: provider, error: (error as Error).message })
      throw error
    }
    const ticket = ++this.generation
    this.set({ ...NONE, state: 'loading', dir: real, requested: provider, variant: variant ?? null })
    await this.disposeClient()
    let client: LoadedModel
    try {
      client = await this.deps.start({ dir: real, provider, ...(variant === undefined ? {} : { variant }) })
    } catch (error) {
      const message = (error as Error).message
      if (ticket === this.generation) this.set({ ...this.status, state: 'failed', error: message })
      if (error instanceof ModelFolderError) throw new ApiFailure('invalid-request', message)
      if (error instanceof ProviderUnavailableError) throw new ApiFailure('unavailable', message)
      throw error
    }
    if (ticket !== this.generation) {
      await client.dispose()
      throw new ApiFailure('cancelled', `Loading ${real} was superseded by a newer load or unload.`)
    }
    let info
    try {
      info = await client.info()
    } catch (error) {
      await client.dispose()
      this.set({ ...this.status, state: 'failed', error: (error as Error).message })
      throw error
    }
    this.client = client
    const report = client.report
    this.set({
      state: 'ready',
      dir: real,
      requested: provider,
      provider: report?.provider ?? info.provider,
      variant: variant ?? null,
      file: report?.file ?? null,
      info,
      loadMs: report?.loadMs ?? null,
      warnings: (report?.warnings ?? []).map((w) => `${w.file}: ${w.problem}. ${w.fix}`),
      error: null,
    })
    await this.deps.recent.touch('models', real)
    return this.status
  }

  /**
   * Loads in the background (the default model at start-up): the outcome shows in the status and
   * the `wb:models.changed` events, and is reported to `log` when it fails.
   */
  loadInBackground(dir: string, log: (message: string) => void): void {
    this.load(dir).catch((error: unknown) => {
      log(`The model ${dir} did not load: ${error instanceof Error ? error.message : String(error)}`)
    })
  }

  /** Unloads the model (in-flight generations end with an error). */
  async unload(): Promise<ModelStatus> {
    this.generation++
    await this.disposeClient()
    this.set(NONE)
    return this.status
  }

  /** Model folders to offer: the default, folders in the workspace (and its `models/`), and recent ones. */
  async list(): Promise<ModelEntry[]> {
    const out: ModelEntry[] = []
    const seen = new Set<string>()
    const add = (dir: string, source: ModelEntry['source']): void => {
      if (seen.has(dir)) return
      seen.add(dir)
      out.push({ dir, name: path.basename(dir), source })
    }
    if (this.deps.defaultModel !== null) add(this.deps.defaultModel, 'default')
    const root = this.deps.guard.root
    for (const parent of [root, path.join(root, 'models')]) {
      let names: string[]
      try {
        names = await fs.readdir(parent)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue
        throw error
      }
      for (const name of names.sort()) {
        if (name.startsWith('.')) continue
        const dir = path.join(parent, name)
        if (await isModelFolder(dir)) add(dir, 'workspace')
      }
    }
    for (const entry of (await this.deps.recent.read()).models) {
      if (this.deps.guard.permits(entry.path) && (await isModelFolder(entry.path))) add(entry.path, 'recent')
    }
    return out
  }

  async dispose(): Promise<void> {
    this.generation++
    await this.disposeClient()
  }

  private async disposeClient(): Promise<void> {
    const client = this.client
    this.client = null
    if (client !== null) await client.dispose()
  }

  private set(status: ModelStatus): void {
    this.status = status
    this.deps.hub.emit('wb:models.changed', status)
  }
}
