/**
 * A whole-number field that says what is wrong with what was typed ("N must be at least 1") instead
 * of ignoring it; the cell keeps its last good value until the text is fixed.
 */
import { useEffect, useId, useState } from 'react'
import { countProblem } from './count.ts'
import './sweep.css'

export interface CountFieldProps {
  readonly label: string
  /** What the message calls the value, e.g. `N`. */
  readonly name: string
  readonly value: number | undefined
  readonly onChange: (value: number | undefined) => void
  readonly min?: number
  readonly max?: number
  readonly placeholder?: string
  readonly disabled?: boolean
}

export function CountField({ label, name, value, onChange, min = 1, max = 1_000_000, placeholder, disabled }: CountFieldProps) {
  const id = useId()
  const [text, setText] = useState(value === undefined ? '' : String(value))
  useEffect(() => {
    // An edit from elsewhere (the JSON) shows here, unless the field holds that value already or a typo.
    setText((t) => (countProblem(t, name, min, max) !== null || (t.trim() !== '' && Number(t) === value) ? t : value === undefined ? '' : String(value)))
  }, [value, name, min, max])
  const problem = countProblem(text, name, min, max)
  return (
    <div className="field">
      <span>
        <label htmlFor={id}>{label}</label>
      </span>
      <input
        id={id}
        type="text"
        inputMode="numeric"
        value={text}
        placeholder={placeholder}
        disabled={disabled}
        aria-invalid={problem !== null}
        onChange={(e) => {
          const raw = e.target.value
          setText(raw)
          if (countProblem(raw, name, min, max) !== null) return
          onChange(raw.trim() === '' ? undefined : Number(raw))
        }}
      />
      {problem ? (
        <span className="sweep-field-error" role="alert">
          {problem}
        </span>
      ) : null}
    </div>
  )
}
