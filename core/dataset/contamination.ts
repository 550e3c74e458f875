/**
 * @module core/dataset/contamination
 * Train/eval overlap: which evaluation instances also occur in a training set (paper-tasks.md
 * §4.5, §11.3). Items are compared by a content key (`instanceKey` of core/experiment: the task
 * plus the canonical start position or hand), not by seed or id, so overlap is found whatever seeds
 * or names the two sets used. The paper's own in-distribution Sokoban eval (SimpleSokoban, seeds
 * 123-222) is 100 of its 200 training puzzles (seeds 42-241), and this is how a user sees it.
 */

/** One item with its content key and the id to report it by. */
export interface KeyedItem {
  readonly id: string
  readonly key: string
}

/** One overlapping eval instance and the training items with the same key. */
export interface ContaminationMatch {
  readonly evalId: string
  readonly key: string
  /** Ids of the training items with this key, in training order (at most `maxTrainIds`). */
  readonly trainIds: readonly string[]
  /** How many training items have this key in all. */
  readonly trainCount: number
}

/** The result of `contamination`. */
export interface ContaminationReport {
  /** Eval instances checked. */
  readonly total: number
  /** Eval instances whose key occurs in the training set. */
  readonly overlap: number
  /** overlap / total (0 when there is nothing to check). */
  readonly fraction: number
  /** Ids of the overlapping eval instances, in eval order. */
  readonly ids: readonly string[]
  /** One entry per overlapping eval instance, in eval order. */
  readonly matches: readonly ContaminationMatch[]
  /** Training items checked, and how many distinct keys they have. */
  readonly trainItems: number
  readonly trainKeys: number
}

/** Options of `contamination`. */
export interface ContaminationOptions {
  /** Training ids listed per match (default 5); `trainCount` always has the full number. */
  readonly maxTrainIds?: number
}

/**
 * Counts the eval instances whose key occurs among the training items, and names them. Duplicate
 * eval instances are each counted; duplicate training keys are counted once per eval instance.
 */
export function contamination(
  train: Iterable<KeyedItem>,
  evalItems: readonly KeyedItem[],
  options: ContaminationOptions = {},
): ContaminationReport {
  const maxTrainIds = options.maxTrainIds ?? 5
  if (!Number.isInteger(maxTrainIds) || maxTrainIds < 0) {
    throw new RangeError(`maxTrainIds must be a non-negative integer, got ${maxTrainIds}.`)
  }
  const byKey = new Map<string, { ids: string[]; count: number }>()
  let trainItems = 0
  for (const item of train) {
    trainItems++
    const entry = byKey.get(item.key)
    if (entry === undefined) byKey.set(item.key, { ids: maxTrainIds > 0 ? [item.id] : [], count: 1 })
    else {
      entry.count++
      if (entry.ids.length < maxTrainIds) entry.ids.push(item.id)
    }
  }
  const matches: ContaminationMatch[] = []
  for (const item of evalItems) {
    const entry = byKey.get(item.key)
    if (entry !== undefined) matches.push({ evalId: item.id, key: item.key, trainIds: entry.ids.slice(), trainCount: entry.count })
  }
  const total = evalItems.length
  return {
    total,
    overlap: matches.length,
    fraction: total === 0 ? 0 : matches.length / total,
    ids: matches.map((m) => m.evalId),
    matches,
    trainItems,
    trainKeys: byKey.size,
  }
}

/** What `exportContamination` needs of an export's instance records (`instances.jsonl`). */
export interface TrainingRecord {
  readonly id: string
  readonly split: string
  /** The key of every position or hand its rows show, in row order. */
  readonly exampleKeys: readonly string[]
}

/**
 * Overlap between an export and evaluation instances already keyed (`instanceKey`). Training
 * items are the positions or hands the export's rows show, named `<instance id>@<step>` (step 0 is
 * a Sokoban puzzle's start), so an eval level that appears mid-way through a training puzzle
 * counts too. `splits` limits the training side (default every split of the export).
 */
export function exportContamination(
  records: readonly TrainingRecord[],
  evalItems: readonly KeyedItem[],
  options: ContaminationOptions & { readonly splits?: readonly string[] } = {},
): ContaminationReport {
  const splits = options.splits
  const train: KeyedItem[] = []
  for (const record of records) {
    if (splits !== undefined && !splits.includes(record.split)) continue
    record.exampleKeys.forEach((key, step) => train.push({ id: `${record.id}@${step}`, key }))
  }
  return contamination(train, evalItems, options)
}
