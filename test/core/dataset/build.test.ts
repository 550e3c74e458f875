import { describe, expect, it } from 'vitest'
import { buildDataset, heldOutSplit, type BuiltDataset } from '../../../core/dataset/build.ts'
import type { GpRlRow, GpSftRow, SokobanRlRow, SokobanSftRow } from '../../../core/dataset/verl.ts'
import { ragenReset } from '../../../core/paper/ragen-generate.ts'
import { paperBfsLabels } from '../../../core/paper/paper-sokoban.ts'
import { parseXsbLevel } from '../../../core/sokoban/xsb.ts'
import { applyMove } from '../../../core/sokoban/rules.ts'
import { isSolved } from '../../../core/sokoban/level.ts'
import { parseLurd } from '../../../core/sokoban/solve/index.ts'
import { paperTrainPrompt } from '../../../core/sokoban/prompt.ts'
import { parseTrainingReward, parseEvalAnswer } from '../../../core/sokoban/parse-answer.ts'
import { BASE_VOCABULARY, defineVocabulary } from '../../../core/sokoban/vocab.ts'
import type { Direction } from '../../../core/sokoban/directions.ts'
import { verifyPaper } from '../../../core/gp/verify-paper.ts'
import { paperGpAnswer } from '../../../core/paper/paper-gp.ts'

function file(built: BuiltDataset, path: string) {
  const found = built.files.find((f) => f.path === path)
  if (found === undefined) throw new Error(`no file ${path}`)
  return found
}

describe('[§4.4] the paper\'s Sokoban training set with default arguments', () => {
  // Independent count: the paper generator (core/paper) at seeds 42-241, BFS labels at depth 30.
  it('[§4.4] seeds 42-241 give 200 puzzles and 771 one-step labels, none on the retry path', () => {
    let total = 0
    let longest = 0
    for (let seed = 42; seed <= 241; seed++) {
      const made = ragenReset(seed, { rows: 6, cols: 6, numBoxes: 1, searchDepth: 30 })
      expect(made.seedChain).toEqual([seed])
      const labels = paperBfsLabels(made.level)
      expect(labels.length).toBeGreaterThan(0)
      total += labels.length
      longest = Math.max(longest, labels.length)
    }
    expect(total).toBe(771)
    expect(longest).toBe(10)
  })

  const built = buildDataset({ preset: 'sokoban_6x6_1horizon_train', kinds: ['sft', 'rl'], formats: ['parquet'] })

  it('[§4.4] the export has 771 examples from 200 puzzles, nothing skipped', () => {
    expect(built.counts).toMatchObject({ instances: 200, instancesBySplit: { train: 200 }, examplesBySplit: { train: 771 }, skipped: [] })
    expect(file(built, 'sft/train.parquet').rows).toHaveLength(771)
    expect(file(built, 'rl/train.parquet').rows).toHaveLength(771)
    expect(built.notes.some((n) => n.startsWith('Not reproducible'))).toBe(false)
  })

  it('[§4.4] each puzzle\'s rows are its states along the plan, and the labels solve it', () => {
    const rows = file(built, 'rl/train.parquet').rows as SokobanRlRow[]
    for (const record of built.instances) {
      const level = parseXsbLevel(record.xsb as string)
      const plan = parseLurd(record.plan as string)
      expect(record.rows).toHaveLength(plan.length)
      let state = level.start
      record.rows.forEach((r, j) => {
        expect(rows[r].reward_model.ground_truth).toEqual([plan[j]])
        expect(rows[r].prompt[0].content).toBe(paperTrainPrompt(level, state))
        state = applyMove(level, state, plan[j]).state
      })
      expect(isSolved(level, state)).toBe(true)
    }
  })

  it('[§8][§9.1] answer-only rows: prompt ends <think>, response "</think> <answer> X </answer>\\n"', () => {
    const sft = file(built, 'sft/train.parquet').rows as SokobanSftRow[]
    const rl = file(built, 'rl/train.parquet').rows as SokobanRlRow[]
    // Puzzle seed 42 is solved by Right, Right (its first row shows the player left of the box).
    expect(built.instances[0]).toMatchObject({ id: 'paper-seed/42/6x6-1', plan: 'rr', rows: [0, 1] })
    expect(sft[0]).toMatchObject({
      data_source: 'sokoban_6x6_1horizon',
      response: '</think> <answer> Right </answer>\n',
      ability: 'bfs',
      reward_model: { style: 'rule', ground_truth: [4] },
      extra_info: { split: 'train', index: 0 },
    })
    expect(sft[0].prompt.endsWith('Decide the next action:\nAlways output: <think> [Your thoughts] </think> <answer> [your answer] </answer> with no extra text. Strictly follow this format. <|im_end|>\n<|im_start|>assistant\n<think>')).toBe(true)
    expect(rl[5]).toMatchObject({ id: 'train_5', extra_info: { split: 'train', index: 5 } })
    expect(rl[5].prompt).toEqual([{ role: 'user', content: sft[5].prompt }])
    for (let i = 0; i < sft.length; i++) {
      const score = parseTrainingReward(sft[i].prompt + sft[i].response, sft[i].reward_model.ground_truth as Direction[])
      expect(score.score).toBe(1)
    }
  })
})

