import * as fs from "fs";
import * as path from "path";
import { runOfflineStack } from "../preview/offlineStack";
import { STACKS_DIR } from "../../stacks/config/stackFile";
import { judgeAndReport, OutputOptions } from "./shared";

/** The policy config bundled for a stack, if any: stacks/policy-config/<stack>.json. */
export function bundledPolicyConfig(stack: string): string | undefined {
  const f = path.join(STACKS_DIR, "policy-config", `${stack}.json`);
  return fs.existsSync(f) ? f : undefined;
}

/** `check [--stack NAME]`: the offline preview — the stack program under mocks, judged by the pack over the engine interface. */
export async function check(stack: string, opts: OutputOptions): Promise<number> {
  const started = Date.now();
  const offline = await runOfflineStack(stack, { preview: true });
  const policyPackConfig = opts.policyPackConfig ?? bundledPolicyConfig(stack);
  return judgeAndReport(
    `exchange-guard check of stack ${stack} (offline preview: ${offline.registrations.length} resources${policyPackConfig ? `, policy config ${path.relative(process.cwd(), policyPackConfig)}` : ""})`,
    offline,
    { ...opts, policyPackConfig },
    ({ timings }) => {
      if (!opts.json && !opts.quiet) process.stderr.write(`checked in ${((Date.now() - started) / 1000).toFixed(1)} s (pack start ${timings.startMs} ms, analysis ${timings.analyzeMs + timings.analyzeStackMs} ms)\n`);
    },
  );
}
