import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseSweepSpec } from '../../core/eval/spec.ts'
import { validateReads } from '../../core/notebook/graph.ts'
import { parseNotebook } from '../../core/notebook/parse.ts'
import type { SweepCell } from '../../core/notebook/schema.ts'
import { buildSweepSpec } from '../../renderer/src/notebook/sweep-spec.ts'
import { repoPath } from '../harness/repo.ts'

const dir = repoPath('samples', 'notebooks')
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.sftnb'))

describe('sample notebooks', () => {
  it('the paper experiment notebook ships', () => {
    expect(files).toContain('paper-experiment.sftnb')
  })

  it.each(files)('%s is a valid notebook whose cells read only cells above them', (file) => {
    const parsed = parseNotebook(fs.readFileSync(`${dir}/${file}`, 'utf8'))
    if (!parsed.ok) throw new Error(parsed.problem.message)
    expect(parsed.migratedFrom).toBeNull()
    expect(validateReads(parsed.document)).toEqual([])
  })

  it.each(files)('%s: every sweep cell builds a spec the sweep parser accepts, and its model folder exists', (file) => {
    const parsed = parseNotebook(fs.readFileSync(`${dir}/${file}`, 'utf8'))
    if (!parsed.ok) throw new Error(parsed.problem.message)
    const sweeps = parsed.document.cells.filter((c): c is SweepCell => c.kind === 'sweep')
    for (const sweep of sweeps) {
      const built = buildSweepSpec(parsed.document, sweep)
      if (!built.ok) throw new Error(built.message)
      const spec = parseSweepSpec(built.spec)
      for (const model of spec.models) {
        if (model.backend.kind === 'onnx') expect(fs.existsSync(repoPath(model.backend.path, 'config.json'))).toBe(true)
      }
    }
    expect(sweeps.length).toBeGreaterThan(0)
  })
})
