/**
 * The sweep cell's difficulty axis: the task cell's difficulty (the default, as before), or several
 * chosen here. Sokoban: a grid of square room sides × box counts. General Points: the paper's
 * difficulties × the face-card rules hands are dealt under. A list the form cannot show (whole
 * entries, other sizes) is listed and edited in the JSON.
 */
import { useId } from 'react'
import { PAPER_DIFFICULTIES, describeDifficulty } from '../../../core/experiment/difficulty.ts'
import type { TaskCell } from '../../../core/notebook/schema.ts'
import {
  GP_DIFFICULTIES,
  GP_RULES,
  SOKOBAN_BOXES,
  SOKOBAN_SIDES,
  describeItem,
  itemOfTaskCell,
  itemsOfPicks,
  picksOfItems,
  type DifficultyItem,
  type Picks,
  type Task,
} from './difficulties.ts'
import './sweep.css'

export interface DifficultyPickerProps {
  readonly task: Task
  readonly taskCell: TaskCell | null
  /** The overrides' list; undefined: the task cell's difficulty. */
  readonly items: readonly DifficultyItem[] | undefined
  readonly readOnly: boolean
  readonly onChange: (items: DifficultyItem[] | undefined) => void
}

const boxLabel = (b: number): string => `${b} box${b === 1 ? '' : 'es'}`

function taskCellLabel(taskCell: TaskCell | null): string {
  if (!taskCell) return 'none: this sweep reads no task cell'
  if (taskCell.preset !== undefined) return `preset ${taskCell.preset}`
  return typeof taskCell.difficulty === 'string' ? taskCell.difficulty : 'custom'
}

/** The picks to start from when switching to "several": the task cell's difficulty when the form offers it. */
function startingPicks(task: Task, taskCell: TaskCell | null): Picks {
  const item = taskCell ? itemOfTaskCell(taskCell) : null
  const picks = item === null ? null : picksOfItems([item], task)
  if (picks) return picks
  return task === 'sokoban' ? { task, cells: [[6, 1]] } : { task, difficulties: ['gp-id'], rules: [] }
}

export function DifficultyPicker({ task, taskCell, items, readOnly, onChange }: DifficultyPickerProps) {
  const several = items !== undefined
  const picks = several ? picksOfItems(items, task) : null
  const emptyPicks: Picks = task === 'sokoban' ? { task, cells: [] } : { task, difficulties: [], rules: [] }
  const shown = picks ?? (several && items.length === 0 ? emptyPicks : null)
  const setPicks = (next: Picks): void => onChange(itemsOfPicks(next))
  const modeId = useId()
  return (
    <div className="sweep-difficulties" data-testid="sweep-difficulties">
      <div className="form">
        <div className="field">
          <span>
            <label htmlFor={modeId}>Difficulties</label>
          </span>
          <select
            id={modeId}
            value={several ? 'several' : 'task'}
            disabled={readOnly}
            onChange={(e) => onChange(e.target.value === 'task' ? undefined : itemsOfPicks(startingPicks(task, taskCell)))}
          >
            <option value="task">the task cell's ({taskCellLabel(taskCell)})</option>
            <option value="several">several, chosen here</option>
          </select>
        </div>
      </div>
      {!several ? null : shown === null ? (
        <div className="hint" data-testid="sweep-difficulties-custom">
          Custom difficulties, edited in the JSON below: {items.map((i) => describeItem(i, task)).join(' · ')}.{' '}
          <button className="small" disabled={readOnly} onClick={() => setPicks(startingPicks(task, taskCell))}>
            Pick in the form instead
          </button>
        </div>
      ) : shown.task === 'sokoban' ? (
        <SokobanGrid picks={shown} readOnly={readOnly} onChange={setPicks} />
      ) : shown.task === 'gp' ? (
        <GpPicks picks={shown} readOnly={readOnly} onChange={setPicks} />
      ) : null}
      {several && items.length > 0 && shown !== null ? (
        <div className="chosen" data-testid="sweep-difficulties-chosen">
          {items.length} difficult{items.length === 1 ? 'y' : 'ies'}: {items.map((i) => describeItem(i, task)).join(' · ')}
        </div>
      ) : null}
      {several && items.length === 0 ? (
        <div className="cell-error" role="alert">
          Choose at least one difficulty, or sweep the task cell's.
        </div>
      ) : null}
    </div>
  )
}

function SokobanGrid({ picks, readOnly, onChange }: { picks: Extract<Picks, { task: 'sokoban' }>; readOnly: boolean; onChange: (p: Picks) => void }) {
  const has = (side: number, boxes: number): boolean => picks.cells.some(([s, b]) => s === side && b === boxes)
  const toggle = (side: number, boxes: number): void => {
    const cells = has(side, boxes) ? picks.cells.filter(([s, b]) => s !== side || b !== boxes) : [...picks.cells, [side, boxes] as const]
    onChange({ task: 'sokoban', cells })
  }
  return (
    <table className="pick-grid" aria-label="Sokoban difficulties">
      <thead>
        <tr>
          <th className="l">room</th>
          {SOKOBAN_BOXES.map((b) => (
            <th key={b}>{boxLabel(b)}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {SOKOBAN_SIDES.map((side) => (
          <tr key={side}>
            <th className="l">
              {side}x{side}
            </th>
            {SOKOBAN_BOXES.map((b) => (
              <td key={b}>
                <input
                  type="checkbox"
                  aria-label={`${side}x${side}, ${boxLabel(b)}`}
                  checked={has(side, b)}
                  disabled={readOnly}
                  onChange={() => toggle(side, b)}
                />
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function GpPicks({ picks, readOnly, onChange }: { picks: Extract<Picks, { task: 'gp' }>; readOnly: boolean; onChange: (p: Picks) => void }) {
  const flip = (list: readonly string[], x: string): string[] => (list.includes(x) ? list.filter((y) => y !== x) : [...list, x])
  return (
    <div className="picks">
      <fieldset>
        <legend>Difficulty</legend>
        {GP_DIFFICULTIES.map((d) => (
          <label className="check" key={d} title={describeDifficulty(PAPER_DIFFICULTIES[d])}>
            <input
              type="checkbox"
              checked={picks.difficulties.includes(d)}
              disabled={readOnly}
              onChange={() => onChange({ ...picks, difficulties: flip(picks.difficulties, d) })}
            />
            {describeItem(d, 'gp')}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Face-card rule hands are dealt under (none: the task cell's)</legend>
        {GP_RULES.map((r) => (
          <label className="check" key={r}>
            <input type="checkbox" checked={picks.rules.includes(r)} disabled={readOnly} onChange={() => onChange({ ...picks, rules: flip(picks.rules, r) })} />
            {r}
          </label>
        ))}
        <div className="hint">Shown and scored by variants that take the instance's rule (gp-train); the test variants fix their own.</div>
      </fieldset>
    </div>
  )
}
