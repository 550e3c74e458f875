/**
 * The viewers' colours: the Okabe-Ito palette, chosen to stay distinguishable under the common
 * colour-vision deficiencies, and every meaning carried by a shape as well (a goal is a diamond, a box
 * on a goal has a tick instead of crossed planks, the optimal move is a dashed arrow), so nothing
 * depends on colour alone. Text colours meet WCAG AA contrast on white.
 */
export const PALETTE = {
  wall: '#4a4f57',
  wallEdge: '#33373d',
  floor: '#eceef1',
  floorLine: '#d6d9de',
  goal: '#0072b2',
  box: '#e69f00',
  boxEdge: '#6b4a00',
  boxOnGoal: '#009e73',
  boxOnGoalEdge: '#00553e',
  player: '#1f2937',
  /** The model's move, and warnings (vermillion). */
  model: '#d55e00',
  /** The optimal move (blue). */
  optimal: '#0072b2',
  dead: '#d55e00',
  invalid: '#cc79a7',
} as const
