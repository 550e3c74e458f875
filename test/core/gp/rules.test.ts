// Face-card rules: the 23 mappings and the presets of paper-tasks.md §6.2, the prompt's face-card
// sentence verbatim, user rules, and fake rules (§6.3).
import { describe, expect, it } from 'vitest'
import {
  ALL_10, FACE_RULES, FAKE_ALL_5, FAKE_REGULAR, NON_UNIFORM_RULES, REGULAR, TRAINING_PRESETS, UNIFORM_RULES,
  customFaceRule, faceCardMessage, isFakeRule, isUniform, parseFaceRule, scoredRule, shownRule,
} from '../../../core/gp/rules.ts'

const SPEC_UNIFORM = ['all_5', 'all_7', 'all_8', 'all_9', 'all_10', 'all_11', 'all_12', 'all_13']
const SPEC_NON_UNIFORM: Record<string, [number, number, number]> = {
  mixed_9_10_11: [9, 10, 11], mixed_10_11_12: [10, 11, 12], mixed_8_9_10: [8, 9, 10], mixed_11_12_13: [11, 12, 13],
  mixed_9_11_13: [9, 11, 13], mixed_7_9_11: [7, 9, 11], mixed_8_10_12: [8, 10, 12], sequential_7_8_9: [7, 8, 9],
  sequential_8_9_10: [8, 9, 10], skip_6_8_10: [6, 8, 10], skip_7_9_11: [7, 9, 11], skip_8_10_12: [8, 10, 12],
  skip_9_11_13: [9, 11, 13], low_range_5_7_9: [5, 7, 9], mid_range_8_10_12: [8, 10, 12],
}

const names = (rules: readonly { name: string }[]) => rules.map((r) => r.name)

describe('face-card rules', () => {
  it('[§6.2] has the 8 uniform mappings with J = Q = K = v', () => {
    expect(names(UNIFORM_RULES)).toEqual(SPEC_UNIFORM)
    for (const rule of UNIFORM_RULES) {
      const v = Number(rule.name.slice(4))
      expect([rule.jack, rule.queen, rule.king]).toEqual([v, v, v])
    }
  })

  it('[§6.2] has the 15 non-uniform mappings with the values in their names', () => {
    expect(names(NON_UNIFORM_RULES).sort()).toEqual(Object.keys(SPEC_NON_UNIFORM).sort())
    for (const rule of NON_UNIFORM_RULES) expect([rule.jack, rule.queen, rule.king]).toEqual(SPEC_NON_UNIFORM[rule.name])
    expect(FACE_RULES).toHaveLength(23)
  })

  it('[§6.2] lists the training presets basic, mixed and diverse', () => {
    expect(names(TRAINING_PRESETS.basic)).toEqual(['all_10'])
    expect(names(TRAINING_PRESETS.mixed)).toEqual([
      'all_8', 'all_9', 'all_10', 'mixed_8_9_10', 'sequential_7_8_9', 'sequential_8_9_10', 'low_range_5_7_9', 'skip_6_8_10',
    ])
    expect(names(TRAINING_PRESETS.diverse)).toEqual([
      'all_10', 'all_11', 'all_13', 'mixed_9_10_11', 'mixed_10_11_12', 'skip_7_9_11', 'skip_8_10_12', 'skip_9_11_13',
    ])
  })

  it('[§6.2] writes the paper\'s face-card sentence verbatim', () => {
    expect(faceCardMessage(ALL_10)).toBe("'J', 'Q', and 'K' all count as '10'")
    expect(faceCardMessage(parseFaceRule('all_5'))).toBe("'J', 'Q', and 'K' all count as '5'")
    expect(faceCardMessage(parseFaceRule('mixed_9_10_11'))).toBe("'J' counts as '9', 'Q' counts as '10', and 'K' counts as '11'")
    expect(faceCardMessage(REGULAR)).toBe("'J' counts as '11', 'Q' counts as '12', and 'K' counts as '13'")
  })

  it('[§6.2, §10.27] writes the env / SFTvsRL sentence verbatim', () => {
    expect(faceCardMessage(ALL_10, 'env')).toBe("'J', 'Q', and 'K' count as '10'")
    expect(faceCardMessage(REGULAR, 'env')).toBe("'J', 'Q', and 'K' count as '11', '12', and '13' respectively")
  })

  it('parses names, "regular", one value and three values', () => {
    expect(parseFaceRule('skip_6_8_10')).toBe(FACE_RULES.find((r) => r.name === 'skip_6_8_10'))
    expect(parseFaceRule('regular')).toEqual(REGULAR)
    expect(parseFaceRule('face_card_as_regular')).toEqual(REGULAR)
    expect(parseFaceRule('10')).toEqual(ALL_10)
    expect(parseFaceRule('6')).toEqual({ name: 'all_6', jack: 6, queen: 6, king: 6 })
    expect(parseFaceRule('1, 2,3')).toEqual({ name: 'custom_1_2_3', jack: 1, queen: 2, king: 3 })
    expect(isUniform(parseFaceRule('6'))).toBe(true)
    expect(isUniform(REGULAR)).toBe(false)
  })

  it('rejects unknown rules and out-of-range values, saying what is accepted', () => {
    expect(() => parseFaceRule('all_6x')).toThrow(/unknown face-card rule "all_6x": use a mapping name \(all_5,/)
    expect(() => parseFaceRule('1,2')).toThrow(/"j,q,k"/)
    expect(() => customFaceRule(0, 5, 5)).toThrow(/'J' must count as an integer from 1 to 1000000, got 0/)
    expect(() => customFaceRule(5, 5.5, 5)).toThrow(/'Q' must count/)
    expect(() => parseFaceRule('5,5,2000000')).toThrow(/'K' must count/)
  })

  it('[§6.3] fake rules show one rule and score with another', () => {
    expect(isFakeRule(FAKE_REGULAR)).toBe(true)
    expect(isFakeRule(ALL_10)).toBe(false)
    expect(faceCardMessage(shownRule(FAKE_REGULAR))).toBe("'J' counts as '11', 'Q' counts as '12', and 'K' counts as '13'")
    expect(scoredRule(FAKE_REGULAR)).toEqual(ALL_10)
    expect(faceCardMessage(shownRule(FAKE_ALL_5))).toBe("'J', 'Q', and 'K' all count as '5'")
    expect(scoredRule(FAKE_ALL_5)).toEqual(ALL_10)
    expect(shownRule(ALL_10)).toBe(ALL_10)
    expect(scoredRule(ALL_10)).toBe(ALL_10)
  })
})
