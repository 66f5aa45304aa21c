import * as fs from "fs";
import * as path from "path";
import { listStacks, stackFile, STACKS_DIR } from "../../stacks/config/stackFile";
import { didYouMean } from "../../policies/model";

/** The policy config bundled for a stack, if any: stacks/policy-config/<stack>.json. */
export function bundledPolicyConfig(stack: string): string | undefined {
  const f = path.join(STACKS_DIR, "policy-config", `${stack}.json`);
  return fs.existsSync(f) ? f : undefined;
}

/** `--stack NAME` that has no `Pulumi.NAME.yaml`: say which stacks exist, and the close one. */
export function unknownStackMessage(stack: string, dir: string): string {
  let stacks: string[] = [];
  try {
    stacks = listStacks(dir);
  } catch {
    return `no stack "${stack}": cannot list ${dir} (pass --stacks-dir with the folder holding Pulumi.<stack>.yaml)`;
  }
  const hint = didYouMean(stack, stacks);
  return (
    `no stack "${stack}": ${stackFile(stack, dir)} does not exist` +
    (hint ? `; did you mean "${hint}"?` : "") +
    (stacks.length > 0 ? `\nstacks in ${dir}: ${stacks.join(", ")}` : `\n${dir} holds no Pulumi.<stack>.yaml`)
  );
}
