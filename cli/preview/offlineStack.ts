import * as fs from "fs";
import * as path from "path";
import { parseFleetConfig, planFleet } from "../../stacks/config/fleetConfig";
import { readStackConfig, STACKS_DIR } from "../../stacks/config/stackFile";
import { deployFleet } from "../../stacks/fleet";
import { captureStack, Registration, toEngineResources } from "./captureStack";
import { armIdFor, offlineCall, outputsFor } from "./mockCloud";

export const PROJECT = "exchange-compromise-guard";

export interface OfflineStack {
  readonly stack: string;
  readonly project: string;
  readonly registrations: Registration[];
  readonly analyze: ReturnType<typeof toEngineResources>["analyze"];
  readonly analyzeStack: ReturnType<typeof toEngineResources>["analyzeStack"];
  readonly configFile: string;
}

/**
 * Runs the stacks program for one bundled (or user) stack config in-process under the mock
 * runtime: in preview form like a first `pulumi preview` (no resource exists yet, ids unknown),
 * or in update form (ids and cloud-computed outputs filled in) to produce an export.
 */
export async function runOfflineStack(stack: string, opts: { preview: boolean; stacksDir?: string; now?: Date }): Promise<OfflineStack> {
  const dir = opts.stacksDir ?? STACKS_DIR;
  const config = parseFleetConfig(readStackConfig(stack, dir));
  const plan = planFleet(config, (f) => fs.readFileSync(path.join(dir, "records", f), "utf8"), opts.now ?? new Date());
  const registrations = await captureStack(() => deployFleet(config, plan, stack), {
    project: PROJECT,
    stack,
    preview: opts.preview,
    call: offlineCall,
    idFor: (a) => armIdFor(a),
    outputsFor: (a, id) => outputsFor(a, id),
  });
  return {
    stack,
    project: PROJECT,
    registrations,
    ...toEngineResources(registrations, opts.preview),
    configFile: path.join(dir, `Pulumi.${stack}.yaml`),
  };
}
