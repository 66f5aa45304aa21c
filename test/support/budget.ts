/**
 * Mutation testing re-runs the suite for thousands of mutants, so under `npm run mutation`
 * (EXG_FAST=1) property tests and sweeps run a sample; CI and `npm test` run them in full.
 */
export const FAST = process.env.EXG_FAST === "1";

export function runs(full: number): number {
  return FAST ? Math.max(20, Math.round(full / 10)) : full;
}

/** Every tenth case of a sweep when fast, spread over the whole list. */
export function sample<T>(cases: readonly T[]): T[] {
  return FAST ? cases.filter((_, i) => i % 10 === 0) : [...cases];
}
