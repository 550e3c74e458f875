// The page renders an instance's prompt the way the backend and sweeps do: the instance's index is
// its data row, so per-row vocabularies (the paper's diverse `paper-words` training prompt) render.
import { describe, expect, it } from 'vitest'
import { paperRowWords } from '../../../core/experiment/word-pool.ts'
import { NotebookSchema, type TaskCell, type TemplateCell } from '../../../core/notebook/schema.ts'
import { renderPrompt } from '../../../renderer/src/notebook/prompts.ts'

function cells(variant: string): { task: TaskCell; template: TemplateCell } {
  const doc = NotebookSchema.parse({
    format: 1,
    title: 'prompts',
    nextId: 3,
    cells: [
      { id: 'cell-1', kind: 'task', task: 'sokoban', difficulty: 'simple', seedScheme: { kind: 'seeded', seed: 5 }, count: 4 },
      { id: 'cell-2', kind: 'template', reads: ['cell-1'], variant },
    ],
  })
  return { task: doc.cells[0] as TaskCell, template: doc.cells[1] as TemplateCell }
}

describe('renderPrompt', () => {
  it('[§7.5] renders the paper-words variant with each row its own four words', () => {
    const { task, template } = cells('sokoban-train-words')
    for (const index of [0, 3]) {
      const rendered = renderPrompt(task, template, index)
      expect(rendered.instance.index).toBe(index)
      for (const word of paperRowWords(index)) expect(rendered.display).toContain(word)
    }
    const words0 = paperRowWords(0)
    const words3 = paperRowWords(3)
    expect(words0).not.toEqual(words3)
    const row3 = renderPrompt(task, template, 3).display
    expect(words0.filter((w) => !words3.includes(w)).some((w) => row3.includes(w))).toBe(false)
  })

  it('still renders a fixed-vocabulary variant', () => {
    const { task, template } = cells('sokoban-eval-base')
    const rendered = renderPrompt(task, template, 1)
    expect(rendered.chat).not.toBe('model')
    expect(rendered.display).toMatch(/Up|up/)
  })
})
