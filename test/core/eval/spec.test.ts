import { existsSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  PAPER_PROTOCOL,
  difficultyValue,
  parseSweepSpec,
  sweepInstanceSet,
  sweepProtocol,
  sweepVariants,
} from '../../../core/eval/spec.ts'
import { SpecError } from '../../../core/experiment/schema.ts'
import { deriveSeed } from '../../../core/rng/index.ts'
import { thrownBy } from '../../harness/errors.ts'
import { readRepoText, repoPath } from '../../harness/repo.ts'

/** The example of the design: two models, a paper difficulty, an inline one and a preset. */
function example(): Record<string, unknown> {
  return {
    version: 1,
    name: 'smoke',
    description: 'optional',
    task: 'sokoban',
    seed: 7,
    variants: [
      'sokoban-eval-base',
      {
        name: 'my-xsb',
        task: 'sokoban',
        template: 'sokoban-eval',
        chat: { mode: 'none' },
        vocabulary: { shown: 'base', accepted: 'base' },
        renderer: 'xsb',
        parser: 'lenient',
      },
    ],
    difficulties: [
      { name: '6x6-1', difficulty: 'simple', value: 1 },
      { name: '7x7-1', difficulty: { task: 'sokoban', rows: 7, cols: 7, boxes: 1 }, value: 2 },
      { name: 'paper-base', preset: 'SimpleSokoban' },
    ],
    instances: 20,
    repeats: 1,
    protocol: { mode: 'closed-loop', maxTurns: 30, maxSteps: 30 },
    models: [
      {
        name: 'tiny',
        backend: { kind: 'onnx', path: 'test/fixtures/tiny-llama', provider: 'auto', variant: 'fp32' },
        sampling: { temperature: 0.5, maxNewTokens: 64 },
      },
      {
        name: 'vllm',
        backend: {
          kind: 'openai',
          api: 'chat',
          model: 'Qwen/Qwen2.5-1.5B-Instruct',
          endpoints: [{ url: 'http://127.0.0.1:8000/v1', apiKeyEnv: 'OPENAI_API_KEY', maxConcurrency: 8 }],
          retries: 4,
          timeoutMs: 120000,
        },
        sampling: { temperature: 0.5 },
      },
    ],
    concurrency: 16,
  }
}

/** The problems of an invalid sweep, as `path: message` pairs. */
function problems(input: unknown): { path: string; message: string }[] {
  return thrownBy(SpecError, () => parseSweepSpec(input)).problems.map((p) => ({ ...p }))
}

function paths(input: unknown): string[] {
  return problems(input).map((p) => p.path)
}

function edit(change: (spec: Record<string, unknown>) => void): Record<string, unknown> {
  const spec = example()
  change(spec)
  return spec
}

/** The example with one field set (or removed, for `undefined`), addressed by its path. */
function withField(path: readonly (string | number)[], value: unknown): Record<string, unknown> {
  const spec = example()
  let node = spec as Record<string | number, unknown>
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>
  const last = path[path.length - 1]
  if (value === undefined) delete node[last]
  else node[last] = value
  return spec
}

