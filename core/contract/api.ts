/**
 * @module core/contract/api
 * The one contract between the UI and the backend services, shared by both transports (Electron
 * IPC and HTTP + WebSocket from `sftbench serve`). Every request channel maps to a zod schema of its
 * payload (validated on the backend side) and the type of its response; every event channel maps to
 * its payload type. Channels are `wb:`-prefixed so the preload and the IPC wrapper can refuse
 * anything else. Handlers never throw across the boundary: they answer a `Result`.
 *
 *     const result = await transport.request('wb:models.load', { dir: 'models/tiny' })
 *     if (!result.ok) showBanner(result.error.message)
 *     const stop = transport.subscribe('wb:sweeps.event', ({ runId, event }) => update(runId, event))
 *
 * Paths in requests are workspace-relative or absolute; the backend resolves them against the
 * workspace and refuses anything outside it that the user did not pick (`forbidden`).
 */
import { z } from 'zod'
import { FAILURE_KINDS, type Aggregate, type CellResult, type FailureKind, type SokobanOutcome, type SweepEvent } from '../eval/types.ts'
import type { GenerateEvent, GenerateResult, ModelInfo, ScoreResult } from '../model/client.ts'
import { DifficultySpecSchema } from '../experiment/difficulty.ts'
import { ChatSpecSchema, RuleSettingSchema, VariantSpecSchema } from '../experiment/variant.ts'
import { SeedSchemeSchema } from '../experiment/instance-set.ts'
import {
  JsonValueSchema,
  NotebookSchema,
  ProviderChoiceSchema,
  type JsonValue,
  type NotebookDocument,
  type ProviderChoice,
} from '../notebook/schema.ts'
import { SamplingParamsPatchSchema } from '../notebook/sampling-patch.ts'
import type { NotebookProblem } from '../notebook/problem.ts'
import type { Direction } from '../sokoban/directions.ts'

//#region Results and errors

/** Every channel name starts with this. */
export const CHANNEL_PREFIX = 'wb:'

/**
 * Error codes: `invalid-request` (payload fails the schema; the message names the field),
 * `not-found` (no such file, run, request), `forbidden` (path outside the workspace and not picked),
 * `no-model` (no model loaded), `busy` (a model is loading), `conflict` (the file changed on disk, or
 * is corrupt or newer and must not be overwritten), `cancelled`, `unavailable` (a feature this
 * backend does not offer, e.g. a native dialog in browser mode), `internal` (anything else).
 */
export const ERROR_CODES = [
  'invalid-request',
  'not-found',
  'forbidden',
  'no-model',
  'busy',
  'conflict',
  'cancelled',
  'unavailable',
  'internal',
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

/** What went wrong, for the UI to show as is. */
export interface ApiError {
  readonly code: ErrorCode
  readonly message: string
}

/** The answer to every request. */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiError }

/** A successful result. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value }
}

/** A failed result. */
export function fail(code: ErrorCode, message: string): { readonly ok: false; readonly error: ApiError } {
  return { ok: false, error: { code, message } }
}

//#endregion

//#region Shared shapes

/** A path as the UI sends it: workspace-relative or absolute. */
const PathSchema = z.string({ error: 'expected a path (a string)' }).min(1, 'the path is empty')

/** Which results of a run to list; every field narrows, an empty filter matches all. */
export const ResultFilterSchema = z
  .object({
    variant: z.string().min(1).optional(),
    difficulty: z.string().min(1).optional(),
    model: z.string().min(1).optional(),
    /** A failure kind (core's FAILURE_KINDS), or `success` for the cells that succeeded. */
    failure: z.enum([...FAILURE_KINDS, 'success'], { error: `expected 'success' or a failure kind (${FAILURE_KINDS.join(', ')})` }).optional(),
    /** Exact cell keys (`variant/difficulty/instance/repeat`), e.g. a flip-table bin's. */
    keys: z.array(z.string().min(1)).max(1_000_000).optional(),
  })
  .strict()
export type ResultFilter = z.infer<typeof ResultFilterSchema>

/** A chat message, as the model's chat template takes it. */
export const ChatMessageSchema = z.object({ role: z.string().min(1), content: z.string() }).strict()

