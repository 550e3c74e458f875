/**
 * The variant form of a template cell: pick a named variant, or edit one (which saves it in the cell
 * as an inline variant under its own name): Sokoban's shown and accepted vocabularies, symbol set
 * and parser; General Points' shown and scored face-card rules, wording and verifier; and the chat
 * formatting of either. Every edit is checked with core's variant schema before it is saved; an
 * edit that fails keeps its text in the form with the reason.
 */
import { useEffect, useState } from 'react'
import { VARIANTS, type GpVariantSpec, type SokobanVariantSpec, type VariantSpec } from '../../../core/experiment/variant.ts'
import { SelectField, TextField } from '../components/fields.tsx'
import {
  ACCEPTED_VOCABULARY_OPTIONS,
  RENDERER_OPTIONS,
  RULE_OPTIONS,
  SHOWN_VOCABULARY_OPTIONS,
  SYMBOL_FIELDS,
  chatChoice,
  chatFromChoice,
  chatOptions,
  checkVariant,
  editableVariant,
  namesText,
  rendererChoice,
  resolveVariant,
  ruleChoice,
  ruleFromChoice,
  symbolsOf,
  vocabularyChoice,
  vocabularyFromChoice,
} from './variant-form.ts'

export interface VariantFormProps {
  readonly variant: string | VariantSpec
  readonly task: 'sokoban' | 'gp'
  readonly readOnly: boolean
  readonly onChange: (variant: string | VariantSpec) => void
}

/** Text fields keep what is typed (even when invalid) until the variant changes from outside. */
type Drafts = Readonly<Record<string, string>>

export function VariantForm({ variant, task, readOnly, onChange }: VariantFormProps) {
  const spec = resolveVariant(variant)
  const [drafts, setDrafts] = useState<Drafts>({})
  const [error, setError] = useState<string | null>(null)
  const identity = JSON.stringify(variant)
  useEffect(() => {
    setDrafts({})
    setError(null)
  }, [identity])

  const named = VARIANTS.filter((v) => v.task === task)
  const inline = typeof variant !== 'string'
  const options: [string, string][] = named.map((v) => [v.name, v.name])
  const selected = inline ? '(inline)' : variant
  if (inline) options.unshift(['(inline)', `${spec.name} (saved in this cell)`])
  else if (!named.some((v) => v.name === variant)) options.unshift([variant, `${variant} (unknown)`])

  /** Applies an edit to an editable copy and saves it when core's schema accepts it. */
  const commit = (change: (draft: VariantSpec) => VariantSpec | string, draftKey?: string, draftText?: string): void => {
    if (draftKey !== undefined && draftText !== undefined) setDrafts((d) => ({ ...d, [draftKey]: draftText }))
    let next: VariantSpec | string
    try {
      next = change(editableVariant(variant))
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e))
      return
    }
    if (typeof next === 'string') {
      setError(next)
      return
    }
    const checked = checkVariant(next)
    if (!checked.ok) {
      setError(checked.message)
      return
    }
    setError(null)
    onChange(checked.spec)
  }
  const draft = (key: string, fallback: string): string => drafts[key] ?? fallback

  return (
    <div className="variant-form">
      <div className="form">
        <SelectField
          label="Variant"
          value={selected}
          disabled={readOnly}
          options={options}
          onChange={(value) => {
            if (value !== '(inline)') onChange(value)
          }}
        />
        <TextField
          label="Name"
          value={draft('name', spec.name)}
          disabled={readOnly}
          hint={inline ? undefined : 'Editing saves a copy in this cell'}
          onChange={(text) => commit((d) => (text.trim() === '' ? 'the variant needs a name' : { ...d, name: text.trim() }), 'name', text)}
        />
        <SelectField
          label="Chat formatting"
          value={chatChoice(spec.chat)}
          disabled={readOnly}
          options={chatOptions()}
          onChange={(choice) => commit((d) => ({ ...d, chat: chatFromChoice(choice) }))}
        />
        {spec.task === 'sokoban' ? (
          <SokobanFields spec={spec} readOnly={readOnly} draft={draft} commit={commit} />
        ) : (
          <GpFields spec={spec} readOnly={readOnly} draft={draft} commit={commit} />
        )}
        <div className="field wide">
          <span>Description</span>
          <div className="meta">{spec.description ?? '—'}</div>
        </div>
      </div>
      {error !== null ? (
        <div className="variant-error" role="alert" data-testid="variant-error">
          Not saved: {error}
        </div>
      ) : null}
    </div>
  )
}

