import * as fs from "fs";
import type { EngineResource } from "../packDriver/analyzerClient";
import { findDrift, renderDrift } from "../audit/azure/drift";
import { readLiveEstate } from "../audit/azure/estate";
import { readStackExport } from "../audit/stackExport";
import { InputError } from "../errors";
import { Locator, stackConfigLocator } from "../report/sarif";
import { stackFile, STACKS_DIR } from "../../stacks/config/stackFile";
import { GATE_HOME, resolveGate } from "../../policies/model";
import { CliIo } from "../io";
import { progressFor } from "./progress";
import { judgeAndReport, OutputOptions } from "./shared";

export interface AzureAuditOptions extends OutputOptions {
  /** The stack's `pulumi stack export`: drift between it and the live estate is reported too. */
  readonly export?: string;
  /** The stack whose `Pulumi.<stack>.yaml` SARIF results point at (else at each resource's ARM id). */
  readonly stack?: string;
  readonly stacksDir?: string;
}

/**
 * `audit --azure FILE…`: the live estate from Resource Graph output, judged by the pack exactly as a stack export is
 * (every row to Analyze and to AnalyzeStack), each resource's URN its ARM id; with `--export`, drift from the stack.
 */
export async function auditAzure(files: readonly string[], opts: AzureAuditOptions, io: CliIo): Promise<number> {
  progressFor(opts, io.stderr).phase(`reading Resource Graph output (${files.length} file${files.length === 1 ? "" : "s"})`);
  const estate = readLiveEstate(files);
  let stackResources: EngineResource[] | undefined;
  if (opts.export) {
    let text: string;
    try {
      text = fs.readFileSync(opts.export, "utf8");
    } catch (e) {
      throw new InputError(`cannot read --export ${opts.export}: ${(e as Error).message}`);
    }
    stackResources = readStackExport(text, opts.export).analyzeStack;
  }
  let locator: Locator | undefined;
  if (opts.stack !== undefined) {
    const file = stackFile(opts.stack, opts.stacksDir ?? STACKS_DIR);
    if (!fs.existsSync(file)) throw new InputError(`--stack ${opts.stack}: ${file} does not exist`);
    locator = stackConfigLocator(file);
  }
  for (const note of estate.notes) io.stderr.write(`exchange-guard: ${note}\n`);
  const counts = [...estate.counts].map(([q, n]) => `${n} ${q}`).join(", ");
  return judgeAndReport(
    `exchange-guard audit of the live Azure estate (Resource Graph: ${counts || "no rows"})`,
    { analyze: estate.resources, analyzeStack: estate.resources, stack: opts.stack ?? "azure", project: "resource-graph" },
    opts,
    locator,
    io,
    undefined,
    stackResources === undefined
      ? {}
      : {
          heading: `Drift from the stack ${opts.export} (changes made outside Pulumi; reported, not judged)`,
          findings: (config) => {
            const { gate } = resolveGate(config[GATE_HOME]?.properties ?? {});
            return findDrift(estate.resources, stackResources!, gate).map((f) => ({
              ruleId: "exchange-guard-drift",
              message: renderDrift(f),
              id: f.id,
              host: "host" in f ? f.host : undefined,
              facts: `${f.kind}|${f.id}|${"ipConfig" in f ? f.ipConfig : ""}|${"rule" in f ? f.rule : ""}|${"attachment" in f ? f.attachment : ""}|${"pool" in f ? f.pool : ""}`,
            }));
          },
        },
  );
}
