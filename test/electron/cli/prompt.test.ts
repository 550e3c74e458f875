// `sftbench prompt`, run in-process: exact bytes on stdout, --json, --variant, and exit codes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../harness/cli.ts'
import { readRepoText } from '../../harness/repo.ts'
import { variantByName } from '../../../core/experiment/variant.ts'

const golden = JSON.parse(readRepoText('test/golden/presets/prompts.json')) as {
  prompts: Record<string, Record<string, string>>
}

// Variant files the tests write; removed after the last test.
let dir: string
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'sftbench-cli-prompt-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('sftbench prompt', () => {
  it('[§7.3] prints the SimpleSokoban 0 eval prompt and nothing else, with no newline added', async () => {
    const { code, out, err } = await runCli(['prompt', '--preset', 'SimpleSokoban', '--index', '0'])
    expect(code).toBe(0)
    expect(err).toBe('')
    expect(out).toBe(readRepoText('test/golden/sokoban-prompts/base-eval.txt'))
    expect(out.endsWith('<|im_start|>assistant\n<think>')).toBe(true)
  })

  it('prints the golden prompt of other presets byte for byte', async () => {
    for (const [preset, index] of [
      ['FakeSokobanNumerical', '57'],
      ['TwoBoxesSokoban', '29'],
      ['gp_l_fake', '123'],
      ['gp_l_train_mixed', '1250'],
      ['sokoban_super_random_train', '3'],
    ]) {
      const { code, out } = await runCli(['prompt', '--preset', preset, '--index', index])
      expect(code, preset).toBe(0)
      expect(out, `${preset}/${index}`).toBe(golden.prompts[preset][index])
    }
  })

  it('[§6.1, §8] --json adds the instance and the answer-only target', async () => {
    const { code, out } = await runCli(['prompt', '--preset', 'gp_l_id', '--index', '0', '--json'])
    expect(code).toBe(0)
    const doc = JSON.parse(out)
    expect(doc).toMatchObject({
      preset: 'gp_l_id',
      index: 0,
      variant: 'gp-test-all_10',
      prompt: golden.prompts.gp_l_id['0'],
      instance: { cards: ['2', '7', 'Q', '2'], values: [2, 7, 10, 2], target: 24 },
      answer: '{\n"cards": ["2", "7", "Q", "2"],\n "number": [2, 7, 10, 2],\n "formula": "(10/2+7)*2"\n}',
    })
    const sokoban = JSON.parse((await runCli(['prompt', '--preset', 'SimpleSokoban', '--json'])).out)
    expect(sokoban.instance).toMatchObject({
      xsb: '######\n######\n#.####\n#$@###\n#  ###\n######',
      seed: 123,
      optimalPlan: 'dlU',
    })
    expect(sokoban.answer).toBe('</think> <answer> Down </answer>\n')
  })

  it('[§11.5] --json says when the reference cannot rebuild the level', async () => {
    const doc = JSON.parse((await runCli(['prompt', '--preset', 'TwoBoxesSokoban', '--index', '29', '--json'])).out)
    expect(doc.instance.reproducibleInReference).toBe(false)
    expect(doc.instance.seedChain[0]).toBe(452)
  })

  it('--variant takes a name or a JSON file', async () => {
    const byName = await runCli(['prompt', '--preset', 'SimpleSokoban', '--variant', 'sokoban-train-base'])
    // [§7.1] the dataset ending: no backslash before the wrapper's newline.
    expect(byName.out).toContain('Decide the next action:\nAlways output: <think> [Your thoughts] </think>')
    expect(byName.out.endsWith('<|im_start|>assistant\n<think>')).toBe(true)
    const file = path.join(dir, 'xsb.json')
    const variant = {
      ...variantByName('sokoban-eval-base'),
      name: 'xsb-only',
      template: { source: '{{ board_xsb }}' },
      chat: { mode: 'none' },
    }
    writeFileSync(file, JSON.stringify(variant))
    const fromFile = await runCli(['prompt', '--preset', 'SimpleSokoban', '--variant', file])
    expect(fromFile.code).toBe(0)
    expect(fromFile.out).toBe('######\n######\n#.####\n#$@###\n#  ###\n######')
  })

  it('an invalid variant file fails (exit 1, as a bad --settings file does) and names the field', async () => {
    const file = path.join(dir, 'bad.json')
    writeFileSync(file, JSON.stringify({ ...variantByName('sokoban-eval-base'), parser: 'magic' }))
    const { code, out, err } = await runCli(['prompt', '--preset', 'SimpleSokoban', '--variant', file])
    expect(code).toBe(1)
    expect(out).toBe('')
    expect(err).toMatch(/variant\.parser:/)
  })

  it('a missing --preset is exit 2 pointing at "sftbench presets"', async () => {
    const { code, out, err } = await runCli(['prompt', '--index', '0'])
    expect(code).toBe(2)
    expect(out).toBe('')
    expect(err).toMatch(/--preset NAME is required \(see "sftbench presets"\)/)
  })

  it('an unknown preset is exit 2 with near names', async () => {
    const { code, out, err } = await runCli(['prompt', '--preset', 'SimpleSokobn', '--index', '0'])
    expect(code).toBe(2)
    expect(out).toBe('')
    expect(err).toMatch(/Unknown preset "SimpleSokobn"\. Did you mean "SimpleSokoban"/)
  })

  it('an index out of range, or not a number, is exit 2', async () => {
    const out = await runCli(['prompt', '--preset', 'gp_l_id', '--index', '500'])
    expect(out.code).toBe(2)
    expect(out.err).toMatch(/has 500 instances \(0-499\)/)
    expect((await runCli(['prompt', '--preset', 'gp_l_id', '--index', '-1'])).code).toBe(2)
    expect((await runCli(['prompt', '--preset', 'gp_l_id', '--index', 'two'])).code).toBe(2)
  })

  it('a variant of the other task is exit 2', async () => {
    const { code, err } = await runCli(['prompt', '--preset', 'gp_l_id', '--variant', 'sokoban-eval-base'])
    expect(code).toBe(2)
    expect(err).toMatch(/is a sokoban variant; preset "gp_l_id" is gp/)
  })
})
