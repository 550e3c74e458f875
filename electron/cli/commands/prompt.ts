/**
 * @module electron/cli/commands/prompt
 * `sftbench prompt --preset NAME --index I [--variant V] [--json]`: prints the exact prompt text
 * sent for instance I of a preset, and nothing else, on stdout. No newline is added: the bytes on
 * stdout are the prompt's own (a Sokoban prompt ends `<think>`, a General Points question ends with
 * a blank line). `--json` adds the instance (the level in XSB, or the cards) and its optimal
 * answer-only target.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { presetByName, type Preset } from '../../../core/experiment/presets.ts'
import { instanceAt, oneStepRowOffset, type Instance } from '../../../core/experiment/instance-set.ts'
import { parseVariantSpec, variantByName, type VariantSpec } from '../../../core/experiment/variant.ts'
import { gpScoredHand, optimalAnswerOrNull, renderInstancePrompt } from '../../../core/experiment/render.ts'
import { serializeXsb } from '../../../core/sokoban/xsb.ts'
import { toLurd } from '../../../core/sokoban/solve/search.ts'
import { CliFailure, JSON_OPTION, UsageError, flag, intOpt, printJson, stringOpt, type Command } from '../command.ts'

function findPreset(name: string | undefined): Preset {
  if (name === undefined) throw new UsageError('--preset NAME is required (see "sftbench presets").')
  try {
    return presetByName(name)
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
}

/** `--variant`: a variant name, or a JSON file (path ending .json) holding one variant. */
function findVariant(raw: string | undefined, preset: Preset, cwd: string): VariantSpec {
  if (raw === undefined) return preset.variant
  let variant: VariantSpec
  if (raw.endsWith('.json')) {
    const path = resolve(cwd, raw)
    let text: string
    try {
      text = readFileSync(path, 'utf8')
    } catch (error) {
      throw new CliFailure(`--variant: cannot read ${path}: ${(error as Error).message}`)
    }
    let data: unknown
    try {
      data = JSON.parse(text)
    } catch (error) {
      throw new CliFailure(`--variant: ${path} is not valid JSON: ${(error as Error).message}`)
    }
    try {
      variant = parseVariantSpec(data)
    } catch (error) {
      throw new CliFailure(`--variant ${path}: ${(error as Error).message}`)
    }
  } else {
    try {
      variant = variantByName(raw)
    } catch (error) {
      throw new UsageError(`--variant: ${(error as Error).message} A path ending .json reads a variant from a file.`)
    }
  }
  if (variant.task !== preset.task) {
    throw new UsageError(
      `--variant "${variant.name}" is a ${variant.task} variant; preset "${preset.name}" is ${preset.task}.`,
    )
  }
  return variant
}

function needsRow(variant: VariantSpec): boolean {
  if (variant.task !== 'sokoban') return false
  const shown = variant.vocabulary.shown
  return typeof shown === 'object' && shown?.kind === 'paper-words'
}

function instanceRecord(instance: Instance, variant: VariantSpec): Record<string, unknown> {
  if (instance.task === 'sokoban') {
    const { level, meta } = instance
    return {
      id: instance.id,
      xsb: serializeXsb(level),
      rows: level.rows,
      cols: level.cols,
      boxes: level.start.boxes.length,
      seed: meta.seed,
      ...(meta.seedChain === undefined ? {} : { seedChain: meta.seedChain }),
      reproducibleInReference: meta.reproducibleInReference,
      ...(meta.reason === undefined ? {} : { reason: meta.reason }),
      optimalPlan: toLurd(level, instance.optimalPlan),
      optimalMoves: instance.optimalPlan.length,
    }
  }
  const scored = variant.task === 'gp' ? gpScoredHand(instance, variant) : null
  return {
    id: instance.id,
    cards: instance.cards,
    values: scored?.values ?? instance.values,
    target: instance.target,
    rule: {
      shown: scored?.rule.shown.name ?? instance.rule.shown.name,
      scored: scored?.rule.scored.name ?? instance.rule.scored.name,
    },
    solution: scored?.solution ?? null,
    solutionCount: instance.solutionCount,
    seed: instance.meta.seed,
  }
}

export const promptCommand: Command = {
  name: 'prompt',
  summary: 'Print the exact prompt text of one instance of a preset.',
  usage: 'prompt --preset NAME --index I [--variant V] [--json]',
  description: [
    'Writes the prompt exactly as sent, byte for byte, with no newline added: for the Sokoban eval tags the',
    "paper's eval template (with its trailing backslash) inside the raw qwen-instruct chat string, ending",
    '"<think>"; for the General Points splits the question text (the paper passes it through the model\'s own',
    'chat template). --json prints {preset, index, variant, prompt, instance, answer} instead, where instance',
    'holds the level in XSB (or the cards) and answer is the answer-only target (null when there is none).',
    'For the diverse Sokoban data the words come from the data row of the puzzle\'s first one-step example',
    '(or --row).',
    '',
    'Example: sftbench prompt --preset FakeSokobanNumerical --index 3 > prompt.txt',
  ].join('\n'),
  options: {
    preset: { type: 'string', value: 'NAME', help: 'The preset (see "sftbench presets").' },
    index: { type: 'string', value: 'I', help: 'Instance index within the preset, 0-based (default 0).' },
    variant: {
      type: 'string',
      value: 'V',
      help: "A variant name (e.g. sokoban-eval-base) or a variant JSON file (default: the preset's own).",
    },
    row: { type: 'string', value: 'R', help: 'Data row for per-row vocabularies (default: computed from the index).' },
    json: JSON_OPTION,
  },
  run(args, io) {
    const preset = findPreset(stringOpt(args, 'preset'))
    const count = preset.instanceSet.count
    const raw = stringOpt(args, 'index')
    if (raw !== undefined && !/^\d+$/.test(raw.trim())) {
      throw new UsageError(`--index must be a non-negative integer; got "${raw}".`)
    }
    const index = intOpt(args, 'index', 0)
    if (index >= count) {
      throw new UsageError(
        `--index ${index} is out of range: preset "${preset.name}" has ${count} instances (0-${count - 1}).`,
      )
    }
    const variant = findVariant(stringOpt(args, 'variant'), preset, io.cwd)
    const instance = instanceAt(preset.instanceSet, index)
    const rowGiven = stringOpt(args, 'row')
    const row = !needsRow(variant)
      ? undefined
      : rowGiven !== undefined
        ? intOpt(args, 'row', 0, 0, 0xffffffff - 42)
        : oneStepRowOffset(preset.instanceSet, index)
    const options = row === undefined ? {} : { row }
    const prompt = renderInstancePrompt(instance, variant, undefined, options)
    if (!flag(args, 'json')) {
      io.stdout(prompt)
      return 0
    }
    // null: no answer exists (an unsolvable hand under this variant, or no plan within 30 moves).
    const answer = optimalAnswerOrNull(instance, variant, options)
    printJson(io, {
      preset: preset.name,
      index,
      variant: variant.name,
      ...(row === undefined ? {} : { row }),
      prompt,
      instance: instanceRecord(instance, variant),
      answer,
    })
    return 0
  },
}
