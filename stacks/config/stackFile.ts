import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

/** The project root: the nearest folder above this file with Pulumi.yaml (works from sources and from dist/). */
export function findProjectRoot(from = __dirname): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, "Pulumi.yaml"))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the project root (Pulumi.yaml) above ${from}`);
    dir = up;
  }
  return dir;
}

export const STACKS_DIR = path.join(findProjectRoot(), "stacks");

/**
 * Reads `stacks/Pulumi.<stack>.yaml` into the raw fleet config, the way `new pulumi.Config("exchange-guard")`
 * sees it in a real run (each `exchange-guard:<key>` is one key; `azure-native:location` gives the location).
 */
export function readStackConfig(stack: string, dir = STACKS_DIR): Record<string, unknown> {
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  let doc: unknown;
  try {
    doc = parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`cannot read stack config ${file}: ${(e as Error).message}`);
  }
  const config = (doc as { config?: Record<string, unknown> } | null)?.config ?? {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    if (k.startsWith("exchange-guard:")) out[k.slice("exchange-guard:".length)] = v;
  }
  if (config["azure-native:location"] !== undefined && out.location === undefined) out.location = config["azure-native:location"];
  return out;
}

export function listStacks(dir = STACKS_DIR): string[] {
  return fs
    .readdirSync(dir)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}