/** Raw prompt text, or chat messages rendered with the model's chat template. */
export const PromptSchema = z.union([z.string(), z.object({ messages: z.array(ChatMessageSchema).min(1) }).strict()])

/** The fields that name an instance set, shared by requests for many instances and for one. */
const SET_FIELDS = {
    preset: z.string().min(1).optional(),
    difficulty: z.union([z.string().min(1), DifficultySpecSchema]).optional(),
    seed: z.int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
    seedScheme: SeedSchemeSchema.optional(),
    rule: z.union([RuleSettingSchema, z.array(RuleSettingSchema).min(1)]).optional(),
    start: z.int().min(0).default(0),
}

/** A set comes from a preset or from a difficulty, never both. */
function oneSetSource(s: { preset?: string; difficulty?: unknown }): boolean {
  return (s.preset === undefined) !== (s.difficulty === undefined)
}
const ONE_SET_SOURCE = { message: 'give either a preset or a difficulty (exactly one of them)', path: ['difficulty'] }

/**
 * Which instances: a preset's set, or a difficulty (a paper difficulty name such as `simple` or
 * `gp-id`, or a difficulty object) dealt from `seedScheme` (default `{kind: 'seeded', seed}`).
 * General Points seeded sets take `rule` (default all face cards 10).
 */
export const InstanceSourceSchema = z
  .object({
    ...SET_FIELDS,
    count: z.int().min(1, 'count must be at least 1').max(200, 'count must be at most 200 per request'),
  })
  .strict()
  .refine(oneSetSource, ONE_SET_SOURCE)
export type InstanceSource = z.infer<typeof InstanceSourceSchema>

/** What the backend tells about itself. */
export interface AppInfo {
  readonly version: string
  /** The workspace folder (absolute, real path). */
  readonly workspace: string
  readonly mode: 'desktop' | 'browser'
  readonly platform: string
  /** The model folder loaded at start, if any. */
  readonly defaultModel: string | null
  /** Where new sweep runs go (absolute). */
  readonly runsDir: string
}

/** A model folder the UI can offer. */
export interface ModelEntry {
  readonly dir: string
  readonly name: string
  readonly source: 'default' | 'workspace' | 'recent'
}

/** The loaded model, or why none is. */
export interface ModelStatus {
  readonly state: 'none' | 'loading' | 'ready' | 'failed'
  readonly dir: string | null
  /** The provider asked for. */
  readonly requested: ProviderChoice | null
  /** The provider that bound (`cpu`, `cuda`, ...), once ready. */
  readonly provider: string | null
  readonly variant: string | null
  /** The graph file that loaded, relative to the folder. */
  readonly file: string | null
  readonly info: ModelInfo | null
  readonly loadMs: number | null
  readonly warnings: readonly string[]
  /** Why loading failed (state `failed`). */
  readonly error: string | null
}

/** A started sweep. */
export interface SweepHandle {
  readonly runId: string
  /** The run folder (absolute). */
  readonly dir: string
}

/** A sweep the backend runs or ran in this session. */
export interface SweepState extends SweepHandle {
  readonly notebookCellId: string | null
  readonly status: 'running' | 'completed' | 'cancelled' | 'failed'
  readonly done: number
  readonly total: number
  readonly error: string | null
}

/**
 * A run folder's state: its manifest's status, except that a folder whose manifest says `running`
 * while the process that wrote it is gone is `interrupted` (killed; resume finishes it), and one
 * with results but no readable manifest is `unknown`.
 */
export type RunStatus = 'running' | 'completed' | 'cancelled' | 'failed' | 'interrupted' | 'unknown'

/** A run folder, as listed. */
export interface RunEntry {
  readonly dir: string
  readonly name: string
  readonly status: RunStatus
  readonly task: 'sokoban' | 'gp' | null
  readonly startedAt: string | null
  readonly endedAt: string | null
  readonly done: number
  readonly total: number
  /**
   * The process writing a `running` folder when it is another live process on this machine (a
   * terminal `sftbench eval`, say), else null: its progress reaches only that process, and the
   * folder cannot be resumed until it ends.
   */
  readonly writtenBy: { readonly pid: number; readonly host: string } | null
}

