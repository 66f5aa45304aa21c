import { splitLines } from "./readText";

/**
 * msert.log of the Microsoft Safety Scanner (`%SystemRoot%\debug\msert.log`, https://learn.microsoft.com/defender-endpoint/safety-scanner-download). MSERT's log
 * format is not documented by Microsoft; what this parser relies on comes from EOMT.ps1 and third-party scripts
 * and is kept tolerant (all markers case-insensitive, leading blanks ignored):
 *
 * - Run header: a line starting `Microsoft Safety Scanner v<x>, (build <version>)`; each run starts with one (a
 *   log may hold several runs when it was not deleted between them). Version = the build number.
 * - `Started On <ddd MMM dd HH:mm:ss yyyy>` (local time of the server).
 * - Scan kind, first of: a results section header `Full Scan Results:` / `Quick Scan Results:` / `Custom Scan
 *   Results:` (seen for Quick in a published log); or a `Scan Type:` / `Scan Mode:` / `Mode:` line naming Full,
 *   Quick or Custom. No marker: "unknown"; markers naming two kinds: "conflicting". Only "full" is a full scan.
 * - Detections: any line containing `Threat Detected` (exactly EOMT.ps1's test: `Select-String "Threat Detected"`),
 *   threat name = the first blank- or comma-delimited token after the colon, e.g. `Threat Detected: Backdoor:ASP/Chopper.F!dha,
 *   not removed.`; and, in the `Results Summary:` section, `Found <name>, …` lines.
 * - Completion: `Microsoft Safety Scanner Finished On …` and/or `Return code: <n> (0x…)`. A run without either
 *   did not finish. `No infection found.` in the summary of a clean run.
 * Return codes other than 0 are not interpreted one by one (their meanings are documented only for MRT); a
 * non-zero code without a named threat is treated as a failed scan, never as clean.
 */
export type ScanKind = "full" | "quick" | "custom" | "unknown" | "conflicting";

export interface Detection {
  readonly name: string;
  readonly line: string;
}

export interface MsertRun {
  readonly version: string | undefined;
  readonly kind: ScanKind;
  /** The lines the kind was read from. */
  readonly kindMarkers: readonly string[];
  readonly startedOn: string | undefined;
  readonly finishedOn: string | undefined;
  readonly returnCode: number | undefined;
  readonly finished: boolean;
  readonly noInfectionFound: boolean;
  readonly detections: readonly Detection[];
}

export interface MsertLog {
  readonly runs: readonly MsertRun[];
  /** Every detection in the file, in runs or outside them (a stray `Threat Detected` line still counts). */
  readonly detections: readonly Detection[];
}

