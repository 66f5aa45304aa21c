#!/usr/bin/env node
import { Command, CommanderError } from "commander";
import * as fs from "fs";
import * as path from "path";
import type { ExplainOptions } from "./commands/explain";
import { EXIT, EXIT_CODES_HELP, InputError, reportFailure } from "./errors";
import { EXAMPLE_EXPORT, EXAMPLE_POLICY_CONFIG, PACK_DIR, ROOT } from "./projectPaths";
import { registerHostCommand } from "./host/command";
import { CliIo, PROCESS_IO, RunStack } from "./io";

// Each command loads its modules when it runs: the Pulumi SDK and the providers `check` needs cost a second at start,
// which `host status` on a large fleet must not pay.

const COMMANDS = ["check", "audit", "ingest", "host", "help", "explain"];

/** The offline program run `check` uses unless a test gives its own. */
const runOfflineStack: RunStack = async (stack, opts) =>
  (require("./preview/offlineStack") as typeof import("./preview/offlineStack")).runOfflineStack(stack, opts);

function packageVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version?: string }).version ?? "unknown";
  } catch {
    return "unknown";
  }
}

const CHECK_EXAMPLES = `
Examples:
  exchange-guard check                                   # the bundled example stack
  exchange-guard check --stack incident-2-compromised --sarif ./check.sarif
  exchange-guard check --stack bad-unpatched-build --stacks-dir test/fixtures/stacks \\
    --policy-pack-config test/fixtures/stacks/known-bad.policy-config.json   # a known-bad fixture: exits 1

Exit codes: 0 no mandatory violation, 1 a mandatory violation (or no Exchange host found), 2 bad input (an
unknown stack, a stack config or record the program refuses, a policy config mistake: the message says what and
where), 3 an internal error (the program or the pack failed: a bug; --debug prints its stack).`;

const AUDIT_EXAMPLES = `
Examples:
  exchange-guard audit                                   # the bundled example export
  pulumi stack export --stack prod --file ./prod.export.json
  exchange-guard audit ./prod.export.json --policy-pack-config stacks/policy-config/prod.json --sarif ./audit.sarif

The export must be \`pulumi stack export\` output (JSON with deployment.resources). Give the same
--policy-pack-config the pipeline's preview uses, or the defaults judge it. An export with no Exchange host
exits 1 unless --allow-no-hosts is given. Exit codes: 0 clean, 1 a mandatory violation, 2 bad input (a file
that is not a stack export or Resource Graph output, a page missing, a policy config mistake: the message names the
file), 3 an internal error (a bug; --debug prints its stack).

The live estate (Azure Resource Graph), which also sees what was changed outside Pulumi:
  az graph query -q "$(cat pipelines/resource-graph/resources.kql)" --subscriptions <id> --first 1000 > rg-1.json
  #   … while rg-N.json has a "skip_token": again with --skip-token <token> > rg-N+1.json
  az graph query -q "$(cat pipelines/resource-graph/security-assessments.kql)" --subscriptions <id> --first 1000 > sa-1.json
  exchange-guard audit --azure rg-*.json sa-*.json --policy-pack-config stacks/policy-config/prod.json \\
    --export ./prod.export.json --stack prod --sarif ./live.sarif

--azure judges the Resource Graph output with the same pack and verdicts as an export; every page of a run must be
given (a page missing, a file that is not Resource Graph JSON: exit 2). Hosts are named by ARM id; SARIF results
point at the host's line in stacks/Pulumi.<stack>.yaml with --stack, else at each resource's ARM id. With --export,
drift from the stack (resources, NSG rules, public IPs, pool members changed outside Pulumi) is reported too; drift
alone never changes the exit code: only the policies' verdicts on the live estate do.`;

const INGEST_EXAMPLES = `
Examples:
  exchange-guard ingest --host ex03 --generation 1 --build 15.2.1748.53 \\
    --from ./ex03-evidence --utc-offset +01:00 --out ./ex03-g1-new.json

The folder holds one server's Test-ProxyLogon.ps1 -OutPath files (<COMPUTERNAME>-LogAgeDays.csv, …),
msert.log (required for a clean verdict) and optionally msert.old.log, EOMT.log, EOMTSummary.txt.
Exit codes: 0 record written (a compromised verdict included), 2 refused: bad input (another server's reports,
a mixed folder, an unfinished scan, …; the message names the file), 3 an internal error (a bug; --debug prints its
stack).`;

