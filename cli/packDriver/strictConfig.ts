import { configMistakes } from "../../policies/model";
import { AnalyzerInfo } from "./analyzerClient";
import { parsePolicyPackConfig, PolicyConfigError } from "./policyConfig";

/**
 * What the real engine lets through silently and we refuse as bad input (exit 2): a policy name the pack does not
 * have, a key no policy declares, a gate key on a policy that is not the gate home. Checked against the pack's own
 * GetAnalyzerInfo, so the CLI and the pack agree on what exists.
 */
export function checkPolicyPackConfig(info: AnalyzerInfo, file: ReturnType<typeof parsePolicyPackConfig>, source: string): void {
  const given = Object.fromEntries(Object.entries(file).map(([k, v]) => [k, v.properties]));
  const shapes = info.policies.map((p) => ({ name: p.name, keys: Object.keys(p.configSchema?.properties ?? {}) }));
  const mistakes = configMistakes(given, shapes);
  if (mistakes.length > 0) {
    throw new PolicyConfigError(
      `--policy-pack-config ${source}: ${mistakes.length} mistake(s) the Pulumi engine would let pass silently:\n` +
        mistakes.map((m) => `  ${m.message}`).join("\n"),
    );
  }
}

/** An empty config file is almost always a failed write or a wrong path; the engine treats it as "no config". */
export function checkNotEmpty(text: string, source: string): void {
  if (text.trim() === "") {
    throw new PolicyConfigError(
      `--policy-pack-config ${source} is empty: it would mean "no config" (every default); give a JSON object of policy names, or leave the flag out`,
    );
  }
}
