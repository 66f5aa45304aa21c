import { promises as fs, Stats } from "fs";
import * as path from "path";
import { eomtScanKindFor, EomtInput, EomtReport, parseEomt } from "./eomt";
import { IngestError } from "./errors";
import { EvidenceFile, evidenceSha256, listEvidenceFiles } from "./evidence";
import { checkHostBinding, eomtServerNames, ServerName } from "./hostBinding";
import { dateAssessment, parseUtcOffset, ToolTime } from "./toolTime";
import { decisiveRun, MsertRun, parseMsertDetections, parseMsertLog, ScanKind, wallClockMs } from "./msert";
import { checkNotFuture, parseCompletedAt, validateBuild, validateGeneration, validateHost } from "./options";
import { readTextFile } from "./readText";
import { MSERT_FULL_SCAN } from "../../policies/model";
import { AssessmentRecord, buildRecord, judge, MsertFindings, RecordInputs } from "./record";
import { readTestProxyLogon, selectComputer, TplReport } from "./testProxyLogon";

export { IngestError } from "./errors";
export type { IngestErrorCode } from "./errors";
export type { AssessmentData, AssessmentRecord } from "./record";

export interface IngestOptions {
  /** The host the assessment is of, as the stack config names it. The reports must be this server's. */
  readonly host: string;
  /** Folder holding the tools' output (Test-ProxyLogon -OutPath files, msert.log, optional msert.old.log, EOMTSummary.txt, EOMT.log). */
  readonly from: string;
  /** The host generation assessed (a rebuilt host is a new generation). */
  readonly generation?: number;
  /** The build found on the host, 15.x.y.z: the tools do not all record it. */
  readonly exchangeBuild: string;
  /**
   * ISO-8601 UTC instant the assessment finished; default: the tools' own newest timestamp. Never later than that
   * timestamp. File modification times are never used: a copy changes them.
   */
  readonly completedAt?: string;
  /** The server's offset from UTC when the tools ran (`+02:00`): MSERT and EOMT write local time without a zone. */
  readonly utcOffset?: string;
  /** The current time (tests); default: the clock. */
  readonly now?: Date;
}

export interface IngestResult {
  readonly record: AssessmentRecord;
  /** What was read and concluded, one human-readable line each. */
  readonly summary: string[];
}

/** The date CISA said investigations must reach back to (ED 21-02; the pack's default investigationWindowStart). */
const INVESTIGATION_START = "2021-01-01";

/**
 * Reads the Exchange compromise-assessment tools' output in `options.from` and builds the assessment record.
 * Throws {@link IngestError} for every input it cannot use: it never returns a `clean` record built from partial
 * input, from another server's reports, or dated by anything but the tools' own timestamps.
 */
