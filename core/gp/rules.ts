/**
 * @module core/gp/rules
 * Face-card rules: what J, Q and K count as (paper-tasks.md §6.2). The paper names 23 mappings
 * (8 uniform, 15 non-uniform) and groups them into training presets; the test splits also use
 * "fake" rules, where the prompt shows one rule and the verifier scores with another (§6.3).
 *
 * The paper's `extensive` (17 mappings) and `custom` (3 mappings) presets are not listed here:
 * the specification gives only their sizes, not their members.
 */

/** Values of J, Q and K. */
export interface FaceRule {
  /** A mapping name from the paper (`all_10`, `mixed_8_9_10`, ...) or a generated one for user rules. */
  readonly name: string
  readonly jack: number
  readonly queen: number
  readonly king: number
}

/** A rule shown in the prompt that differs from the rule the verifier scores with. */
export interface FakeRule {
  readonly shown: FaceRule
  readonly scored: FaceRule
}

/** Either an honest rule (shown = scored) or a fake one. */
export type RuleSetting = FaceRule | FakeRule

/** `paper`: the dataset scripts' `face_card_msg`; `env`: the env-based and SFTvsRL-derived wording. */
export type MessageStyle = 'paper' | 'env'

function mapping(name: string, jack: number, queen: number, king: number): FaceRule {
  return Object.freeze({ name, jack, queen, king })
}

/** The 8 uniform mappings all_5, all_7 ... all_13 (J = Q = K). */
export const UNIFORM_RULES: readonly FaceRule[] = [5, 7, 8, 9, 10, 11, 12, 13].map((v) => mapping(`all_${v}`, v, v, v))

/** The 15 non-uniform mappings, in the paper's table order (values for J, Q, K as in the name). */
export const NON_UNIFORM_RULES: readonly FaceRule[] = [
  'mixed_9_10_11', 'mixed_10_11_12', 'mixed_8_9_10', 'mixed_11_12_13', 'mixed_9_11_13', 'mixed_7_9_11',
  'mixed_8_10_12', 'sequential_7_8_9', 'sequential_8_9_10', 'skip_6_8_10', 'skip_7_9_11', 'skip_8_10_12',
  'skip_9_11_13', 'low_range_5_7_9', 'mid_range_8_10_12',
].map((name) => {
  const [jack, queen, king] = name.split('_').slice(-3).map(Number)
  return mapping(name, jack, queen, king)
})

/** All 23 named mappings of the paper: the uniform ones, then the non-uniform ones. */
export const FACE_RULES: readonly FaceRule[] = [...UNIFORM_RULES, ...NON_UNIFORM_RULES]

function named(name: string): FaceRule {
  const rule = FACE_RULES.find((r) => r.name === name)
  if (rule === undefined) throw new Error(`internal: no face-card mapping named ${name}`)
  return rule
}

/** J, Q, K = 10 (the in-distribution rule). */
export const ALL_10: FaceRule = named('all_10')
/** J, Q, K = 11, 12, 13: the paper's `face_card_as_regular` rule (mapping `mixed_11_12_13`). */
export const REGULAR: FaceRule = named('mixed_11_12_13')

/** Training presets whose members the paper lists (§6.2); `mixed` is the one the paper trains on. */
export const TRAINING_PRESETS: Readonly<Record<'basic' | 'mixed' | 'diverse', readonly FaceRule[]>> = {
  basic: [ALL_10],
  mixed: ['all_8', 'all_9', 'all_10', 'mixed_8_9_10', 'sequential_7_8_9', 'sequential_8_9_10', 'low_range_5_7_9',
    'skip_6_8_10'].map(named),
  diverse: ['all_10', 'all_11', 'all_13', 'mixed_9_10_11', 'mixed_10_11_12', 'skip_7_9_11', 'skip_8_10_12',
    'skip_9_11_13'].map(named),
}

