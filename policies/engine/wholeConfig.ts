import { configMistakes, configReporter, PolicyShape } from "../model/configAudit";
import { GuardRule } from "../rules/types";
import { configuredLevel, configuredPolicies } from "./configCapture";

/**
 * Whole-config mistakes under the engine. @pulumi/policy hands each policy only its own config, and the engine
 * passes unknown policy names and keys on silently; the Configure capture sees the whole map. One stack policy
 * (see configReporter) reports, as a violation of its own, the mistakes no blocking policy reports itself: unknown
 * policy names, and unknown or misplaced keys on policies that are advisory or disabled. So a mistake blocks the
 * run whatever the level of the policy it concerns; so do values of such policies that only the pack can judge.
 */
let rules: readonly GuardRule[] = [];

export function registerPackPolicies(all: readonly GuardRule[]): void {
  rules = all;
}

const blocking = (level: string) => level === "mandatory" || level === "remediate";
const levelOf = (r: GuardRule) => configuredLevel(r.name) ?? r.enforcementLevel;

/** The messages `policy` must report about the whole config: none unless it is the reporter. */
export function wholeConfigErrors(policy: string): string[] {
  const given = configuredPolicies();
  if (!given || rules.length === 0) return [];
  const reporter = configReporter(rules.filter((r) => r.kind === "stack").map((r) => ({ name: r.name, level: levelOf(r) })));
  if (reporter !== policy) return [];
  const shapes: PolicyShape[] = rules.map((r) => ({ name: r.name, keys: r.schemas.flatMap((s) => Object.keys(s.properties)) }));
  const byName = new Map(rules.map((r) => [r.name, r]));
  const mistakes = configMistakes(Object.fromEntries(given), shapes)
    .filter((m) => {
      const owner = byName.get(m.policy);
      // A blocking policy reports its own keys (schemaErrors); everything else is reported here.
      return !owner || !blocking(levelOf(owner)) || owner.name === policy;
    })
    .filter((m) => !(m.policy === policy && m.key !== undefined)) // the reporter's own keys: already in its schemaErrors
    .map((m) => m.message);
  // A value only the pack can judge (a CIDR that does not parse, a scope id of the wrong form) on a policy that does not
  // block would otherwise only warn: the reporter blocks on it too.
  const values = rules
    .filter((r) => r.name !== policy && r.configErrors && given.has(r.name) && !blocking(levelOf(r)))
    .flatMap((r) => r.configErrors!(given.get(r.name) ?? {}).map((e) => `${r.name}: ${e}`));
  return [...mistakes, ...values];
}
