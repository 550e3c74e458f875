/**
 * Importing Sokoban levels from XSB / SOK text (a file or pasted): core/sokoban's parser reads them,
 * and each becomes the text a task cell stores (its title line, then its board). A parse error keeps
 * its line and column and the offending line, so the UI can point at the character.
 */
import type { Level } from '../../../core/sokoban/level.ts'
import { LevelParseError, parseXsb, serializeXsb, serializeXsbFile } from '../../../core/sokoban/xsb.ts'

export type ImportResult =
  | { readonly ok: true; readonly levels: readonly string[]; readonly titles: readonly (string | null)[] }
  | {
      readonly ok: false
      readonly message: string
      /** 1-based, in the imported text. */
      readonly line: number
      readonly column: number
      /** The text of that line (for showing it with a caret). */
      readonly excerpt: string
    }

/**
 * The text a task cell stores for a level: its title line (when it has one that XSB can carry) and
 * its board. Comments are dropped: a stored level is one level, and its file's notes stay in the file.
 */
export function storedLevelText(level: Level): string {
  const board = serializeXsb(level)
  if (level.title === undefined) return board
  try {
    return serializeXsbFile([{ ...level, comments: undefined }]).trimEnd()
  } catch (e) {
    // A title that would read back as a board row cannot be written before the board; keep the board.
    if (!(e instanceof Error) || !e.message.startsWith('serializeXsbFile:')) throw e
    return board
  }
}

/** Reads every level of an XSB / SOK text. */
export function importXsb(text: string): ImportResult {
  let levels: Level[]
  try {
    levels = parseXsb(text)
  } catch (e) {
    if (!(e instanceof LevelParseError)) throw e
    const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)
    return { ok: false, message: e.message, line: e.line, column: e.column, excerpt: lines[e.line - 1] ?? '' }
  }
  return { ok: true, levels: levels.map(storedLevelText), titles: levels.map((l) => l.title ?? null) }
}
