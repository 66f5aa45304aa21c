import { GATE_HOME, GATE_KEYS } from "./config";
import { blocks, EnforcementLevel } from "./enforcementLevels";

/**
 * Whole-config mistakes in a policy pack config. The Pulumi engine keeps a config entry for a policy name the pack
 * does not have, and accepts keys no schema declares (measured with the real CLI by the engine suite, test/engine/): a typo in a name or a key would
 * silently leave a gate at its default. Only the pack (and our CLI) can catch them; this is the one place that says
 * what a mistake is, so both say the same.
 */
export interface PolicyShape {
  readonly name: string;
  /** The config keys the policy declares. */
  readonly keys: readonly string[];
}

export interface ConfigMistake {
  readonly policy: string;
  /** The key at fault; absent when the policy name itself is unknown. */
  readonly key?: string;
  readonly message: string;
}

/** Entries that are not policies: `all` sets every level (the engine applies it before Configure). */
const NOT_POLICIES = new Set(["all"]);

/**
 * Mistakes in `given` (policy name → its properties, `enforcementLevel` already taken out): unknown policy names,
 * unknown keys, gate keys set on a policy that is not the gate home. Each message names the policy and the key and
 * offers the closest known name when one is close.
 */
export function configMistakes(
  given: Readonly<Record<string, Readonly<Record<string, unknown>>>>,
  policies: readonly PolicyShape[],
): ConfigMistake[] {
  const byName = new Map(policies.map((p) => [p.name, p]));
  const owners = new Map<string, string[]>();
  for (const p of policies) for (const k of p.keys) owners.set(k, [...(owners.get(k) ?? []), p.name]);
  const out: ConfigMistake[] = [];
  for (const [name, props] of Object.entries(given)) {
    if (NOT_POLICIES.has(name)) continue;
    const policy = byName.get(name);
    if (!policy) {
      const hint = didYouMean(name, [...byName.keys()]);
      out.push({
        policy: name,
        message: `"${name}" is not a policy of this pack, so its settings would never apply${hint ? `; did you mean "${hint}"?` : `; the policies are ${[...byName.keys()].join(", ")}`}`,
      });
      continue;
    }
    for (const key of Object.keys(props)) {
      if (policy.keys.includes(key)) continue;
      if ((GATE_KEYS as readonly string[]).includes(key) && name !== GATE_HOME) {
        out.push({
          policy: name,
          key,
          message: `${name}: ${key} is a gate setting: set it once on ${GATE_HOME}, which every policy reads the gate from (here it would be ignored)`,
        });
        continue;
      }
      const elsewhere = owners.get(key);
      const hint = didYouMean(key, policy.keys);
      out.push({
        policy: name,
        key,
        message:
          `${name}: ${key} is not a setting of ${name}` +
          (hint
            ? `; did you mean "${hint}"?`
            : elsewhere
              ? `; it is a setting of ${elsewhere.join(", ")}`
              : policy.keys.length > 0
                ? `; its settings are ${policy.keys.join(", ")}`
                : "; it has no settings"),
      });
    }
  }
  return out;
}

/** The candidate closest to `word` when it is close enough to be a typo (case ignored), else undefined. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: { c: string; d: number } | undefined;
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (!best || d < best.d) best = { c, d };
  }
  if (!best) return undefined;
  const limit = Math.max(2, Math.floor(Math.max(word.length, best.c.length) / 4));
  return best.d <= limit ? best.c : undefined;
}

/** Levenshtein distance (insert, delete, substitute). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/**
 * The stack policy that reports whole-config mistakes: the first, in pack order, whose level blocks (mandatory or
 * remediate), so a mistake blocks even when the policy it concerns is advisory or disabled; when no stack policy
 * blocks (the user lowered them all), the first one that runs.
 */
export function configReporter(stackPolicies: ReadonlyArray<{ name: string; level: EnforcementLevel }>): string | undefined {
  return (stackPolicies.find((p) => blocks(p.level)) ?? stackPolicies.find((p) => p.level !== "disabled"))?.name;
}
