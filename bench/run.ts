/**
 * `npm run bench [-- SECTION ...]`: runs the benchmark sections and prints their figures.
 * Each section compares against a reference measured in the same process or command, and
 * reports medians and ratios, because absolute times on shared machines move by 10-30 %.
 */
import { SECTIONS } from './sections.ts'

// Section names come first; everything from the first flag on belongs to the sections
// (e.g. `npm run bench -- sokoban-solve --levels 30`).
const args = process.argv.slice(2)
const firstFlag = args.findIndex((a) => a.startsWith('-'))
const wanted = firstFlag < 0 ? args : args.slice(0, firstFlag)
const unknown = wanted.filter((w) => !SECTIONS.some((s) => s.name === w))
if (unknown.length > 0) {
  console.error(`Unknown bench section(s): ${unknown.join(', ')}. Sections: ${SECTIONS.map((s) => s.name).join(', ')}`)
  process.exit(2)
}
const chosen = wanted.length > 0 ? SECTIONS.filter((s) => wanted.includes(s.name)) : SECTIONS
console.log(`sftbench bench — node ${process.version}, ${new Date().toISOString()}`)
for (const section of chosen) {
  console.log(`\n## ${section.name}: ${section.title}`)
  await section.run()
}
