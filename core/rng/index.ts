export { Xoshiro128, rngFor, deriveSeed } from './rng.ts'
export type { Rng, SeedPart } from './rng.ts'
