import { ASSESSMENT_KIND, CVE_CHECKS, formatInstant, makeRecord, MSERT_FULL_SCAN, WEBSHELL_SCAN, WrittenRecord } from "../../policies/model";
import { EomtReport } from "./eomt";
import { Detection, MsertRun, ScanKind } from "./msert";
import { TplReport } from "./testProxyLogon";

/** What ingest writes: the record contract of the model (policies/model/assessmentRecord.ts). */
export type { AssessmentData, WrittenRecord as AssessmentRecord } from "../../policies/model";

/** What MSERT contributed, after the decisive run was chosen and its kind settled. */
export interface MsertFindings {
  readonly file: string;
  readonly run: MsertRun;
  /** The kind the record relies on: the log's own marker, or EOMT.log's announcement for that run. */
  readonly kind: ScanKind;
  readonly kindSource: string;
  /** Detections anywhere in msert.log (every run). */
  readonly detections: readonly Detection[];
  /** Detections of earlier runs kept in msert.old.log. */
  readonly previousDetections: readonly Detection[];
  readonly previousFile: string | undefined;
}

export interface RecordInputs {
  readonly host: string;
  readonly generation: number | undefined;
  readonly exchangeBuild: string;
  readonly completedAt: Date;
  readonly tpl: TplReport;
  /** Absent when no msert.log was handed in: allowed only for a compromised verdict (a clean one needs MSERT). */
  readonly msert: MsertFindings | undefined;
  readonly eomt: EomtReport | undefined;
  readonly evidenceSha256: string;
}

export interface Judgement {
  readonly verdict: "clean" | "compromised";
  /** Every hit, in words; empty for clean. */
  readonly reasons: readonly string[];
}

/** Compromised when any tool reports any hit; clean otherwise. */
export function judge(i: Pick<RecordInputs, "tpl" | "msert" | "eomt">): Judgement {
  const reasons: string[] = [];
  for (const c of i.tpl.checks) {
    if (c.hits > 0) reasons.push(`Test-ProxyLogon ${c.id}: ${c.hits} hit(s) in ${c.files.join(", ")}`);
  }
  if (i.tpl.suspicious.length > 0) {
    const types = [...new Set(i.tpl.suspicious.map((s) => s.type))].join(", ");
    reasons.push(`Test-ProxyLogon: ${i.tpl.suspicious.length} suspicious file(s) (${types})`);
  }
  if (i.msert && i.msert.detections.length > 0) reasons.push(`MSERT (${i.msert.file}): ${threatList(i.msert.detections)}`);
  if (i.msert && i.msert.previousDetections.length > 0) {
    reasons.push(`MSERT earlier run (${i.msert.previousFile ?? "msert.old.log"}): ${threatList(i.msert.previousDetections)}`);
  }
  if (i.eomt && i.eomt.detections.length > 0) {
    reasons.push(`EOMT (${i.eomt.files.join(", ")}): ${i.eomt.detections.length} line(s) report threats detected by its MSERT run`);
  }
  return { verdict: reasons.length > 0 ? "compromised" : "clean", reasons };
}

/**
 * The decisive MSERT run produced a result: it named a threat (even if it stopped afterwards), or it finished
 * cleanly (return code 0, or "No infection found" when no code is written). A failed run has no result.
 */
export function msertHasResult(m: MsertFindings | undefined): boolean {
  if (!m) return false;
  const r = m.run;
  if (r.detections.length > 0) return true;
  return r.finished && (r.returnCode === 0 || (r.returnCode === undefined && r.noInfectionFound));
}

/**
 * The ids of the checks run with a result, in the order of the example in docs/contract.md#the-compromise-assessment: the four CVE checks (LogAgeDays.csv
 * proves Test-ProxyLogon found Exchange and ran them all); `webshell-scan` when MSERT produced a result or
 * Test-ProxyLogon's suspicious-file check ran (it runs after any CVE hit); `msert-full-scan` only for an MSERT full
 * scan that finished with a result (a quick or custom scan, or one whose kind the log does not state, never counts).
 */
export function checksRun(i: Pick<RecordInputs, "tpl" | "msert">): string[] {
  const checks: string[] = [...CVE_CHECKS];
  const tplFileCheckRan = i.tpl.suspicious.length > 0 || i.tpl.checks.some((c) => c.hits > 0);
  if (msertHasResult(i.msert) || tplFileCheckRan) checks.push(WEBSHELL_SCAN);
  if (i.msert && i.msert.kind === "full" && i.msert.run.finished && msertHasResult(i.msert)) checks.push(MSERT_FULL_SCAN);
  return checks;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** ISO date (UTC) of `completedAt − days`, floored to the day. */
export function logsSinceDate(completedAt: Date, days: number): string {
  return new Date(completedAt.getTime() - Math.round(days * DAY_MS)).toISOString().slice(0, 10);
}

/** e.g. `Test-ProxyLogon.ps1; MSERT 1.333.1100.0 (full); EOMT.ps1`. */
export function toolString(i: Pick<RecordInputs, "msert" | "eomt">): string {
  const parts = ["Test-ProxyLogon.ps1"];
  if (i.msert) {
    const kind = i.msert.kind === "unknown" ? "scan kind not stated" : i.msert.kind === "conflicting" ? "scan kind conflicting" : i.msert.kind;
    parts.push(`MSERT ${i.msert.run.version ?? "(version not stated)"} (${kind})`);
  }
  if (i.eomt) parts.push(i.eomt.version ? `EOMT.ps1 ${i.eomt.version}` : "EOMT.ps1");
  return parts.join("; ");
}

export function buildRecord(i: RecordInputs): WrittenRecord {
  const { verdict } = judge(i);
  return makeRecord(i.host, i.generation, {
    assessmentKind: ASSESSMENT_KIND,
    verdict,
    completedAt: formatInstant(i.completedAt),
    exchangeBuild: i.exchangeBuild,
    checks: checksRun(i).join(","),
    logsSince: logsSinceDate(i.completedAt, i.tpl.minLogAgeDays),
    evidenceSha256: i.evidenceSha256,
    tool: toolString(i),
  });
}

function threatList(ds: readonly Detection[]): string {
  const names = [...new Set(ds.map((d) => d.name))];
  return `${names.length} threat(s) detected: ${names.join(", ")}`;
}
