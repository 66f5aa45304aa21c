import type { EngineResource } from "../packDriver/analyzerClient";
import { SECRET_SIG, SECRET_SIG_KEY } from "../../policies/model";
import { InputError } from "../errors";

/**
 * Secrets in an export are `{sig, ciphertext}` (encrypted) or `{sig, plaintext}` (with
 * --show-secrets). Both are handed to the pack as secret envelopes, as the engine would:
 * a ciphertext becomes the value "[secret]" (what `pulumi policy analyze` uses), which every
 * policy treats as unreadable, so it can only fail closed.
 */
function convertSecrets(v: unknown, depth = 0): unknown {
  if (depth > 256) throw new InputError("the export nests values too deeply");
  if (Array.isArray(v)) return v.map((x) => convertSecrets(x, depth + 1));
  if (typeof v === "object" && v !== null) {
    const o = v as Record<string, unknown>;
    if (o[SECRET_SIG_KEY] === SECRET_SIG) {
      let value: unknown = "[secret]";
      if (typeof o.plaintext === "string") {
        try {
          value = JSON.parse(o.plaintext);
        } catch {
          value = o.plaintext;
        }
      } else if ("value" in o) value = convertSecrets(o.value, depth + 1);
      return { [SECRET_SIG_KEY]: SECRET_SIG, value };
    }
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o)) if (o[k] !== undefined) out[k] = convertSecrets(o[k], depth + 1);
    return out;
  }
  if (typeof v === "number" && !Number.isFinite(v)) return null;
  return v;
}

function props(v: unknown, what: string): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (typeof v !== "object" || Array.isArray(v)) throw new InputError(`${what} is not an object`);
  return convertSecrets(v) as Record<string, unknown>;
}

export interface ExportedStack {
  /** Inputs, as Analyze receives them. */
  readonly analyze: EngineResource[];
  /** Outputs, as AnalyzeStack receives them. */
  readonly analyzeStack: EngineResource[];
  readonly stack: string;
  readonly project: string;
}

/** Reads a `pulumi stack export` document (deployment version 1–3) the way `pulumi policy analyze --file` does. */
export function readStackExport(text: string, source: string): ExportedStack {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${source} is not JSON: ${(e as Error).message}`);
  }
  const deployment = (doc as { deployment?: unknown })?.deployment;
  const list = (deployment as { resources?: unknown })?.resources;
  if (!Array.isArray(list)) throw new InputError(`${source} is not a \`pulumi stack export\` file: deployment.resources is missing`);
  const analyze: EngineResource[] = [];
  const analyzeStack: EngineResource[] = [];
  let stack = "stack";
  let project = "project";
  list.forEach((r: unknown, i: number) => {
    const where = `${source}: deployment.resources[${i}]`;
    if (typeof r !== "object" || r === null) throw new InputError(`${where} is not an object`);
    const o = r as Record<string, unknown>;
    if (typeof o.urn !== "string" || typeof o.type !== "string") throw new InputError(`${where} has no urn or type`);
    if (o.delete === true) return; // pending deletion: not part of the stack's intended state
    const m = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(o.urn);
    if (m) [, stack, project] = m;
    const name = o.urn.split("::").pop() ?? o.urn;
    const propertyDependencies: Record<string, string[]> = {};
    if (typeof o.propertyDependencies === "object" && o.propertyDependencies !== null) {
      for (const [k, v] of Object.entries(o.propertyDependencies as Record<string, unknown>)) {
        if (Array.isArray(v)) propertyDependencies[k] = v.filter((x): x is string => typeof x === "string");
      }
    }
    const common = {
      urn: o.urn,
      type: o.type,
      name,
      parent: typeof o.parent === "string" ? o.parent : undefined,
      dependencies: Array.isArray(o.dependencies) ? o.dependencies.filter((x): x is string => typeof x === "string") : [],
      propertyDependencies,
      protect: o.protect === true,
    };
    analyze.push({ ...common, properties: props(o.inputs, `${where}.inputs`) });
    analyzeStack.push({ ...common, properties: props(o.outputs, `${where}.outputs`) });
  });
  return { analyze, analyzeStack, stack, project };
}
