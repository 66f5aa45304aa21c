import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { encodeStackConfig, StackFileError } from "./programConfig";

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

/** The folder of the stack configs, as Pulumi.yaml's `stackConfigDir` names it (the project root when unset). */
export function stackConfigDir(root = findProjectRoot()): string {
  const project = parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { stackConfigDir?: unknown } | null;
  return path.join(root, typeof project?.stackConfigDir === "string" ? project.stackConfigDir : ".");
}

export const STACKS_DIR = stackConfigDir();

export function stackFile(stack: string, dir = STACKS_DIR): string {
  return path.join(dir, `Pulumi.${stack}.yaml`);
}

/** `Pulumi.<stack>.yaml` → the config map the Pulumi CLI hands the program (see programConfig.ts). */
export function readEncodedStackConfig(stack: string, dir = STACKS_DIR): Record<string, string> {
  const file = stackFile(stack, dir);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new StackFileError(`cannot read stack config ${file}: ${(e as Error).message}`);
  }
  return encodeStackConfig(text, file);
}

export function listStacks(dir = STACKS_DIR): string[] {
  return fs
    .readdirSync(dir)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}