const EXPLAIN_EXAMPLES = `
Examples:
  exchange-guard explain ex02 --stack incident-2-compromised --html report.html
  exchange-guard explain ex01-g1 --export ./prod.export.json --policy-pack-config stacks/policy-config/prod.json --json
  exchange-guard explain ex01-g1 --azure rg-*.json --policy-pack-config stacks/policy-config/prod.json --summary explain.md

The host is named as the reports print it (the VM name, e.g. ex02-g1), or by its name in the stack config without the
generation (ex02) when one host has it, its URN or its ARM id (case-insensitive). Shown: every path from outside the
model knows, open and closed, with the NSG rule or setting that decides each (a closed path names its first matching
deny rule, or the default rule); what the host's NICs let in whatever path brings the traffic; its state and what the
gate still needs; its violations. Exit codes: 0 explained, 2 bad input or an unknown host (the hosts are listed),
3 an internal error (a bug; --debug prints its stack).`;

/**
 * The whole CLI: parses `argv`, runs the command, and answers its exit code (`EXIT`: 0 clean, 1 a violation, 2 bad
 * input, 3 an internal error); every error is written to `io.stderr`. `runStack` runs a stack's program offline and
 * `packDir` is the policy pack judged with: tests give their own, a program or a pack that fails among them.
 */
export async function main(
  argv: readonly string[],
  io: CliIo = PROCESS_IO,
  runStack: RunStack = runOfflineStack,
  packDir: string = PACK_DIR,
): Promise<number> {
  try {
    return await run(argv, io, runStack, packDir);
  } catch (e) {
    return reportFailure(e, io.stderr, argv.includes("--debug"));
  }
}

