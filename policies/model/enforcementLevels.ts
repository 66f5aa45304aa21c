/**
 * The engine's enforcement levels, in the order of its `EnforcementLevel` enum (pulumi/pulumi
 * `proto/pulumi/analyzer.proto`: ADVISORY = 0, MANDATORY = 1, DISABLED = 2, REMEDIATE = 3), so a level's index is its
 * number on the wire. The pack reads the levels the engine configured by number; the CLI's stand-in for the engine
 * writes and reads them the same way, and checks a config file's level strings against this list.
 */
export const ENFORCEMENT_LEVELS = ["advisory", "mandatory", "disabled", "remediate"] as const;

export type EnforcementLevel = (typeof ENFORCEMENT_LEVELS)[number];

export function isEnforcementLevel(v: unknown): v is EnforcementLevel {
  return typeof v === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(v);
}

/** The level a wire number stands for; undefined for a number the enum does not have. */
export function levelOfNumber(n: number): EnforcementLevel | undefined {
  return Number.isInteger(n) ? ENFORCEMENT_LEVELS[n] : undefined;
}

/** The wire number of a level. */
export function numberOfLevel(level: EnforcementLevel): number {
  return ENFORCEMENT_LEVELS.indexOf(level);
}

/** Levels at which a violation stops a preview or an update: mandatory, and remediate (reported as mandatory on Analyze). */
export function blocks(level: EnforcementLevel): boolean {
  return level === "mandatory" || level === "remediate";
}
