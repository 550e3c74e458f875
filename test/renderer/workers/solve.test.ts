import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { evaluateExact, literalsOf, parseExpression } from '../../../core/gp/expression.ts'
import { toString as rationalText } from '../../../core/gp/rational.ts'
import { solveBfs } from '../../../core/sokoban/solve/bfs.ts'
import { parseXsb, serializeXsbFile } from '../../../core/sokoban/xsb.ts'
import { answerMessage, runSolveJob } from '../../../renderer/src/workers/solve.ts'

const clock = (): number => performance.now()
const TUTORIAL = parseXsb(fs.readFileSync(path.resolve(import.meta.dirname, '../../../samples/levels/tutorial.xsb'), 'utf8'))

describe('solver worker jobs', () => {
  // Shortest solutions listed in samples/levels/README.md.
  const GOLDEN_MOVES = [1, 7, 5, 7, 13, 34]

  it.each(TUTORIAL.map((level, i) => [i + 1, level] as const))('tutorial level %i: the documented optimal move count', (n, level) => {
    const answer = runSolveJob({ kind: 'sokoban', xsb: serializeXsbFile([level]) }, clock)
    expect(answer).toMatchObject({ status: 'solved', moveCount: GOLDEN_MOVES[n - 1] })
  })

  it.each(TUTORIAL.map((level, i) => [i + 1, level] as const))('tutorial level %i: as many moves as the breadth-first search', (_, level) => {
    const answer = runSolveJob({ kind: 'sokoban', xsb: serializeXsbFile([level]) }, clock)
    const bfs = solveBfs(level)
    expect(bfs.status).toBe('solved')
    expect(answer).toMatchObject({ kind: 'sokoban', status: 'solved', moveCount: bfs.plan.length })
    if (answer.kind === 'sokoban') expect(answer.moves).toHaveLength(bfs.plan.length)
  })

  it('proves a level unsolvable (box in a corner off its goal)', () => {
    const answer = runSolveJob({ kind: 'sokoban', xsb: '#####\n#$ .#\n# @ #\n#####' }, clock)
    expect(answer).toMatchObject({ status: 'unsolvable', moves: [] })
  })

  it('a node budget too small to finish gives up with a reason', () => {
    const answer = runSolveJob({ kind: 'sokoban', xsb: serializeXsbFile([TUTORIAL[5]]), maxNodes: 1 }, clock)
    expect(answer).toMatchObject({ status: 'gave-up' })
    if (answer.kind === 'sokoban') expect(answer.message).toMatch(/node/)
  })

  it('text that is not one level is invalid, with the parser message and position', () => {
    const answer = runSolveJob({ kind: 'sokoban', xsb: '#####\n#@$x#\n#####' }, clock)
    expect(answer).toMatchObject({ status: 'invalid' })
    if (answer.kind === 'sokoban') expect(answer.message).toMatch(/line 2, column 4/)
  })

  it('General Points: every solution returned uses the cards once and makes the target', () => {
    const values = [4, 7, 8, 8]
    const answer = runSolveJob({ kind: 'gp', values, target: 24 }, clock)
    if (answer.kind !== 'gp') throw new Error('expected a GP answer')
    expect(answer.count).toBeGreaterThan(0)
    expect(answer.solutions.length).toBe(Math.min(answer.count, 24))
    for (const s of answer.solutions) {
      const parsed = parseExpression(s)
      if (!parsed.ok) throw new Error(parsed.error.message)
      const value = evaluateExact(parsed.expr)
      expect(value.ok && rationalText(value.value)).toBe('24')
      expect(literalsOf(parsed.expr).map((n) => n.value).sort((a, b) => a - b)).toEqual(values)
    }
  })

  it('General Points: 1 1 1 1 has no solution for 24', () => {
    expect(runSolveJob({ kind: 'gp', values: [1, 1, 1, 1], target: 24 }, clock)).toMatchObject({ count: 0, solutions: [] })
  })

  it('a job that throws comes back as an error message with its id', () => {
    const reply = answerMessage({ id: 7, job: { kind: 'gp', values: [], target: 24 } }, clock)
    expect(reply).toMatchObject({ id: 7, ok: false })
    if (!reply.ok) expect(reply.error.length).toBeGreaterThan(0)
  })
})
