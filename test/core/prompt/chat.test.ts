import { describe, expect, it } from 'vitest'
import {
  TemplateError,
  applyChatTemplate,
  createTemplateLibrary,
  gpTemplateVars,
  paperTemplateLibrary,
  renderTemplate,
  wrapPrompt,
  type ChatMessage,
} from '../../../core/prompt/index.ts'
import { paperGpHand } from '../../../core/paper/paper-gp.ts'
import { wrapQwenInstruct } from '../../../core/sokoban/prompt.ts'
import { readRepoText } from '../../harness/repo.ts'
import { thrownBy } from '../../harness/errors.ts'

const QWEN = readRepoText('test/golden/prompt/qwen2.5-chat-template.jinja')
const jinja2 = JSON.parse(readRepoText('test/golden/prompt/jinja2-goldens.json')) as {
  qwen25_chat: { messages: ChatMessage[]; add_generation_prompt: boolean; output: string }[]
}

// Written by hand from the ChatML format of Qwen2.5 tokenizers: the default system prompt is
// inserted when the conversation has no system message.
const QWEN_DEFAULT_SYSTEM = 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.'
const qwenPrompt = (user: string): string =>
  `<|im_start|>system\n${QWEN_DEFAULT_SYSTEM}<|im_end|>\n<|im_start|>user\n${user}<|im_end|>\n<|im_start|>assistant\n`

describe("the model's chat_template (§7.4)", () => {
  it('[Qwen2.5] one user message gives the ChatML prompt with the default system prompt', () => {
    const text = applyChatTemplate(QWEN, [{ role: 'user', content: 'Hi' }], { addGenerationPrompt: true })
    expect(text).toBe(qwenPrompt('Hi'))
  })

  it('[Qwen2.5] a General Points test question is wrapped as the paper feeds it', () => {
    const question = paperGpHand('gp_l_id', 0).question
    const text = applyChatTemplate(QWEN, [{ role: 'user', content: question }], { addGenerationPrompt: true })
    expect(text).toBe(qwenPrompt(question))
    expect(text).toContain('<|im_start|>user\n\n[Task Description]\n')
  })

  it('without the generation prompt the text ends after the last turn', () => {
    const text = applyChatTemplate(QWEN, [{ role: 'user', content: 'Hi' }], { addGenerationPrompt: false })
    expect(text).toBe(qwenPrompt('Hi').slice(0, -'<|im_start|>assistant\n'.length))
  })

  it('matches Python Jinja2 (trim_blocks, lstrip_blocks) on every recorded conversation', () => {
    expect(jinja2.qwen25_chat.length).toBeGreaterThan(3)
    for (const c of jinja2.qwen25_chat) {
      expect(applyChatTemplate(QWEN, c.messages, { addGenerationPrompt: c.add_generation_prompt })).toBe(c.output)
    }
  })

  it('passes bos_token, eos_token and extra variables', () => {
    const template = '{{ bos_token }}{% for m in messages %}[{{ m.role }}]{{ m.content }}{{ eos_token }}{% endfor %}{{ x }}'
    const text = applyChatTemplate(template, [{ role: 'user', content: 'q' }], {
      addGenerationPrompt: true,
      bosToken: '<s>',
      eosToken: '</s>',
      extra: { x: '!' },
    })
    expect(text).toBe('<s>[user]q</s>!')
  })

  it('locates a syntax error in the chat template', () => {
    const broken = '{% for m in messages %}\n  {{ m.content }}\n'
    const e = thrownBy(TemplateError, () =>
      applyChatTemplate(broken, [{ role: 'user', content: 'q' }], { addGenerationPrompt: true, name: 'my-model' }),
    )
    expect([e.templateName, e.line, e.column]).toEqual(['my-model', 1, 1])
    expect(e.reason).toContain('"{% for %}" is never closed')
  })
})

describe('raw-string mode (the paper\'s Sokoban way, §7.3)', () => {
  const library = paperTemplateLibrary()

  it('qwen-instruct wraps like the independent wrapQwenInstruct', () => {
    for (const prompt of ['P', 'Decide the next action:\\', '', 'multi\nline\n']) {
      expect(wrapPrompt(library, 'qwen-instruct', prompt)).toBe(wrapQwenInstruct(prompt))
    }
  })

  it('does not interpret Jinja syntax inside the prompt', () => {
    const prompt = '{{ not_a_variable }} {% if %}'
    expect(wrapPrompt(library, 'qwen-instruct', prompt)).toBe(wrapQwenInstruct(prompt))
  })

  it('refuses a task template as a wrapper', () => {
    expect(() => wrapPrompt(library, 'gp-test', 'x')).toThrow(/not a chat wrapper/)
  })

  it('accepts a user wrapper', () => {
    const mine = createTemplateLibrary([{ name: 'brackets', task: 'chat', description: 'test', source: '[[{{ prompt }}]]\n' }])
    expect(wrapPrompt(mine, 'brackets', 'x')).toBe('[[x]]\n')
  })

  it('a GP question can go through either mode', () => {
    const hand = paperGpHand('gp_l_5cards', 3)
    const question = renderTemplate(library.compiled('gp-test'), gpTemplateVars({ cards: hand.cards, faceCardMsg: "'J', 'Q', and 'K' all count as '10'" })).text
    expect(question).toBe(hand.question)
    expect(applyChatTemplate(QWEN, [{ role: 'user', content: question }], { addGenerationPrompt: true })).toBe(qwenPrompt(question))
  })
})

describe('chat template failures are located', () => {
  it('a raise_exception in the template points at its call', () => {
    const template = "{% for m in messages %}\n{% if m.role == 'tool' %}{{ raise_exception('no tools here') }}{% endif %}{{ m.content }}{% endfor %}"
    const e = thrownBy(TemplateError, () =>
      applyChatTemplate(template, [{ role: 'tool', content: 'x' }], { addGenerationPrompt: false }),
    )
    expect([e.line, e.column]).toEqual([2, 29])
    expect(e.reason).toContain('no tools here')
  })
})
