import { sokobanSolveSection } from './sokoban-solve.ts'
import { gpSolveSection } from './gp-solve.ts'
import { sokobanGenerateSection } from './sokoban-generate.ts'
import { runtimeSection } from './runtime.ts'
import { evalSection } from './eval.ts'
import { uiSection } from './ui.ts'
import { uiMonacoSection } from './ui-monaco.ts'
import { uiViewerSection } from './ui-viewer.ts'
import { uiSweepSection } from './ui-sweep.ts'
import { sampleModelSection } from './sample-model.ts'

/** One benchmark section: `npm run bench -- NAME` runs it and prints its figures. */
export interface BenchSection {
  /** The word that selects the section on the command line. */
  readonly name: string
  /** One line saying what is measured and the targets. */
  readonly title: string
  run(): Promise<void>
}

/** The benchmark sections, in the order `npm run bench` runs them. */
export const SECTIONS: readonly BenchSection[] = [sokobanSolveSection, sokobanGenerateSection, gpSolveSection, runtimeSection, evalSection, uiSection, uiViewerSection, uiMonacoSection, uiSweepSection, sampleModelSection]
