/**
 * @module electron/services/import
 * Reads a verl parquet file (the paper's published datasets, or an sftbench export) back into
 * instances and variants: `readParquetRows` (any standard codec, via hyparquet-compressors) then
 * core's `importVerlRows`.
 */
import { importVerlRows, type ImportedDataset } from '../../core/dataset/import.ts'
import { readParquetRows, type ParquetColumnInfo } from './parquet.ts'

/** What `importPaperParquet` returns. */
export interface ParquetImport {
  readonly path: string
  readonly columns: readonly string[]
  readonly leaves: readonly ParquetColumnInfo[]
  readonly dataset: ImportedDataset
}

/**
 * Reads `path` and takes every row apart. Throws for a missing or unreadable file and for columns
 * of neither task; rows that cannot be read are listed in `dataset.problems`.
 */
export async function importPaperParquet(path: string): Promise<ParquetImport> {
  const contents = await readParquetRows(path)
  let dataset: ImportedDataset
  try {
    dataset = importVerlRows(contents.rows, contents.columns)
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`, { cause: error })
  }
  return { path, columns: contents.columns, leaves: contents.leaves, dataset }
}
