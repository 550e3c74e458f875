/** Small labelled form controls shared by the cell editors. */
import { useEffect, useId, useState, type ReactNode } from 'react'

interface FieldProps {
  readonly label: string
  readonly wide?: boolean
  readonly hint?: string
}

function Field({ label, wide, hint, id, children }: FieldProps & { id: string; children: ReactNode }) {
  return (
    <div className={wide ? 'field wide' : 'field'}>
      <span>
        <label htmlFor={id}>{label}</label>
      </span>
      {children}
      {hint ? <span className="hint">{hint}</span> : null}
    </div>
  )
}

/**
 * A number input that keeps what is typed until it is a valid number, so "0." or an empty field
 * while typing does not jump back. `optional` fields commit `undefined` when cleared.
 */
export function NumberField(
  props: FieldProps & {
    readonly value: number | undefined
    readonly onChange: (value: number | undefined) => void
    readonly min?: number
    readonly max?: number
    readonly step?: number
    readonly integer?: boolean
    readonly optional?: boolean
    readonly placeholder?: string
    readonly disabled?: boolean
  },
) {
  const id = useId()
  const [text, setText] = useState(props.value === undefined ? '' : String(props.value))
  useEffect(() => {
    setText((current) => (Number(current) === props.value && current !== '' ? current : props.value === undefined ? '' : String(props.value)))
  }, [props.value])
  const commit = (raw: string): void => {
    setText(raw)
    if (raw.trim() === '') {
      if (props.optional) props.onChange(undefined)
      return
    }
    const n = Number(raw)
    if (!Number.isFinite(n)) return
    if (props.integer && !Number.isInteger(n)) return
    if (props.min !== undefined && n < props.min) return
    if (props.max !== undefined && n > props.max) return
    props.onChange(n)
  }
  return (
    <Field {...props} id={id}>
      <input
        id={id}
        type="number"
        inputMode={props.integer ? 'numeric' : 'decimal'}
        value={text}
        min={props.min}
        max={props.max}
        step={props.step ?? (props.integer ? 1 : 'any')}
        placeholder={props.placeholder}
        disabled={props.disabled}
        onChange={(e) => commit(e.target.value)}
      />
    </Field>
  )
}

/** A text input. */
export function TextField(
  props: FieldProps & {
    readonly value: string
    readonly onChange: (value: string) => void
    readonly placeholder?: string
    readonly mono?: boolean
    readonly list?: string
    readonly disabled?: boolean
  },
) {
  const id = useId()
  return (
    <Field {...props} id={id}>
      <input
        id={id}
        type="text"
        className={props.mono ? 'mono' : undefined}
        value={props.value}
        placeholder={props.placeholder}
        list={props.list}
        disabled={props.disabled}
        spellCheck={false}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </Field>
  )
}

/** A select over `options` (value and label). */
export function SelectField<T extends string>(
  props: FieldProps & {
    readonly value: T
    readonly options: readonly (readonly [T, string])[]
    readonly onChange: (value: T) => void
    readonly disabled?: boolean
  },
) {
  const id = useId()
  return (
    <Field {...props} id={id}>
      <select id={id} value={props.value} disabled={props.disabled} onChange={(e) => props.onChange(e.target.value as T)}>
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </Field>
  )
}
