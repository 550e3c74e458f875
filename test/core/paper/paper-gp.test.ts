// Expected values: the gp_l_id task-0 worked trace of paper-rng.md §6; the split table of paper-rng
// §3.1; the answer-only target printed in paper-tasks.md §6.1; the prompt template of §7.4; the
// shared first hand of §6.1 ("task 0 is ['2','7','Q','2'] in both gp_l_id and gp_l_fake").
import { describe, expect, it } from 'vitest'
import {
  PAPER_GP_SPLITS,
  paperGpAnswer,
  paperGpHand,
  paperGpQuestion,
  paperGpSplit,
} from '../../../core/paper/paper-gp.ts'
import { pyRepr } from '../../../core/prompt/python-repr.ts'
import { PyRandom } from '../../../core/paper/py-random.ts'
import { scoredRule, shownRule } from '../../../core/gp/rules.ts'

describe('split parameters', () => {
  it('[paper-rng §3.1] nine splits with their card counts, rules, ood forcing and largest card', () => {
    const rows = PAPER_GP_SPLITS.map((name) => {
      const s = paperGpSplit(name)
      const shown = shownRule(s.rule)
      const scored = scoredRule(s.rule)
      const values = (r: typeof shown) => `${r.jack}/${r.queen}/${r.king}`
      return [name, s.numCards, values(shown), values(scored), s.ood, s.largestCard].join(' ')
    })
    expect(rows).toEqual([
      'gp_l_id 4 10/10/10 10/10/10 true 13',
      'gp_l_all_5 4 5/5/5 5/5/5 true 13',
      'gp_l_all_7 4 7/7/7 7/7/7 true 13',
      'gp_l_all_12 4 12/12/12 12/12/12 true 13',
      'gp_l_face_card_as_regular 4 11/12/13 11/12/13 true 13',
      'gp_l_large 4 10/10/10 10/10/10 true 19',
      'gp_l_5cards 5 10/10/10 10/10/10 false 13',
      'gp_l_fake 4 11/12/13 10/10/10 true 13',
      'gp_l_all_5_fake 4 5/5/5 10/10/10 true 13',
    ])
    expect(() => paperGpSplit('gp_l_huge')).toThrow(/Known splits: gp_l_id/)
  })
})

describe('gp_l_id task 0 (seed 42)', () => {
  it('[paper-rng §6] first hand: randbelow(13) x3 -> 10, 1, 0; randbelow(3) -> 2; shuffle 2, 0, 0', () => {
    const py = new PyRandom(42)
    expect([py.randbelow(13), py.randbelow(13), py.randbelow(13), py.randbelow(3)]).toEqual([10, 1, 0, 2])
    expect([py.randbelow(4), py.randbelow(3), py.randbelow(2)]).toEqual([2, 0, 0])
  })

  it('[paper-rng §6] two redraws lead to [2, 7, Q, 2] with 4 solutions; the stored one is (10/2+7)*2', () => {
    const hand = paperGpHand('gp_l_id', 0)
    expect(hand.seed).toBe(42)
    expect(hand.cards).toEqual(['2', '7', 'Q', '2'])
    expect(hand.ranks).toEqual([2, 7, 12, 2])
    expect(hand.displayValues).toEqual([2, 7, 10, 2])
    expect(hand.redraws).toBe(2)
    expect(hand.solutions).toHaveLength(4)
    expect(hand.solutionCount).toBe(4)
    expect(hand.solution).toBe('(10/2+7)*2')
  })

  it('[§6.1] the answer-only target text', () => {
    expect(paperGpHand('gp_l_id', 0).answer).toBe(
      '{\n"cards": ["2", "7", "Q", "2"],\n "number": [2, 7, 10, 2],\n "formula": "(10/2+7)*2"\n}',
    )
  })

  it('[§7.4] the question text', () => {
    const msg = "'J', 'Q', and 'K' all count as '10'"
    expect(paperGpHand('gp_l_id', 0).question).toBe(
      '\n[Task Description]\nYou are an expert 24 points card game player. You will receive a set of 4 cards.\n' +
        `Note that ${msg}, and each card must be used once.\n` +
        'Your goal is to output a formula that evaluates to 24 using numbers from the cards and operators such as ' +
        "'+', '-', '*', '/', '(', ')', and '='.\n" +
        "\n[Input]\nCards: ['2', '7', 'Q', '2']\n\n[Output]\n{\n" +
        `  "cards": [x, y, z, w], where ${msg},\n` +
        '  "number": [a, b, c, d], where a, b, c, and d are the numbers on the cards,\n' +
        "  \"formula\": 'an equation that equals 24',\n}\n\n",
    )
  })
})