export async function ingestAssessment(options: IngestOptions): Promise<IngestResult> {
  const host = validateHost(options.host);
  const generation = validateGeneration(options.generation);
  const exchangeBuild = validateBuild(options.exchangeBuild);
  const now = options.now ?? new Date();
  if (Number.isNaN(now.getTime())) throw new IngestError("BAD_DATE", "now: not a valid date");
  const givenCompletedAt = options.completedAt === undefined ? undefined : parseCompletedAt(options.completedAt);
  if (givenCompletedAt) checkNotFuture(givenCompletedAt, now, "as given");
  const offset = options.utcOffset === undefined ? undefined : parseUtcOffset(options.utcOffset);

  const folder = await openFolder(options.from);
  const files = await listEvidenceFiles(folder.abs);

  // Whose reports these are, first: a folder of another server (or of several) is refused before anything is read.
  const selection = selectComputer(files, host, folder.label);
  const tpl = await readTestProxyLogon(selection);

  const msertFile = single(files, "msert.log", folder.label);
  const oldMsertFile = single(files, "msert.old.log", folder.label);
  const eomt = await readEomt(files, folder.label);
  checkHostBinding(host, [...selection.names, ...tpl.serverNames, ...eomt.names], folder.label);
  const msert = msertFile ? await readMsert(msertFile, oldMsertFile, eomt.report) : undefined;

  const judgement = judge({ tpl, msert: msert?.findings, eomt: eomt.report });
  // A compromise needs no second tool; a clean verdict does (CISA ED 21-02: an MSERT full scan).
  if (!msert && judgement.verdict === "clean") {
    throw new IngestError(
      "MSERT_LOG_MISSING",
      `${folder.label}: no msert.log. MSERT is required for a clean verdict: CISA ED 21-02 (supplemental direction v1) requires a Microsoft Safety Scanner ` +
        `full scan (msert.exe /F /Q, or EOMT.ps1 -RunFullScan); copy %SystemRoot%\\debug\\msert.log of that scan into the folder`,
      folder.label,
    );
  }
  if (msert?.problem && judgement.verdict === "clean") throw msert.problem;

  const evidenceHash = await evidenceSha256(files);
  // A clean record is dated by the scan that proves it (a later quick run must not make it look fresh); a
  // compromised one by the newest thing any tool wrote.
  const dating =
    judgement.verdict === "clean"
      ? msertTimes(msert!.findings)
      : [...tpl.times, ...(msert ? msertTimes(msert.findings) : []), ...eomtTimes(eomt.report)];
  const what = judgement.verdict === "clean" ? `the MSERT run in ${msert!.findings.file}` : "no tool output";
  const dated = dateAssessment(dating, givenCompletedAt, offset, what, folder.label);
  const completedAt = dated.completedAt;
  checkNotFuture(completedAt, now, dated.source);

  const inputs: RecordInputs = {
    host,
    generation,
    exchangeBuild,
    completedAt,
    tpl,
    msert: msert?.findings,
    eomt: eomt.report,
    evidenceSha256: evidenceHash,
  };
  const record = buildRecord(inputs);
  const summary = [
    `Evidence: ${folder.label}, ${files.length} file(s), SHA-256 ${evidenceHash}`,
    ...tplSummary(tpl),
    ...(msert ? msertSummary(msert.findings, msert.problem) : ["MSERT: no msert.log (the compromise stands on the other tools' findings)"]),
    ...(eomt.report ? eomtSummary(eomt.report) : []),
    `completedAt ${record.additionalData.completedAt} (${dated.source})`,
    ...coverageSummary(tpl, record.additionalData.logsSince),
    `checks: ${record.additionalData.checks}`,
    judgement.verdict === "compromised"
      ? `Verdict: COMPROMISED: ${judgement.reasons.join("; ").replace(/[.\s]+$/, "")}. The host must be rebuilt from scratch as a new generation, never cleaned in place`
      : `Verdict: clean (no tool reported a hit)`,
  ];
  return { record, summary };
}

/** The decisive MSERT run's own time: when it finished, else when it started (earlier, so never overstating freshness). */
function msertTimes(m: MsertFindings): ToolTime[] {
  const finished = wallClockMs(m.run.finishedOn);
  if (finished !== undefined) return [{ ms: finished, local: true, source: `${m.file}: Finished On ${m.run.finishedOn}` }];
  const started = wallClockMs(m.run.startedOn);
  if (started !== undefined) return [{ ms: started, local: true, source: `${m.file}: Started On ${m.run.startedOn}` }];
  return [];
}

function eomtTimes(e: EomtReport | undefined): ToolTime[] {
  return e?.lastStamp ? [{ ms: e.lastStamp.ms, local: true, source: `EOMT.log: ${e.lastStamp.line.slice(0, 80)}` }] : [];
}

