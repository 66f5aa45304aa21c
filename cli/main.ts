#!/usr/bin/env node
import { Command } from "commander";
import * as path from "path";
import { InputError } from "./audit/stackExport";
import { audit } from "./commands/audit";
import { check } from "./commands/check";
import { ingest } from "./commands/ingest";
import { ROOT } from "./commands/shared";

export const EXAMPLE_EXPORT = path.join(ROOT, "examples", "example.export.json");
export const EXAMPLE_POLICY_CONFIG = path.join(ROOT, "stacks", "policy-config", "example.json");

async function main(argv: string[]): Promise<number> {
  const program = new Command();
  let code = 0;
  program
    .name("exchange-guard")
    .description("Checks Exchange Server hosts on Azure against the exchange-compromise-guard policy pack, offline.")
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
    .action(async (opts: { stack: string; stacksDir?: string; policyPackConfig?: string; json?: boolean; sarif?: string }) => {
      code = await check(opts.stack, opts);
    });
  program
    .command("audit")
    .description("judge a `pulumi stack export` file (default: the bundled example fleet)")
    .argument("[export]", "stack export JSON file")
    .option("--policy-pack-config <file>", "policy pack config JSON, as for pulumi preview --policy-pack-config")
    .option("--json", "machine-readable output")
    .option("--sarif <file>", "also write SARIF 2.1.0 for code scanning")
    .action(async (file: string | undefined, opts: { policyPackConfig?: string; json?: boolean; sarif?: string }) => {
      const useExample = file === undefined;
      code = await audit(file ?? EXAMPLE_EXPORT, {
        ...opts,
        policyPackConfig: opts.policyPackConfig ?? (useExample ? EXAMPLE_POLICY_CONFIG : undefined),
      });
    });
  program
    .command("ingest")
    .description("turn Test-ProxyLogon.ps1 / MSERT / EOMT output into an assessment record for the stacks")
    .requiredOption("--host <name>", "the host's name in the stack config")
    .requiredOption("--from <dir>", "folder with the tools' output (Test-ProxyLogon OutPath files, msert.log, EOMT files)")
    .requiredOption("--build <build>", "the Exchange build found on the host (HealthChecker or ExSetup.exe), e.g. 15.2.1748.53")
    .option("--generation <n>", "the host generation that was assessed")
    .option(
      "--completed-at <instant>",
      "ISO-8601 instant the assessment finished, never later than the tools' newest timestamp (default: that timestamp)",
    )
    .option("--utc-offset <offset>", "the server's offset from UTC when the tools ran, e.g. +02:00 (MSERT and EOMT write local time without a zone)")
    .option("--out <file>", "write the record to this new file instead of stdout (an existing file is never overwritten)")
    .action(
      async (opts: { host: string; from: string; build: string; generation?: string; completedAt?: string; utcOffset?: string; out?: string }) => {
        code = await ingest(opts);
      },
    );
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (e) {
    const err = e as { code?: string; exitCode?: number };
    if (err.code === "commander.helpDisplayed" || err.code === "commander.version") return 0;
    if (err.code?.startsWith("commander.")) return 2;
    throw e;
  }
  return code;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      const msg = e instanceof InputError ? e.message : e instanceof Error ? `${e.message}` : String(e);
      process.stderr.write(`exchange-guard: ${msg}\n`);
      process.exit(2);
    },
  );
}

export { main };
