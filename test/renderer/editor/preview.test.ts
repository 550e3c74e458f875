// @vitest-environment node
// Hover previews: a variable's value for the selected instance is what `{{ name }}` prints under the
// variant (Python's str; §7), checked against core's grid renderer and the paper's fixed strings;
// variables only training targets fill have no value; the hover text carries docs and the value.
import { describe, expect, it } from 'vitest'
import type { TaskCell } from '../../../core/notebook/schema.ts'
import { variantByName } from '../../../core/experiment/variant.ts'
import { SOKOBAN_TEMPLATE_SCHEMA } from '../../../core/prompt/schemas.ts'
import { renderPaperGrid } from '../../../core/sokoban/text.ts'
import { serializeXsb } from '../../../core/sokoban/xsb.ts'
import { hoverMarkdown, instanceOfTaskCell, previewVariable } from '../../../renderer/src/editor/preview.ts'

const sokobanTask: TaskCell = {
  id: 'cell-1',
  kind: 'task',
  reads: [],
  task: 'sokoban',
  difficulty: 'simple',
  seedScheme: { kind: 'seeded', seed: 7 },
  count: 8,
}
const gpTask: TaskCell = { id: 'cell-2', kind: 'task', reads: [], task: 'gp', preset: 'gp_l_fake', count: 10 }

describe('previewVariable', () => {
  const instance = instanceOfTaskCell(sokobanTask, 3)
  if (instance.task !== 'sokoban') throw new Error('a Sokoban task cell deals Sokoban levels')

  it('board is the paper grid of the start position; board_xsb the XSB text', () => {
    const base = variantByName('sokoban-eval-base')
    expect(previewVariable(instance, base, 'board')).toEqual({ name: 'board', text: renderPaperGrid(instance.level, instance.level.start), note: null })
    expect(previewVariable(instance, base, 'board_xsb').text).toBe(serializeXsb(instance.level))
    expect(previewVariable(instance, base, 'rows').text).toBe('6')
  })

  it("lists print as Python's repr, in the variant's shown vocabulary (§3.3)", () => {
    expect(previewVariable(instance, variantByName('sokoban-eval-cardinal'), 'action_names').text).toBe("['North', 'South', 'West', 'East']")
    expect(previewVariable(instance, variantByName('sokoban-eval-empty'), 'action_names').text).toBe('[]')
    expect(previewVariable(instance, variantByName('sokoban-eval-empty'), 'answers_block').text).toBe('')
  })

  it('a variable only training targets fill has no value, with the reason', () => {
    const preview = previewVariable(instance, variantByName('sokoban-eval-base'), 'cot')
    expect(preview.text).toBeNull()
    expect(preview.note).toMatch(/cot/)
  })

  it("General Points: the cards as a Python list, the shown rule's sentence (§6.2)", () => {
    const hand = instanceOfTaskCell(gpTask, 2)
    if (hand.task !== 'gp') throw new Error('a General Points task cell deals hands')
    const variant = variantByName('gp-test-fake-regular')
    expect(previewVariable(hand, variant, 'cards').text).toBe(`[${hand.cards.map((c) => `'${c}'`).join(', ')}]`)
    expect(previewVariable(hand, variant, 'face_card_msg').text).toBe("'J' counts as '11', 'Q' counts as '12', and 'K' counts as '13'")
    expect(previewVariable(hand, variant, 'target_number').text).toBe('24')
  })

  it('refuses a name that is not an identifier (it would be template code)', () => {
    expect(() => previewVariable(instance, variantByName('sokoban-eval-base'), 'board }}{{ rows')).toThrow(/not a variable name/)
  })
})

describe('instanceOfTaskCell', () => {
  it('deals the same level for the same cell and index, and refuses an index beyond the count', () => {
    expect(instanceOfTaskCell(sokobanTask, 5).id).toBe(instanceOfTaskCell({ ...sokobanTask }, 5).id)
    expect(instanceOfTaskCell(sokobanTask, 5).id).not.toBe(instanceOfTaskCell(sokobanTask, 4).id)
    expect(() => instanceOfTaskCell(sokobanTask, 8)).toThrow(/outside the task's 8 instances/)
  })
})

describe('hoverMarkdown', () => {
  const board = SOKOBAN_TEMPLATE_SCHEMA.variables.find((v) => v.name === 'board')
  if (board === undefined) throw new Error('board is declared')

  it('shows the type, the doc and the value in a code block, naming the instance', () => {
    const md = hoverMarkdown(board, { name: 'board', text: ' # \t # \t', note: null }, 'seed7/6x6-1/3')
    expect(md).toContain('**board** `string`')
    expect(md).toContain(board.doc)
    expect(md).toContain('`seed7/6x6-1/3`')
    expect(md).toContain('```text\n # \t # \t\n```')
  })

  it('says why there is no value, or that a task cell is needed', () => {
    expect(hoverMarkdown(board, { name: 'board', text: null, note: 'no value' }, 'x/1')).toContain('No value for x/1: no value')
    expect(hoverMarkdown(board, null, null)).toContain('Add a task cell above')
  })
})