describe('parseSweepSpec: valid sweeps', () => {
  it('accepts the documented example and keeps it as written', () => {
    const spec = parseSweepSpec(example())
    expect(spec.variants[0]).toBe('sokoban-eval-base')
    expect(spec.models[1].backend.kind).toBe('openai')
    // Sampling stays partial: no defaults are filled in, so a manifest shows what the file said.
    expect(spec.models[0].sampling).toEqual({ temperature: 0.5, maxNewTokens: 64 })
  })

  it('fills the defaults: repeats 1, concurrency 16, the paper protocol when none is given', () => {
    const spec = parseSweepSpec(
      edit((s) => {
        delete s.repeats
        delete s.concurrency
        delete s.protocol
      }),
    )
    expect(spec.repeats).toBe(1)
    expect(spec.concurrency).toBe(16)
    expect(sweepProtocol(spec)).toEqual({ mode: 'closed-loop', maxTurns: 30, maxSteps: 30 })
    expect(PAPER_PROTOCOL).toEqual({ mode: 'closed-loop', maxTurns: 30, maxSteps: 30 })
  })

  it('resolves variants, values and instance sets', () => {
    const spec = parseSweepSpec(withField(['difficulties', 2, 'value'], undefined))
    expect(sweepVariants(spec).map((v) => v.name)).toEqual(['sokoban-eval-base', 'my-xsb'])
    expect([0, 1, 2].map((i) => difficultyValue(spec, i))).toEqual([1, 2, 3])
    // A paper difficulty gets seeded instances from the sweep seed and its own name.
    expect(sweepInstanceSet(spec, 0)).toEqual({
      task: 'sokoban',
      difficulty: { task: 'sokoban', rows: 6, cols: 6, boxes: 1 },
      seedScheme: { kind: 'seeded', seed: deriveSeed(7, 'instances', '6x6-1') },
      count: 20,
    })
    // A preset keeps its own seeds: the paper's SimpleSokoban levels.
    const paper = { kind: 'paper-sokoban', tag: 'SimpleSokoban', list: 'final' }
    expect(sweepInstanceSet(spec, 2).seedScheme).toEqual(paper)
    expect(sweepInstanceSet(spec, 2).count).toBe(20)
  })

  it('gives seeded General Points hands the paper rule J/Q/K = 10 unless a rule is named', () => {
    const spec = parseSweepSpec({
      version: 1,
      name: 'gp',
      task: 'gp',
      seed: 1,
      variants: ['gp-test-all_10'],
      difficulties: [
        { name: 'id', difficulty: 'gp-id' },
        { name: 'five', difficulty: 'gp-5cards', rule: { shown: 'all_5', scored: 'all_5' } },
      ],
      instances: 5,
      models: [{ name: 'm', backend: { kind: 'onnx', path: 'm' } }],
    })
    expect(sweepInstanceSet(spec, 0).rule).toEqual({ shown: 'all_10', scored: 'all_10' })
    expect(sweepInstanceSet(spec, 1).rule).toEqual({ shown: 'all_5', scored: 'all_5' })
  })

  const sweeps = repoPath('samples', 'sweeps')
  const files = existsSync(sweeps) ? readdirSync(sweeps).filter((f) => f.endsWith('.json')) : []
  it.skipIf(files.length === 0)('parses every checked-in sample sweep (samples/sweeps/*.json)', () => {
    for (const file of files) {
      expect(() => parseSweepSpec(JSON.parse(readRepoText('samples', 'sweeps', file))), file).not.toThrow()
    }
  })
})