describe('splits', () => {
  it('[§6.1] gp_l_fake task 0 is the same hand as gp_l_id task 0, shown with J=11, Q=12, K=13', () => {
    const fake = paperGpHand('gp_l_fake', 0)
    expect(fake.cards).toEqual(['2', '7', 'Q', '2'])
    expect(fake.displayValues).toEqual([2, 7, 10, 2])
    expect(fake.question).toContain("Note that 'J' counts as '11', 'Q' counts as '12', and 'K' counts as '13', and")
  })

  it('[paper-rng §3.2] the 4-card ood splits share the first drawn hand; all_5 keeps it (2, 5, 5, 1)', () => {
    expect(paperGpHand('gp_l_all_5', 0).cards).toEqual(['2', 'K', 'J', 'A'])
    expect(paperGpHand('gp_l_all_5', 0).redraws).toBe(0)
    expect(paperGpHand('gp_l_face_card_as_regular', 0).displayValues).toEqual([2, 13, 11, 1])
  })

  it('[§6.1] every hand has its forced card, the right size, and a stored solution from its list', () => {
    for (const split of PAPER_GP_SPLITS) {
      const s = paperGpSplit(split)
      for (let i = 0; i < 8; i++) {
        const h = paperGpHand(split, i)
        expect(h.cards).toHaveLength(s.numCards)
        expect(h.solutions).toContain(h.solution)
        expect(h.ranks.every((r) => r >= 1 && r <= s.largestCard)).toBe(true)
        if (split === 'gp_l_large') expect(h.ranks.some((r) => r >= 14)).toBe(true)
        else if (s.ood) expect(h.ranks.some((r) => r >= 11)).toBe(true)
        const used = (h.solution.match(/\d+/g) as string[]).map(Number).sort((a, b) => a - b)
        expect(used).toEqual([...h.displayValues].sort((a, b) => a - b))
      }
    }
  })

  it('is a pure function of (split, index)', () => {
    const a = paperGpHand('gp_l_5cards', 3)
    paperGpHand('gp_l_5cards', 4)
    expect(paperGpHand('gp_l_5cards', 3)).toEqual(a)
    expect(() => paperGpHand('gp_l_id', -1)).toThrow(/non-negative integer/)
  })
})

describe('prompt text', () => {
  it("[§7.4] prints the Cards line with Python's list repr of strings", () => {
    expect(pyRepr(['2', '10', 'K'])).toBe("['2', '10', 'K']")
    expect(pyRepr(["it's", 'a"b', ''])).toBe(`["it's", 'a"b', '']`)
    expect(pyRepr([])).toBe('[]')
  })

  it('[§7.4] a 5-card prompt keeps the 4-card placeholders', () => {
    const q = paperGpQuestion(['A', '2', '3', '4', '5'], "'J', 'Q', and 'K' all count as '10'")
    expect(q).toContain('You will receive a set of 5 cards.')
    expect(q).toContain('"cards": [x, y, z, w]')
    expect(paperGpAnswer(['A'], [1], '1')).toBe('{\n"cards": ["A"],\n "number": [1],\n "formula": "1"\n}')
  })
})