/** A run folder's content; results are paged. */
export interface RunView extends RunEntry {
  /** The sweep spec the run was started with. */
  readonly spec: JsonValue
  readonly models: readonly { readonly name: string; readonly provider: string; readonly modelHash: string }[]
  /** Aggregates over every result in the folder. */
  readonly aggregates: readonly Aggregate[]
  /** Results in the folder (all pages). */
  readonly resultCount: number
  readonly offset: number
  readonly results: readonly CellResult[]
  /** The last line of results.jsonl was torn (a killed run); it was ignored. */
  readonly tornLine: boolean
}

/** One finished cell as a results table lists it: a `CellResult` without its turns and outputs. */
export type ResultRow = Pick<
  CellResult,
  'id' | 'key' | 'model' | 'variant' | 'difficulty' | 'instance' | 'repeat' | 'success' | 'failure' | 'turns' | 'steps' | 'tokens'
>

/** A result in full, with what its viewer needs that the results line does not carry. */
export interface ResultDetail {
  readonly result: CellResult
  /** General Points: the value the verifier scored each card with (from the sweep's variant rule). */
  readonly scoredValues: readonly number[] | null
}

/** The distinct values of a run's results, for the filters' choices (in first-seen order). */
export interface ResultFacets {
  readonly models: readonly string[]
  readonly variants: readonly string[]
  readonly difficulties: readonly string[]
  /** The failure kinds that occur (`success` is not one). */
  readonly failures: readonly FailureKind[]
}

/** A page of a run's results that match a filter (`wb:runs.results`). */
export interface RunResultsPage {
  readonly dir: string
  readonly status: RunStatus
  readonly task: 'sokoban' | 'gp' | null
  /** Results in the folder. */
  readonly total: number
  /** Results that match the filter (all pages). */
  readonly matched: number
  readonly offset: number
  /** The matching rows from `offset`, at most `limit`, in file order. */
  readonly rows: readonly ResultRow[]
  /** The same results in full (with `detail: true`), else null. */
  readonly details: readonly ResultDetail[] | null
  readonly facets: ResultFacets
  /** results.jsonl ends in an incomplete line (a killed run, or a line still being written); it was left out. */
  readonly tornLine: boolean
}

/** A recovery file (unsaved work autosaved next to, or for, a notebook). */
export interface RecoveryInfo {
  readonly notebookPath: string
  readonly recoveryPath: string
  /** When it was written (ISO 8601). */
  readonly savedAt: string
  /** Written after the notebook file was last modified (it may hold work the file lacks). */
  readonly newerThanNotebook: boolean
}

/** A recovery file with its content. */
export interface RecoveryEntry extends RecoveryInfo {
  readonly document: NotebookDocument | null
  readonly problem: NotebookProblem | null
}

/** A notebook as opened. A file with a `problem` opens read-only and is never overwritten. */
export interface OpenedNotebook {
  /** The notebook's path (absolute, real). */
  readonly path: string
  /** An opaque stamp of the file's content; pass it back to `save` to detect changes on disk. */
  readonly revision: string
  readonly document: NotebookDocument | null
  readonly problem: NotebookProblem | null
  /** The format the file was migrated from, when it was older. */
  readonly migratedFrom: number | null
  /** Saving to this path is refused until the user saves elsewhere. */
  readonly readOnly: boolean
  /** A recovery file for this notebook, if one exists. */
  readonly recovery: RecoveryInfo | null
}

/** A Sokoban level for display. */
export interface LevelView {
  readonly index: number
  readonly id: string
  /** The level in XSB text. */
  readonly xsb: string
  readonly rows: number
  readonly cols: number
  readonly boxes: number
  /** Length of a move-optimal solution (null: unsolvable, or beyond a paper scheme's cap). */
  readonly optimalMoves: number | null
  /** A move-optimal plan in the letters U D L R. */
  readonly plan: string
}

/** A General Points hand for display. */
export interface HandView {
  readonly index: number
  readonly id: string
  readonly cards: readonly string[]
  readonly ranks: readonly number[]
  /** The values the verifier scores with. */
  readonly values: readonly number[]
  readonly target: number
  readonly solution: string | null
  readonly solutionCount: number
}

/** How an episode runs: the paper's closed loop (30 turns, 30 steps) unless given. */
export const EpisodeProtocolSchema = z
  .object({
    mode: z.enum(['closed-loop', 'open-loop']).default('closed-loop'),
    maxTurns: z.int().min(1).max(500).default(30),
    maxSteps: z.int().min(1).max(500).default(30),
  })
  .strict()

