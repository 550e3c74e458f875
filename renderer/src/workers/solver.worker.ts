/**
 * The solver worker: solves Sokoban levels and General Points hands off the page's main thread, so
 * the notebook stays responsive while a search runs. One job at a time, in arrival order.
 */
import { answerMessage, type SolveRequestMessage } from './solve.ts'

self.addEventListener('message', (event: MessageEvent<SolveRequestMessage>) => {
  self.postMessage(answerMessage(event.data, () => performance.now()))
})
