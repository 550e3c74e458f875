// Seeded deals: determinism per (seed, index), ood forcing, deck deals without repeats, fake
// rules, redraw-until-solvable with a clear error, and the deal distribution checked against the
// probabilities of environments.md §9 (a deterministic sample, so the check cannot flake).
import { describe, expect, it } from 'vitest'
import { DEFAULT_DEAL_SETTINGS, dealHand, dealSettings, type DealSettings } from '../../../core/gp/deal.ts'
import { isSolvable } from '../../../core/gp/solver.ts'
import { ALL_10, FAKE_ALL_5, FAKE_REGULAR, REGULAR } from '../../../core/gp/rules.ts'
import { suitColor } from '../../../core/gp/cards.ts'

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i)

function hands(settings: DealSettings, seed: number, count: number) {
  return range(count).map((i) => dealHand(settings, seed, i))
}

describe('deal: determinism', () => {
  it('hand i depends only on (seed, i), whatever order hands are dealt in', () => {
    const s = dealSettings({ ood: 'face', rule: ALL_10 })
    const forward = range(40).map((i) => dealHand(s, 5, i))
    const backward = range(40).reverse().map((i) => dealHand(s, 5, i)).reverse()
    expect(backward).toEqual(forward)
    expect(dealHand(s, 5, 17)).toEqual(forward[17])
  })

  it('different seeds and indices give different hands', () => {
    const s = dealSettings({ numCards: 6, requireSolvable: false })
    const keys = new Set<string>()
    for (const seed of [1, 2, 3]) for (const i of range(30)) keys.add(dealHand(s, seed, i).cards.map((c) => c.rank).join(','))
    expect(keys.size).toBeGreaterThan(85)
  })

  it('ranks do not change when suits are drawn as well', () => {
    const plain = hands(dealSettings({ requireSolvable: false }), 9, 30)
    const suited = hands(dealSettings({ requireSolvable: false, suits: true }), 9, 30)
    expect(suited.map((h) => h.cards.map((c) => c.rank))).toEqual(plain.map((h) => h.cards.map((c) => c.rank)))
    expect(suited.every((h) => h.cards.every((c) => c.suit !== undefined))).toBe(true)
  })
})

describe('deal: what is dealt', () => {
  it('[§6.1] ood "face" puts at least one J, Q or K in every hand', () => {
    for (const h of hands(dealSettings({ ood: 'face', requireSolvable: false }), 3, 300)) {
      expect(h.cards.some((c) => c.rank >= 11 && c.rank <= 13)).toBe(true)
      expect(h.cards.every((c) => c.rank >= 1 && c.rank <= 13)).toBe(true)
    }
  })

  it('[§6.1] ood "high" puts a card in 14..largest in every hand, and nothing above largest', () => {
    for (const h of hands(dealSettings({ ood: 'high', largestRank: 19, rule: ALL_10 }), 3, 300)) {
      expect(h.cards.some((c) => c.rank >= 14)).toBe(true)
      expect(h.cards.every((c) => c.rank >= 1 && c.rank <= 19)).toBe(true)
      expect(h.values.filter((v) => v >= 14)).toEqual(h.cards.map((c) => c.rank).filter((r) => r >= 14))
    }
  })

  it('a deck deal never repeats a card and respects the face-card colour', () => {
    const s = dealSettings({ mode: 'deck', numCards: 6, faceCardColor: 'black', requireSolvable: false })
    for (const h of hands(s, 4, 300)) {
      const labels = h.cards.map((c) => `${c.rank}${c.suit}`)
      expect(new Set(labels).size).toBe(6)
      for (const c of h.cards) if (c.rank >= 11 && c.rank <= 13) expect(suitColor(c.suit!)).toBe('black')
    }
  })

  it('a deck of 8 cards (ranks 1-2, four suits) deals at most four of a rank', () => {
    const s = dealSettings({ mode: 'deck', numCards: 6, largestRank: 2, requireSolvable: false })
    for (const h of hands(s, 2, 50)) {
      expect(h.cards.filter((c) => c.rank === 1).length).toBeGreaterThanOrEqual(2)
      expect(h.cards.filter((c) => c.rank === 2).length).toBeGreaterThanOrEqual(2)
    }
  })

  it('[§6.3] a fake rule scores with 10 but shows its own values', () => {
    for (const h of hands(dealSettings({ ood: 'face', rule: FAKE_REGULAR }), 1, 50)) {
      h.cards.forEach((c, k) => {
        expect(h.shownValues[k]).toBe(c.rank)
        expect(h.values[k]).toBe(Math.min(c.rank, 10))
      })
      expect(isSolvable(h.values, 24)).toBe(true)
    }
    const five = dealHand(dealSettings({ ood: 'face', rule: FAKE_ALL_5 }), 1, 0)
    expect(five.shownValues.filter((_, k) => five.cards[k].rank > 10).every((v) => v === 5)).toBe(true)
  })

  it('redraws until the verifier values make the target, and counts the redraws', () => {
    const s = dealSettings({ numCards: 4, target: 100, rule: ALL_10 })
    const dealt = hands(s, 8, 60)
    for (const h of dealt) expect(isSolvable(h.values, 100)).toBe(true)
    expect(dealt.some((h) => h.redraws > 0)).toBe(true)
  })
})