/** One Sokoban episode with the loaded model (`wb:episodes.run`). */
export interface EpisodeRecord {
  readonly episodeId: string
  readonly instanceId: string
  readonly variant: string
  readonly seed: number
  /** The execution provider that ran the model. */
  readonly provider: string
  readonly success: boolean
  /** The paper's `action_is_valid`: valid turns / turns. */
  readonly validity: number
  readonly reward: number
  readonly turns: number
  readonly steps: number
  readonly tokens: number
  readonly failure: FailureKind | null
  /** The level (XSB) and each turn, as a sweep's results.jsonl stores them. */
  readonly sokoban: SokobanOutcome
  /** Each turn's prompt text by its hash (`StoredTurn.promptHash`). */
  readonly prompts: Readonly<Record<string, string>>
  readonly totalMs: number
}

/** A live episode's progress (`wb:episodes.event`). */
export type EpisodeEvent =
  | {
      readonly type: 'started'
      readonly instanceId: string
      /** The level in XSB text. */
      readonly level: string
      readonly optimalMoves: number | null
      readonly maxTurns: number
    }
  | {
      readonly type: 'turn'
      readonly turn: number
      readonly prompt: string
      readonly promptHash: string
      readonly output: string
      /** The move the variant's parser read (null: none). */
      readonly action: Direction | null
      readonly tokens: number
    }
  | {
      readonly type: 'finished'
      readonly status: 'completed' | 'cancelled' | 'failed'
      readonly error: string | null
    }

/** A file or folder in a listing. */
export interface FileEntry {
  readonly name: string
  /** Absolute path. */
  readonly path: string
  readonly kind: 'file' | 'dir'
  readonly size: number
  readonly modifiedMs: number
}

/** A folder's listing. */
export interface FileListing {
  /** The folder (absolute, real). */
  readonly dir: string
  /** The folder relative to the workspace (`''` for the workspace itself). */
  readonly relative: string
  /** The parent folder, or null at the workspace root. */
  readonly parent: string | null
  readonly entries: readonly FileEntry[]
}

/**
 * One instance for a prompt: the set (as in `InstanceSourceSchema`: a preset, or a difficulty with a
 * seed scheme) and the instance's index in it.
 */
export const PromptInstanceSchema = z
  .object({
    task: z.enum(['sokoban', 'gp']),
    ...SET_FIELDS,
    index: z.int().min(0, 'index must be at least 0').max(99_999, 'index must be below 100,000'),
  })
  .strict()
  .refine(oneSetSource, ONE_SET_SOURCE)

/**
 * What `wb:prompts.render` renders: an instance under a variant (a name or an inline spec), with
 * `template` replacing the variant's template text and `chat` its chat formatting when given.
 * `tokenize: false` skips the token count.
 */
export const PromptRenderRequestSchema = z
  .object({
    instance: PromptInstanceSchema,
    variant: z.union([z.string().min(1), VariantSpecSchema]),
    template: z.string().max(200_000, 'the template is over 200,000 characters').optional(),
    chat: ChatSpecSchema.optional(),
    tokenize: z.boolean().default(true),
  })
  .strict()

/** A prompt's token ids under the loaded model's tokenizer. */
export interface PromptTokens {
  readonly count: number
  readonly ids: readonly number[]
  /** The model folder's name. */
  readonly model: string
}

/**
 * A template that failed, located: `where` says which template (the task template being edited, the
 * raw-mode wrapper, or the loaded model's chat template); line and column are 1-based (columns in
 * code points), `offset` is 0-based in UTF-16 code units of that template's source.
 */
export interface PromptTemplateError {
  readonly where: 'template' | 'wrapper' | 'chat-template'
  readonly templateName: string
  readonly line: number
  readonly column: number
  readonly offset: number
  /** The problem alone. */
  readonly reason: string
  /** The full message, with the location and a caret excerpt. */
  readonly message: string
}

/**
 * A rendered prompt. `body` is the task prompt (the user message); `prompt` is what a generation
 * is sent (raw text, or the user message for the model's chat template); `text` is the exact text
 * the model reads: the wrapped string in raw mode, the body in mode `none`, the chat-templated text
 * in mode `model` (null when no model with a chat template is loaded). `tokens` is null when no
 * model is loaded or `text` is null, and `note` then says why.
 */
