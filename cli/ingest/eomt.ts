import { splitLines } from "./readText";

/**
 * EOMT.ps1, the Exchange On-premises Mitigation Tool (https://github.com/microsoft/CSS-Exchange/blob/main/Security/src/EOMT.ps1). Optional input. Two files:
 *
 * - `EOMTSummary.txt` (`%SystemDrive%`, ASCII, rewritten each run). EOMT.ps1 writes a fixed text whose only
 *   variable parts are: title `Microsoft Safety Scanner and CVE-2021-26855 mitigation summary`; "… from
 *   CVE-2021-26855 and clear malicious files." (absent with -DoNotRemediate); " This attempt was unsuccessful."
 *   when the run failed (older versions: "This attempt was successful." / "…unsuccessful."). It names no detection:
 *   its standard sentence "If any threats were detected, please review…" is NOT a detection.
 * - `EOMT.log` (`%TEMP%\msert\`, Out-File: UTF-16LE under Windows PowerShell 5.1), lines
 *   `yyyy-MM-dd HH:mm:ss <Info|Notice|Error>: <message>` with the messages of EOMT.ps1's source:
 *     "<computer> is vulnerable: applying mitigation" / "<computer> is not vulnerable: mitigation not needed",
 *     "Mitigation complete on …" / "Mitigation failed on …" / "Rollback of mitigation complete on …",
 *     "Running Microsoft Safety Scanner - Mode: Full Scan|Quick Scan[ (No Remediation)] on <computer>",
 *     "Threats detected! Please review …" / "Microsoft Safety Scanner is complete on <computer> No known threats detected.",
 *     "EOMT.ps1 failed to complete on …", "… Version currently running is <version> …".
 * Both files are scanned with the same tolerant markers (case-insensitive), so a summary variant that carries
 * these messages is read too. A detection is `Threats detected!`, upper-case `THREATS DETECTED` (EOMT's warning
 * and registry text) or an MSERT `Threat Detected:` line.
 */
export interface EomtScan {
  readonly kind: "full" | "quick";
  /** Wall-clock time of the log line (as if UTC), when the line carries one. */
  readonly atMs: number | undefined;
  readonly line: string;
}

export interface EomtReport {
  readonly files: readonly string[];
  readonly summaryPresent: boolean;
  readonly attempt: "successful" | "unsuccessful" | undefined;
  readonly remediation: boolean | undefined;
  readonly vulnerable: boolean | undefined;
  readonly mitigation: "applied" | "failed" | "not needed" | "rolled back" | undefined;
  readonly msertResult: "threats detected" | "no known threats detected" | undefined;
  /** Lines reporting a detection. */
  readonly detections: readonly string[];
  readonly scans: readonly EomtScan[];
  readonly version: string | undefined;
  readonly failed: boolean;
  /** The last time-stamped EOMT.log line (server wall-clock time read as if UTC), when there is one. */
  readonly lastStamp: { readonly ms: number; readonly line: string } | undefined;
}

export interface EomtInput {
  readonly text: string;
  readonly label: string;
}

const TITLE = /Microsoft Safety Scanner and CVE-2021-26855 mitigation summary/i;
const UNSUCCESSFUL = /This attempt was unsuccessful/i;
const SUCCESSFUL = /This attempt was successful/i;
const REMEDIATION = /and clear malicious files/i;
const STAMP = /^\s*(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})\b/;
const SCAN_MODE = /Running Microsoft Safety Scanner\s*-\s*Mode:\s*(Full|Quick)\s+Scan/i;
const DETECTED = [/\bThreats detected!/i, /THREATS DETECTED/, /\bThreat Detected\s*:/i];
const NO_THREATS = /No known threats detected/i;
const VULNERABLE = /\bis vulnerable: applying mitigation|\bServer is vulnerable\b/i;
const NOT_VULNERABLE = /\bis not vulnerable\b/i;
const ROLLED_BACK = /Rollback of mitigation complete/i;
const MITIGATED = /\bMitigation complete\b/i;
const MITIGATION_FAILED = /\bMitigation failed\b/i;
const MITIGATION_NOT_NEEDED = /mitigation not needed/i;
const FAILED = /EOMT\.ps1 failed to complete/i;
const VERSION = /Version currently running is\s+v?(\d+(?:\.\d+)+)/i;

