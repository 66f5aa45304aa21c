import Ajv from "ajv";
import { InputError } from "../errors";
import { isEnforcementLevel } from "../../policies/model";
import { AnalyzerInfo, EnforcementLevel, PolicyConfigEntry } from "./analyzerClient";

/** A policy pack config the engine would refuse, or that we refuse beyond it: bad input (exit 2). */
export class PolicyConfigError extends InputError {}

/** Parses a `--policy-pack-config` file as the engine does: policy name (or "all") → level string or object. */
export function parsePolicyPackConfig(
  text: string,
  source: string,
): Record<string, { enforcementLevel?: EnforcementLevel; properties: Record<string, unknown> }> {
  const out: Record<string, { enforcementLevel?: EnforcementLevel; properties: Record<string, unknown> }> = {};
  if (text.trim() === "") return out;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new PolicyConfigError(`${source} is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json))
    throw new PolicyConfigError(`${source} must hold a JSON object of policy names`);
  for (const [k, v] of Object.entries(json as Record<string, unknown>)) {
    if (k === "environments") continue;
    if (typeof v === "string") {
      if (!isEnforcementLevel(v)) throw new PolicyConfigError(`parsing enforcement level for "${k}": "${v}" is not a valid enforcement level`);
      out[k] = { enforcementLevel: v as EnforcementLevel, properties: {} };
    } else if (typeof v === "object" && v !== null && !Array.isArray(v)) {
      const { enforcementLevel, ...properties } = v as Record<string, unknown>;
      if (enforcementLevel !== undefined && !isEnforcementLevel(enforcementLevel)) {
        throw new PolicyConfigError(`parsing enforcement level for "${k}": ${JSON.stringify(enforcementLevel)} is not a valid enforcement level`);
      }
      out[k] = { enforcementLevel: enforcementLevel as EnforcementLevel | undefined, properties };
    } else {
      throw new PolicyConfigError(`parsing "${k}": ${JSON.stringify(v)} is not a valid value; must be a string or object`);
    }
  }
  return out;
}

/**
 * The engine's reconciliation (pkg/resource/analyzer/config.go): schema defaults, then the
 * file ("all" sets every level, per-policy entries override), then validation of each
 * policy's properties against its schema. Errors read like the engine's.
 */
export function reconcilePolicyConfig(info: AnalyzerInfo, file: ReturnType<typeof parsePolicyPackConfig>): Record<string, PolicyConfigEntry> {
  const result: Record<string, PolicyConfigEntry> = {};
  for (const p of info.policies) {
    const properties: Record<string, unknown> = {};
    for (const [k, s] of Object.entries(p.configSchema?.properties ?? {})) if ("default" in s) properties[k] = s.default;
    result[p.name] = { enforcementLevel: p.enforcementLevel, properties };
  }
  const all = file.all?.enforcementLevel;
  if (all) for (const k of Object.keys(result)) result[k] = { ...result[k], enforcementLevel: all };
  for (const [name, given] of Object.entries(file)) {
    if (name === "all") continue;
    const base = result[name] ?? { enforcementLevel: "advisory" as EnforcementLevel, properties: {} };
    result[name] = { enforcementLevel: given.enforcementLevel ?? base.enforcementLevel, properties: { ...base.properties, ...given.properties } };
  }
  const ajv = new Ajv({ allErrors: true, strict: false });
  const errors: string[] = [];
  for (const p of info.policies) {
    if (!p.configSchema) continue;
    const validate = ajv.compile({ type: "object", properties: p.configSchema.properties, required: p.configSchema.required });
    if (!validate(result[p.name].properties)) {
      for (const e of validate.errors ?? [])
        errors.push(`${info.name} ${info.version}  ${p.name}: ${(e.instancePath || "(root)").replace(/^\//, "")} ${e.message ?? "is invalid"}`);
    }
  }
  if (errors.length > 0) throw new PolicyConfigError(`validating policy config:\n${errors.join("\n")}`);
  return result;
}