describe('parseSweepSpec: errors name the field', () => {
  it('an unknown backend kind: sweep.models[0].backend.kind', () => {
    expect(paths(withField(['models', 0, 'backend', 'kind'], 'tensorrt'))).toEqual(['sweep.models[0].backend.kind'])
  })

  it('a bad inline difficulty: sweep.difficulties[1].difficulty.rows', () => {
    expect(paths(withField(['difficulties', 1, 'difficulty', 'rows'], 2))).toEqual([
      'sweep.difficulties[1].difficulty.rows',
    ])
  })

  it('an unknown named variant, with the near names', () => {
    const found = problems(withField(['variants', 0], 'sokoban-eval-bse'))
    expect(found).toHaveLength(1)
    expect(found[0].path).toBe('sweep.variants[0]')
    expect(found[0].message).toContain('Did you mean "sokoban-eval-base"')
  })

  it('a bad field of an inline variant: sweep.variants[1].parser', () => {
    expect(paths(withField(['variants', 1, 'parser'], 'fuzzy'))).toEqual(['sweep.variants[1].parser'])
  })

  it('a variant of the other task', () => {
    const found = problems(withField(['variants', 0], 'gp-test-all_10'))
    expect(found.map((p) => p.path)).toEqual(['sweep.variants[0]'])
    expect(found[0].message).toContain('is for gp')
  })

  it('duplicate names of variants, difficulties and models', () => {
    const found = paths(
      edit((s) => {
        ;(s.variants as unknown[]).push('sokoban-eval-base')
        ;(s.difficulties as Record<string, unknown>[])[1].name = '6x6-1'
        ;(s.models as Record<string, unknown>[])[1].name = 'tiny'
      }),
    )
    expect(found).toEqual(['sweep.variants[2]', 'sweep.difficulties[1].name', 'sweep.models[1].name'])
  })

  it('names with a slash (they become part of cell ids)', () => {
    expect(paths(withField(['models', 0, 'name'], 'a/b'))).toEqual(['sweep.models[0].name'])
  })

  it('a difficulty with both a difficulty and a preset, or with neither', () => {
    const both = withField(['difficulties', 0, 'preset'], 'SimpleSokoban')
    expect(paths(both)).toEqual(['sweep.difficulties[0].preset'])
    expect(paths(withField(['difficulties', 0, 'difficulty'], undefined))).toEqual([
      'sweep.difficulties[0].difficulty',
    ])
  })

  it('an unknown preset, and one of the other task', () => {
    const typo = withField(['difficulties', 2, 'preset'], 'SimpleSokobann')
    expect(paths(typo)).toEqual(['sweep.difficulties[2].preset'])
    const found = problems(withField(['difficulties', 2, 'preset'], 'gp_l_id'))
    expect(found[0].path).toBe('sweep.difficulties[2].preset')
    expect(found[0].message).toContain('gp preset')
  })

  it('more instances than a preset holds: sweep.instances (the paper tags have 100 levels)', () => {
    const found = problems(withField(['instances'], 101))
    expect(found.map((p) => p.path)).toEqual(['sweep.instances'])
    expect(found[0].message).toContain('100 levels')
  })

  it('a sampling seed (seeds come from the sweep seed): sweep.models[1].sampling.seed', () => {
    expect(paths(withField(['models', 1, 'sampling', 'seed'], 3))).toEqual(['sweep.models[1].sampling.seed'])
  })

  it('a bad sampling value, with the sampling schema message', () => {
    expect(problems(withField(['models', 0, 'sampling', 'temperature'], -1))).toEqual([
      { path: 'sweep.models[0].sampling.temperature', message: 'temperature must be 0 (greedy) or positive' },
    ])
  })

  it('a bad endpoint url: sweep.models[1].backend.endpoints[0].url', () => {
    const spec = withField(['models', 1, 'backend', 'endpoints', 0, 'url'], 'localhost:8000')
    expect(paths(spec)).toEqual(['sweep.models[1].backend.endpoints[0].url'])
  })

  it('a protocol on a General Points sweep', () => {
    const spec = {
      ...example(),
      task: 'gp',
      variants: ['gp-test-all_10'],
      difficulties: [{ name: 'id', difficulty: 'gp-id' }],
    }
    expect(paths(spec)).toEqual(['sweep.protocol'])
  })

  it('a General Points difficulty with ood "face" but largest 10: sweep.difficulties[0].difficulty.ood', () => {
    const spec = {
      ...example(),
      task: 'gp',
      protocol: undefined,
      variants: ['gp-test-all_10'],
      difficulties: [{ name: 'id', difficulty: { task: 'gp', cards: 4, largest: 10, ood: 'face', target: 24 } }],
    }
    expect(paths(spec)).toEqual(['sweep.difficulties[0].difficulty.ood'])
  })

  it('lists every problem at once, each on its own line of the message', () => {
    const error = thrownBy(SpecError, () =>
      parseSweepSpec(
        edit((s) => {
          s.version = 2
          s.instances = 0
        }),
      ),
    )
    expect(error.problems.map((p) => p.path)).toEqual(['sweep.version', 'sweep.instances'])
    expect(error.message.split('\n')).toHaveLength(3)
  })
})