/** `gp_l_fake`: the prompt shows J = 11, Q = 12, K = 13; the verifier counts them as 10. */
export const FAKE_REGULAR: FakeRule = Object.freeze({ shown: REGULAR, scored: ALL_10 })
/** `gp_l_all_5_fake`: the prompt shows "all count as '5'"; the verifier counts them as 10. */
export const FAKE_ALL_5: FakeRule = Object.freeze({ shown: named('all_5'), scored: ALL_10 })

/** The largest face value a user rule may give (keeps solver arithmetic comfortably exact). */
export const MAX_FACE_VALUE = 1_000_000

/**
 * A user-defined rule. Each value must be an integer in 1..MAX_FACE_VALUE; otherwise throws an
 * `Error` saying which card is wrong. Named `all_{v}` when uniform, else `custom_{j}_{q}_{k}`.
 */
export function customFaceRule(jack: number, queen: number, king: number): FaceRule {
  for (const [card, v] of [['J', jack], ['Q', queen], ['K', king]] as const) {
    if (!Number.isInteger(v) || v < 1 || v > MAX_FACE_VALUE) {
      throw new Error(`face-card rule: '${card}' must count as an integer from 1 to ${MAX_FACE_VALUE}, got ${v}`)
    }
  }
  const name = jack === queen && queen === king ? `all_${jack}` : `custom_${jack}_${queen}_${king}`
  return mapping(name, jack, queen, king)
}

/**
 * Looks a rule up by text: one of the 23 mapping names, `regular` (J/Q/K = 11/12/13), a single
 * value `v` (J = Q = K = v) or three values `j,q,k`. Throws an `Error` listing the accepted forms.
 */
export function parseFaceRule(text: string): FaceRule {
  const t = text.trim()
  const byName = FACE_RULES.find((r) => r.name === t)
  if (byName !== undefined) return byName
  if (t === 'regular' || t === 'face_card_as_regular') return REGULAR
  const numbers = /^\d+$/.test(t) ? [t, t, t] : /^\d+\s*,\s*\d+\s*,\s*\d+$/.test(t) ? t.split(',') : null
  if (numbers !== null) {
    const [jack, queen, king] = numbers.map((s) => Number(s.trim()))
    const rule = customFaceRule(jack, queen, king)
    return FACE_RULES.find((r) => r.name === rule.name) ?? rule
  }
  throw new Error(
    `unknown face-card rule "${text}": use a mapping name (${FACE_RULES.map((r) => r.name).join(', ')}), `
    + '"regular" (J/Q/K = 11/12/13), one value "v" (J = Q = K = v) or three values "j,q,k"',
  )
}

/** True when J, Q and K count the same. */
export function isUniform(rule: FaceRule): boolean {
  return rule.jack === rule.queen && rule.queen === rule.king
}

/** True for a fake rule (shown and scored rules given separately). */
export function isFakeRule(rule: RuleSetting): rule is FakeRule {
  return 'shown' in rule
}

/** The rule the prompt shows. */
export function shownRule(rule: RuleSetting): FaceRule {
  return isFakeRule(rule) ? rule.shown : rule
}

/** The rule the verifier scores with (the values a formula must use). */
export function scoredRule(rule: RuleSetting): FaceRule {
  return isFakeRule(rule) ? rule.scored : rule
}

/**
 * The prompt's face-card sentence, verbatim (§6.2). `paper` (default):
 * `'J', 'Q', and 'K' all count as '10'` or `'J' counts as '9', 'Q' counts as '10', and 'K' counts as '11'`.
 * `env`: `'J', 'Q', and 'K' count as '10'` or `'J', 'Q', and 'K' count as '11', '12', and '13' respectively`.
 */
export function faceCardMessage(rule: FaceRule, style: MessageStyle = 'paper'): string {
  const { jack, queen, king } = rule
  if (style === 'env') {
    return isUniform(rule)
      ? `'J', 'Q', and 'K' count as '${jack}'`
      : `'J', 'Q', and 'K' count as '${jack}', '${queen}', and '${king}' respectively`
  }
  return isUniform(rule)
    ? `'J', 'Q', and 'K' all count as '${jack}'`
    : `'J' counts as '${jack}', 'Q' counts as '${queen}', and 'K' counts as '${king}'`
}
