import * as fs from "fs";
import * as path from "path";
import type { EngineResource, PolicyConfigEntry } from "../packDriver/analyzerClient";
import { runPolicyPack } from "../packDriver/session";
import { buildReport, Report } from "../report/hostRows";
import { ExtraFinding, gitRoot, Locator, SarifLocationError, toSarif } from "../report/sarif";
import { COLOUR, PLAIN, renderFindings, renderText } from "../report/text";
import { InputError } from "../errors";
import { checkNotEmpty, checkPolicyPackConfig } from "../packDriver/strictConfig";
import { PACK_DIR } from "../projectPaths";
import { GATE_HOME } from "../../policies/model";
import { CliIo } from "../io";
import { progressFor } from "./progress";
import { writePictures } from "../report/pictures";

export interface OutputOptions {
  /** The policy pack to judge with (default: the project's policies/). */
  readonly packDir?: string;
  readonly json?: boolean;
  readonly sarif?: string;
  readonly sarifRoot?: string;
  readonly policyPackConfig?: string;
  readonly quiet?: boolean;
  /** Pass a judgement that found no Exchange host at all (default: exit 1, a mis-tagged fleet must not pass). */
  readonly allowNoHosts?: boolean;
  /** Also write a standalone HTML page with a picture of each host's exposure. */
  readonly html?: string;
  /** Also write a GitHub-flavoured Markdown job summary (verdict, hosts, a Mermaid chart per violation's path). */
  readonly summary?: string;
}

export function readConfigFile(file: string | undefined): { text?: string; source?: string } {
  if (!file) return {};
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new InputError(`cannot read --policy-pack-config ${file}: ${(e as Error).message}`);
  }
  try {
    checkNotEmpty(text, file);
  } catch (e) {
    throw new InputError((e as Error).message);
  }
  return { text, source: file };
}

/** What a report shows beside the policies' verdicts (drift from the stack), never changing the exit code. */
export interface ReportExtras {
  /** Computed once the pack's reconciled config is known (the gate's tag names). */
  readonly findings?: (config: Readonly<Record<string, PolicyConfigEntry>>) => readonly ExtraFinding[];
  /** The heading of the findings' section in the text report. */
  readonly heading?: string;
}

export interface Judged {
  readonly report: Report;
  readonly timings: { startMs: number; analyzeMs: number; analyzeStackMs: number };
}

export interface JudgedStack {
  readonly analyze: readonly EngineResource[];
  readonly analyzeStack: readonly EngineResource[];
  readonly stack: string;
  readonly project: string;
}

/** Judges resources with the pack over the engine interface: its answer, and the per-host report built from it. */
export async function judge(
  stack: JudgedStack,
  opts: OutputOptions,
  io: CliIo,
): Promise<{ result: Awaited<ReturnType<typeof runPolicyPack>>; report: Report }> {
  const cfg = readConfigFile(opts.policyPackConfig);
  const progress = progressFor(opts, io.stderr);
  const result = await runPolicyPack({
    packDir: opts.packDir ?? PACK_DIR,
    policyPackConfig: cfg.text,
    policyPackConfigSource: cfg.source,
    stack: stack.stack,
    project: stack.project,
    dryRun: true,
    analyze: stack.analyze,
    analyzeStack: stack.analyzeStack,
    checkConfig: cfg.source ? (info, file) => checkPolicyPackConfig(info, file, cfg.source!) : undefined,
    onProgress: progress.count,
    onPhase: progress.phase,
  });
  const diagnostics = [...result.resourceDiagnostics, ...result.stackDiagnostics];
  return { result, report: buildReport(stack.analyzeStack, result.config, diagnostics) };
}

/** Judges resources with the pack over the engine interface and renders the result; returns the exit code. */
export async function judgeAndReport(
  title: string,
  stack: JudgedStack,
  opts: OutputOptions,
  locator: Locator | undefined,
  io: CliIo,
  extra?: (judged: Judged) => void,
  extras: ReportExtras = {},
): Promise<number> {
  const { result, report } = await judge(stack, opts, io);
  extra?.({ report, timings: result.timings });
  const findings = extras.findings?.(result.config) ?? [];
  if (opts.sarif) {
    // Locations are relative to the repository that holds the located file (or --sarif-root), never to this tool.
    const root = opts.sarifRoot ?? (locator ? gitRoot(path.dirname(locator.file)) : undefined) ?? process.cwd();
    let log;
    try {
      log = toSarif(result.info, report, locator, root, findings);
    } catch (e) {
      if (e instanceof SarifLocationError) throw new InputError(`--sarif ${opts.sarif}: ${e.message}`);
      throw e;
    }
    try {
      fs.writeFileSync(opts.sarif, JSON.stringify(log, null, 2) + "\n");
    } catch (e) {
      throw new InputError(`--sarif ${opts.sarif}: cannot write: ${(e as Error).message}`);
    }
  }
  await writePictures(title, report, opts);
  if (opts.json) {
    io.stdout.write(
      JSON.stringify(
        {
          title,
          hosts: report.rows,
          other: report.other,
          mandatory: report.mandatory,
          advisory: report.advisory,
          ...(extras.findings ? { drift: findings.map((f) => ({ id: f.id, host: f.host, message: f.message })) } : {}),
          timings: result.timings,
        },
        null,
        2,
      ) + "\n",
    );
  } else {
    const style = io.stdout.isTTY ? COLOUR : PLAIN;
    io.stdout.write(renderText(report, title, style) + "\n");
    if (extras.findings) io.stdout.write(renderFindings(extras.heading ?? "Other findings", findings, style) + "\n");
  }
  if (report.rows.length === 0 && !opts.allowNoHosts) {
    // A fleet whose hosts are tagged under other names than the gate's would otherwise pass with nothing judged.
    const gate = result.config[GATE_HOME]?.properties ?? {};
    io.stderr.write(
      `exchange-guard: no Exchange host found: no VM is tagged ${String(gate.hostTag ?? "workload")}=${JSON.stringify(gate.hostTagValues ?? ["exchange"])}. ` +
        `If the hosts carry other tag names, set hostTag/hostTagValues/stateTag on ${GATE_HOME} in --policy-pack-config; ` +
        `if this stack really has no Exchange host, pass --allow-no-hosts\n`,
    );
    return 1;
  }
  return report.mandatory > 0 ? 1 : 0;
}
