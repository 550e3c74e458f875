// Check values from the shared data file paper-samples.json (not part of the repository): the
// reference's own Sokoban eval levels and General Points test hands. Skipped when it is absent.
import { expect, it } from 'vitest'
import { paperBfsLabels, paperSokobanLevel } from '../../../core/paper/paper-sokoban.ts'
import { paperGpHand, paperGpSplit } from '../../../core/paper/paper-gp.ts'
import { serializeXsb } from '../../../core/sokoban/xsb.ts'
import { renderPaperGrid } from '../../../core/sokoban/text.ts'
import { DIRECTION_NAMES } from '../../../core/sokoban/directions.ts'
import { PAPER_SAMPLES_FILE, describeWithSharedData, loadPaperSamples } from '../../harness/shared-data.ts'

describeWithSharedData(
  '[paper-rng §2] Sokoban eval levels of paper-samples.json',
  PAPER_SAMPLES_FILE,
  () => {
    it.each(loadPaperSamples().sokoban.map((s) => [`${s.tag} #${s.index_in_tag} (seed ${s.seed})`, s] as const))('%s', (_, s) => {
      const made = paperSokobanLevel(s.tag, s.index_in_tag)
      expect(made.seed).toBe(s.seed)
      expect([made.level.rows, made.level.cols, made.level.start.boxes.length]).toEqual([...s.dim_room, s.num_boxes])
      expect(serializeXsb(made.level)).toBe(s.xsb.join('\n'))
      expect(renderPaperGrid(made.level, made.level.start)).toBe(s.text_grid)
      const labels = paperBfsLabels(made.level)
      expect(labels).toEqual(s.bfs_actions)
      expect(labels.map((d) => DIRECTION_NAMES[d])).toEqual(s.bfs_actions_named)
    })
  },
)

describeWithSharedData(
  '[paper-rng §3] General Points test hands of paper-samples.json',
  PAPER_SAMPLES_FILE,
  () => {
    const cases = loadPaperSamples().general_points.map((s) => [`${s.split} #${s.index} (seed ${s.seed})`, s] as const)
    it.each(cases)('%s', (_, s) => {
      const hand = paperGpHand(paperGpSplit(s.split).split, s.index)
      expect(hand.seed).toBe(s.seed)
      expect(hand.cards).toEqual(s.cards)
      expect(hand.displayValues).toEqual(s.display_cards)
      expect(hand.question).toBe(s.question)
    })
  },
)
