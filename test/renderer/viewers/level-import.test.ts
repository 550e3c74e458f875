import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseXsbLevel, serializeXsb } from '../../../core/sokoban/xsb.ts'
import { importXsb } from '../../../renderer/src/viewers/level-import.ts'

const dir = path.resolve(import.meta.dirname, '../../../samples/levels')
const read = (name: string): string => fs.readFileSync(path.join(dir, name), 'utf8')

describe('importXsb', () => {
  it('reads the six tutorial levels with their titles (samples/levels/README.md)', () => {
    const r = importXsb(read('tutorial.xsb'))
    if (!r.ok) throw new Error(r.message)
    expect(r.levels).toHaveLength(6)
    expect(r.titles).toEqual([
      "'First push'",
      "'Around the corner'",
      "'Start on a goal'",
      "'One box is home'",
      "'Two boxes'",
      "'Detour'",
    ])
    expect(r.levels[0]).toBe("'First push'\n#####\n#@$.#\n#####")
    // Each stored text is one level that reads back with its title.
    for (const [i, text] of r.levels.entries()) expect(parseXsbLevel(text).title).toBe(r.titles[i])
  })

  it('the run-length file gives the same board as level 2 of the plain file', () => {
    const rle = importXsb(read('tutorial-rle.xsb'))
    const plain = importXsb(read('tutorial.xsb'))
    if (!rle.ok || !plain.ok) throw new Error('import failed')
    expect(rle.levels).toHaveLength(1)
    expect(serializeXsb(parseXsbLevel(rle.levels[0]))).toBe(serializeXsb(parseXsbLevel(plain.levels[1])))
  })

  it('a bad character gives the line, column and the line itself', () => {
    const r = importXsb('; two levels\n#####\n#@$.#\n#####\n\n#####\n#@$x.#\n######\n')
    expect(r).toMatchObject({ ok: false, line: 7, column: 4, excerpt: '#@$x.#' })
    if (!r.ok) expect(r.message).toMatch(/unknown character 'x'/)
  })

  it('text with no board says so at line 1', () => {
    expect(importXsb('just some words')).toMatchObject({ ok: false, line: 1, column: 1 })
    expect(importXsb('')).toMatchObject({ ok: false, message: expect.stringMatching(/empty/) })
  })
})
