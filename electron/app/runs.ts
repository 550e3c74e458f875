/**
 * @module electron/app/runs
 * Run folders for the UI: a list of the runs under a folder (from their manifests only, so listing
 * stays fast), and one run read back with its aggregates and a page of its results.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type { RunEntry, RunStatus, RunView } from '../../core/contract/api.ts'
import { aggregateResults } from '../../core/eval/metrics.ts'
import type { JsonValue } from '../../core/notebook/schema.ts'
import { MANIFEST_FILE, RESULTS_FILE, RunFolderError, readRun, type RunManifest } from '../eval/run-folder.ts'
import { ApiFailure } from './errors.ts'
import type { FileGuard } from './files.ts'

const STATUSES: readonly RunStatus[] = ['running', 'completed', 'cancelled', 'failed']

function statusOf(value: unknown): RunStatus {
  return STATUSES.includes(value as RunStatus) ? (value as RunStatus) : 'unknown'
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw error
  }
}

/** A run entry from a folder's manifest; a folder without one (killed early) lists as `unknown`. */
async function entryOf(dir: string): Promise<RunEntry | null> {
  const manifestFile = path.join(dir, MANIFEST_FILE)
  let manifest: Partial<RunManifest> | null = null
  try {
    manifest = JSON.parse(await fs.readFile(manifestFile, 'utf8')) as Partial<RunManifest>
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'ENOENT' && !(error instanceof SyntaxError)) throw error
  }
  if (manifest === null && !(await exists(path.join(dir, RESULTS_FILE)))) return null
  const task = manifest?.spec?.task
  return {
    dir,
    name: path.basename(dir),
    status: statusOf(manifest?.status),
    task: task === 'sokoban' || task === 'gp' ? task : null,
    startedAt: typeof manifest?.startedAt === 'string' ? manifest.startedAt : null,
    endedAt: typeof manifest?.endedAt === 'string' ? manifest.endedAt : null,
    done: manifest?.cells?.done ?? 0,
    total: manifest?.cells?.total ?? 0,
  }
}

/** Lists and reads run folders inside the guard. */
export class RunService {
  constructor(
    private readonly guard: FileGuard,
    /** The default folder of runs (absolute). */
    private readonly runsDir: string,
  ) {}

  /** The runs under `dir` (default: the runs folder; none when it does not exist yet), newest first. */
  async list(dir?: string): Promise<RunEntry[]> {
    if (dir === undefined && !(await exists(this.runsDir))) return []
    const parent = await this.guard.resolve(dir ?? this.runsDir, { mustExist: true, kind: 'dir' })
    const out: RunEntry[] = []
    for (const name of await fs.readdir(parent)) {
      if (name.startsWith('.')) continue
      const child = path.join(parent, name)
      if (!(await fs.stat(child)).isDirectory()) continue
      const entry = await entryOf(child)
      if (entry !== null) out.push(entry)
    }
    return out.sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? '') || a.name.localeCompare(b.name))
  }

  /** A run with its aggregates (over every result) and the results from `offset`, at most `limit`. */
  async read(dir: string, offset: number, limit: number): Promise<RunView> {
    const real = await this.guard.resolve(dir, { mustExist: true, kind: 'dir' })
    let data
    try {
      data = await readRun(real)
    } catch (error) {
      if (error instanceof RunFolderError) throw new ApiFailure('invalid-request', error.message)
      throw error
    }
    const entry = (await entryOf(real)) ?? {
      dir: real,
      name: path.basename(real),
      status: 'unknown' as const,
      task: data.spec.task,
      startedAt: null,
      endedAt: null,
      done: 0,
      total: 0,
    }
    // The summary is written at the end; a run killed or still going is aggregated from its results.
    const summary = data.summary
    const aggregates =
      summary !== null && summary.done === data.results.length ? summary.aggregates : aggregateResults(data.results, data.spec)
    return {
      ...entry,
      task: data.spec.task,
      done: data.results.length,
      spec: data.spec as unknown as JsonValue,
      models: (data.manifest?.models ?? []).map((m) => ({ name: m.name, provider: m.provider, modelHash: m.modelHash })),
      aggregates,
      resultCount: data.results.length,
      offset,
      results: data.results.slice(offset, offset + limit),
      tornLine: data.tornLine,
    }
  }
}
