/**
 * @module core/sokoban/solve
 * Sokoban solvers: the paper-exact move BFS used for labels, and optimal A* (pushes or moves).
 */
export { PAPER_MAX_DEPTH, BFS_DEFAULT_MAX_STATES, optimalNextMove, paperLabels, solveBfs } from './bfs.ts'
export type { BfsOptions, BfsResult } from './bfs.ts'
export { SOLVE_DEFAULT_MAX_NODES, parseLurd, solve, toLurd } from './search.ts'
export type { SolveOptions, SolveResult, SolveStats } from './search.ts'
