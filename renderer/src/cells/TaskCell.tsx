/** Task and instance set: the task, a paper difficulty or preset, the seed and the count; a gallery of instances. */
import { PAPER_DIFFICULTIES, describeDifficulty } from '../../../core/experiment/difficulty.ts'
import { PRESETS } from '../../../core/experiment/presets.ts'
import type { HandView, LevelView } from '../../../core/contract/api.ts'
import type { TaskCell as TaskCellT } from '../../../core/notebook/schema.ts'
import { NumberField, SelectField } from '../components/fields.tsx'
import type { CellEditorProps } from './types.ts'

type Source = 'difficulty' | 'preset'

function difficultyOptions(task: 'sokoban' | 'gp'): [string, string][] {
  return Object.entries(PAPER_DIFFICULTIES)
    .filter(([, d]) => d.task === task)
    .map(([name, d]) => [name, `${name} (${describeDifficulty(d)})`])
}

function presetOptions(task: 'sokoban' | 'gp'): [string, string][] {
  return PRESETS.filter((p) => p.task === task).map((p) => [p.name, p.name])
}

export function TaskCell({ cell, edit, readOnly, run }: CellEditorProps<TaskCellT>) {
  const source: Source = cell.preset !== undefined ? 'preset' : 'difficulty'
  const seed = cell.seedScheme?.kind === 'seeded' ? cell.seedScheme.seed : undefined
  const customScheme = cell.seedScheme !== undefined && cell.seedScheme.kind !== 'seeded'
  const difficultyName = typeof cell.difficulty === 'string' ? cell.difficulty : ''
  const setTask = (task: 'sokoban' | 'gp'): void =>
    edit((c) => ({ id: c.id, kind: 'task', reads: c.reads, task, difficulty: difficultyOptions(task)[0][0], seedScheme: { kind: 'seeded', seed: seed ?? 0 }, count: c.count }))
  const setSource = (next: Source): void =>
    edit((c) => {
      const { preset: _p, difficulty: _d, seedScheme: _s, rule: _r, ...rest } = c
      return next === 'preset'
        ? { ...rest, preset: presetOptions(c.task)[0]?.[0] ?? '' }
        : { ...rest, difficulty: difficultyOptions(c.task)[0][0], seedScheme: { kind: 'seeded', seed: 0 } }
    })
  return (
    <>
      <div className="form">
        <SelectField label="Task" value={cell.task} disabled={readOnly} options={[['sokoban', 'Sokoban'], ['gp', 'General Points (24)']]} onChange={setTask} />
        <SelectField label="Instances from" value={source} disabled={readOnly} options={[['difficulty', 'a difficulty'], ['preset', "a paper preset"]]} onChange={setSource} />
        {source === 'preset' ? (
          <SelectField
            label="Preset"
            value={cell.preset ?? ''}
            disabled={readOnly}
            options={presetOptions(cell.task)}
            onChange={(preset) => edit((c) => ({ ...c, preset }))}
          />
        ) : (
          <>
            <SelectField
              label="Difficulty"
              value={difficultyName}
              disabled={readOnly || typeof cell.difficulty !== 'string'}
              options={typeof cell.difficulty === 'string' ? difficultyOptions(cell.task) : [['', 'custom (see JSON)']]}
              onChange={(difficulty) => edit((c) => ({ ...c, difficulty }))}
            />
            <NumberField
              label="Seed"
              integer
              min={0}
              value={seed}
              disabled={readOnly || customScheme}
              hint={customScheme ? `scheme: ${cell.seedScheme?.kind}` : undefined}
              onChange={(s) => edit((c) => ({ ...c, seedScheme: { kind: 'seeded', seed: s ?? 0 } }))}
            />
          </>
        )}
        <NumberField label="Count" integer min={1} max={100000} value={cell.count} disabled={readOnly} onChange={(count) => edit((c) => ({ ...c, count: count ?? 1 }))} />
        <NumberField label="Start" integer min={0} optional placeholder="0" value={cell.start} disabled={readOnly} onChange={(start) => edit((c) => ({ ...c, start }))} />
      </div>
      {run.output?.kind === 'levels' ? <LevelGallery levels={run.output.levels} total={cell.count} /> : null}
      {run.output?.kind === 'hands' ? <HandGallery hands={run.output.hands} total={cell.count} /> : null}
    </>
  )
}

function LevelGallery({ levels, total }: { readonly levels: readonly LevelView[]; readonly total: number }) {
  return (
    <>
      <div className="gallery" data-testid="gallery">
        {levels.map((l) => (
          <figure className="instance" key={l.id}>
            <figcaption className="caption">
              #{l.index} · {l.optimalMoves === null ? 'no solution in cap' : `optimal ${l.optimalMoves} moves`}
            </figcaption>
            <pre className="board" aria-label={`Level ${l.id}`}>{l.xsb}</pre>
          </figure>
        ))}
      </div>
      <div className="meta">Showing {levels.length} of {total}.</div>
    </>
  )
}

function HandGallery({ hands, total }: { readonly hands: readonly HandView[]; readonly total: number }) {
  return (
    <>
      <div className="gallery" data-testid="gallery">
        {hands.map((h) => (
          <figure className="instance" key={h.id}>
            <figcaption className="caption">#{h.index} · target {h.target} · {h.solutionCount} solutions</figcaption>
            <div className="cards">{h.cards.join('  ')}</div>
            {h.solution ? <div className="meta mono">{h.solution}</div> : null}
          </figure>
        ))}
      </div>
      <div className="meta">Showing {hands.length} of {total}.</div>
    </>
  )
}
