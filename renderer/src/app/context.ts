/** The app-wide services the cells use: the transport, the run store and what the backend said about itself. */
import { createContext, useCallback, useContext, useSyncExternalStore } from 'react'
import type { AppInfo, Transport } from '../../../core/contract/api.ts'
import type { ProbeView, RunStore, SweepChartView, SweepView } from './run-store.ts'

export interface Workbench {
  readonly transport: Transport
  readonly store: RunStore
  readonly info: AppInfo | null
}

export const WorkbenchContext = createContext<Workbench | null>(null)

/** The workbench services (inside the app). */
export function useWorkbench(): Workbench {
  const wb = useContext(WorkbenchContext)
  if (!wb) throw new Error('useWorkbench() is used outside <WorkbenchContext.Provider>.')
  return wb
}

/** A sweep cell's live view. */
export function useSweepView(cellId: string): SweepView {
  const { store } = useWorkbench()
  const get = useCallback(() => store.sweep(cellId), [store, cellId])
  return useSyncExternalStore(store.subscribe, get)
}

/** What a chart of a sweep cell draws; unlike {@link useSweepView}, finished-cell counts alone do not re-render. */
export function useSweepChartView(cellId: string): SweepChartView {
  const { store } = useWorkbench()
  const get = useCallback(() => store.sweepChart(cellId), [store, cellId])
  return useSyncExternalStore(store.subscribe, get)
}

/** A probe cell's streaming output. */
export function useProbeView(cellId: string): ProbeView {
  const { store } = useWorkbench()
  const get = useCallback(() => store.probe(cellId), [store, cellId])
  return useSyncExternalStore(store.subscribe, get)
}
