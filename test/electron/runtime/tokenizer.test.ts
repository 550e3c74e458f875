// @vitest-environment node
// The model tokenizer: prompt ids and chat rendering equal to Python `transformers` (golden.json),
// and the fast byte-level decoder equal to `@huggingface/tokenizers`' own decode on arbitrary id
// sequences (partial UTF-8 characters, added and special tokens, with and without the
// clean-up-spaces pass).
import { Tokenizer } from '@huggingface/tokenizers'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { readModelFolder, type ModelFolder } from '../../../electron/runtime/model-folder.ts'
import { loadTokenizer } from '../../../electron/runtime/tokenizer.ts'
import { FIXTURE, readGolden } from './fixture.ts'

const folder = readModelFolder(FIXTURE)
const golden = readGolden()

function withConfig(edit: Record<string, unknown>): ModelFolder {
  return { ...folder, tokenizerConfig: { ...folder.tokenizerConfig, ...edit } }
}

describe('encoding and chat rendering match Python', () => {
  const tok = loadTokenizer(folder)
  it.each(golden.prompts.map((p) => [p.name, p] as const))('%s', (_, p) => {
    const ids = p.messages ? tok.encodeRendered(tok.renderChat(p.messages)) : tok.encode(p.text)
    expect(ids).toEqual(p.prompt_ids)
    expect(tok.decodeWith(p.generated_ids, false)).toBe(p.generated_text)
  })

  it('a folder without a chat template says so when asked to render', () => {
    const bare = loadTokenizer({ ...folder, chatTemplate: null })
    expect(bare.hasChatTemplate).toBe(false)
    expect(() => bare.renderChat([{ role: 'user', content: 'hi' }])).toThrow(/has no chat_template/)
  })

  it('special ids are the added special tokens', () => {
    expect([...tok.specialIds].sort()).toEqual([508, 509, 510, 511])
    expect(tok.decode([510, 45, 511])).toBe(tok.decodeWith([45], false))
    expect(tok.tokenText(511)).toBe('<|im_end|>')
  })
})

describe('the fast byte-level decoder equals the library decode', () => {
  const ids = fc.array(fc.integer({ min: 0, max: 511 }), { minLength: 1, maxLength: 12 })
  for (const [label, config] of [
    ['as configured (no clean-up)', {}],
    ['with clean_up_tokenization_spaces', { clean_up_tokenization_spaces: true }],
  ] as const) {
    it(label, () => {
      const f = withConfig(config)
      const library = new Tokenizer(f.tokenizerJson, f.tokenizerConfig)
      const fast = loadTokenizer(f)
      fc.assert(
        fc.property(ids, fc.boolean(), (seq, skip) => {
          expect(fast.decodeWith(seq, skip)).toBe(library.decode(seq, { skip_special_tokens: skip }))
        }),
        { numRuns: 500 },
      )
    })
  }

  it('handles multi-byte characters split across tokens', () => {
    const tok = loadTokenizer(folder)
    const text = 'Box on target: √ and ⬆️ then 🎉'
    const encoded = tok.encode(text)
    expect(tok.decode(encoded)).toBe(text)
    const library = new Tokenizer(folder.tokenizerJson, folder.tokenizerConfig)
    for (let end = 1; end <= encoded.length; end++) {
      expect(tok.decode(encoded.slice(0, end))).toBe(library.decode(encoded.slice(0, end), { skip_special_tokens: true }))
    }
  })
})