describe('[§4.4] the paper\'s Sokoban test sets (seeds 242-301 per size)', () => {
  it.each([
    [6, 252],
    [7, 294],
    [8, 358],
    [9, 381],
    [10, 420],
  ])('[§4.4] %ix%i gives the computed example count', (size, examples) => {
    const built = buildDataset({ preset: `sokoban_${size}x${size}_1horizon_test`, kinds: ['rl'], formats: ['parquet'] })
    expect(built.counts.examplesBySplit.train).toBe(examples)
    expect(built.notes.filter((n) => n.startsWith('Not reproducible'))).toEqual([])
  })

  it('[§4.4][§11.5] 5x5: the 58 levels the reference reproduces give the spec\'s 151 rows; 2 retry-path levels add theirs', () => {
    const built = buildDataset({ preset: 'sokoban_5x5_1horizon_test', kinds: ['rl'], formats: ['parquet'] })
    const flagged = built.notes.filter((n) => n.startsWith('Not reproducible'))
    expect(flagged.map((n) => /paper-seed\/(\d+)\//.exec(n)?.[1])).toEqual(['258', '272'])
    const retry = built.instances.filter((r) => r.id === 'paper-seed/258/5x5-1' || r.id === 'paper-seed/272/5x5-1')
    const retryRows = retry.reduce((n, r) => n + r.rows.length, 0)
    expect(built.counts.examplesBySplit.train - retryRows).toBe(151)
  })
})

describe('[§7.5] the diverse set: per-row words', () => {
  const built = buildDataset({ preset: 'sokoban_super_random_train', count: 3, kinds: ['sft', 'cot'], formats: ['parquet'] })
  const sft = file(built, 'sft/train.parquet').rows as SokobanSftRow[]
  const cot = file(built, 'cot/train.parquet').rows as SokobanSftRow[]

  it('[§7.5] row 0 shows tree / fix / jade / freedom and answers in those words', () => {
    expect(sft[0].prompt).toContain(
      'Answers:\n<answer> tree </answer> | <answer> fix </answer> | <answer> jade </answer> | <answer> freedom </answer>\n' +
        'where tree is Up, fix is Down, jade is Left, freedom is Right.\n\nRewards:',
    )
    expect(sft[0].response).toBe('</think> <answer> freedom </answer>\n')
    expect(sft[0].data_source).toBe('sokoban_6x6_1horizon_random')
  })

  it('[§5.3][§8] CoT rows end "</think> <answer> word </answer>" and score 1 under the training reward', () => {
    expect(cot).toHaveLength(sft.length)
    cot.forEach((row, i) => {
      expect(row.prompt).toBe(sft[i].prompt)
      expect(row.response).toMatch(/\n<\/think> <answer> \S+ <\/answer>$/)
      expect(parseTrainingReward(row.prompt + row.response, row.reward_model.ground_truth as Direction[]).score).toBe(1)
    })
  })

  it('seeded words come from the given pool and change with the seed', () => {
    const pool = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot']
    const a = buildDataset({ preset: 'sokoban_6x6_1horizon_train', count: 3, kinds: ['sft'], formats: ['parquet'], vocabulary: 'seeded-words', wordPool: pool, seed: 1 })
    const b = buildDataset({ preset: 'sokoban_6x6_1horizon_train', count: 3, kinds: ['sft'], formats: ['parquet'], vocabulary: 'seeded-words', wordPool: pool, seed: 2 })
    const words = (x: BuiltDataset) =>
      (file(x, 'sft/train.parquet').rows as SokobanSftRow[]).map((r) => /Answers:\n(.*)\n/.exec(r.prompt)?.[1])
    for (const line of words(a)) {
      const names = [...(line ?? '').matchAll(/<answer> (\S+) <\/answer>/g)].map((m) => m[1])
      expect(names).toHaveLength(4)
      names.forEach((n) => expect(pool).toContain(n))
    }
    expect(words(a)).not.toEqual(words(b))
    const rows = file(a, 'sft/train.parquet').rows as SokobanSftRow[]
    rows.forEach((r) => expect(parseTrainingReward(r.prompt + r.response, r.reward_model.ground_truth as Direction[]).score).toBe(1))
  })
})

describe('JSONL files', () => {
  it('messages style: the Sokoban user turn and the assistant turn that continues <think>', () => {
    const built = buildDataset({ preset: 'sokoban_6x6_1horizon_train', count: 1, kinds: ['sft', 'cot', 'rl'], formats: ['jsonl'] })
    const sft = file(built, 'sft/train.jsonl').rows[0] as { messages: { role: string; content: string }[]; id: string; ground_truth: number[] }
    expect(sft.id).toBe('paper-seed/42/6x6-1@0')
    expect(sft.ground_truth).toEqual([4])
    expect(sft.messages[0].content.startsWith('You are a Sokoban solver.')).toBe(true)
    expect(sft.messages[0].content.endsWith('Strictly follow this format. ')).toBe(true)
    expect(sft.messages[1]).toEqual({ role: 'assistant', content: '<think></think> <answer> Right </answer>\n' })
    const cot = file(built, 'cot/train.jsonl').rows[0] as { messages: { content: string }[] }
    expect(cot.messages[1].content).toMatch(/^<think> The grid has 6 rows[\s\S]*<\/think> <answer> Right <\/answer>$/)
    const rl = file(built, 'rl/train.jsonl').rows[0] as { prompt: { role: string }[] }
    expect(rl.prompt.map((m) => m.role)).toEqual(['user'])
  })

  it('prompt-completion style: the raw Sokoban string and its completion, verbatim', () => {
    const built = buildDataset({ preset: 'sokoban_6x6_1horizon_train', count: 1, kinds: ['sft'], formats: ['parquet', 'jsonl'], jsonlStyle: 'prompt-completion' })
    const row = file(built, 'sft/train.parquet').rows[0] as SokobanSftRow
    expect(file(built, 'sft/train.jsonl').rows[0]).toMatchObject({ prompt: row.prompt, completion: row.response })
  })
})

describe('Sokoban options', () => {
  it('whole-plan examples: one row per puzzle, the multi-action prompt, the full plan as target', () => {
    const built = buildDataset({ preset: 'sokoban_6x6_1horizon_train', count: 4, kinds: ['sft'], formats: ['parquet'], sokobanExamples: 'whole-plan' })
    const rows = file(built, 'sft/train.parquet').rows as SokobanSftRow[]
    expect(rows).toHaveLength(4)
    expect(rows[0].prompt).toContain('\nDecide the next 2 actions:\nAlways output:')
    expect(rows[0].reward_model.ground_truth).toEqual([4, 4])
    expect(rows[0].data_source).toBe('sokoban_6x6_plan')
    rows.forEach((r) => {
      const gt = r.reward_model.ground_truth as Direction[]
      expect(parseTrainingReward(r.prompt + r.response, gt).score).toBe(1)
    })
  })

  it('a variant mixture gives each row a variant from the list, named in data_source', () => {
    const built = buildDataset({
      preset: 'sokoban_6x6_1horizon_train',
      count: 20,
      kinds: ['sft'],
      formats: ['parquet'],
      variants: ['sokoban-train-base', 'sokoban-eval-numerical'],
    })
    const rows = file(built, 'sft/train.parquet').rows as SokobanSftRow[]
    const sources = new Set(rows.map((r) => r.data_source))
    expect(sources).toEqual(new Set(['sokoban_6x6_1horizon_sokoban-train-base', 'sokoban_6x6_1horizon_sokoban-eval-numerical']))
    const numerical = defineVocabulary('n', ['1', '2', '3', '4'])
    for (const r of rows) {
      const eval_ = r.data_source.endsWith('numerical')
      expect(r.prompt.includes('Decide the next action:\\\n')).toBe(eval_)
      const verdict = parseEvalAnswer(r.response, eval_ ? numerical : BASE_VOCABULARY)
      expect(verdict.ok && verdict.actions).toEqual(r.reward_model.ground_truth)
    }
  })

  it('the held-out split keeps whole puzzles apart and is reproducible from the seed', () => {
    const options = { preset: 'sokoban_6x6_1horizon_train', count: 40, kinds: ['rl'], formats: ['parquet'], heldOut: 0.25, seed: 7 }
    const a = buildDataset(options)
    expect(a.counts.instancesBySplit).toEqual({ train: 30, test: 10 })
    const trainIds = new Set(a.instances.filter((r) => r.split === 'train').map((r) => r.id))
    const testIds = a.instances.filter((r) => r.split === 'test').map((r) => r.id)
    testIds.forEach((id) => expect(trainIds.has(id)).toBe(false))
    const test = file(a, 'rl/test.parquet').rows as SokobanRlRow[]
    expect(test).toHaveLength(a.counts.examplesBySplit.test)
    expect(test[0]).toMatchObject({ id: 'test_0', extra_info: { split: 'test', index: 0 } })
    expect(buildDataset(options).instances).toEqual(a.instances)
    expect(buildDataset({ ...options, seed: 8 }).instances.filter((r) => r.split === 'test').map((r) => r.id)).not.toEqual(testIds)
  })

  it('heldOutSplit: a count, a fraction, and too many', () => {
    expect(heldOutSplit(10, 3, 1).test).toHaveLength(3)
    expect(heldOutSplit(10, 0.5, 1).test).toHaveLength(5)
    expect(heldOutSplit(10, 0, 1)).toEqual({ train: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], test: [] })
    expect(() => heldOutSplit(10, 10, 1)).toThrow(/leaves no training instance/)
  })
})

describe('[§6.1][§6.3] General Points training data', () => {
  const built = buildDataset({ preset: 'gp_l_train_mixed', count: 12 })

  it('[§6.1] answers are the paper\'s JSON with the stored formula, scored +5 by the paper verifier', () => {
    const sft = file(built, 'sft/train.parquet').rows as GpSftRow[]
    const cot = file(built, 'cot/train.parquet').rows as GpSftRow[]
    expect(sft).toHaveLength(12)
    sft.forEach((row, i) => {
      const info = row.extra_info
      expect(row.data_source).toBe(`gp-l-${info.face_card_mapping}`)
      expect(info.index).toBe(i)
      expect(info.solution).toContain(/"formula": "(.*)"/.exec(row.answer)?.[1])
      expect(row.answer).toBe(paperGpAnswer(info.cards, info.display_cards, /"formula": "(.*)"/.exec(row.answer)?.[1] as string))
      expect(row.question.endsWith("  \"formula\": 'an equation that equals 24',\n}\n")).toBe(true)
      expect(row.question).toContain(`Cards: [${info.cards.map((c) => `'${c}'`).join(', ')}]`)
      const task = { displayValues: info.display_cards, target: 24 }
      expect(verifyPaper(row.answer, task).reward).toBe(5)
      expect(cot[i].answer.startsWith('<think>\n')).toBe(true)
      expect(cot[i].answer).toMatch(/\n<\/think>\n\n\{\n"cards": /)
      expect(verifyPaper(cot[i].answer, task).reward).toBe(5)
    })
  })

  it('[§9.1] RL rows: question as one user message, same extra_info', () => {
    const sft = file(built, 'sft/train.parquet').rows as GpSftRow[]
    const rl = file(built, 'rl/train.parquet').rows as GpRlRow[]
    rl.forEach((row, i) => {
      expect(row.question).toEqual([{ role: 'user', content: sft[i].question }])
      expect(row.extra_info).toEqual(sft[i].extra_info)
    })
  })

  it('[§6.3] a rule mixture deals blocks of perRule hands per rule', () => {
    const mixed = buildDataset({ preset: 'gp_l_train_mixed', rules: ['all_5', 'all_12'], perRule: 3, kinds: ['sft'], formats: ['parquet'] })
    const rows = file(mixed, 'sft/train.parquet').rows as GpSftRow[]
    expect(rows.map((r) => r.data_source)).toEqual(['gp-l-all_5', 'gp-l-all_5', 'gp-l-all_5', 'gp-l-all_12', 'gp-l-all_12', 'gp-l-all_12'])
    rows.forEach((r) => {
      const face = r.extra_info.cards.map((c, i) => (['J', 'Q', 'K'].includes(c) ? r.extra_info.display_cards[i] : null)).filter((v) => v !== null)
      face.forEach((v) => expect(v).toBe(r.data_source.endsWith('all_5') ? 5 : 12))
      expect(r.question).toContain(`all count as '${r.data_source.endsWith('all_5') ? 5 : 12}'`)
    })
  })
})

describe('bad settings say what is wrong', () => {
  it.each([
    [{ preset: 'SimpleSokobn' }, /Unknown preset "SimpleSokobn". Did you mean "SimpleSokoban"/],
    [{ preset: 'sokoban_6x6_1horizon_train', variants: ['gp-train'] }, /variant "gp-train" is for gp, but the preset is sokoban/],
    [{ preset: 'sokoban_6x6_1horizon_train', rules: ['all_5'] }, /rules applies to General Points presets/],
    [{ preset: 'gp_l_id', rules: ['all_5'] }, /rules needs a training preset/],
    [{ preset: 'sokoban_6x6_1horizon_train', sokobanExamples: 'whole-plan' }, /options\.kinds: CoT targets answer the next move/],
    [{ preset: 'sokoban_6x6_1horizon_train', heldOut: 2.5 }, /options\.heldOut: a held-out count must be a whole number/],
    [{ preset: 'sokoban_6x6_1horizon_train', colour: 'red' }, /Invalid export settings:\n {2}options: Unrecognized key: "colour"/],
    [{ preset: 'sokoban_6x6_1horizon_train', kinds: ['sft', 'bogus'] }, /Invalid export settings:\n {2}options\.kinds\[1\]: /],
    [{ preset: 'sokoban_6x6_1horizon_train', count: 2, heldOut: 2 }, /leaves no training instance out of 2/],
  ])('%j', (options, message) => {
    expect(() => buildDataset(options)).toThrow(message)
  })
})
