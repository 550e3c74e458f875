/**
 * @module core/notebook
 * The `.sftnb` notebook document: schema (format 1), reading and writing with located errors,
 * migrations, the dependency graph and how a task cell names its instances. Named re-exports only.
 */
export {
  NOTEBOOK_FORMAT,
  NOTEBOOK_EXTENSION,
  JsonValueSchema,
  CellIdSchema,
  PROVIDER_CHOICES,
  ProviderChoiceSchema,
  MarkdownCellSchema,
  TaskCellSchema,
  TemplateCellSchema,
  ModelCellSchema,
  ProbeSummarySchema,
  ProbeCellSchema,
  SweepOverridesSchema,
  SweepCellSchema,
  PLOT_X,
  PLOT_Y,
  PLOT_CHARTS,
  PlotCellSchema,
  CellSchema,
  CELL_KINDS,
  NotebookSchema,
} from './schema.ts'
export type {
  JsonValue,
  ProviderChoice,
  ProbeSummary,
  Cell,
  CellKind,
  MarkdownCell,
  TaskCell,
  TemplateCell,
  ModelCell,
  ProbeCell,
  SweepCell,
  PlotCell,
  PlotChart,
  SweepOverrides,
  NotebookDocument,
  NotebookDocumentInput,
} from './schema.ts'
export { SamplingParamsPatchSchema } from './sampling-patch.ts'
export type { SamplingParamsPatch } from './sampling-patch.ts'
export type { NotebookProblem } from './problem.ts'
export { locateJsonError, lineColumn } from './json-locate.ts'
export type { JsonSyntaxError } from './json-locate.ts'
export { NOTEBOOK_MIGRATIONS, MigrationError, migrateNotebook } from './migrate.ts'
export type { NotebookMigration, MigrateOptions, Migrated } from './migrate.ts'
export { parseNotebook, validateNotebook, serializeNotebook, newNotebook } from './parse.ts'
export type { ParsedNotebook } from './parse.ts'
export {
  CELL_NEEDS,
  readsOf,
  defaultReads,
  validateReads,
  dependents,
  staleAfterEdit,
  markStale,
  clearStale,
  addCell,
} from './graph.ts'
export type { ReadProblem, NewCell } from './graph.ts'
export { DEFAULT_GP_RULE, instanceSetOf } from './instances.ts'
export type { InstanceSourceInput } from './instances.ts'