export type PromptRender =
  | {
      readonly kind: 'rendered'
      readonly instanceId: string
      readonly variant: string
      readonly chat: 'raw' | 'model' | 'none'
      readonly body: string
      readonly prompt: string | { readonly messages: readonly { readonly role: string; readonly content: string }[] }
      readonly text: string | null
      readonly tokens: PromptTokens | null
      readonly note: string | null
    }
  | {
      readonly kind: 'template-error'
      readonly instanceId: string
      readonly variant: string
      readonly error: PromptTemplateError
    }

export const FileFilterSchema = z
  .object({ name: z.string().min(1), extensions: z.array(z.string().regex(/^[A-Za-z0-9*]+$/)).min(1) })
  .strict()

//#endregion

//#region Channels

/** A request channel's definition: its payload schema and (as a phantom type) its response. */
export interface ChannelDef<S extends z.ZodType, R> {
  readonly request: S
  /** Type only; never read at run time. */
  readonly response?: R
}

function channel<R>(): <S extends z.ZodType>(request: S) => ChannelDef<S, R> {
  return (request) => ({ request })
}

const empty = z.object({}).strict()

/** Every request channel. */
export const API = {
  'wb:app.info': channel<AppInfo>()(empty),

  'wb:models.list': channel<ModelEntry[]>()(empty),
  /**
   * Loads a model folder (replacing the loaded one) and answers the ready status. Fails with
   * `busy` while another load runs, `invalid-request` for a folder that is not a usable model,
   * `unavailable` for a provider this machine lacks; the status (`wb:models.changed`) says `failed`.
   */
  'wb:models.load': channel<ModelStatus>()(
    z
      .object({ dir: PathSchema, provider: ProviderChoiceSchema.default('auto'), variant: z.string().min(1).optional() })
      .strict(),
  ),
  'wb:models.unload': channel<ModelStatus>()(empty),
  'wb:models.status': channel<ModelStatus>()(empty),

  /**
   * Generates with the loaded model; tokens stream as `wb:generate.event` with the same requestId.
   * `prefixTokenIds` forks: the model continues after the prompt's token ids followed by these (a
   * result's token ids, or one of their alternatives); they are not part of the result's tokens.
   */
  'wb:generate.start': channel<GenerateResult>()(
    z
      .object({
        requestId: z.string().min(1).max(200),
        prompt: PromptSchema,
        params: SamplingParamsPatchSchema.default({}),
        prefixTokenIds: z.array(z.int().min(0, 'token ids are whole numbers from 0')).max(100_000).optional(),
      })
      .strict(),
  ),
  'wb:generate.cancel': channel<{ cancelled: boolean }>()(z.object({ requestId: z.string().min(1) }).strict()),
  'wb:score': channel<ScoreResult>()(z.object({ prompt: PromptSchema, continuation: z.string().min(1) }).strict()),

  /**
   * Runs one Sokoban episode with the loaded model under the sweep protocol (closed loop by
   * default): instance `index` of `source`, the named or inline `variant`, `params` over the model's
   * defaults. Turn t samples with seed `turnSeed(seed, t)`, as a sweep cell with that seed does.
   * Turns stream as `wb:episodes.event`; the answer is the record a sweep would store.
   */
  'wb:episodes.run': channel<EpisodeRecord>()(
    z
      .object({
        episodeId: z.string().min(1).max(200),
        source: InstanceSourceSchema,
        index: z.int().min(0).default(0),
        variant: z.union([z.string().min(1), z.record(z.string(), JsonValueSchema)]),
        params: SamplingParamsPatchSchema.default({}),
        seed: z.int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
        protocol: EpisodeProtocolSchema.prefault({}),
      })
      .strict(),
  ),
  /** Stops an episode; its `wb:episodes.run` answers `cancelled`. */
  'wb:episodes.cancel': channel<{ cancelled: boolean }>()(z.object({ episodeId: z.string().min(1) }).strict()),

  /** Starts a sweep (the spec is checked by the sweep parser); progress streams as `wb:sweeps.event`. */
  'wb:sweeps.start': channel<SweepHandle>()(
    z
      .object({
        spec: z.record(z.string(), JsonValueSchema),
        /** The run folder (default: a new folder under the workspace's runs folder). */
        outDir: PathSchema.optional(),
        notebookCellId: z.string().min(1).optional(),
        noCache: z.boolean().default(false),
      })
      .strict(),
  ),
  'wb:sweeps.cancel': channel<{ cancelled: boolean }>()(z.object({ runId: z.string().min(1) }).strict()),
  /** Resumes a run folder: only the cells missing from it run. */
  'wb:sweeps.resume': channel<SweepHandle>()(
    z.object({ dir: PathSchema, notebookCellId: z.string().min(1).optional() }).strict(),
  ),
  'wb:sweeps.active': channel<SweepState[]>()(empty),

  /** Run folders under `dir` (default: the workspace's runs folder), newest first. */
  'wb:runs.list': channel<RunEntry[]>()(z.object({ dir: PathSchema.optional() }).strict()),
  'wb:runs.read': channel<RunView>()(
    z
      .object({
        dir: PathSchema,
        offset: z.int().min(0).default(0),
        limit: z.int().min(0).max(5000).default(200),
      })
      .strict(),
  ),

  /**
   * The results of a run folder that match a filter, paged, without their turns unless `detail`
   * (read incrementally: a folder a sweep is still writing costs only its new lines).
   */
  'wb:runs.results': channel<RunResultsPage>()(
    z
      .object({
        dir: PathSchema,
        filter: ResultFilterSchema.prefault({}),
        offset: z.int().min(0).default(0),
        limit: z.int().min(0).max(20_000).default(500),
        detail: z.boolean().default(false),
      })
      .strict(),
  ),

  'wb:notebooks.open': channel<OpenedNotebook>()(z.object({ path: PathSchema }).strict()),
  /**
   * Saves atomically. With `baseRevision`, refused (`conflict`) when the file changed on disk since;
   * always refused over a corrupt or newer-format file. Removes the notebook's recovery file.
   */
  'wb:notebooks.save': channel<{ path: string; revision: string }>()(
    z.object({ path: PathSchema, document: NotebookSchema, baseRevision: z.string().min(1).optional() }).strict(),
  ),
  /** Writes unsaved work to the notebook's recovery file (the notebook itself is untouched). */
  'wb:notebooks.autosave': channel<RecoveryInfo>()(
    z.object({ path: PathSchema, document: NotebookSchema }).strict(),
  ),
  /** Recovery files in the workspace, or the one of `path`. */
  'wb:notebooks.recover': channel<RecoveryEntry[]>()(z.object({ path: PathSchema.optional() }).strict()),
  'wb:notebooks.discardRecovery': channel<{ removed: boolean }>()(z.object({ path: PathSchema }).strict()),
  /** Recently opened or saved notebooks, most recent first. */
  'wb:notebooks.recent': channel<{ path: string; openedAt: string }[]>()(empty),

  'wb:levels.generate': channel<LevelView[]>()(InstanceSourceSchema),
  'wb:hands.generate': channel<HandView[]>()(InstanceSourceSchema),

  /**
   * Renders one instance's prompt under a variant, with its token ids under the loaded model's
   * tokenizer. A failing template answers `kind: 'template-error'` with its line and column (a
   * value, so the editor can mark it); an unknown variant, preset or index is `invalid-request`.
   */
  'wb:prompts.render': channel<PromptRender>()(PromptRenderRequestSchema),

  /** A folder's listing (default: the workspace). */
  'wb:files.list': channel<FileListing>()(z.object({ dir: PathSchema.optional() }).strict()),
  /**
   * Picks a file or folder. In the desktop app the backend shows a native dialog (and `path` is
   * ignored); in browser mode the UI shows its own picker over `wb:files.list` and sends the choice
   * as `path`. The answer is the chosen absolute path, or null when the user cancelled.
   */
  'wb:files.pick': channel<{ path: string | null }>()(
    z
      .object({
        kind: z.enum(['open', 'save', 'folder']),
        filters: z.array(FileFilterSchema).optional(),
        title: z.string().max(200).optional(),
        path: PathSchema.optional(),
      })
      .strict(),
  ),
} as const

