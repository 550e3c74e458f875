/**
 * A General Points hand drawn as playing cards: the rank in the corners and the middle, the suit
 * when the card has one (its symbol, so the suit never depends on colour), and under a card whose
 * value differs from its rank (J, Q, K under a face-card rule) the value the verifier uses.
 */
import { cardString, parseCard, suitColor, SUIT_SYMBOLS, type Card } from '../../../core/gp/cards.ts'
import './viewers.css'

export interface CardHandProps {
  /** The cards as the task writes them (`Q`, `10H`, `K♠`). */
  readonly cards: readonly string[]
  /** The values the verifier scores each card with (same order), shown when they differ from the rank. */
  readonly values?: readonly number[]
  /** `small` for galleries (default `large`). */
  readonly size?: 'small' | 'large'
}

function readCard(text: string): Card | null {
  try {
    return parseCard(text)
  } catch {
    // Not a card the parser knows (a custom task): the raw text is drawn instead.
    return null
  }
}

function cardName(card: Card): string {
  const rank = { A: 'ace', J: 'jack', Q: 'queen', K: 'king' }[cardString(card.rank)] ?? String(card.rank)
  const suit = card.suit === undefined ? '' : ` of ${{ S: 'spades', H: 'hearts', D: 'diamonds', C: 'clubs' }[card.suit]}`
  return rank + suit
}

/** A row of playing cards. */
export function CardHand({ cards, values, size = 'large' }: CardHandProps) {
  return (
    <ul className={`card-hand ${size}`} aria-label={`Hand: ${cards.join(', ')}`} data-testid="card-hand">
      {cards.map((text, i) => {
        const card = readCard(text)
        const rank = card === null ? text : cardString(card.rank)
        const suit = card?.suit === undefined ? '' : SUIT_SYMBOLS[card.suit]
        const red = card?.suit !== undefined && suitColor(card.suit) === 'red'
        const value = values?.[i]
        const shownValue = value !== undefined && card !== null && value !== card.rank ? value : null
        return (
          <li key={i} className="card-slot">
            <div className={red ? 'playing-card red' : 'playing-card'} title={card === null ? text : cardName(card)} data-card={text}>
              <span className="corner top">
                {rank}
                {suit ? <span className="suit">{suit}</span> : null}
              </span>
              <span className="centre">{rank}</span>
              {suit ? <span className="centre-suit">{suit}</span> : null}
              <span className="corner bottom" aria-hidden="true">
                {rank}
                {suit ? <span className="suit">{suit}</span> : null}
              </span>
            </div>
            {shownValue !== null ? (
              <span className="card-value" data-testid="card-value">
                = {shownValue}
              </span>
            ) : null}
          </li>
        )
      })}
    </ul>
  )
}
