import { describe, expect, it } from 'vitest'
import { difficultyValue, parseSweepSpec, sweepInstanceSet } from '../../../core/eval/spec.ts'
import { instanceAt } from '../../../core/experiment/instance-set.ts'
import { instanceSetOf } from '../../../core/notebook/instances.ts'
import { NotebookSchema, type NotebookDocument, type SweepCell, type TaskCell } from '../../../core/notebook/schema.ts'
import { buildSweepSpec } from '../../../renderer/src/notebook/sweep-spec.ts'
import {
  expandDifficulties,
  itemOfTaskCell,
  itemsOfPicks,
  parseShorthand,
  picksOfItems,
  plotValues,
} from '../../../renderer/src/sweep/difficulties.ts'

const SEEDED = { kind: 'seeded', seed: 11 } as const

function notebook(task: Record<string, unknown>, overrides: Record<string, unknown>, variant = 'sokoban-eval-base'): { doc: NotebookDocument; sweep: SweepCell; task: TaskCell } {
  const doc = NotebookSchema.parse({
    format: 1,
    nextId: 5,
    cells: [
      { id: 'cell-1', kind: 'task', count: 3, ...task },
      { id: 'cell-2', kind: 'template', reads: ['cell-1'], variant },
      { id: 'cell-3', kind: 'model', dir: 'models/m', provider: 'cpu' },
      { id: 'cell-4', kind: 'sweep', reads: ['cell-1', 'cell-2', 'cell-3'], overrides },
    ],
  })
  return { doc, sweep: doc.cells[3] as SweepCell, task: doc.cells[0] as TaskCell }
}

describe('difficulty shorthands', () => {
  it('reads ROWSxCOLS-Nbox(es) as an inline Sokoban difficulty, with a canonical name', () => {
    expect(parseShorthand('7x7-2boxes', 'sokoban')).toEqual({
      ok: true,
      value: { name: '7x7-2boxes', difficulty: { task: 'sokoban', rows: 7, cols: 7, boxes: 2 }, rows: 7, cols: 7, boxes: 2 },
    })
    expect(parseShorthand('8x6-1boxes', 'sokoban')).toMatchObject({ ok: true, value: { name: '8x6-1box', rows: 8, cols: 6 } })
  })

  it("reads the paper's names with their sizes (simple is 6x6 with 1 box)", () => {
    expect(parseShorthand('simple', 'sokoban')).toEqual({ ok: true, value: { name: 'simple', difficulty: 'simple', rows: 6, cols: 6, boxes: 1 } })
    expect(parseShorthand('gp-id', 'gp')).toEqual({ ok: true, value: { name: 'gp-id', difficulty: 'gp-id' } })
  })

  it('reads a General Points difficulty with the rule hands are dealt under', () => {
    expect(parseShorthand('gp-large.regular', 'gp')).toEqual({ ok: true, value: { name: 'gp-large.regular', difficulty: 'gp-large', rule: 'regular' } })
  })

  it.each([
    ['gp-id', 'sokoban', '"gp-id" is a General Points difficulty, but this sweep\'s task is Sokoban'],
    ['two-boxes', 'gp', '"two-boxes" is a Sokoban difficulty, but this sweep\'s task is General Points'],
    ['2x2-1box', 'sokoban', '"2x2-1box": rooms are 3 to 30 cells a side'],
    ['6x6-0boxes', 'sokoban', '"6x6-0boxes": a level needs at least 1 box'],
    ['7x7', 'sokoban', '"7x7" is not a Sokoban difficulty: write a paper difficulty (simple, larger, two-boxes, complex) or ROWSxCOLS-Nbox(es), e.g. 7x7-2boxes'],
    ['gp-id.10,11,12', 'gp', '"gp-id.10,11,12": after the dot comes a face-card rule name such as all_5, mixed_8_9_10 or regular'],
    ['gp-hard', 'gp', '"gp-hard" is not a General Points difficulty'],
  ] as const)('refuses %s for %s with a message saying what to write', (text, task, message) => {
    const r = parseShorthand(text, task)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.message).toContain(message)
  })

  it('refuses an unknown face-card rule with the rule parser\'s message', () => {
    const r = parseShorthand('gp-id.all_99', 'gp')
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.message).toMatch(/^"gp-id\.all_99": unknown face-card rule "all_99"/)
  })

  it('an object property name is no paper difficulty: the hint for the task, not a task mismatch', () => {
    for (const [text, task, message] of [
      ['constructor', 'sokoban', 'is not a Sokoban difficulty'],
      ['toString.all_5', 'gp', 'is not a General Points difficulty'],
    ] as const) {
      const r = parseShorthand(text, task)
      expect(r.ok).toBe(false)
      if (!r.ok) expect(r.message.startsWith(`"${text}" ${message}: write a paper difficulty`)).toBe(true)
    }
  })
})