interface FieldsProps<S> {
  readonly spec: S
  readonly readOnly: boolean
  readonly draft: (key: string, fallback: string) => string
  readonly commit: (change: (draft: VariantSpec) => VariantSpec | string, draftKey?: string, draftText?: string) => void
}

function sokoban(d: VariantSpec): SokobanVariantSpec {
  if (d.task !== 'sokoban') throw new Error('This field belongs to Sokoban variants.')
  return d
}

function gp(d: VariantSpec): GpVariantSpec {
  if (d.task !== 'gp') throw new Error('This field belongs to General Points variants.')
  return d
}

function SokobanFields({ spec, readOnly, draft, commit }: FieldsProps<SokobanVariantSpec>) {
  const { shown, accepted } = spec.vocabulary
  const shownChoice = vocabularyChoice(shown)
  const acceptedChoice = vocabularyChoice(accepted)
  const setVocabulary = (which: 'shown' | 'accepted', choice: string, names: string, key?: string): void =>
    commit(
      (d) => {
        const s = sokoban(d)
        const ref = vocabularyFromChoice(choice, names)
        if (ref !== null && typeof ref === 'object' && 'error' in ref) return `${which} names: ${ref.error}`
        return { ...s, vocabulary: { ...s.vocabulary, [which]: ref } } as VariantSpec
      },
      key,
      key === undefined ? undefined : names,
    )
  const renderer = rendererChoice(spec.renderer)
  const symbols = symbolsOf(spec.renderer)
  const setSymbol = (key: string, text: string): void =>
    commit(
      (d) => {
        const s = sokoban(d)
        const current = symbolsOf(s.renderer)
        const layout = typeof s.renderer === 'string' ? undefined : s.renderer.layout
        return { ...s, renderer: { symbols: { ...current, [key]: text }, ...(layout ? { layout } : {}) } } as VariantSpec
      },
      `symbol.${key}`,
      text,
    )
  return (
    <>
      <SelectField
        label="Shown vocabulary"
        value={shownChoice}
        disabled={readOnly}
        options={SHOWN_VOCABULARY_OPTIONS}
        onChange={(choice) => setVocabulary('shown', choice, namesText(shown) || 'Up, Down, Left, Right')}
      />
      {shownChoice === 'custom' ? (
        <TextField
          label="Shown names (Up, Down, Left, Right)"
          value={draft('shown', namesText(shown))}
          disabled={readOnly}
          onChange={(text) => setVocabulary('shown', 'custom', text, 'shown')}
        />
      ) : null}
      <SelectField
        label="Accepted vocabulary"
        value={acceptedChoice}
        disabled={readOnly}
        options={ACCEPTED_VOCABULARY_OPTIONS}
        onChange={(choice) => setVocabulary('accepted', choice, namesText(accepted === 'shown' ? shown : accepted) || 'Up, Down, Left, Right')}
      />
      {acceptedChoice === 'custom' ? (
        <TextField
          label="Accepted names (Up, Down, Left, Right)"
          value={draft('accepted', namesText(accepted))}
          disabled={readOnly}
          onChange={(text) => setVocabulary('accepted', 'custom', text, 'accepted')}
        />
      ) : null}
      <SelectField
        label="Symbol set"
        value={renderer}
        disabled={readOnly}
        options={RENDERER_OPTIONS}
        onChange={(choice) =>
          commit((d) => {
            const s = sokoban(d)
            if (choice === 'custom') return { ...s, renderer: { symbols: symbolsOf(s.renderer) } } as VariantSpec
            return { ...s, renderer: choice as 'paper' | 'xsb' }
          })
        }
      />
      <SelectField
        label="Answer parser"
        value={spec.parser}
        disabled={readOnly}
        options={[
          ['paper-eval', 'paper-eval (the evaluator)'],
          ['training-reward', 'training-reward'],
          ['lenient', 'lenient'],
        ]}
        onChange={(parser) => commit((d) => ({ ...sokoban(d), parser: parser as SokobanVariantSpec['parser'] }))}
      />
      {renderer === 'custom'
        ? SYMBOL_FIELDS.map(([key, label]) => (
            <TextField
              key={key}
              label={`${label} symbol`}
              mono
              value={draft(`symbol.${key}`, symbols[key])}
              disabled={readOnly}
              onChange={(text) => setSymbol(key, text)}
            />
          ))
        : null}
    </>
  )
}

