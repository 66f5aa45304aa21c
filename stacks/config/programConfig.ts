/**
 * The `exchange-guard:*` stack config as the program receives it from the Pulumi engine, and the engine's encoding of
 * `Pulumi.<stack>.yaml`, so the offline check hands the program exactly what `pulumi preview` does.
 *
 * The CLI passes every top-level config value as one string (sdk/go/common/resource/config `object.MarshalString`):
 * a YAML string as itself, a boolean or number as its JSON text, a list or map as JSON. A program that JSON-parses every
 * key (`Config.getObject`) therefore stops on the first plain string, which is what happened before this module.
 */
import { parse } from "yaml";

export const NAMESPACE = "exchange-guard";

/** Each key the program reads and how its value is written in the stack config. */
export const CONFIG_KEYS = {
  resourceGroupName: "string",
  location: "string",
  adminUsername: "string",
  assessmentMetadataGuid: "string",
  recordsDir: "string",
  bastion: "structured",
  network: "structured",
  forensicsSourcePrefixes: "structured",
  forensicsDestinationPrefixes: "structured",
  managementPorts: "structured",
  publishing: "structured",
  image: "structured",
  gate: "structured",
  hosts: "structured",
} as const satisfies Record<string, "string" | "structured">;

export type ConfigKey = keyof typeof CONFIG_KEYS;

/**
 * Decodes the engine's strings into the raw fleet config: strings stay strings; a structured value is parsed from
 * JSON, and left as the text it is when it is not JSON (a scalar where a list belongs), so validation names the key.
 */
export function decodeProgramConfig(get: (key: ConfigKey) => string | undefined, location?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, kind] of Object.entries(CONFIG_KEYS) as [ConfigKey, string][]) {
    const text = get(key);
    if (text === undefined) continue;
    if (kind === "string") {
      out[key] = text;
      continue;
    }
    try {
      out[key] = JSON.parse(text);
    } catch {
      out[key] = text;
    }
  }
  if (out.location === undefined && location !== undefined) out.location = location;
  return out;
}

export class StackFileError extends Error {}

/**
 * `Pulumi.<stack>.yaml` text → the config map the engine hands the program (`<namespace>:<key>` → string).
 * Secure values cannot be decrypted offline; they are refused with the key named.
 */
export function encodeStackConfig(yamlText: string, file: string): Record<string, string> {
  let doc: unknown;
  try {
    doc = parse(yamlText);
  } catch (e) {
    throw new StackFileError(`cannot read stack config ${file}: ${(e as Error).message}`);
  }
  return encodeConfigMap((doc as { config?: unknown } | null)?.config, file);
}

/**
 * The `config` map of a parsed stack file → the engine's encoding. `keep` limits it to some keys (qualified), so a
 * secure value the caller never reads does not stop it.
 */
export function encodeConfigMap(configMap: unknown, file: string, keep: (qualifiedKey: string) => boolean = () => true): Record<string, string> {
  const config = configMap ?? {};
  if (typeof config !== "object" || Array.isArray(config)) {
    throw new StackFileError(`cannot read stack config ${file}: 'config' must be a map of keys to values`);
  }
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
    // A key without a namespace belongs to the project (the CLI qualifies it with the project name).
    const qualified = key.includes(":") ? key : `exchange-compromise-guard:${key}`;
    if (!keep(qualified)) continue;
    if (hasSecure(value)) {
      throw new StackFileError(`${file}: ${qualified} holds a secure value, which only the Pulumi CLI can decrypt; run pulumi preview instead`);
    }
    out[qualified] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return out;
}

function hasSecure(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(hasSecure);
  if (typeof v !== "object" || v === null) return false;
  const o = v as Record<string, unknown>;
  if (Object.keys(o).length === 1 && typeof o.secure === "string") return true;
  return Object.values(o).some(hasSecure);
}

/** The raw fleet config of an encoded stack config, exactly as the program decodes it. */
export function fleetConfigOf(encoded: Readonly<Record<string, string>>): Record<string, unknown> {
  return decodeProgramConfig((k) => encoded[`${NAMESPACE}:${k}`], encoded["azure-native:location"]);
}