describe('plot values', () => {
  const p = (text: string) => {
    const r = parseShorthand(text, 'sokoban')
    if (!r.ok) throw new Error(r.message)
    return r.value
  }
  it('the side when only the side varies, the box count when only that varies, else the position', () => {
    expect(plotValues(['6x6-1box', '7x7-1box', '8x8-1box'].map(p))).toEqual([6, 7, 8])
    expect(plotValues(['simple', 'two-boxes'].map(p))).toEqual([1, 2])
    expect(plotValues(['10x10-2boxes', '10x10-1box'].map(p))).toEqual([2, 1])
    expect(plotValues(['6x6-1box', '7x7-1box', '6x6-2boxes', '7x7-2boxes'].map(p))).toEqual([1, 2, 3, 4])
    expect(plotValues(['6x6-1box'].map(p))).toEqual([1])
    expect(plotValues([p('6x6-1box'), null])).toEqual([1, 2])
  })
})

describe('expandDifficulties', () => {
  const defaults = { task: 'sokoban' as const, seedScheme: SEEDED, start: 2 }

  it('gives each shorthand the task cell\'s seed scheme and start, and its plot value', () => {
    const r = expandDifficulties(['6x6-1box', '7x7-1box'], defaults)
    expect(r).toEqual({
      ok: true,
      entries: [
        { name: '6x6-1box', difficulty: { task: 'sokoban', rows: 6, cols: 6, boxes: 1 }, value: 6, seedScheme: SEEDED, start: 2 },
        { name: '7x7-1box', difficulty: { task: 'sokoban', rows: 7, cols: 7, boxes: 1 }, value: 7, seedScheme: SEEDED, start: 2 },
      ],
    })
  })

  it('keeps whole entries exactly as written (notebooks from before shorthands)', () => {
    const entry = { name: 'x', difficulty: 'larger', value: 9 }
    expect(expandDifficulties([entry], defaults)).toEqual({ ok: true, entries: [entry] })
  })

  it('General Points: a dealt rule is both shown and scored; without one the task cell\'s rule applies', () => {
    const rule = { shown: 'all_7', scored: 'all_7' }
    const r = expandDifficulties(['gp-id', 'gp-id.all_5'], { task: 'gp', rule })
    expect(r.ok && r.entries).toEqual([
      { name: 'gp-id', difficulty: 'gp-id', value: 1, rule },
      { name: 'gp-id.all_5', difficulty: 'gp-id', value: 2, rule: { shown: 'all_5', scored: 'all_5' } },
    ])
  })

  it('says which item is wrong: none chosen, unreadable, listed twice', () => {
    expect(expandDifficulties([], defaults)).toEqual({ ok: false, message: 'Choose at least one difficulty.' })
    expect(expandDifficulties(['6x6-1box', 'big'], defaults)).toMatchObject({ ok: false, message: expect.stringMatching(/^difficulties\[1\]: "big" is not a Sokoban difficulty/) })
    expect(expandDifficulties(['7x7-1box', '7x7-1boxes'], defaults)).toEqual({
      ok: false,
      message: 'difficulties[1]: "7x7-1boxes" is already listed at difficulties[0]; remove one',
    })
  })
})

describe('form picks', () => {
  it('Sokoban picks are written easier first: by boxes, then side', () => {
    expect(itemsOfPicks({ task: 'sokoban', cells: [[8, 2], [7, 1], [6, 1], [6, 2]] })).toEqual(['6x6-1box', '7x7-1box', '6x6-2boxes', '8x8-2boxes'])
  })

  it('General Points picks are difficulties × rules in the form\'s order', () => {
    expect(itemsOfPicks({ task: 'gp', difficulties: ['gp-large', 'gp-id'], rules: ['regular', 'all_5'] })).toEqual([
      'gp-id.all_5',
      'gp-id.regular',
      'gp-large.all_5',
      'gp-large.regular',
    ])
    expect(itemsOfPicks({ task: 'gp', difficulties: ['gp-id'], rules: [] })).toEqual(['gp-id'])
  })

  it('a list the form wrote reads back as the same picks; one it cannot show reads as null', () => {
    const items = ['6x6-1box', '8x8-1box', '7x7-2boxes']
    const picks = picksOfItems(items, 'sokoban')
    expect(picks).not.toBeNull()
    if (picks) expect(new Set(itemsOfPicks(picks))).toEqual(new Set(items))
    expect(picksOfItems(['7x7-1box', '6x6-1box'], 'sokoban')).not.toBeNull()
    expect(picksOfItems(['simple'], 'sokoban')).toBeNull()
    expect(picksOfItems(['12x12-1box'], 'sokoban')).toBeNull()
    expect(picksOfItems([{ name: 'x', difficulty: 'simple' }], 'sokoban')).toBeNull()
    expect(picksOfItems(['gp-id.all_5', 'gp-large'], 'gp')).toBeNull()
    expect(picksOfItems(['gp-id.all_5', 'gp-large.all_5'], 'gp')).toEqual({ task: 'gp', difficulties: ['gp-id', 'gp-large'], rules: ['all_5'] })
  })

  it("the task cell's difficulty as a pick", () => {
    const { task } = notebook({ task: 'sokoban', difficulty: 'simple' }, {})
    expect(itemOfTaskCell(task)).toBe('6x6-1box')
    expect(itemOfTaskCell({ ...task, difficulty: { task: 'sokoban', rows: 7, cols: 7, boxes: 2 } })).toBe('7x7-2boxes')
    expect(itemOfTaskCell({ ...task, difficulty: undefined, preset: 'SimpleSokoban' })).toBeNull()
  })
})

