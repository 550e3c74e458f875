/**
 * @module electron/app/workspace
 * The workspace's own state: `<workspace>/.sftbench/` holds the recent lists (`recent.json`) and
 * autosaved notebooks (`recovery/`); new sweep runs go to `<workspace>/runs/`. State writes are
 * atomic and serialised, so two quick updates never interleave.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import { writeFileAtomic } from '../services/atomic.ts'

/** The folder of the workspace's state, relative to the workspace. */
export const STATE_FOLDER = '.sftbench'
/** Where new runs go, relative to the workspace. */
export const RUNS_FOLDER = 'runs'
/** How many entries each recent list keeps. */
export const RECENT_LIMIT = 20

const RecentSchema = z.object({
  notebooks: z.array(z.object({ path: z.string(), openedAt: z.string() })).default([]),
  models: z.array(z.object({ path: z.string(), openedAt: z.string() })).default([]),
})
export type RecentLists = z.infer<typeof RecentSchema>
export type RecentKind = keyof RecentLists

/** The recent lists of a workspace, kept in `<state>/recent.json`. */
export class RecentStore {
  private queue: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly file: string,
    private readonly now: () => Date,
  ) {}

  /** The lists; a missing file is empty lists, and a damaged one is reported, not replaced silently. */
  async read(): Promise<RecentLists> {
    let text: string
    try {
      text = await fs.readFile(this.file, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { notebooks: [], models: [] }
      throw error
    }
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch (error) {
      throw new Error(`${this.file} is not valid JSON (${(error as Error).message}); delete it to start the recent lists afresh.`, {
        cause: error,
      })
    }
    const parsed = RecentSchema.safeParse(json)
    if (!parsed.success) throw new Error(`${this.file} is damaged; delete it to start the recent lists afresh.`)
    return parsed.data
  }

  /** Puts `target` at the top of the `kind` list. */
  touch(kind: RecentKind, target: string): Promise<void> {
    return this.update((lists) => {
      const rest = lists[kind].filter((entry) => entry.path !== target)
      return { ...lists, [kind]: [{ path: target, openedAt: this.now().toISOString() }, ...rest].slice(0, RECENT_LIMIT) }
    })
  }

  private update(change: (lists: RecentLists) => RecentLists): Promise<void> {
    const next = this.queue.then(async () => {
      const lists = change(await this.read())
      await fs.mkdir(path.dirname(this.file), { recursive: true })
      await writeFileAtomic(this.file, `${JSON.stringify(lists, null, 2)}\n`)
    })
    // Later updates wait for this one whether it succeeds or fails; the caller sees its own outcome.
    this.queue = next.catch(() => undefined)
    return next
  }
}

/** The sftbench version from package.json. */
export async function packageVersion(): Promise<string> {
  const file = new URL('../../package.json', import.meta.url)
  const json = JSON.parse(await fs.readFile(file, 'utf8')) as { version?: unknown }
  return typeof json.version === 'string' ? json.version : '0.0.0'
}
