import * as path from "path";
import { NAMESPACE } from "../../stacks/config/programConfig";
import { encodeStackConfig } from "../../stacks/config/programConfig";
import { readEncodedStackConfig, stackFile, STACKS_DIR } from "../../stacks/config/stackFile";
import { runProgram } from "../../stacks/program";
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
 *
 * The program is the entry point's own `runProgram`, fed the stack config encoded exactly as the Pulumi CLI encodes
 * `Pulumi.<stack>.yaml`. A stack config outside the project's stack folder keeps its records beside it
 * (`<dir>/records`) unless it names `exchange-guard:recordsDir` itself. `configText` runs an edit of the stack file that is
 * not written yet (the `host` commands check an edit before they write it).
 */
export async function runOfflineStack(stack: string, opts: { preview: boolean; stacksDir?: string; configText?: string }): Promise<OfflineStack> {
  const dir = opts.stacksDir ?? STACKS_DIR;
  const config = opts.configText === undefined ? readEncodedStackConfig(stack, dir) : encodeStackConfig(opts.configText, stackFile(stack, dir));
  const recordsKey = `${NAMESPACE}:recordsDir`;
  if (path.resolve(dir) !== path.resolve(STACKS_DIR) && config[recordsKey] === undefined)
    config[recordsKey] = path.join(path.resolve(dir), "records");
  const registrations = await captureStack(runProgram, {
    config,
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
    configFile: stackFile(stack, dir),
  };
}