describe('sweep spec with several difficulties', () => {
  it('passes the sweep parser with the plot values and the task cell\'s seed', () => {
    const { doc, sweep } = notebook(
      { task: 'sokoban', difficulty: 'simple', seedScheme: SEEDED },
      { difficulties: ['6x6-1box', '6x6-2boxes'], instances: 2 },
    )
    const built = buildSweepSpec(doc, sweep)
    if (!built.ok) throw new Error(built.message)
    const spec = parseSweepSpec(built.spec)
    expect(spec.difficulties.map((d) => d.name)).toEqual(['6x6-1box', '6x6-2boxes'])
    expect([difficultyValue(spec, 0), difficultyValue(spec, 1)]).toEqual([1, 2])
    expect(spec.difficulties.every((d) => d.seedScheme?.kind === 'seeded' && d.seedScheme.seed === 11)).toBe(true)
  })

  it("the task cell's own difficulty deals the very levels of its gallery", () => {
    const { doc, sweep, task } = notebook(
      { task: 'sokoban', difficulty: 'simple', seedScheme: SEEDED },
      { difficulties: ['6x6-1box', '7x7-1box'] },
    )
    const built = buildSweepSpec(doc, sweep)
    if (!built.ok) throw new Error(built.message)
    const spec = parseSweepSpec(built.spec)
    const gallery = instanceSetOf('sokoban', { difficulty: task.difficulty, seedScheme: task.seedScheme, count: 3 })
    for (const i of [0, 1, 2]) {
      const a = instanceAt(sweepInstanceSet(spec, 0), i)
      const b = instanceAt(gallery, i)
      expect(a.task === 'sokoban' && a.level).toEqual(b.task === 'sokoban' && b.level)
    }
  })

  it('General Points difficulties × rules pass the sweep parser', () => {
    const { doc, sweep } = notebook({ task: 'gp', difficulty: 'gp-id' }, { difficulties: itemsOfPicks({ task: 'gp', difficulties: ['gp-id', 'gp-large'], rules: ['all_5'] }) }, 'gp-train')
    const built = buildSweepSpec(doc, sweep)
    if (!built.ok) throw new Error(built.message)
    const spec = parseSweepSpec(built.spec)
    expect(spec.difficulties.map((d) => [d.name, d.rule])).toEqual([
      ['gp-id.all_5', { shown: 'all_5', scored: 'all_5' }],
      ['gp-large.all_5', { shown: 'all_5', scored: 'all_5' }],
    ])
  })

  it('an unreadable shorthand or an empty list is the message the form shows, not a crash', () => {
    const bad = notebook({ task: 'sokoban', difficulty: 'simple' }, { difficulties: ['6x6-1box', 'huge'] })
    expect(buildSweepSpec(bad.doc, bad.sweep)).toMatchObject({ ok: false, message: expect.stringMatching(/^difficulties\[1\]: "huge" is not a Sokoban difficulty/) })
    const none = notebook({ task: 'sokoban', difficulty: 'simple' }, { difficulties: [] })
    expect(buildSweepSpec(none.doc, none.sweep)).toEqual({ ok: false, message: 'Choose at least one difficulty.' })
  })

  it('a notebook without difficulty overrides still sweeps the task cell\'s single difficulty', () => {
    const { doc, sweep } = notebook({ task: 'sokoban', difficulty: 'simple', seedScheme: SEEDED }, {})
    const built = buildSweepSpec(doc, sweep)
    expect(built.ok && built.spec.difficulties).toEqual([{ name: 'simple', difficulty: 'simple', seedScheme: SEEDED }])
  })
})
