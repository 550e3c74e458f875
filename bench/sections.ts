import { sokobanSolveSection } from './sokoban-solve.ts'
import { gpSolveSection } from './gp-solve.ts'
import { sokobanGenerateSection } from './sokoban-generate.ts'

/** The benchmark sections, in the order `npm run bench` runs them. */
export interface BenchSection {
  readonly name: string
  readonly title: string
  run(): Promise<void>
}

export const SECTIONS: readonly BenchSection[] = [sokobanSolveSection, sokobanGenerateSection, gpSolveSection]
