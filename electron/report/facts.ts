/**
 * @module electron/report/facts
 * The facts about a run that reports print next to its numbers (what ran, where, when, with which
 * model files), in a shape of their own so the renderers need nothing but plain data: `runFacts`
 * builds it from a run folder, and tests write it by hand.
 */
import { sweepProtocol } from '../../core/eval/spec.ts'
import type { RunData } from '../eval/run-folder.ts'

/** One model of a run, as reports describe it. */
export interface ModelFacts {
  readonly name: string
  /** Backend kind, e.g. `onnx` or `openai`. */
  readonly backend: string
  /** The model folder or endpoint(s); null when unknown (no manifest). */
  readonly location: string | null
  /** The execution provider that bound; null when unknown. */
  readonly provider: string | null
  readonly modelHash: string | null
  /** Sampling parameters of the sweep spec (temperature, maxNewTokens, ...). */
  readonly sampling: Readonly<Record<string, unknown>>
}

/** What ran, in plain data. */
export interface RunFacts {
  /** The run folder. */
  readonly dir: string
  /** The sweep's name. */
  readonly name: string
  readonly description: string | null
  readonly task: 'sokoban' | 'gp'
  readonly seed: number
  /** `running`, `completed`, `cancelled`, `failed`, or `unknown` when the manifest is missing. */
  readonly status: string
  /** Why the run failed (status `failed`), else null. */
  readonly error: string | null
  /** ISO 8601 times; null when unknown. */
  readonly startedAt: string | null
  readonly endedAt: string | null
  readonly cellsDone: number
  /** Cells the sweep defines; null when unknown. */
  readonly cellsTotal: number | null
  readonly instances: number
  readonly repeats: number
  /** Sokoban protocol settings (mode, maxTurns, maxSteps); null for General Points. */
  readonly protocol: Readonly<Record<string, unknown>> | null
  readonly models: readonly ModelFacts[]
  /** Versions of sftbench, Node, onnxruntime-node and the platform. */
  readonly versions: Readonly<Record<string, string>>
}

/** The facts as labelled lines, in the order reports show them. */
export function factRows(facts: RunFacts): [label: string, value: string][] {
  const rows: [string, string][] = [
    ['Sweep', facts.name],
    ...(facts.description ? [['Description', facts.description] as [string, string]] : []),
    ['Task', facts.task === 'gp' ? 'General Points' : 'Sokoban'],
    ['Status', facts.error ? `${facts.status}: ${facts.error}` : facts.status],
    ['Cells', `${facts.cellsDone} of ${facts.cellsTotal ?? '?'} finished`],
    ['Instances x repeats', `${facts.instances} x ${facts.repeats}`],
    ['Seed', String(facts.seed)],
  ]
  if (facts.protocol) rows.push(['Protocol', describeRecord(facts.protocol)])
  rows.push(['Started', facts.startedAt ?? 'unknown'], ['Ended', facts.endedAt ?? (facts.startedAt ? 'not yet' : 'unknown')])
  for (const m of facts.models) {
    const where = [m.backend, m.provider, m.location].filter((x) => x !== null && x !== '').join(', ')
    const hash = m.modelHash ? `, hash ${m.modelHash.slice(0, 16)}` : ''
    rows.push([`Model ${m.name}`, `${where}${hash}`])
    if (Object.keys(m.sampling).length > 0) rows.push([`Sampling ${m.name}`, describeRecord(m.sampling)])
  }
  const versions = Object.entries(facts.versions).map(([k, v]) => `${k} ${v}`)
  if (versions.length > 0) rows.push(['Versions', versions.join(', ')])
  rows.push(['Run folder', facts.dir])
  return rows
}

function describeRecord(record: Readonly<Record<string, unknown>>): string {
  return Object.entries(record)
    .map(([k, v]) => `${k} ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ')
}

/** The facts of a run folder read with `readRun` (manifest facts are unknown when it has none). */
export function runFacts(run: RunData): RunFacts {
  const { spec, manifest } = run
  const opened = new Map((manifest?.models ?? []).map((m) => [m.name, m]))
  return {
    dir: run.dir,
    name: spec.name,
    description: spec.description ?? null,
    task: spec.task,
    seed: spec.seed,
    status: manifest?.status ?? 'unknown',
    error: manifest?.error ?? null,
    startedAt: manifest?.startedAt ?? null,
    endedAt: manifest?.endedAt ?? null,
    cellsDone: run.results.length,
    cellsTotal: manifest?.cells.total ?? null,
    instances: spec.instances,
    repeats: spec.repeats,
    protocol: spec.task === 'sokoban' ? { ...sweepProtocol(spec) } : null,
    models: spec.models.map((m) => {
      const model = opened.get(m.name)
      return {
        name: m.name,
        backend: m.backend.kind,
        location: model?.location ?? (m.backend.kind === 'onnx' ? m.backend.path : m.backend.endpoints.map((e) => e.url).join(' ')),
        provider: model?.provider ?? null,
        modelHash: model?.modelHash ?? null,
        sampling: { ...(m.sampling ?? {}) },
      }
    }),
    versions: { ...(manifest?.versions ?? {}) },
  }
}
