import { describe, expect, it } from 'vitest'
import { parseBlocks } from '../../../renderer/src/components/markdown.ts'

describe('notes Markdown blocks', () => {
  it('splits headings, paragraphs, lists and fenced code', () => {
    const source = '# Title\n\nOne line\nand the next.\n\n- a\n- b\n1. first\n2) second\n\n```\n<script>x</script>\n```\n### Small'
    expect(parseBlocks(source)).toEqual([
      { kind: 'heading', level: 1, text: 'Title' },
      { kind: 'para', text: 'One line and the next.' },
      { kind: 'list', ordered: false, items: ['a', 'b'] },
      { kind: 'list', ordered: true, items: ['first', 'second'] },
      { kind: 'code', text: '<script>x</script>' },
      { kind: 'heading', level: 3, text: 'Small' },
    ])
  })

  it('treats CRLF like LF and an unclosed fence as code to the end', () => {
    expect(parseBlocks('a\r\nb\r\n```\nx')).toEqual([
      { kind: 'para', text: 'a b' },
      { kind: 'code', text: 'x' },
    ])
  })
})
