import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { parseJsonl, rlRecord, sftRecord, splitChatMl, toJsonl, type ExampleText } from '../../../core/dataset/jsonl.ts'
import { wrapQwenInstruct } from '../../../core/sokoban/prompt.ts'

// The qwen-instruct wrapper of spec §7.3, written out here independently of the code.
const ALWAYS =
  '\nAlways output: <think> [Your thoughts] </think> <answer> [your answer] </answer> with no extra text. Strictly follow this format. '

describe('ChatML split of the paper\'s raw strings [§7.3]', () => {
  it('[§7.3] recovers the user content (with the space before <|im_end|>) and the open <think>', () => {
    const raw = wrapQwenInstruct('BODY\nDecide the next action:')
    const split = splitChatMl(raw)
    expect(split).toEqual({
      messages: [{ role: 'user', content: `BODY\nDecide the next action:${ALWAYS}` }],
      assistantPrefix: '<think>',
    })
  })

  it('rebuilding with the Qwen layout gives the raw string back', () => {
    fc.assert(
      fc.property(fc.string().filter((s) => !s.includes('<|im_')), (body) => {
        const raw = wrapQwenInstruct(body)
        const split = splitChatMl(raw)
        expect(split).not.toBeNull()
        const rebuilt =
          split!.messages.map((m) => `<|im_start|>${m.role}\n${m.content}<|im_end|>\n`).join('') +
          `<|im_start|>assistant\n${split!.assistantPrefix}`
        expect(rebuilt).toBe(raw)
      }),
    )
  })

  it('returns null for strings that are not ChatML with an open assistant turn', () => {
    expect(splitChatMl('A conversation between User and Assistant. User: hi\nAssistant: \n<think>')).toBeNull()
    expect(splitChatMl('<|im_start|>user\nhi<|im_end|>\n')).toBeNull()
    expect(splitChatMl('<|im_start|>user\nhi<|im_end|>\n<|im_start|>user\nagain')).toBeNull()
    expect(splitChatMl('x<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n')).toBeNull()
  })
})

describe('JSONL records', () => {
  const raw: ExampleText = { chat: 'raw', prompt: wrapQwenInstruct('BODY'), response: '</think> <answer> Up </answer>\n' }
  const gp: ExampleText = { chat: 'model', prompt: '\n[Task Description]\n…', response: '{\n"cards": ["A"]\n}' }

  it('[§8] messages style: the assistant turn is <think> plus the paper\'s response', () => {
    expect(sftRecord(raw, 'messages', { id: 'train_0' })).toEqual({
      messages: [
        { role: 'user', content: `BODY${ALWAYS}` },
        { role: 'assistant', content: '<think></think> <answer> Up </answer>\n' },
      ],
      id: 'train_0',
    })
    expect(sftRecord(gp, 'messages')).toEqual({
      messages: [
        { role: 'user', content: gp.prompt },
        { role: 'assistant', content: gp.response },
      ],
    })
    expect(rlRecord(raw, 'messages', { ground_truth: [1] })).toEqual({
      prompt: [{ role: 'user', content: `BODY${ALWAYS}` }],
      ground_truth: [1],
    })
  })

  it('prompt-completion style keeps raw strings verbatim and chat prompts as message lists', () => {
    expect(sftRecord(raw, 'prompt-completion')).toEqual({ prompt: raw.prompt, completion: raw.response })
    expect(sftRecord(gp, 'prompt-completion')).toEqual({
      prompt: [{ role: 'user', content: gp.prompt }],
      completion: [{ role: 'assistant', content: gp.response }],
    })
    expect(rlRecord(raw, 'prompt-completion')).toEqual({ prompt: raw.prompt })
  })

  it('an SFT record without a response is an error', () => {
    expect(() => sftRecord({ chat: 'none', prompt: 'p' }, 'messages')).toThrow(/needs a response/)
  })

  it('toJsonl / parseJsonl round-trip, one object per line, with line numbers in errors', () => {
    const records = [{ a: 1, s: 'line\nbreak √' }, { b: [1, 2] }]
    const text = toJsonl(records)
    expect(text.split('\n')).toHaveLength(3)
    expect(text.endsWith('\n')).toBe(true)
    expect(parseJsonl(text, 'x.jsonl')).toEqual(records)
    expect(() => parseJsonl('{"a":1}\n{oops\n', 'x.jsonl')).toThrow(/x\.jsonl line 2 is not valid JSON/)
  })
})
