/**
 * A formula drawn as its expression tree, each node with its exact value; literals that no card of
 * the hand accounts for are marked, and a formula that does not parse is shown with a caret at the
 * error's column.
 */
import { useMemo } from 'react'
import { formulaTree, type FormulaNode } from './formula-tree.ts'
import { PALETTE } from './palette.ts'
import './viewers.css'

export interface FormulaTreeProps {
  readonly formula: string
  /** The hand's card values: literals are matched against them. */
  readonly values?: readonly number[]
  readonly target?: number
}

/** Trees with more leaves than this are listed as text: a drawing would be unreadable. */
const MAX_DRAWN_LEAVES = 40
const DX = 58
const DY = 56
const PAD = 30

function flatten(node: FormulaNode, out: FormulaNode[] = []): FormulaNode[] {
  out.push(node)
  for (const c of node.children) flatten(c, out)
  return out
}

function NodeShape({ node, root, hit }: { readonly node: FormulaNode; readonly root: boolean; readonly hit: boolean | null }) {
  const cx = PAD + node.x * DX
  const cy = PAD + node.depth * DY
  const extra = node.card === 'extra'
  const valueText = node.value ?? '—'
  const rootColour = hit === true ? PALETTE.boxOnGoal : hit === false ? PALETTE.model : '#4b5563'
  return (
    <g data-node={node.kind} data-label={node.label} data-value={node.value ?? ''} data-card={node.card ?? ''}>
      <title>
        {node.kind === 'number'
          ? `${node.label}${extra ? ': no card of the hand accounts for this number' : node.card === 'card' ? ': a card of the hand' : ''}`
          : `${node.label} = ${node.value ?? node.error ?? ''}`}
      </title>
      {node.kind === 'binary' ? (
        <circle cx={cx} cy={cy} r={14} fill="#ffffff" stroke={root ? rootColour : '#4b5563'} strokeWidth={root ? 2.5 : 1.5} />
      ) : (
        <rect
          x={cx - 16}
          y={cy - 13}
          width={32}
          height={26}
          rx={4}
          fill={extra ? '#fdecec' : '#f6f8fa'}
          stroke={extra ? PALETTE.model : '#4b5563'}
          strokeWidth={1.5}
          strokeDasharray={extra ? '4 2' : undefined}
        />
      )}
      <text x={cx} y={cy + 5} textAnchor="middle" fontSize={node.kind === 'binary' ? 16 : 13} fontWeight={600} fill="#1f2937">
        {node.label === '*' ? '×' : node.label === '/' ? '÷' : node.label === '-' ? '−' : node.label}
      </text>
      {node.kind === 'binary' || root ? (
        <text x={cx} y={cy + 28} textAnchor="middle" fontSize={11} fill={node.error ? PALETTE.model : root ? rootColour : '#4b5563'} fontWeight={root ? 700 : 400}>
          {node.error ? 'no value' : `= ${valueText}`}
        </text>
      ) : null}
    </g>
  )
}

/** The expression tree of a formula with each node's value. */
export function FormulaTree({ formula, values, target }: FormulaTreeProps) {
  const tree = useMemo(() => formulaTree(formula, values, target), [formula, values, target])
  if (!tree.ok) {
    const col = tree.error.offset
    return (
      <div className="formula-tree error" data-testid="formula-tree" data-ok="false">
        <pre className="formula-text">
          {tree.text}
          {'\n'}
          {' '.repeat(col)}^
        </pre>
        <div className="chip bad">does not parse: {tree.error.message}</div>
      </div>
    )
  }
  const nodes = flatten(tree.root)
  if (tree.leaves > MAX_DRAWN_LEAVES) {
    return (
      <div className="formula-tree" data-testid="formula-tree" data-ok="true">
        <div className="meta">
          {tree.leaves} numbers: too many to draw. Value {tree.root.value ?? tree.root.error}.
        </div>
      </div>
    )
  }
  const width = PAD * 2 + Math.max(0, tree.leaves - 1) * DX
  const height = PAD * 2 + tree.depth * DY + 12
  const edges: string[] = []
  for (const n of nodes) {
    for (const c of n.children) edges.push(`M${PAD + n.x * DX} ${PAD + n.depth * DY}L${PAD + c.x * DX} ${PAD + c.depth * DY}`)
  }
  return (
    <div className="formula-tree" data-testid="formula-tree" data-ok="true">
      <svg
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={`Expression tree of ${tree.text.trim()}: value ${tree.root.value ?? 'undefined'}`}
      >
        <path d={edges.join('')} stroke="#9ca3af" strokeWidth={1.5} fill="none" />
        {nodes.map((n, i) => (
          <NodeShape key={i} node={n} root={i === 0} hit={tree.hitsTarget} />
        ))}
      </svg>
      {tree.unused.length > 0 ? (
        <div className="chip bad" data-testid="unused-cards">
          cards not used: {tree.unused.join(', ')}
        </div>
      ) : null}
    </div>
  )
}
