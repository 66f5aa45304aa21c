/**
 * `exchange-guard host <verb>`: the incident runbook as commands that edit a stack file. Each verb's module is loaded
 * when it runs.
 */
import { Command } from "commander";
import { CliIo, RunStack } from "../io";

const HOST_EXAMPLES = `
Examples (the incident runbook, one command per step):
  exchange-guard host status --stack prod
  exchange-guard ingest --host ex02 --generation 1 --build 15.2.1748.53 --from ./ex02-evidence --out ./ex02-g1.json
  exchange-guard host isolate ex02 --compromised ./ex02-g1.json --stack prod   # record it, off every public path
  exchange-guard host rebuild ex02 --stack prod                                # new generation, evidence kept
  exchange-guard host record ex02 ./ex02-g2.json --stack prod                  # a clean record of the new generation
  exchange-guard host remediate ex02 --stack prod                              # only when the gate holds
  exchange-guard host rebuild --where build-older-than=2026-09 --stack prod    # the day a new wave lands

Each verb edits stacks/Pulumi.<stack>.yaml in place, keeping its comments and layout, shows what it changed (--dry-run:
what it would change, nothing written; --json for pipelines), writes atomically and refuses when the file changed since
it was read. Exit codes: 0 done (or nothing to change), 1 remediate refused by the offline check (its reasons on
stderr), 2 bad input or an unsafe transition (the file untouched; the message says what and where), 3 an internal
error (the program or the pack failed: a bug; --debug prints its stack).`;

/** What the verbs run that a test may replace: the stack's program offline, the policy pack. */
export interface HostDeps {
  readonly runStack: RunStack;
  readonly packDir: string;
}

interface Common {
  stack: string;
  stacksDir?: string;
  dryRun?: boolean;
  json?: boolean;
}

function common(cmd: Command, edits = true): Command {
  cmd
    .requiredOption("--stack <name>", "the stack: stacks/Pulumi.<name>.yaml")
    .option("--stacks-dir <dir>", "folder with Pulumi.<stack>.yaml and records/ (default: the project's stacks/)")
    .option("--json", "machine-readable output");
  if (edits) cmd.option("--dry-run", "show the change without writing anything");
  return cmd;
}

export function registerHostCommand(program: Command, io: CliIo, deps: HostDeps, setCode: (code: number) => void): void {
  const host = program
    .command("host")
    .description("the incident runbook: isolate, record, rebuild, remediate a host in a stack file; status of every host")
    .addHelpText("after", HOST_EXAMPLES);
  const ref = (o: Common) => ({ stack: o.stack, stacksDir: o.stacksDir });

  common(
    host
      .command("isolate")
      .description("take a host off every public path: unverified, or compromised with the record that found it so")
      .argument("<host>", "the host's name in the stack config")
      .option("--compromised <record>", "an assessment record (from ingest) that found the host compromised: attached, state compromised"),
  ).action(async (name: string, o: Common & { compromised?: string }) => {
    const { hostIsolate } = require("./isolate") as typeof import("./isolate");
    setCode(await hostIsolate(ref(o), name, o.compromised, o, io));
  });

  common(
    host
      .command("record")
      .description("attach an assessment record (from ingest) of the host's current generation, copied under the stack's records/")
      .argument("<host>", "the host's name in the stack config")
      .argument("<record>", "the record file"),
  ).action(async (name: string, record: string, o: Common) => {
    const { hostRecord } = require("./record") as typeof import("./record");
    setCode(await hostRecord(ref(o), name, record, o, io));
  });

  common(
    host
      .command("rebuild")
      .description("rebuild from scratch: a new generation from the configured image, the old one's evidence kept, unverified")
      .argument("[host]", "the host's name in the stack config (or --where)")
      .option(
        "--where <criterion>",
        "select hosts instead: state=<unverified|compromised|remediated>, build-older-than=<wave> (repeat to combine)",
        (v: string, prev: string[] = []) => [...prev, v],
      ),
  ).action(async (name: string | undefined, o: Common & { where?: string[] }) => {
    const { hostRebuild } = require("./rebuild") as typeof import("./rebuild");
    setCode(await hostRebuild(ref(o), name, o.where ?? [], o, io));
  });

  common(
    host
      .command("remediate")
      .description("mark a host remediated, only if the offline check of the edited stack (program and pack) passes the gate for it")
      .argument("<host>", "the host's name in the stack config")
      .option("--policy-pack-config <file>", "policy pack config JSON (default: stacks/policy-config/<stack>.json when present)"),
  ).action(async (name: string, o: Common & { policyPackConfig?: string }) => {
    const { hostRemediate } = require("./remediate") as typeof import("./remediate");
    setCode(await hostRemediate(ref(o), name, { ...o, ...deps }, io));
  });

  common(
    host.command("status").description("each host's state, generation, newest record, placement and what it still needs (the gate's findings)"),
    false,
  ).action(async (o: Common) => {
    const { hostStatus } = require("./status") as typeof import("./status");
    setCode(await hostStatus(ref(o), o, io));
  });
}