export type Api = typeof API
export type RequestChannel = keyof Api
/** A request payload as the UI sends it (fields with defaults may be left out). */
export type RequestOf<C extends RequestChannel> = z.input<Api[C]['request']>
/** A request payload after validation (defaults filled in), as handlers see it. */
export type ValidRequestOf<C extends RequestChannel> = z.output<Api[C]['request']>
export type ResponseOf<C extends RequestChannel> = NonNullable<Api[C]['response']>

/** Every request channel name (for the preload's and the IPC wrapper's allow-lists). */
export const REQUEST_CHANNELS = Object.freeze(Object.keys(API) as RequestChannel[])

/** Token deltas of a generation (with log-probabilities and top-k alternatives). */
export interface GenerateEventPayload {
  readonly requestId: string
  readonly event: GenerateEvent
}

/** An episode's progress event. */
export interface EpisodeEventPayload {
  readonly episodeId: string
  readonly event: EpisodeEvent
}

/**
 * Finished cells counted, not listed: sent instead of their `cell-finished` events when a sweep
 * finishes cells faster than a window needs to hear of each one (their results are in the run folder).
 */
export interface CellsFinishedEvent {
  readonly type: 'cells-finished'
  readonly count: number
}

/**
 * A sweep's progress event, as the backend forwards it: no `cell-started` or `turn` events, results
 * without their transcripts, aggregates coalesced, and bursts of finished cells as `cells-finished`
 * (see electron/app/sweeps.ts).
 */
