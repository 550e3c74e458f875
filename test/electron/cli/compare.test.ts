// `sftbench compare`, run in-process on real run folders of one sweep over two scripted models, with
// the flip counts recounted here straight from the two results.jsonl files.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../../electron/cli/main.ts'
import { captureIo } from '../../../electron/cli/io.ts'
import { oracleClient, randomClient } from '../../../core/eval/scripted.ts'
import { makeRun, resultLines, sokobanSweep, tempFolder } from '../report/run-fixture.ts'

const temp = tempFolder('sftbench-compare-')
let oracleRun = ''
let randomRun = ''

beforeAll(async () => {
  oracleRun = await makeRun(temp.dir, 'oracle', sokobanSweep('oracle', 4), new Map([['oracle', oracleClient()]]))
  randomRun = await makeRun(temp.dir, 'random', sokobanSweep('random', 4), new Map([['random', randomClient(9)]]))
})
afterAll(() => temp.cleanup())

async function compare(...argv: string[]) {
  const io = captureIo(temp.dir)
  const code = await main(['compare', ...argv], io)
  return { code, out: io.out, err: io.err }
}

interface Group {
  variant: string | null
  pairs: number
  bothRight: number
  rightToWrong: number
  wrongToRight: number
  bothWrong: number
  pValue: number
}

/** Binomial(n, 1/2) two-sided exact p by direct summation (small n only). */
function exactP(b: number, c: number): number {
  const n = b + c
  let tail = 0
  let coefficient = 1
  for (let i = 0; i <= Math.min(b, c); i++) {
    tail += coefficient
    coefficient = (coefficient * (n - i)) / (i + 1)
  }
  return Math.min(1, (2 * tail) / 2 ** n)
}

describe('sftbench compare', () => {
  it('pairs two one-model runs on key and matches a recount of the results files', async () => {
    const { code, out, err } = await compare('oracle', 'random', '--json')
    expect(err).toBe('')
    expect(code).toBe(0)
    const doc = JSON.parse(out) as { pairing: string; groups: Group[]; overall: Group; onlyInA: string[] }
    expect(doc.pairing).toBe('key')
    expect(doc.onlyInA).toEqual([])
    const a = new Map(resultLines(oracleRun).map((l) => [l.key, l]))
    const b = resultLines(randomRun)
    for (const group of [...doc.groups, doc.overall]) {
      const mine = b.filter((l) => group.variant === null || l.variant === group.variant)
      const count = (ra: boolean, rb: boolean) => mine.filter((l) => a.get(l.key)?.success === ra && l.success === rb).length
      expect(group).toMatchObject({
        pairs: mine.length,
        bothRight: count(true, true),
        rightToWrong: count(true, false),
        wrongToRight: count(false, true),
        bothWrong: count(false, false),
      })
      expect(group.pValue).toBeCloseTo(exactP(group.rightToWrong, group.wrongToRight), 12)
    }
    expect(doc.overall.pairs).toBe(8)
    // The oracle is always right, so nothing flips from wrong to right.
    expect(doc.overall.wrongToRight).toBe(0)
  })

  it('prints the flip table as text', async () => {
    const { code, out } = await compare('oracle', 'random')
    expect(code).toBe(0)
    expect(out).toContain('A: oracle (sweep report-test, model oracle)')
    expect(out).toContain('Cells paired on key (variant/difficulty/instance/repeat).')
    expect(out).toMatch(/\nsokoban-eval-base\s+6x6-1box\s+4\s+100\.0%\s/)
    expect(out).toMatch(/\noverall\s+8\s+100\.0%\s/)
  })

  it('warns about cells in one run only and leaves them out', async () => {
    const copy = path.join(temp.dir, 'partial')
    fs.cpSync(randomRun, copy, { recursive: true })
    const file = path.join(copy, 'results.jsonl')
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n')
    fs.writeFileSync(file, `${lines.slice(0, -2).join('\n')}\n`)
    const { code, out, err } = await compare('oracle', 'partial', '--json')
    expect(code).toBe(0)
    expect(err).toMatch(/^Warning: cells in one run only are left out: 2 only in oracle \(/)
    expect((JSON.parse(out) as { overall: Group }).overall.pairs).toBe(6)
  })

  it('warns when paired cells hold different instances (sweeps with different seeds)', async () => {
    const spec = { ...sokobanSweep('random', 4), seed: 6 }
    await makeRun(temp.dir, 'other-seed', spec, new Map([['random', randomClient(9)]]))
    const { code, err } = await compare('oracle', 'other-seed')
    expect(code).toBe(0)
    expect(err).toMatch(/Warning: \d+ paired cells hold different instances/)
  })

  it('fails clearly when the runs share no cells, or a folder is not a run', async () => {
    const other = { ...sokobanSweep('random', 2), variants: ['sokoban-eval-emoji'] }
    await makeRun(temp.dir, 'disjoint', other, new Map([['random', randomClient(1)]]))
    const none = await compare('oracle', 'disjoint')
    expect(none.code).toBe(1)
    expect(none.err).toContain('oracle and disjoint share no cells (paired on key: variant/difficulty/instance/repeat).')

    const missing = await compare('oracle', 'nowhere')
    expect(missing.code).toBe(1)
    expect(missing.err).toContain('nowhere: no such folder.')
  })

  it('needs exactly two folders', async () => {
    const one = await compare('oracle')
    expect(one.code).toBe(2)
    expect(one.err).toContain('Give two run folders to compare; got 1.')
  })
})
