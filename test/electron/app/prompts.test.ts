// @vitest-environment node
// `wb:prompts.render` through the backend: the text equals core's renderInstancePrompt for preset
// instances; with the tiny fixture model loaded, the token ids equal an independent tokenizer
// (transformers.js on the fixture's tokenizer files) and chat mode `model` gives that library's
// chat-templated text; template failures come back with their line and column; bad requests are
// `invalid-request` naming what is wrong.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AutoTokenizer, env, type PreTrainedTokenizer } from '@huggingface/transformers'
import { createBackend, type Backend } from '../../../electron/app/backend.ts'
import type { PromptRender, RequestOf, Result } from '../../../core/contract/api.ts'
import { instanceAt, type Instance } from '../../../core/experiment/instance-set.ts'
import { presetByName } from '../../../core/experiment/presets.ts'
import { renderInstanceBody, renderInstancePrompt } from '../../../core/experiment/render.ts'
import { parseInstanceSetSpec } from '../../../core/experiment/instance-set.ts'
import { variantByName } from '../../../core/experiment/variant.ts'
import { renderPaperGrid } from '../../../core/sokoban/text.ts'
import { repoPath } from '../../harness/repo.ts'

const MODEL = repoPath('test/fixtures/tiny-llama')
const temps: string[] = []
const backends: Backend[] = []

async function backendWith(model: string | null): Promise<Backend> {
  const ws = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sftbench-prompts-')))
  temps.push(ws)
  const backend = await createBackend({ workspace: ws, defaultModel: model, cacheDir: path.join(ws, '.cache'), log: () => {} })
  backends.push(backend)
  return backend
}

