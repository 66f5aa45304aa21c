import * as fs from "fs";
import * as path from "path";
import { FleetConfigError } from "../../stacks/config/fleetConfig";
import { StackFileError } from "../../stacks/config/programConfig";
import { listStacks, stackFile, STACKS_DIR } from "../../stacks/config/stackFile";
import { InputError } from "../audit/stackExport";
import { didYouMean } from "../../policies/model";
import { stackConfigLocator } from "../report/sarif";
import { CliIo, RunStack } from "../io";
import { progressFor } from "./progress";
import { judgeAndReport, OutputOptions } from "./shared";

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

/** `check [--stack NAME]`: the offline preview — the stack program under mocks, judged by the pack over the engine interface. */
export async function check(stack: string, opts: OutputOptions & { stacksDir?: string }, io: CliIo, runStack: RunStack): Promise<number> {
  const started = Date.now();
  const dir = opts.stacksDir ?? STACKS_DIR;
  if (!fs.existsSync(stackFile(stack, dir))) throw new InputError(unknownStackMessage(stack, dir));
  progressFor(opts, io.stderr).phase(`running the program of stack ${stack} offline (mock runtime, preview)`);
  let offline;
  try {
    offline = await runStack(stack, { preview: true, stacksDir: opts.stacksDir });
  } catch (e) {
    // The program refused its config before registering anything: bad input, exit 2.
    if (e instanceof FleetConfigError || e instanceof StackFileError) throw new InputError((e as Error).message);
    throw e;
  }
  const policyPackConfig = opts.policyPackConfig ?? (opts.stacksDir ? undefined : bundledPolicyConfig(stack));
  return judgeAndReport(
    `exchange-guard check of stack ${stack} (offline preview: ${offline.registrations.length} resources${policyPackConfig ? `, policy config ${path.relative(process.cwd(), policyPackConfig)}` : ""})`,
    offline,
    { ...opts, policyPackConfig },
    stackConfigLocator(offline.configFile),
    io,
    ({ timings }) => {
      if (!opts.json && !opts.quiet)
        io.stderr.write(
          `checked in ${((Date.now() - started) / 1000).toFixed(1)} s (pack start ${timings.startMs} ms, analysis ${timings.analyzeMs + timings.analyzeStackMs} ms)\n`,
        );
    },
  );
}
