/**
 * Writes `prompts.json`: golden prompts for every paper preset, built WITHOUT core/experiment, from
 * the independent prompt builders (`paperEvalPrompt`, `paperTrainPrompt` in core/sokoban/prompt.ts;
 * the reference's question text from core/paper/paper-gp.ts) and the reference-run goldens beside
 * this file (`paper-word-rows.json`, `paper-gp-train.json`). See README.md.
 *
 * Run: node electron/cli/run-ts.mjs test/golden/presets/make-prompts.ts
 */
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { paperBfsLabels, paperGpHand, paperSokobanLevel, ragenReset, type PaperGpSplit } from '../../../core/paper/index.ts'
import { paperEvalPrompt, paperTrainPrompt } from '../../../core/sokoban/prompt.ts'
import { BASE_VOCABULARY, defineVocabulary, paperEvalTag } from '../../../core/sokoban/vocab.ts'

const here = import.meta.dirname
const words = JSON.parse(readFileSync(path.join(here, 'paper-word-rows.json'), 'utf8')) as { rows: Record<string, string[]> }
const gpTrain = JSON.parse(readFileSync(path.join(here, 'paper-gp-train.json'), 'utf8')) as Record<
  string,
  { tasks: { index: number; question: string }[] }
>

const prompts: Record<string, Record<string, string>> = {}

// Sokoban eval tags: [preset, tag, list, indices]. The shown vocabulary comes from the tag table.
const EVAL: [string, string, 'final' | 'sft-9', number[]][] = [
  ['SimpleSokoban', 'SimpleSokoban', 'final', [0, 57]],
  ['LargerSokoban', 'LargerSokoban', 'final', [0, 57]],
  ['ComplexSokoban', 'ComplexSokoban', 'final', [0, 57]],
  ['TwoBoxesSokoban', 'TwoBoxesSokoban', 'final', [0, 29]],
  ['SimpleSokobanRandom', 'SimpleSokobanRandom', 'final', [0, 57]],
  ['SimpleSokobanNumerical', 'SimpleSokobanNumerical', 'final', [0, 57]],
  ['SimpleSokobanAlphabetical', 'SimpleSokobanAlphabetical', 'final', [0, 57]],
  ['FakeSokobanNumerical', 'FakeSokobanNumerical', 'final', [0, 57]],
  ['SimpleSokobanEmoji', 'SimpleSokobanEmoji', 'sft-9', [0, 57]],
  ['FakeSokobanEmoji', 'FakeSokobanEmoji', 'sft-9', [0, 57]],
  ['SimpleSokobanCardinal', 'SimpleSokobanCardinal', 'sft-9', [0, 57]],
  ['FakeSokobanCardinal', 'FakeSokobanCardinal', 'sft-9', [0, 57]],
  ['SimpleSokobanEmpty', 'SimpleSokobanEmpty', 'sft-9', [0, 57]],
  ['TwoBoxesSokoban@sft-9', 'TwoBoxesSokoban', 'sft-9', [0, 17]],
]
for (const [name, tag, list, indices] of EVAL) {
  prompts[name] = {}
  for (const k of indices) {
    const { level } = paperSokobanLevel(tag, k, list)
    prompts[name][k] = paperEvalPrompt(level, level.start, paperEvalTag(tag).vocabulary.shown)
  }
}

// General Points test splits: the question the reference stored.
const SPLITS: [PaperGpSplit, number[]][] = [
  ['gp_l_id', [0, 123]],
  ['gp_l_all_5', [0, 123]],
  ['gp_l_all_7', [0, 123]],
  ['gp_l_all_12', [0, 123]],
  ['gp_l_face_card_as_regular', [0, 123]],
  ['gp_l_large', [0, 123]],
  ['gp_l_5cards', [0, 7]],
  ['gp_l_fake', [0, 123]],
  ['gp_l_all_5_fake', [0, 123]],
]
for (const [split, indices] of SPLITS) {
  prompts[split] = {}
  for (const i of indices) prompts[split][i] = paperGpHand(split, i).question
}

// Sokoban one-step data: RAGEN levels at seeds firstSeed + i, the dataset prompt (no backslash).
function ragenLevel(seed: number, size: number) {
  return ragenReset(seed, { rows: size, cols: size, numBoxes: 1, searchDepth: 30 }).level
}
prompts.sokoban_6x6_1horizon_train = {}
for (const i of [0, 41]) {
  const level = ragenLevel(42 + i, 6)
  prompts.sokoban_6x6_1horizon_train[i] = paperTrainPrompt(level, level.start, BASE_VOCABULARY)
}
for (const size of [5, 6, 7, 8, 9, 10]) {
  const name = `sokoban_${size}x${size}_1horizon_test`
  prompts[name] = {}
  for (const i of [0, 41]) {
    const level = ragenLevel(242 + i, size)
    prompts[name][i] = paperTrainPrompt(level, level.start, BASE_VOCABULARY)
  }
}

// The diverse data: puzzle i's first one-step row is the number of moves in the plans before it.
prompts.sokoban_super_random_train = {}
for (const i of [0, 3]) {
  let row = 0
  for (let j = 0; j < i; j++) row += paperBfsLabels(ragenLevel(42 + j, 6)).length
  const names = words.rows[String(row)]
  if (names === undefined) throw new Error(`paper-word-rows.json lacks row ${row}`)
  const level = ragenLevel(42 + i, 6)
  prompts.sokoban_super_random_train[i] = paperTrainPrompt(level, level.start, defineVocabulary(`row${row}`, names))
}

// General Points training hands: the question text of the reference run.
for (const [preset, mixture] of [
  ['gp_l_train_mixed', 'mixed'],
  ['gp_l_train_diverse', 'diverse'],
  ['gp_l_train_basic', 'basic'],
] as const) {
  prompts[preset] = {}
  for (const task of gpTrain[mixture].tasks) prompts[preset][task.index] = task.question
}

const about =
  'Golden prompts per preset and instance index, built by make-prompts.ts from the independent prompt builders ' +
  'and the reference-run goldens beside it (not from core/experiment). See README.md.'
writeFileSync(path.join(here, 'prompts.json'), `${JSON.stringify({ about, prompts }, null, 1)}\n`)
console.log(`wrote ${Object.keys(prompts).length} presets`)