async function run(argv: readonly string[], io: CliIo, runStack: RunStack, packDir: string): Promise<number> {
  const program = new Command();
  let code: number = EXIT.clean;
  program
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .name("exchange-guard")
    .description("Checks Exchange Server hosts on Azure against the exchange-compromise-guard policy pack, offline.")
    .version(packageVersion(), "-V, --version", "print the version")
    .option("--debug", "on an internal error (exit 3), print its stack")
    .addHelpText("after", `\n${EXIT_CODES_HELP} Each command's help says what each means for it.`)
    .showHelpAfterError()
    .exitOverride();
  program
    .command("check", { isDefault: true })
    .description("offline preview: run a stack's program under mocks and judge it with the policy pack (default: the bundled example stack)")
    .option("--stack <name>", "stack config stacks/Pulumi.<name>.yaml", "example")
    .option("--stacks-dir <dir>", "folder with Pulumi.<stack>.yaml and records/ (default: the project's stacks/)")
    .option("--policy-pack-config <file>", "policy pack config JSON (default: stacks/policy-config/<stack>.json when present)")
    .option("--json", "machine-readable output")
    .option("--sarif <file>", "also write SARIF 2.1.0 for code scanning")
    .option("--sarif-root <dir>", "repository root SARIF locations are relative to (default: the git root of the stack config)")
    .option("--allow-no-hosts", "exit 0 even when no Exchange host is found")
    .option("-q, --quiet", "no progress or timing lines on stderr")
    .option("--html <file>", "also write a standalone HTML page with a picture of each host's exposure")
    .option("--summary <file>", "also write a Markdown job summary (hosts, a Mermaid chart of each violation's path)")
    .addHelpText("after", CHECK_EXAMPLES)
    .action(async (opts: { stack: string; stacksDir?: string; policyPackConfig?: string; json?: boolean; sarif?: string; sarifRoot?: string }) => {
      const { check } = require("./commands/check") as typeof import("./commands/check");
      code = await check(opts.stack, { ...opts, packDir }, io, runStack);
    });
  program
    .command("audit")
    .description("judge a `pulumi stack export` file (default: the bundled example fleet), or the live estate from Azure Resource Graph")
    .argument("[export]", "stack export JSON file")
    .option("--azure <files...>", "judge the live estate instead: Resource Graph output of the shipped queries (every page)")
    .option("--export <file>", "with --azure: the stack's `pulumi stack export`, to report drift from it")
    .option("--stack <name>", "with --azure: SARIF results point at stacks/Pulumi.<name>.yaml (default: at ARM ids)")
    .option("--policy-pack-config <file>", "policy pack config JSON, as for pulumi preview --policy-pack-config")
    .option("--json", "machine-readable output")
    .option("--sarif <file>", "also write SARIF 2.1.0 for code scanning")
    .option("--sarif-root <dir>", "repository root SARIF locations are relative to (default: the git root of the located file)")
    .option("--stacks-dir <dir>", "folder with Pulumi.<stack>.yaml: SARIF results point at the exported stack's file there (default: stacks/)")
    .option("--allow-no-hosts", "exit 0 even when the export holds no Exchange host")
    .option("-q, --quiet", "no progress lines on stderr")
    .option("--html <file>", "also write a standalone HTML page with a picture of each host's exposure")
    .option("--summary <file>", "also write a Markdown job summary (hosts, a Mermaid chart of each violation's path)")
    .addHelpText("after", AUDIT_EXAMPLES)
    .action(
      async (
        file: string | undefined,
        opts: {
          policyPackConfig?: string;
          json?: boolean;
          sarif?: string;
          sarifRoot?: string;
          stacksDir?: string;
          azure?: string[];
          export?: string;
          stack?: string;
        },
      ) => {
        if (opts.azure !== undefined) {
          if (file !== undefined)
            throw new InputError(`audit --azure takes Resource Graph files, not a stack export (${file}): give the export with --export`);
          const { auditAzure } = require("./commands/auditAzure") as typeof import("./commands/auditAzure");
          code = await auditAzure(opts.azure, { ...opts, packDir }, io);
          return;
        }
        if (opts.export !== undefined || opts.stack !== undefined) throw new InputError("--export and --stack go with --azure");
        const useExample = file === undefined;
        const { audit } = require("./commands/audit") as typeof import("./commands/audit");
        code = await audit(
          file ?? EXAMPLE_EXPORT,
          {
            ...opts,
            packDir,
            policyPackConfig: opts.policyPackConfig ?? (useExample ? EXAMPLE_POLICY_CONFIG : undefined),
          },
          io,
        );
      },
    );
  program
    .command("ingest")
    .description("turn Test-ProxyLogon.ps1 / MSERT / EOMT output into an assessment record for the stacks")
    .requiredOption("--host <name>", "the host's name in the stack config; the reports must be this server's")
    .requiredOption("--from <dir>", "folder with one server's tool output (Test-ProxyLogon OutPath files, msert.log, EOMT files)")
    .requiredOption("--build <build>", "the Exchange build found on the host (HealthChecker or ExSetup.exe), e.g. 15.2.1748.53")
    .option("--generation <n>", "the host generation that was assessed")
    .option(
      "--completed-at <instant>",
      "ISO-8601 instant the assessment finished, never later than the tools' newest timestamp (default: that timestamp)",
    )
    .option("--utc-offset <offset>", "the server's offset from UTC when the tools ran, e.g. +02:00 (MSERT and EOMT write local time without a zone)")
    .option("--out <file>", "write the record to this new file instead of stdout (an existing file is never overwritten)")
    .addHelpText("after", INGEST_EXAMPLES)
    .action(
      async (opts: { host: string; from: string; build: string; generation?: string; completedAt?: string; utcOffset?: string; out?: string }) => {
        const { ingest } = require("./commands/ingest") as typeof import("./commands/ingest");
        code = await ingest(opts, io);
      },
    );
  registerHostCommand(program, io, { runStack, packDir }, (c) => {
    code = c;
  });

  program
    .command("explain")
    .description("every path to one host, open and closed, with the rule that decides each, its gate state and what it still needs")
    .argument("<host>", "the host: VM name as reports print it, host name without generation, URN or ARM id")
    .option("--stack <name>", "a stack of this repository, run offline as check runs it")
    .option("--stacks-dir <dir>", "folder with Pulumi.<stack>.yaml and records/ (default: the project's stacks/)")
    .option("--export <file>", "a `pulumi stack export`, as audit reads it")
    .option("--azure <files...>", "Resource Graph output of the shipped queries, as audit --azure reads it")
    .option("--policy-pack-config <file>", "policy pack config JSON (with --stack, default: stacks/policy-config/<stack>.json when present)")
    .option("--json", "machine-readable output")
    .option("--html <file>", "also write a standalone HTML page with the picture of the host's exposure")
    .option("--summary <file>", "also write a Markdown summary with a Mermaid chart of each violation's path")
    .option("-q, --quiet", "no progress lines on stderr")
    .addHelpText("after", EXPLAIN_EXAMPLES)
    .action(async (host: string, opts: ExplainOptions) => {
      const { explain } = require("./commands/explain") as typeof import("./commands/explain");
      code = await explain(host, { ...opts, packDir }, io, runStack);
    });

  // `check` is the default command, so commander would hand an unknown word to it as an argument; say what it is.
  const first = argv[0];
  if (first !== undefined && !first.startsWith("-") && !COMMANDS.includes(first)) {
    io.stderr.write(`exchange-guard: unknown command '${first}'. Commands: ${COMMANDS.join(", ")} (exchange-guard help <command>)\n`);
    return EXIT.badInput;
  }
  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    if (["commander.helpDisplayed", "commander.help", "commander.version"].includes(e.code)) return EXIT.clean;
    // A usage error (unknown option, missing argument): commander has already said what, with the usage.
    return EXIT.badInput;
  }
  return code;
}

if (require.main === module) {
  // Exit only once both streams are flushed: on a pipe, writes are asynchronous and process.exit would cut a long
  // report (a thousand hosts' status as JSON) short.
  const flushed = (s: NodeJS.WriteStream) => new Promise<void>((resolve) => s.write("", () => resolve()));
  void main(process.argv.slice(2)).then(async (code) => {
    await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
    process.exit(code);
  });
}
