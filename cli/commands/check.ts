import * as fs from "fs";
import * as path from "path";
import { FleetConfigError } from "../../stacks/config/fleetConfig";
import { StackFileError } from "../../stacks/config/programConfig";
import { stackFile, STACKS_DIR } from "../../stacks/config/stackFile";
import { InputError } from "../errors";
import { stackConfigLocator } from "../report/sarif";
import { CliIo, RunStack } from "../io";
import { progressFor } from "./progress";
import { judgeAndReport, OutputOptions } from "./shared";
import { bundledPolicyConfig, unknownStackMessage } from "./stackFiles";

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