export function parseEomt(summary: EomtInput | undefined, log: EomtInput | undefined): EomtReport {
  let attempt: EomtReport["attempt"];
  let remediation: boolean | undefined;
  let vulnerable: boolean | undefined;
  let mitigation: EomtReport["mitigation"];
  let msertResult: EomtReport["msertResult"];
  let version: string | undefined;
  let failed = false;
  const detections: string[] = [];
  const scans: EomtScan[] = [];
  let lastStamp: EomtReport["lastStamp"];

  const scan = (text: string, isSummary: boolean): void => {
    const lines = splitLines(text.startsWith("\uFEFF") ? text.slice(1) : text);
    if (isSummary && lines.some((l) => TITLE.test(l))) {
      attempt = lines.some((l) => UNSUCCESSFUL.test(l)) ? "unsuccessful" : "successful";
      remediation = lines.some((l) => REMEDIATION.test(l));
    }
    for (const raw of lines) {
      const line = raw.trim();
      if (line === "") continue;
      if (!isSummary) {
        if (UNSUCCESSFUL.test(line)) attempt = "unsuccessful";
        else if (SUCCESSFUL.test(line) && attempt === undefined) attempt = "successful";
      }
      const at = isSummary ? undefined : stampMs(line);
      if (at !== undefined && (lastStamp === undefined || at >= lastStamp.ms)) lastStamp = { ms: at, line };
      const mode = SCAN_MODE.exec(line);
      if (mode) scans.push({ kind: mode[1].toLowerCase() as "full" | "quick", atMs: stampMs(line), line });
      if (DETECTED.some((re) => re.test(line))) {
        detections.push(line);
        msertResult = "threats detected";
      } else if (NO_THREATS.test(line) && msertResult === undefined) msertResult = "no known threats detected";
      if (VULNERABLE.test(line)) vulnerable = true;
      else if (NOT_VULNERABLE.test(line)) vulnerable = false;
      if (ROLLED_BACK.test(line)) mitigation = "rolled back";
      else if (MITIGATION_FAILED.test(line)) mitigation = "failed";
      else if (MITIGATED.test(line)) mitigation = "applied";
      else if (MITIGATION_NOT_NEEDED.test(line) && mitigation === undefined) mitigation = "not needed";
      if (FAILED.test(line)) failed = true;
      const v = VERSION.exec(line);
      if (v) version = v[1];
    }
  };
  if (summary) scan(summary.text, true);
  if (log) scan(log.text, false);
  return {
    files: [summary?.label, log?.label].filter((x): x is string => x !== undefined),
    summaryPresent: summary !== undefined,
    attempt,
    remediation,
    vulnerable,
    mitigation,
    msertResult,
    detections,
    scans,
    version,
    failed,
    lastStamp,
  };
}

/** Slack between EOMT's "Running Microsoft Safety Scanner - Mode: …" line and MSERT's own start time. */
const CORROBORATION_WINDOW_MS = 10 * 60 * 1000;

/**
 * The scan kind EOMT.log announced for the MSERT run that started at `msertStartedMs` (wall-clock of the same
 * server): the latest "Mode:" line at most 10 minutes before that start. Undefined when none matches.
 */
export function eomtScanKindFor(report: EomtReport, msertStartedMs: number | undefined): "full" | "quick" | undefined {
  if (msertStartedMs === undefined) return undefined;
  const matching = report.scans.filter(
    (s) => s.atMs !== undefined && s.atMs <= msertStartedMs + 60_000 && msertStartedMs - s.atMs <= CORROBORATION_WINDOW_MS,
  );
  return matching[matching.length - 1]?.kind;
}

function stampMs(line: string): number | undefined {
  const m = STAMP.exec(line);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : undefined;
}