function GpFields({ spec, readOnly, draft, commit }: FieldsProps<GpVariantSpec>) {
  const perInstance = spec.rule === 'instance'
  const rule = spec.rule === 'instance' ? null : spec.rule
  const setRule = (which: 'shown' | 'scored', choice: string, custom: string, key?: string): void =>
    commit(
      (d) => {
        const g = gp(d)
        const current = g.rule === 'instance' ? { shown: 'all_10', scored: 'all_10' } : g.rule
        const ref = ruleFromChoice(choice, custom)
        if (ref === '') return `${which} rule: give one value ("10") or three ("11,12,13") for J, Q and K`
        return { ...g, rule: { ...current, [which]: ref } }
      },
      key,
      key === undefined ? undefined : custom,
    )
  const shown = rule === null ? null : ruleChoice(rule.shown)
  const scored = rule === null ? null : ruleChoice(rule.scored)
  return (
    <>
      <SelectField
        label="Face-card rule"
        value={perInstance ? 'instance' : 'fixed'}
        disabled={readOnly}
        options={[
          ['instance', "each hand's own rule"],
          ['fixed', 'a fixed rule (shown / scored)'],
        ]}
        onChange={(choice) =>
          commit((d) => ({ ...gp(d), rule: choice === 'instance' ? 'instance' : { shown: 'all_10', scored: 'all_10' } }))
        }
      />
      {shown !== null && scored !== null ? (
        <>
          <SelectField label="Shown rule" value={shown.choice} disabled={readOnly} options={RULE_OPTIONS} onChange={(c) => setRule('shown', c, shown.custom || '10')} />
          {shown.choice === 'custom' ? (
            <TextField label="Shown J,Q,K" mono value={draft('shown', shown.custom)} disabled={readOnly} onChange={(t) => setRule('shown', 'custom', t, 'shown')} />
          ) : null}
          <SelectField label="Scored rule" value={scored.choice} disabled={readOnly} options={RULE_OPTIONS} onChange={(c) => setRule('scored', c, scored.custom || '10')} />
          {scored.choice === 'custom' ? (
            <TextField label="Scored J,Q,K" mono value={draft('scored', scored.custom)} disabled={readOnly} onChange={(t) => setRule('scored', 'custom', t, 'scored')} />
          ) : null}
        </>
      ) : null}
      <SelectField
        label="Rule wording"
        value={spec.message}
        disabled={readOnly}
        options={[
          ['paper', "the paper's dataset wording"],
          ['env', 'the environment wording'],
        ]}
        onChange={(message) => commit((d) => ({ ...gp(d), message: message as GpVariantSpec['message'] }))}
      />
      <SelectField
        label="Verifier"
        value={spec.verifier}
        disabled={readOnly}
        options={[
          ['paper', "paper (the reference's float check)"],
          ['strict', 'strict (exact arithmetic)'],
        ]}
        onChange={(verifier) => commit((d) => ({ ...gp(d), verifier: verifier as GpVariantSpec['verifier'] }))}
      />
    </>
  )
}
