/**
 * @module core/prompt/sample-templates
 * sftbench's own prompt templates, beside the paper's (`paper-templates.ts`). They are listed in
 * `samples/templates/library.json` next to the paper's, and a test keeps each `.jinja` file equal to
 * its constant byte for byte.
 *
 * `sokoban-compact` is the prompt of the bundled sample models: small models trained from scratch
 * read every character, so it keeps the paper's structure (legend, the action vocabulary with its
 * mapping, the board, the answer tag that the paper's parser reads) in about a fifth of the paper's
 * length. The mapping line names all four actions whatever the vocabulary (`Up: Up` for the base
 * words), so one line form carries every vocabulary, the per-row random words included.
 */
import type { PaperTemplate } from './paper-templates.ts'

/** `sokoban-compact`: legend, `Up: <name> | Down: … | Left: … | Right: …`, the board, the answer tag. */
export const SOKOBAN_COMPACT_TEMPLATE =
  'Sokoban: push every box (X) onto a target (O).\n' +
  '# wall _ floor O target X box \u221A box on target P you S you on target\n' +
  'Up: {{ action_names[0] }} | Down: {{ action_names[1] }} | Left: {{ action_names[2] }} | ' +
  'Right: {{ action_names[3] }}\n' +
  '{{ board }}\n' +
  'Answer: <answer> action </answer>'

/** sftbench's templates by library name, in the order `samples/templates/library.json` lists them after the paper's. */
export const SAMPLE_TEMPLATES: readonly PaperTemplate[] = Object.freeze([
  {
    name: 'sokoban-compact',
    task: 'sokoban',
    description:
      'Compact Sokoban prompt for small models: legend, the action mapping (Up: name | ...), the board, the answer tag.',
    provenance: "sftbench: a shortened form of the paper's Sokoban body (spec §7.1) for the bundled sample models",
    source: SOKOBAN_COMPACT_TEMPLATE,
  },
] satisfies PaperTemplate[])