describe('deal: distribution (environments.md §9)', () => {
  const share = (settings: DealSettings, count: number): number =>
    hands(settings, 11, count).filter((h) => isSolvable(h.values, 24)).length / count

  it('[§9] a uniform 4-card deal is solvable with P 0.792 (J/Q/K = 11/12/13) and 0.731 (J/Q/K = 10)', () => {
    expect(Math.abs(share(dealSettings({ requireSolvable: false }), 3000) - 0.792)).toBeLessThan(0.035)
    expect(Math.abs(share(dealSettings({ requireSolvable: false, rule: ALL_10 }), 3000) - 0.731)).toBeLessThan(0.035)
  })

  it('[§9] the ood deal (one forced face card) is solvable with P 0.731 and 0.588', () => {
    expect(Math.abs(share(dealSettings({ requireSolvable: false, ood: 'face' }), 3000) - 0.731)).toBeLessThan(0.035)
    expect(Math.abs(share(dealSettings({ requireSolvable: false, ood: 'face', rule: ALL_10 }), 3000) - 0.588)).toBeLessThan(0.035)
  })

  it('[env §10] needs about 1.26 deals per solvable hand (J/Q/K = 11/12/13)', () => {
    const dealt = hands(dealSettings({ rule: REGULAR }), 12, 2000)
    const meanDeals = 1 + dealt.reduce((sum, h) => sum + h.redraws, 0) / dealt.length
    expect(Math.abs(meanDeals - 1.26)).toBeLessThan(0.05)
  })
})

describe('deal: errors', () => {
  it('says plainly when no hand of the settings can make the target', () => {
    const s = dealSettings({ numCards: 2, target: 1000 })
    expect(() => dealHand(s, 1, 0)).toThrow(/no hand of 2 cards of ranks 1\.\.13 .* can make 1000/)
  })

  it('says when the redraws ran out though solvable hands exist', () => {
    const s = dealSettings({ numCards: 4, target: 1, maxRedraws: 0, largestRank: 13 })
    // Find an index whose first draw fails, then expect the "raise maxRedraws" message.
    const failing = range(50).find((i) => !isSolvable(dealHand({ ...s, requireSolvable: false }, 1, i).values, 1))
    expect(failing).toBeDefined()
    expect(() => dealHand(s, 1, failing!)).toThrow(/none of 1 draws .* made 1 \(hand \d+, seed 1\): raise maxRedraws/)
  })

  it('validates settings, naming the field and the fix', () => {
    expect(() => dealSettings({ numCards: 7 })).toThrow(/numCards must be 2 to 6, got 7/)
    expect(() => dealSettings({ numCards: 1 })).toThrow(/numCards must be 2 to 6/)
    expect(() => dealSettings({ largestRank: 20 })).toThrow(/largestRank must be 1 to 19/)
    expect(() => dealSettings({ ood: 'high' })).toThrow(/'high' needs largestRank >= 14 .* use ood 'face'/)
    expect(() => dealSettings({ ood: 'face', largestRank: 10 })).toThrow(/'face' needs largestRank >= 11/)
    expect(() => dealSettings({ target: 0.5 })).toThrow(/target must be a safe integer/)
    expect(() => dealSettings({ mode: 'deck', largestRank: 1, numCards: 6 })).toThrow(/6 exceeds the 4 cards of the deck/)
    expect(DEFAULT_DEAL_SETTINGS).toMatchObject({ numCards: 4, target: 24, largestRank: 13, maxRedraws: 50 })
  })
})
