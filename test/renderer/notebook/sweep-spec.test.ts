import { describe, expect, it } from 'vitest'
import { parseSweepSpec } from '../../../core/eval/spec.ts'
import { NotebookSchema, type NotebookDocument, type SweepCell } from '../../../core/notebook/schema.ts'
import { buildSweepSpec, safeName } from '../../../renderer/src/notebook/sweep-spec.ts'

function notebook(extra: Record<string, unknown> = {}, cells?: unknown[]): { doc: NotebookDocument; sweep: SweepCell } {
  const doc = NotebookSchema.parse({
    format: 1,
    title: 'My run!',
    nextId: 10,
    cells: cells ?? [
      { id: 'cell-1', kind: 'task', task: 'sokoban', difficulty: 'simple', seedScheme: { kind: 'seeded', seed: 11 }, count: 6 },
      { id: 'cell-2', kind: 'template', reads: ['cell-1'], variant: 'sokoban-eval-base' },
      { id: 'cell-3', kind: 'template', reads: ['cell-1'], variant: 'sokoban-eval-cardinal', source: 'Go {{ board }}' },
      { id: 'cell-4', kind: 'model', dir: 'models/qwen', provider: 'cpu', sampling: { temperature: 0.5, seed: 3 } },
      { id: 'cell-5', kind: 'sweep', reads: ['cell-1', 'cell-2', 'cell-3', 'cell-4'], ...extra },
    ],
  })
  return { doc, sweep: doc.cells.find((c) => c.kind === 'sweep') as SweepCell }
}

describe('sweep spec from notebook cells', () => {
  it('takes task, variants and model from the cells read, and passes the sweep parser', () => {
    const { doc, sweep } = notebook()
    const built = buildSweepSpec(doc, sweep)
    if (!built.ok) throw new Error(built.message)
    const spec = parseSweepSpec(built.spec)
    expect(spec.task).toBe('sokoban')
    expect(spec.seed).toBe(11)
    expect(spec.instances).toBe(6)
    expect(spec.difficulties).toEqual([{ name: 'simple', difficulty: 'simple', seedScheme: { kind: 'seeded', seed: 11 } }])
    expect(spec.models[0].backend).toEqual({ kind: 'onnx', path: 'models/qwen', provider: 'cpu' })
    // Sampling seeds come from the sweep seed; the parser refuses a model seed, so it is dropped.
    expect(spec.models[0].sampling).toEqual({ temperature: 0.5 })
    expect(spec.variants[0]).toBe('sokoban-eval-base')
  })

  it('an edited template becomes an inline variant with its own name and the edited text', () => {
    const { doc, sweep } = notebook()
    const built = buildSweepSpec(doc, sweep)
    if (!built.ok) throw new Error(built.message)
    const edited = parseSweepSpec(built.spec).variants[1]
    expect(typeof edited).toBe('object')
    expect(edited).toMatchObject({ name: 'sokoban-eval-cardinal-cell-3', template: { source: 'Go {{ board }}' }, vocabulary: { shown: 'cardinal' } })
  })

  it('the sweep cell overrides win', () => {
    const { doc, sweep } = notebook({ overrides: { name: 'x', instances: 2, repeats: 3, seed: 5, protocol: { maxTurns: 4 } } })
    const built = buildSweepSpec(doc, sweep)
    if (!built.ok) throw new Error(built.message)
    const spec = parseSweepSpec(built.spec)
    expect([spec.name, spec.instances, spec.repeats, spec.seed, spec.protocol?.maxTurns]).toEqual(['x', 2, 3, 5, 4])
  })

  it('a sweep that reads no model cell says what is missing', () => {
    const { doc, sweep } = notebook({}, [
      { id: 'cell-1', kind: 'task', task: 'gp', difficulty: 'gp-id', count: 2 },
      { id: 'cell-5', kind: 'sweep', reads: ['cell-1'] },
    ])
    const built = buildSweepSpec(doc, sweep)
    expect(built.ok).toBe(false)
    if (!built.ok) expect(built.message).toBe("This sweep reads no template cell and no model cell above it; add one, or list it in the sweep's reads.")
  })

  it('names keep only characters allowed in cell ids', () => {
    expect(safeName('My run! (v2)/x', 'f')).toBe('My-run-v2-x')
    expect(safeName('!!!', 'fallback')).toBe('fallback')
  })
})
