import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formulaTree, type FormulaNode } from '../../../renderer/src/viewers/formula-tree.ts'

function nodes(n: FormulaNode, out: FormulaNode[] = []): FormulaNode[] {
  out.push(n)
  n.children.forEach((c) => nodes(c, out))
  return out
}

function ok(t: ReturnType<typeof formulaTree>) {
  if (!t.ok) throw new Error(`expected a tree, got ${t.error.message}`)
  return t
}

describe('formulaTree', () => {
  it('gives every operator its exact value: (10/2+7)*2 is 24 (paper-tasks.md §6.1 answer example)', () => {
    const t = ok(formulaTree('(10/2+7)*2', [10, 2, 7, 2], 24))
    expect(t.root.label).toBe('*')
    expect(t.root.value).toBe('24')
    const byLabel = Object.fromEntries(nodes(t.root).filter((n) => n.kind === 'binary').map((n) => [n.label, n.value]))
    expect(byLabel).toEqual({ '*': '24', '+': '12', '/': '5' })
    expect(t.hitsTarget).toBe(true)
    expect(t.leaves).toBe(4)
    expect(t.depth).toBe(3)
    expect(t.unused).toEqual([])
  })

  it('[§11.1] 8/(3-8/3) is exactly 24 with fractions on the way (the paper float check misses it)', () => {
    const t = ok(formulaTree('8/(3-8/3)', [8, 3, 8, 3], 24))
    const values = nodes(t.root).filter((n) => n.kind === 'binary').map((n) => n.value)
    expect(values).toEqual(['24', '1/3', '8/3'])
    expect(t.hitsTarget).toBe(true)
  })

  it('reads only the text before "=" and joins digits split by spaces, as the strict verifier does', () => {
    const t = ok(formulaTree('4 * 6 = 24', [4, 6], 24))
    expect(t.text).toBe('4 * 6 ')
    expect(t.root.value).toBe('24')
    expect(ok(formulaTree('1 2*2', [12, 2], 24)).root.children.map((c) => c.label)).toEqual(['12', '2'])
  })

  it('marks literals no card accounts for and lists unused cards', () => {
    const t = ok(formulaTree('4*6*1', [4, 5, 6, 7], 24))
    expect(nodes(t.root).filter((n) => n.kind === 'number').map((n) => [n.label, n.card])).toEqual([
      ['4', 'card'],
      ['6', 'card'],
      ['1', 'extra'],
    ])
    expect(t.unused).toEqual([5, 7])
    // A card used twice when the hand has it once: the second copy is extra.
    const twice = ok(formulaTree('6*6', [6, 4], 24))
    expect(nodes(twice.root).filter((n) => n.kind === 'number').map((n) => n.card)).toEqual(['card', 'extra'])
    expect(twice.hitsTarget).toBe(false)
  })

  it('a division by zero leaves that node and its ancestors without a value', () => {
    const t = ok(formulaTree('3+1/(2-2)', [3, 1, 2, 2], 24))
    expect(t.root.value).toBeNull()
    expect(t.root.error).toMatch(/operand/)
    const slash = nodes(t.root).find((n) => n.label === '/')
    expect(slash?.error).toBe('division by zero at column 4')
    expect(nodes(t.root).find((n) => n.label === '-')?.value).toBe('0')
    expect(t.hitsTarget).toBeNull()
  })

  it('a formula that does not parse gives the error and its column', () => {
    const t = formulaTree('(4+4)*3)', [4, 4, 3], 24)
    expect(t.ok).toBe(false)
    if (!t.ok) expect(t.error.column).toBe(8)
    expect(formulaTree('01+23').ok).toBe(false)
  })

  it('without a hand nothing is marked as a card', () => {
    const t = ok(formulaTree('2*12'))
    expect(nodes(t.root).map((n) => n.card)).toEqual([null, null, null])
    expect(t.hitsTarget).toBeNull()
  })

  it('layout: leaves are columns 0, 1, 2, ... left to right; each parent sits midway over its operands', () => {
    type Tree = { leaf: number } | { op: string; l: Tree; r: Tree }
    const tree = fc.letrec<{ t: Tree }>((tie) => ({
      t: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.record({ leaf: fc.integer({ min: 1, max: 13 }) }),
        fc.record({ op: fc.constantFrom('+', '-', '*', '/'), l: tie('t'), r: tie('t') }),
      ),
    })).t
    const print = (t: Tree): string => ('leaf' in t ? String(t.leaf) : `(${print(t.l)}${t.op}${print(t.r)})`)
    const leafCount = (t: Tree): number => ('leaf' in t ? 1 : leafCount(t.l) + leafCount(t.r))
    fc.assert(
      fc.property(tree, (t) => {
        const f = ok(formulaTree(print(t)))
        const all = nodes(f.root)
        const leaves = all.filter((n) => n.kind === 'number').sort((a, b) => a.start - b.start)
        expect(leaves.map((n) => n.x)).toEqual(leaves.map((_, i) => i))
        expect(f.leaves).toBe(leafCount(t))
        for (const n of all) {
          if (n.children.length === 2) {
            expect(n.x).toBeCloseTo((n.children[0].x + n.children[1].x) / 2)
            expect(n.children.every((c) => c.depth === n.depth + 1)).toBe(true)
          }
        }
      }),
      { numRuns: 200 },
    )
  })
})