const HEADER = /^\s*Microsoft Safety Scanner\s+(?:v\d|\(build\b)/i;
const BUILD = /\(build\s+(\d+(?:\.\d+)+)\)/i;
const VERSION = /\bv(\d+(?:\.\d+)+)/i;
const STARTED = /^\s*Started On\s+(.+?)\s*$/i;
const FINISHED = /\bFinished On\s+(.+?)\s*$/i;
const RETURN_CODE = /^\s*Return code:\s*(-?\d+)/i;
const SECTION_KIND = /^\s*(Full|Quick|Custom)\s+Scan\s+Results\s*:/i;
const MODE_KIND = /^\s*(?:Scan\s+Type|Scan\s+Mode|Mode)\s*:\s*(Full|Quick|Custom)\b/i;
const THREAT = /Threat Detected\s*:?\s*(.*)$/i;
const SUMMARY = /^\s*Results Summary\s*:/i;
const FOUND = /^\s*Found\s+([^\s,]+)/i;
const NO_INFECTION = /\bNo infection found\b/i;

export function parseMsertLog(text: string): MsertLog {
  const lines = splitLines(text.startsWith("\uFEFF") ? text.slice(1) : text);
  const chunks: string[][] = [];
  const stray: string[] = [];
  for (const line of lines) {
    if (HEADER.test(line)) chunks.push([line]);
    else if (chunks.length > 0) chunks[chunks.length - 1].push(line);
    else stray.push(line);
  }
  const runs = chunks.map(parseRun);
  const detections = [...detectionsIn(stray, false), ...runs.flatMap((r) => r.detections)];
  return { runs, detections };
}

/** Detections of an earlier run kept by EOMT in msert.old.log: every `Threat Detected` / summary `Found` line. */
export function parseMsertDetections(text: string): Detection[] {
  return [...parseMsertLog(text).detections];
}

function parseRun(lines: readonly string[]): MsertRun {
  const header = lines[0];
  const version = BUILD.exec(header)?.[1] ?? VERSION.exec(header)?.[1];
  let startedOn: string | undefined;
  let finishedOn: string | undefined;
  let returnCode: number | undefined;
  let noInfectionFound = false;
  const kinds = new Set<ScanKind>();
  const kindMarkers: string[] = [];
  for (const line of lines) {
    const started = STARTED.exec(line);
    if (started && startedOn === undefined) startedOn = started[1];
    const finished = FINISHED.exec(line);
    if (finished) finishedOn = finished[1];
    const rc = RETURN_CODE.exec(line);
    if (rc) returnCode = Number(rc[1]);
    if (NO_INFECTION.test(line)) noInfectionFound = true;
    const kind = SECTION_KIND.exec(line) ?? MODE_KIND.exec(line);
    if (kind) {
      kinds.add(kind[1].toLowerCase() as ScanKind);
      kindMarkers.push(line.trim());
    }
  }
  const kind: ScanKind = kinds.size === 0 ? "unknown" : kinds.size > 1 ? "conflicting" : [...kinds][0];
  return {
    version,
    kind,
    kindMarkers,
    startedOn,
    finishedOn,
    returnCode,
    finished: finishedOn !== undefined || returnCode !== undefined,
    noInfectionFound,
    detections: detectionsIn(lines, true),
  };
}

function detectionsIn(lines: readonly string[], withSummary: boolean): Detection[] {
  const out: Detection[] = [];
  let inSummary = false;
  for (const line of lines) {
    if (SUMMARY.test(line)) inSummary = true;
    const threat = THREAT.exec(line);
    if (threat) {
      out.push({ name: threatName(threat[1]), line: line.trim() });
      continue;
    }
    const found = withSummary && inSummary ? FOUND.exec(line) : null;
    if (found) {
      const name = found[1].trim();
      if (!out.some((d) => d.name.toLowerCase() === name.toLowerCase())) out.push({ name, line: line.trim() });
    }
  }
  return out;
}

/** Microsoft threat names have no blanks or commas (Type:Platform/Family.Variant!Suffix): the first such token. */
function threatName(rest: string): string {
  const name = /^[^\s,]+/.exec(rest.trim())?.[0].replace(/\.$/, "") ?? "";
  return name === "" ? "(unnamed threat)" : name;
}

/**
 * The run an assessment is judged by: the last finished full scan when there is one (a later quick scan does not
 * undo it), else the last run. Undefined when the log holds no run.
 */
export function decisiveRun(log: MsertLog): MsertRun | undefined {
  const fullRuns = log.runs.filter((r) => r.kind === "full" && r.finished);
  return fullRuns[fullRuns.length - 1] ?? log.runs[log.runs.length - 1];
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/**
 * `Started On Fri Apr 09 09:12:40 2021` → milliseconds of that wall-clock time read as if UTC (the log has no zone;
 * only compared with other wall-clock times of the same server). Undefined when not in that shape.
 */
export function wallClockMs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^\w{3}\s+(\w{3})\s+(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})\s+(\d{4})$/.exec(text.trim());
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[1].toLowerCase());
  if (month < 0) return undefined;
  return Date.UTC(+m[6], month, +m[2], +m[3], +m[4], +m[5]);
}