async function openFolder(from: unknown): Promise<{ abs: string; label: string }> {
  if (typeof from !== "string" || from.trim() === "") {
    throw new IngestError("INPUT_NOT_FOUND", "from: the folder holding the assessment tools' output is required");
  }
  const abs = path.resolve(from);
  let st: Stats;
  try {
    st = await fs.stat(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw new IngestError("INPUT_NOT_FOUND", `${from}: no such folder`, from);
    throw new IngestError("UNREADABLE_FILE", `${from}: cannot open (${code ?? String(e)})`, from);
  }
  if (!st.isDirectory()) {
    throw new IngestError("INPUT_NOT_FOLDER", `${from}: not a folder; pass the folder that holds the tools' output files`, from);
  }
  return { abs, label: from };
}

/** The one file with this base name (case-insensitive) anywhere in the folder; DUPLICATE_REPORT when several. */
function single(files: readonly EvidenceFile[], name: string, folderLabel: string): EvidenceFile | undefined {
  const found = files.filter((f) => path.posix.basename(f.rel).toLowerCase() === name.toLowerCase());
  if (found.length > 1) {
    throw new IngestError(
      "DUPLICATE_REPORT",
      `${folderLabel}: ${found.length} files named ${name} (${found.map((f) => f.rel).join(", ")}); keep only the one of the run being recorded`,
      found[1].rel,
    );
  }
  return found[0];
}

async function readEomt(files: readonly EvidenceFile[], folderLabel: string): Promise<{ report: EomtReport | undefined; names: ServerName[] }> {
  const summaryFile = single(files, "EOMTSummary.txt", folderLabel);
  const logFile = single(files, "EOMT.log", folderLabel);
  if (!summaryFile && !logFile) return { report: undefined, names: [] };
  const read = async (f: EvidenceFile | undefined): Promise<EomtInput | undefined> =>
    f ? { text: (await readTextFile(f.abs, f.rel)).text, label: f.rel } : undefined;
  const log = await read(logFile);
  return { report: parseEomt(await read(summaryFile), log), names: log ? eomtServerNames(log.text, log.label) : [] };
}

const NO_RUN: MsertRun = {
  version: undefined,
  kind: "unknown",
  kindMarkers: [],
  startedOn: undefined,
  finishedOn: undefined,
  returnCode: undefined,
  finished: false,
  noInfectionFound: false,
  detections: [],
};

async function readMsert(
  file: EvidenceFile,
  oldFile: EvidenceFile | undefined,
  eomt: EomtReport | undefined,
): Promise<{ findings: MsertFindings; problem: IngestError | undefined }> {
  const log = parseMsertLog((await readTextFile(file.abs, file.rel)).text);
  const previousDetections = oldFile ? parseMsertDetections((await readTextFile(oldFile.abs, oldFile.rel)).text) : [];
  const run = decisiveRun(log) ?? NO_RUN;

  let kind: ScanKind = run.kind;
  let kindSource = run.kindMarkers.length > 0 ? `${file.rel}: "${run.kindMarkers[0]}"` : `${file.rel} does not say`;
  if (kind === "unknown" && eomt) {
    const announced = eomtScanKindFor(eomt, wallClockMs(run.startedOn));
    if (announced) {
      kind = announced;
      kindSource = `EOMT.log announced a ${announced} scan when this MSERT run started`;
    }
  }

  let problem: IngestError | undefined;
  const label = file.rel;
  if (log.runs.length === 0) {
    problem = new IngestError(
      "MSERT_LOG_UNRECOGNIZED",
      `${label}: no Microsoft Safety Scanner run in it (no "Microsoft Safety Scanner v…, (build …)" line); copy %SystemRoot%\\debug\\msert.log`,
      label,
    );
  } else if (!run.finished) {
    problem = new IngestError(
      "MSERT_SCAN_INCOMPLETE",
      `${label}: the MSERT run started ${run.startedOn ?? "(time not stated)"} never finished (no "Finished On" or "Return code" line); let the scan complete and copy the log again`,
      label,
    );
  } else if (run.detections.length === 0 && run.returnCode !== undefined && run.returnCode !== 0) {
    problem = new IngestError(
      "MSERT_SCAN_FAILED",
      `${label}: MSERT returned code ${run.returnCode} without naming a threat: the scan did not complete cleanly (a non-zero code is never read as clean); fix the cause and re-run a full scan`,
      label,
    );
  } else if (run.detections.length === 0 && run.returnCode === undefined && !run.noInfectionFound) {
    problem = new IngestError(
      "MSERT_SCAN_FAILED",
      `${label}: the MSERT run states neither a return code nor "No infection found"; it cannot be read as clean`,
      label,
    );
  }
  return {
    findings: {
      file: file.rel,
      run,
      kind,
      kindSource,
      detections: log.detections,
      previousDetections,
      previousFile: oldFile?.rel,
    },
    problem,
  };
}

function tplSummary(tpl: TplReport): string[] {
  const out = [`Test-ProxyLogon.ps1 output of ${tpl.computer} (${tpl.format}): ${tpl.files.join(", ")}`];
  for (const c of tpl.checks) {
    out.push(c.hits === 0 ? `${c.id}: no hit` : `${c.id}: ${c.hits} hit(s) in ${c.files.join(", ")}`);
    for (const e of c.examples) out.push(`  - ${e}`);
  }
  if (tpl.suspicious.length > 0) {
    out.push(`Suspicious files: ${tpl.suspicious.length}`);
    for (const s of tpl.suspicious.slice(0, 5)) out.push(`  - ${s.type}: ${s.path}${s.lastWrite ? ` (last write ${s.lastWrite} UTC)` : ""}`);
  }
  return out;
}

function coverageSummary(tpl: TplReport, logsSince: string): string[] {
  const out = [
    `Log coverage: the youngest of the oldest logs is ${tpl.minLogAgeDays} day(s) old (${tpl.minLogAgeFolders.join(", ")}) → logsSince ${logsSince}`,
  ];
  const empty = tpl.logAges.filter((a) => a.empty).map((a) => a.folder);
  if (empty.length > 0) out.push(`  warning: no log at all in ${empty.join(", ")}: counted as 0 days of coverage`);
  if (tpl.extraLogColumns.length > 0) out.push(`  note: unknown LogAgeDays.csv column(s) ${tpl.extraLogColumns.join(", ")} counted when numeric`);
  if (logsSince > INVESTIGATION_START) {
    out.push(
      `  warning: logs reach back only to ${logsSince}, not to ${INVESTIGATION_START}: a negative result does not cover the exploitation period`,
    );
  }
  return out;
}

function msertSummary(m: MsertFindings, problem: IngestError | undefined): string[] {
  const r = m.run;
  const rc = r.returnCode === undefined ? "" : `, return code ${r.returnCode}`;
  const out = [
    `MSERT ${r.version ?? "(version not stated)"}: ${m.kind} scan (${m.kindSource}), started ${r.startedOn ?? "?"}, ` +
      `${r.finished ? `finished ${r.finishedOn ?? "(time not stated)"}` : "NOT finished"}${rc}: ` +
      (m.detections.length > 0 ? `${m.detections.length} detection(s)` : "no threat detected"),
  ];
  for (const d of m.detections.slice(0, 5)) out.push(`  - ${d.line}`);
  if (!(m.kind === "full" && r.finished)) {
    out.push(
      `  warning: not a finished MSERT full scan, so ${MSERT_FULL_SCAN} is not recorded; CISA ED 21-02 requires one (msert.exe /F /Q or EOMT.ps1 -RunFullScan)`,
    );
  }
  if (problem) out.push(`  warning: ${problem.message} (ignored: the verdict is compromised anyway)`);
  if (m.previousDetections.length > 0) {
    out.push(`MSERT earlier run(s) in ${m.previousFile ?? "msert.old.log"}: ${m.previousDetections.length} detection(s)`);
    for (const d of m.previousDetections.slice(0, 5)) out.push(`  - ${d.line}`);
  }
  return out;
}

function eomtSummary(e: EomtReport): string[] {
  const facts: string[] = [];
  if (e.attempt) facts.push(`run ${e.attempt}`);
  if (e.failed) facts.push("EOMT.ps1 failed to complete");
  if (e.vulnerable !== undefined) facts.push(e.vulnerable ? "server was vulnerable" : "server not vulnerable");
  if (e.mitigation) facts.push(`mitigation ${e.mitigation}`);
  if (e.remediation === false) facts.push("MSERT told not to remediate");
  if (e.msertResult) facts.push(`MSERT result: ${e.msertResult}`);
  if (e.scans.length > 0) facts.push(`scans: ${e.scans.map((s) => s.kind).join(", ")}`);
  const out = [`EOMT (${e.files.join(", ")}): ${facts.length > 0 ? facts.join("; ") : "nothing recognised"}`];
  for (const d of e.detections.slice(0, 3)) out.push(`  - ${d}`);
  return out;
}
