#!/usr/bin/env node
import { Command } from "commander";
import * as path from "path";
import { InputError } from "./audit/stackExport";
import { audit } from "./commands/audit";
import { ROOT } from "./commands/shared";

export const EXAMPLE_EXPORT = path.join(ROOT, "examples", "fleet.export.json");
export const EXAMPLE_POLICY_CONFIG = path.join(ROOT, "examples", "fleet.policy-config.json");

async function main(argv: string[]): Promise<number> {
  const program = new Command();
  let code = 0;
  program
    .name("exchange-guard")
    .description("Checks Exchange Server hosts on Azure against the exchange-compromise-guard policy pack, offline.")
    .showHelpAfterError()
    .exitOverride();
  program
    .command("audit")
    .description("judge a `pulumi stack export` file (default: the bundled example fleet)")
    .argument("[export]", "stack export JSON file")
    .option("--policy-pack-config <file>", "policy pack config JSON, as for pulumi preview --policy-pack-config")
    .option("--json", "machine-readable output")
    .action(async (file: string | undefined, opts: { policyPackConfig?: string; json?: boolean }) => {
      const useExample = file === undefined;
      code = await audit(file ?? EXAMPLE_EXPORT, { ...opts, policyPackConfig: opts.policyPackConfig ?? (useExample ? EXAMPLE_POLICY_CONFIG : undefined) });
    });
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