export interface SweepEventPayload {
  readonly runId: string
  readonly dir: string
  readonly notebookCellId: string | null
  readonly event: SweepEvent | CellsFinishedEvent
}

/** Every event channel and its payload type. */
export interface EventMap {
  'wb:generate.event': GenerateEventPayload
  'wb:sweeps.event': SweepEventPayload
  /** A sweep started, finished, was cancelled or failed (with the error). */
  'wb:sweeps.status': SweepState
  /** The model status changed (loading, ready, failed, unloaded). */
  'wb:models.changed': ModelStatus
  'wb:episodes.event': EpisodeEventPayload
}
export type EventChannel = keyof EventMap
export type EventOf<E extends EventChannel> = EventMap[E]

/** Every event channel name. */
export const EVENT_CHANNELS: readonly EventChannel[] = Object.freeze([
  'wb:generate.event',
  'wb:sweeps.event',
  'wb:sweeps.status',
  'wb:models.changed',
  'wb:episodes.event',
] satisfies EventChannel[])

/** True for a request channel of the contract. */
export function isRequestChannel(name: unknown): name is RequestChannel {
  return typeof name === 'string' && Object.hasOwn(API, name)
}

/** True for an event channel of the contract. */
export function isEventChannel(name: unknown): name is EventChannel {
  return typeof name === 'string' && (EVENT_CHANNELS as readonly string[]).includes(name)
}

//#endregion

//#region Transports

/** What both transports offer the UI (IPC through the preload, HTTP + WebSocket in a browser). */
export interface Transport {
  request<C extends RequestChannel>(channel: C, payload: RequestOf<C>): Promise<Result<ResponseOf<C>>>
  /** Listens to an event channel; returns the function that stops listening. */
  subscribe<E extends EventChannel>(channel: E, listener: (payload: EventOf<E>) => void): () => void
}

/** The object the desktop preload exposes as `window.workbench`. */
export interface WorkbenchBridge {
  request(channel: string, payload: unknown): Promise<Result<unknown>>
  subscribe(channel: string, listener: (payload: unknown) => void): () => void
}

// The HTTP and WebSocket endpoints (http-paths.ts, which the web page imports without this module's
// schemas).
export { API_PATH_PREFIX, TOKEN_COOKIE, TOKEN_QUERY, WS_PATH } from './http-paths.ts'

/**
 * WebSocket messages from the UI. The socket at `WS_PATH` needs the token like any request (the
 * cookie, or `?token=`); a browser's `Origin` must be the server's own.
 */
export type WsClientMessage = {
  readonly type: 'request'
  /** The client's number for the request, echoed in the response. */
  readonly id: number
  readonly channel: string
  readonly payload: unknown
}

/** WebSocket messages from the server. */
export type WsServerMessage =
  | { readonly type: 'event'; readonly channel: EventChannel; readonly payload: unknown }
  | { readonly type: 'response'; readonly id: number; readonly result: Result<unknown> }

//#endregion
