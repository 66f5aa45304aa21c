/**
 * How much of the property tests and sweeps a run does: all of it in CI (CI=true, as .ci/run is run) or with
 * EXG_FULL=1; a sample (a tenth, at least 20 cases) in a developer's `npm test` and under mutation testing
 * (EXG_FAST=1, which wins), where the suite is re-run for thousands of mutants.
 */
export const FAST = process.env.EXG_FAST === "1" || (process.env.CI !== "true" && process.env.EXG_FULL !== "1");

export function runs(full: number): number {
  return FAST ? Math.max(20, Math.round(full / 10)) : full;
}

/** Every tenth case of a sweep when fast, spread over the whole list. */
export function sample<T>(cases: readonly T[]): T[] {
  return FAST ? cases.filter((_, i) => i % 10 === 0) : [...cases];
}
