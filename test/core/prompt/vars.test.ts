import { describe, expect, it } from 'vitest'
import {
  gpTemplateVars,
  paperTemplateLibrary,
  renderTemplate,
  sokobanLegend,
  sokobanTemplateVars,
} from '../../../core/prompt/index.ts'
import { parseXsbLevel } from '../../../core/sokoban/xsb.ts'
import { PAPER_SYMBOLS, XSB_SYMBOLS } from '../../../core/sokoban/text.ts'
import { BASE_VOCABULARY, CARDINAL_VOCABULARY, NUMERICAL_VOCABULARY, RANDOM_VOCABULARY } from '../../../core/sokoban/vocab.ts'
import { DOWN, RIGHT } from '../../../core/sokoban/directions.ts'

const LEVEL = parseXsbLevel('#####\n#@$.#\n#####')

describe('sokobanTemplateVars', () => {
  it('[§3.1] board is the paper grid by default, cells " # \\t", rows joined by "\\n"', () => {
    const v = sokobanTemplateVars({ level: LEVEL, shown: BASE_VOCABULARY })
    const row = (s: string) => s.split('').map((c) => ` ${c} \t`).join('')
    const expected = [row('#####'), row('#PXO#'), row('#####')].join('\n')
    expect(v.board).toBe(expected)
    expect(v.board_paper).toBe(expected)
    expect(v.board_xsb).toBe('#####\n#@$.#\n#####')
    expect([v.rows, v.cols, v.num_boxes]).toEqual([3, 5, 1])
  })

  it("[§7.1] the paper symbols' legend is the paper's line", () => {
    expect(sokobanLegend(PAPER_SYMBOLS)).toBe('# Wall | _ Floor | O Target | X Box | P You | √ = Box on Target | S = You on Target')
    expect(sokobanLegend(XSB_SYMBOLS)).toBe('# Wall |   Floor | . Target | $ Box | @ You | * = Box on Target | + = You on Target')
  })

  it('renders board with other symbols when asked', () => {
    const v = sokobanTemplateVars({ level: LEVEL, shown: BASE_VOCABULARY, symbols: XSB_SYMBOLS })
    expect(v.board).toBe('#####\n#@$.#\n#####')
    expect(v.legend).toBe(sokobanLegend(XSB_SYMBOLS))
  })

  it('[§3.3] answers block and action names follow the shown vocabulary; the empty variant has none', () => {
    const v = sokobanTemplateVars({ level: LEVEL, shown: NUMERICAL_VOCABULARY })
    expect(v.action_names).toEqual(['1', '2', '3', '4'])
    expect(v.answers_block).toBe(
      'Answers:\n<answer> 1 </answer> | <answer> 2 </answer> | <answer> 3 </answer> | <answer> 4 </answer>\n' +
        'where 1 is Up, 2 is Down, 3 is Left, 4 is Right.',
    )
    const empty = sokobanTemplateVars({ level: LEVEL, shown: null })
    expect([empty.answers_block, empty.action_names]).toEqual(['', []])
  })

  it('[§3.4] training targets use the accepted vocabulary (Fake splits show another)', () => {
    const v = sokobanTemplateVars({ level: LEVEL, shown: NUMERICAL_VOCABULARY, optimalPlan: [RIGHT, DOWN] })
    expect(v.optimal_plan).toEqual(['Right', 'Down'])
    expect(v.optimal_action).toBe('Right')
    const w = sokobanTemplateVars({ level: LEVEL, shown: NUMERICAL_VOCABULARY, accepted: NUMERICAL_VOCABULARY, optimalPlan: [RIGHT] })
    expect(w.optimal_plan).toEqual(['4'])
  })

  it('[§7.2, §10.25] the mixed-dataset style adds the blank line of create_mixed_dataset.py', () => {
    // The reference rewrites a base prompt with a regex; its blocks end with a newline.
    const tags = (n: readonly string[]) => n.map((w) => `<answer> ${w} </answer>`).join(' | ')
    const replaced = (prompt: string, names: readonly string[], explain: boolean): string => {
      const where = explain ? `where ${names[0]} is Up, ${names[1]} is Down, ${names[2]} is Left, ${names[3]} is Right.\n` : ''
      const block = `Answers:\n${tags(names)}\n${where}`
      return prompt.replace(/(Answers:\n[\s\S]*?)\n\s*Rewards:/i, () => `${block}\n\nRewards:`)
    }
    const template = paperTemplateLibrary().compiled('sokoban-single-action')
    const base = renderTemplate(template, sokobanTemplateVars({ level: LEVEL, shown: BASE_VOCABULARY })).text
    for (const [vocab, explain] of [[CARDINAL_VOCABULARY, false], [NUMERICAL_VOCABULARY, true], [RANDOM_VOCABULARY, true]] as const) {
      const vars = sokobanTemplateVars({ level: LEVEL, shown: vocab, answersStyle: 'mixed-dataset' })
      const text = renderTemplate(template, vars).text
      expect(text).toBe(replaced(base, vocab.names, explain))
      expect(text).toContain('</answer>\n' + (explain ? `where` : '\n\nRewards:'))
    }
    expect(() => sokobanTemplateVars({ level: LEVEL, shown: null, answersStyle: 'mixed-dataset' })).toThrow(/needs a shown vocabulary/)
  })

  it('leaves optional inputs absent, so strict templates notice them', () => {
    const v = sokobanTemplateVars({ level: LEVEL, shown: BASE_VOCABULARY })
    for (const k of ['len_horizon', 'optimal_plan', 'optimal_action', 'cot']) expect(k in v).toBe(false)
  })
})

describe('gpTemplateVars', () => {
  it('fills the paper fields; num_cards follows the hand', () => {
    const v = gpTemplateVars({ cards: ['A', 'K', '3', '3', '9'], faceCardMsg: 'm' })
    expect(v).toEqual({ cards: ['A', 'K', '3', '3', '9'], face_card_msg: 'm', target_number: 24, num_cards: 5 })
  })
})