afterAll(async () => {
  for (const b of backends) await b.dispose()
  for (const d of temps) fs.rmSync(d, { recursive: true, force: true })
})

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`)
  return result.value
}

function rendered(render: PromptRender): Extract<PromptRender, { kind: 'rendered' }> {
  if (render.kind !== 'rendered') throw new Error(`expected a rendered prompt, got ${render.error.message}`)
  return render
}

/** Instance `index` of a preset, as core deals it (the reference the backend must agree with). */
function presetInstance(name: string, index: number): Instance {
  return instanceAt(parseInstanceSetSpec(presetByName(name).instanceSet), index)
}

type RenderPayload = RequestOf<'wb:prompts.render'>

describe('wb:prompts.render without a model', () => {
  let backend: Backend
  const render = async (payload: RenderPayload) => value(await backend.request('wb:prompts.render', payload))
  beforeAll(async () => {
    backend = await backendWith(null)
  })

  it('renders a Sokoban preset instance exactly as renderInstancePrompt does (raw qwen-instruct wrapper)', async () => {
    const variant = variantByName('sokoban-eval-fake-cardinal')
    const instance = presetInstance('SimpleSokoban', 3)
    const out = rendered(await render({ instance: { task: 'sokoban', preset: 'SimpleSokoban', index: 3 }, variant: variant.name }))
    expect(out.instanceId).toBe(instance.id)
    expect(out.chat).toBe('raw')
    expect(out.text).toBe(renderInstancePrompt(instance, variant))
    expect(out.prompt).toBe(out.text)
    expect(out.body).toBe(renderInstanceBody(instance, variant))
    // The body shows the level's paper grid and the shown (cardinal) names, inside the paper's chat string.
    if (instance.task !== 'sokoban') throw new Error('SimpleSokoban deals Sokoban levels')
    expect(out.body).toContain(renderPaperGrid(instance.level, instance.level.start))
    expect(out.body).toContain('<answer> North </answer>')
    expect(out.text?.startsWith('<|im_start|>user\n')).toBe(true)
    expect(out.tokens).toBeNull()
    expect(out.note).toMatch(/No model is loaded/)
  })

  it('renders a General Points preset hand; chat mode "model" without a model gives the user message and no text', async () => {
    const variant = variantByName('gp-test-fake-regular')
    const instance = presetInstance('gp_l_fake', 7)
    const out = rendered(await render({ instance: { task: 'gp', preset: 'gp_l_fake', index: 7 }, variant: variant.name }))
    expect(out.chat).toBe('model')
    expect(out.body).toBe(renderInstanceBody(instance, variant))
    expect(out.prompt).toEqual({ messages: [{ role: 'user', content: out.body }] })
    expect(out.text).toBeNull()
    // The fake-regular variant shows J/Q/K as 11/12/13 (§6.2).
    expect(out.body).toContain("'J' counts as '11', 'Q' counts as '12', and 'K' counts as '13'")
  })

  it('uses the edited template text and chat mode instead of the variant\'s', async () => {
    const out = rendered(
      await render({
        instance: { task: 'sokoban', difficulty: 'simple', seed: 5, index: 2 },
        variant: 'sokoban-eval-base',
        template: 'Moves: {{ action_names | join(", ") }}\n{{ rows }}x{{ cols }}, {{ num_boxes }} box\n',
        chat: { mode: 'none' },
      }),
    )
    expect(out.text).toBe('Moves: Up, Down, Left, Right\n6x6, 1 box\n')
    expect(out.body).toBe(out.text)
  })

  it('an undeclared variable comes back located, with the near name (line 3, column 4)', async () => {
    const out = await render({
      instance: { task: 'sokoban', preset: 'SimpleSokoban', index: 0 },
      variant: 'sokoban-eval-base',
      template: 'Board:\n{{ board }}\n{{ bord }}\n',
    })
    expect(out.kind).toBe('template-error')
    if (out.kind !== 'template-error') return
    expect(out.error).toMatchObject({ where: 'template', templateName: 'template', line: 3, column: 4, offset: 22 })
    expect(out.error.reason).toMatch(/unknown variable "bord"; did you mean "board"\?/)
    expect(out.error.message).toContain('line 3, column 4')
  })

  it('a syntax error comes back at its line and column', async () => {
    const out = await render({
      instance: { task: 'gp', preset: 'gp_l_id', index: 0 },
      variant: 'gp-test-all_10',
      template: 'Cards: {{ cards }}\n{% if num_cards > 4 %}\nmany\n{% endfor %}\n',
    })
    expect(out.kind).toBe('template-error')
    if (out.kind !== 'template-error') return
    expect(out.error.where).toBe('template')
    expect(out.error.line).toBe(4)
  })

  it('a declared variable without a value for this instance fails where it is read', async () => {
    // `cot` is declared for Sokoban templates but only training targets fill it.
    const out = await render({
      instance: { task: 'sokoban', preset: 'SimpleSokoban', index: 0 },
      variant: 'sokoban-eval-base',
      template: '{{ board }}\nThink: {{ cot }}\n',
    })
    expect(out.kind).toBe('template-error')
    if (out.kind !== 'template-error') return
    expect(out.error).toMatchObject({ line: 2, column: 11 })
  })

  it('refuses an unknown variant, a task mismatch and an index beyond the preset, naming the problem', async () => {
    const unknown = await backend.request('wb:prompts.render', { instance: { task: 'sokoban', preset: 'SimpleSokoban', index: 0 }, variant: 'sokoban-eval-cardnial' })
    expect(unknown.ok).toBe(false)
    if (!unknown.ok) {
      expect(unknown.error.code).toBe('invalid-request')
      expect(unknown.error.message).toMatch(/sokoban-eval-cardinal/)
    }
    const mismatch = await backend.request('wb:prompts.render', { instance: { task: 'gp', preset: 'gp_l_id', index: 0 }, variant: 'sokoban-eval-base' })
    expect(!mismatch.ok && mismatch.error.code).toBe('invalid-request')
    expect(!mismatch.ok && mismatch.error.message).toMatch(/sokoban variant.*gp instance/)
    const beyond = await backend.request('wb:prompts.render', { instance: { task: 'sokoban', preset: 'SimpleSokoban', index: 100 }, variant: 'sokoban-eval-base' })
    expect(!beyond.ok && beyond.error.message).toMatch(/has 100 instances/)
    const both = await backend.request('wb:prompts.render', { instance: { task: 'sokoban', index: 0 } as never, variant: 'sokoban-eval-base' })
    expect(!both.ok && both.error.code).toBe('invalid-request')
  })
})

describe('wb:prompts.render with the tiny fixture model', () => {
  let backend: Backend
  let reference: PreTrainedTokenizer
  const render = async (payload: RenderPayload) => rendered(value(await backend.request('wb:prompts.render', payload)))

  beforeAll(async () => {
    backend = await backendWith(MODEL)
    env.allowRemoteModels = false
    env.localModelPath = path.dirname(MODEL)
    reference = await AutoTokenizer.from_pretrained(path.basename(MODEL))
    // The default model loads in the background; wait for it (a failed load fails here, saying why).
    for (let waited = 0; ; waited += 100) {
      const status = value(await backend.request('wb:models.status', {}))
      if (status.state === 'ready') break
      if (status.state === 'failed' || waited > 60_000) throw new Error(`The fixture model did not load: ${status.error ?? status.state}`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }, 120_000)

  it('raw mode: the token ids are the fixture tokenizer\'s ids of the rendered text', async () => {
    const out = await render({ instance: { task: 'sokoban', preset: 'SimpleSokoban', index: 1 }, variant: 'sokoban-eval-emoji' })
    const expected = reference.encode(out.text ?? '')
    expect(out.tokens?.ids).toEqual(expected)
    expect(out.tokens?.count).toBe(expected.length)
    expect(out.tokens?.model).toBe('tiny-llama')
    expect(out.note).toBeNull()
  })

  it('chat mode "model": the text is the chat template applied to the user message, and its ids match', async () => {
    const out = await render({ instance: { task: 'gp', preset: 'gp_l_all_5', index: 4 }, variant: 'gp-test-all_5' })
    const messages = [{ role: 'user', content: out.body }]
    const text = reference.apply_chat_template(messages, { tokenize: false, add_generation_prompt: true }) as string
    expect(out.text).toBe(text)
    const encoded = reference.apply_chat_template(messages, { tokenize: true, add_generation_prompt: true, return_tensor: false })
    expect(out.tokens?.ids).toEqual((encoded as unknown as { input_ids: number[] }).input_ids)
  })

  it('an edited template changes the count by the tokens it adds', async () => {
    const base = { instance: { task: 'sokoban' as const, difficulty: 'simple', seed: 1, index: 0 }, variant: 'sokoban-eval-base', chat: { mode: 'none' as const } }
    const short = await render({ ...base, template: '{{ board }}' })
    const long = await render({ ...base, template: '{{ board }}\nDecide the next action:' })
    expect(short.tokens?.ids).toEqual(reference.encode(short.text ?? ''))
    expect(long.tokens?.ids).toEqual(reference.encode(long.text ?? ''))
    expect(long.tokens?.count).toBeGreaterThan(short.tokens?.count ?? Infinity)
  })

  it('tokenize: false skips the count', async () => {
    const out = await render({ instance: { task: 'gp', preset: 'gp_l_id', index: 0 }, variant: 'gp-test-all_10', tokenize: false })
    expect(out.text).not.toBeNull()
    expect(out.tokens).toBeNull()
  })
})
