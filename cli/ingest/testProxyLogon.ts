import { CVE_CHECKS } from "../../policies/model";
import { CsvTable, parsePowerShellCsv } from "./csv";
import { IngestError } from "./errors";
import { EvidenceFile } from "./evidence";
import { checkHostBinding, namesHost, netbiosName, ServerName } from "./hostBinding";
import { parseLocaleNumber } from "./localeNumber";
import { readTextFile, splitLines } from "./readText";
import { ToolTime } from "./toolTime";

export { namesHost };

/**
 * Test-ProxyLogon.ps1 (https://github.com/microsoft/CSS-Exchange/blob/main/Security/src/Test-ProxyLogon.ps1) writes into
 * its -OutPath, per scanned computer, `<COMPUTERNAME>-<suffix>`:
 *   -LogAgeDays.csv               always (when Exchange 2013+ is found): oldest log age in days per log folder, N1
 *   -Cve-2021-26855.csv           HttpProxy rows whose AnchorMailbox is ServerInfo~*∕* (not autodiscover/localhost)
 *   -Cve-2021-26857.csv           Application event log errors of MSExchange Unified Messaging with InvalidCastException
 *   -Cve-2021-26858.log           OAB generator logs with a "Download failed and temporary file" outside ClientAccess\OAB
 *   -Cve-2021-26858-DownloadPaths.log  the suspicious download paths themselves
 *   -Cve-2021-27065-ResetVDir.csv HttpProxy\Ecp rows with ServerInfo~*∕*Reset*VirtualDirectory# and status 200
 *   -Cve-2021-27065.log           ECP server logs with a Set-*VirtualDirectory carrying a script tag in a URL
 *   -other.csv                    suspicious files (LsassDump, SuspiciousArchive), looked for only after a CVE hit
 * A hit file is written only when there is a hit; a clean run writes LogAgeDays.csv alone.
 */
/** The four CVE checks Test-ProxyLogon.ps1 runs: the record contract's ids. */
export const CVE_IDS = CVE_CHECKS;
export type CveId = (typeof CVE_IDS)[number];

export type TplFileKind = "logAgeDays" | "cve26855" | "cve26857" | "cve26858" | "cve26858DownloadPaths" | "cve27065ResetVDir" | "cve27065" | "other";

/** File-name suffixes, matched case-insensitively after `<COMPUTERNAME>`. */
export const TPL_SUFFIXES: Readonly<Record<TplFileKind, string>> = {
  logAgeDays: "-LogAgeDays.csv",
  cve26855: "-Cve-2021-26855.csv",
  cve26857: "-Cve-2021-26857.csv",
  cve26858: "-Cve-2021-26858.log",
  cve26858DownloadPaths: "-Cve-2021-26858-DownloadPaths.log",
  cve27065ResetVDir: "-Cve-2021-27065-ResetVDir.csv",
  cve27065: "-Cve-2021-27065.log",
  other: "-other.csv",
};

/**
 * The log folders LogAgeDays.csv reports, by the names this project uses; the script's own property names
 * (`Oabgen`, `AutodProxy`) differ only in case and are matched case-insensitively.
 */
export const LOG_FOLDERS = [
  "OabGen",
  "Ecp",
  "AutoDProxy",
  "EasProxy",
  "EcpProxy",
  "EwsProxy",
  "MapiProxy",
  "OabProxy",
  "OwaProxy",
  "OwaCalendarProxy",
  "PowershellProxy",
  "RpcHttpProxy",
] as const;

const HTTP_PROXY_COLUMNS = ["DateTime", "AnchorMailbox"];
const EVENT_COLUMNS = ["TimeCreated", "Message"];
const OTHER_COLUMNS = ["Type", "Path"];
const MAX_EXAMPLES = 3;
const MAX_EXAMPLE_CHARS = 240;

export interface TplFileName {
  readonly computer: string;
  readonly kind: TplFileKind;
}

/** Recognises a Test-ProxyLogon output file by its base name; undefined for any other file. */
export function matchTplFileName(baseName: string): TplFileName | undefined {
  const lower = baseName.toLowerCase();
  // Longest suffix first: "-Cve-2021-26858-DownloadPaths.log" must not be read as "<X-Cve-2021-26858>-DownloadPaths.log".
  const kinds = (Object.keys(TPL_SUFFIXES) as TplFileKind[]).sort((a, b) => TPL_SUFFIXES[b].length - TPL_SUFFIXES[a].length);
  for (const kind of kinds) {
    const suffix = TPL_SUFFIXES[kind].toLowerCase();
    if (lower.endsWith(suffix) && lower.length > suffix.length) {
      return { computer: baseName.slice(0, baseName.length - suffix.length), kind };
    }
  }
  return undefined;
}

export interface TplSelection {
  readonly computer: string;
  readonly files: ReadonlyMap<TplFileKind, EvidenceFile>;
  /** Every computer that has files in the folder. */
  readonly computers: readonly string[];
  /** The server names the file names carry, with the files. */
  readonly names: readonly ServerName[];
}

/**
 * The reports of the host's computer. Every `<COMPUTERNAME>-…` prefix must name `host` (NetBIOS or FQDN,
 * case-insensitively): another server's reports, or several servers' mixed in one folder, are refused
 * (HOST_MISMATCH, MIXED_HOSTS), never picked from. Throws NO_TEST_PROXYLOGON_OUTPUT and DUPLICATE_REPORT.
 */
export function selectComputer(files: readonly EvidenceFile[], host: string, folderLabel: string): TplSelection {
  const byComputer = new Map<string, { name: string; files: Map<TplFileKind, EvidenceFile> }>();
  const names: ServerName[] = [];
  for (const f of files) {
    const m = matchTplFileName(baseName(f.rel));
    if (!m) continue;
    names.push({ name: m.computer, source: `${f.rel} (file name)` });
    const key = netbiosName(m.computer);
    let entry = byComputer.get(key);
    if (!entry) {
      entry = { name: m.computer, files: new Map() };
      byComputer.set(key, entry);
    }
    const prior = entry.files.get(m.kind);
    if (prior) {
      throw new IngestError(
        "DUPLICATE_REPORT",
        `${folderLabel}: two ${m.computer}${TPL_SUFFIXES[m.kind]} files (${prior.rel} and ${f.rel}); keep the one of the run being recorded`,
        f.rel,
      );
    }
    entry.files.set(m.kind, f);
  }
  if (byComputer.size === 0) {
    throw new IngestError(
      "NO_TEST_PROXYLOGON_OUTPUT",
      `${folderLabel}: no Test-ProxyLogon.ps1 output (<COMPUTERNAME>-LogAgeDays.csv, <COMPUTERNAME>-Cve-2021-*.csv/.log); copy the script's -OutPath folder in`,
      folderLabel,
    );
  }
  checkHostBinding(host, names, folderLabel);
  const [chosen] = [...byComputer.values()];
  return { computer: chosen.name, files: chosen.files, computers: [chosen.name], names };
}

export interface CveCheck {
  readonly id: CveId;
  readonly hits: number;
  /** A few human-readable hit lines. */
  readonly examples: readonly string[];
  /** The report files that carried the hits. */
  readonly files: readonly string[];
}

export interface SuspiciousFile {
  readonly type: string;
  readonly path: string;
  readonly lastWrite: string;
}

export interface LogAge {
  readonly folder: string;
  /** Days; 0 when the script wrote nothing (no log at all in that folder: nothing to cover). */
  readonly days: number;
  readonly raw: string;
  readonly empty: boolean;
}

export interface TplReport {
  readonly computer: string;
  readonly computers: readonly string[];
  readonly checks: readonly CveCheck[];
  readonly suspicious: readonly SuspiciousFile[];
  readonly logAges: readonly LogAge[];
  readonly minLogAgeDays: number;
  /** The folder(s) with the minimum age. */
  readonly minLogAgeFolders: readonly string[];
  /** Columns of LogAgeDays.csv this module does not know (kept in the minimum when numeric). */
  readonly extraLogColumns: readonly string[];
  /** "Windows PowerShell 5.1" when the CSVs carry #TYPE lines, "PowerShell 6+" when not. */
  readonly format: string;
  readonly files: readonly string[];
  /** Server names written inside the reports (other.csv ComputerName, the 26857 events' MachineName). */
  readonly serverNames: readonly ServerName[];
  /** UTC instants of the HttpProxy hit rows: the assessment was made after them. */
  readonly times: readonly ToolTime[];
}

/** Reads and interprets the selected computer's files. */
export async function readTestProxyLogon(sel: TplSelection): Promise<TplReport> {
  const text = async (kind: TplFileKind): Promise<{ text: string; label: string } | undefined> => {
    const f = sel.files.get(kind);
    if (!f) return undefined;
    return { text: (await readTextFile(f.abs, f.rel)).text, label: f.rel };
  };
  const logAgeInput = await text("logAgeDays");
  if (!logAgeInput) {
    const hitFiles = [...sel.files.values()].map((f) => f.rel);
    throw new IngestError(
      "LOG_AGE_MISSING",
      `${sel.computer}${TPL_SUFFIXES.logAgeDays} is missing (found ${hitFiles.join(", ")}): without it the log coverage is unknown and no ` +
        `assessment can be recorded; copy the whole Test-ProxyLogon -OutPath folder (the script writes it on every run)` +
        (hitFiles.length > 0 ? ". The files present report hits: treat the host as compromised" : ""),
      `${sel.computer}${TPL_SUFFIXES.logAgeDays}`,
    );
  }
  const typeLines: boolean[] = [];
  const logAge = parseLogAgeDays(logAgeInput.text, logAgeInput.label);
  typeLines.push(logAge.table.typeLine !== undefined);

  const checks: CveCheck[] = [];
  const serverNames: ServerName[] = [];
  const times: ToolTime[] = [];
  const namesIn = (table: CsvTable, column: string, label: string) => {
    for (const r of table.rows) {
      const name = table.get(r, column).trim();
      if (name !== "") serverNames.push({ name, source: `${label} (${column})` });
    }
  };
  const timesIn = (table: CsvTable, label: string) => {
    for (const r of table.rows) {
      const t = utcInstantMs(table.get(r, "DateTime"));
      if (t !== undefined) times.push({ ms: t, local: false, source: `${label}: hit at ${table.get(r, "DateTime").trim()}` });
    }
  };
  // CVE-2021-26855
  {
    const input = await text("cve26855");
    const table = input ? hitTable(input.text, input.label, HTTP_PROXY_COLUMNS) : undefined;
    if (table) typeLines.push(table.typeLine !== undefined);
    if (table && input) timesIn(table, input.label);
    checks.push({
      id: "CVE-2021-26855",
      hits: table?.rows.length ?? 0,
      examples: table ? examples(table.rows.map((r) => httpProxyLine(table, r))) : [],
      files: input ? [input.label] : [],
    });
  }
  // CVE-2021-26857
  {
    const input = await text("cve26857");
    const table = input ? hitTable(input.text, input.label, EVENT_COLUMNS) : undefined;
    if (table) typeLines.push(table.typeLine !== undefined);
    if (table && input) namesIn(table, "MachineName", input.label);
    checks.push({
      id: "CVE-2021-26857",
      hits: table?.rows.length ?? 0,
      examples: table ? examples(table.rows.map((r) => eventLine(table, r))) : [],
      files: input ? [input.label] : [],
    });
  }
  // CVE-2021-26858: the download paths are the hits; older script versions wrote only the list of log files.
  {
    const logs = await text("cve26858");
    const paths = await text("cve26858DownloadPaths");
    const logList = logs ? parsePathList(logs.text, logs.label) : [];
    const pathList = paths ? parsePathList(paths.text, paths.label) : [];
    const hitLines = paths ? pathList.map((p) => `download path ${p}`) : logList.map((p) => `OAB generator log ${p}`);
    checks.push({
      id: "CVE-2021-26858",
      hits: hitLines.length,
      examples: examples(hitLines),
      files: [paths?.label, logs?.label].filter((x): x is string => x !== undefined),
    });
  }
  // CVE-2021-27065: Reset-*VirtualDirectory requests and ECP logs with a scripted Set-*VirtualDirectory URL.
  {
    const reset = await text("cve27065ResetVDir");
    const ecp = await text("cve27065");
    const table = reset ? hitTable(reset.text, reset.label, HTTP_PROXY_COLUMNS) : undefined;
    if (table) typeLines.push(table.typeLine !== undefined);
    if (table && reset) timesIn(table, reset.label);
    const ecpLogs = ecp ? parsePathList(ecp.text, ecp.label) : [];
    const hitLines = [
      ...(table ? table.rows.map((r) => httpProxyLine(table, r)) : []),
      ...ecpLogs.map((p) => `ECP log with Set-*VirtualDirectory ${p}`),
    ];
    checks.push({
      id: "CVE-2021-27065",
      hits: hitLines.length,
      examples: examples(hitLines),
      files: [reset?.label, ecp?.label].filter((x): x is string => x !== undefined),
    });
  }
  const other = await text("other");
  const suspicious = other ? parseOther(other.text, other.label) : [];
  if (other) namesIn(parsePowerShellCsv(other.text, other.label, OTHER_COLUMNS), "ComputerName", other.label);

  const mixed = typeLines.some((t) => t) && typeLines.some((t) => !t);
  return {
    computer: sel.computer,
    computers: sel.computers,
    checks,
    suspicious,
    logAges: logAge.ages,
    minLogAgeDays: logAge.min,
    minLogAgeFolders: logAge.ages.filter((a) => a.days === logAge.min).map((a) => a.folder),
    extraLogColumns: logAge.extra,
    format: mixed ? "mixed Windows PowerShell 5.1 / PowerShell 6+" : typeLines[0] ? "Windows PowerShell 5.1" : "PowerShell 6+",
    files: [...sel.files.values()].map((f) => f.rel).sort(),
    serverNames,
    times,
  };
}

/** An HttpProxy log's `DateTime` (`2021-03-03T04:51:23.114Z`): a UTC instant; undefined for anything else. */
function utcInstantMs(text: string): number | undefined {
  const t = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/i.test(t)) return undefined;
  const ms = Date.parse(t.toUpperCase());
  return Number.isNaN(ms) ? undefined : ms;
}

export interface ParsedLogAge {
  readonly table: CsvTable;
  readonly ages: LogAge[];
  readonly min: number;
  readonly extra: string[];
}

/**
 * LogAgeDays.csv: one row, one column per log folder, each the age in days of the folder's oldest log file,
 * formatted "N1" in the server's culture, or empty when the folder holds no log. An empty value counts as 0 days
 * (nothing covered: never assume coverage). Every known folder column is required.
 */
export function parseLogAgeDays(text: string, label: string): ParsedLogAge {
  const table = parsePowerShellCsv(text, label, LOG_FOLDERS);
  if (table.rows.length !== 1) {
    throw new IngestError("MALFORMED_REPORT", `${label}: expected exactly one data row (one scanned computer), found ${table.rows.length}`, label);
  }
  const row = table.rows[0];
  const ages: LogAge[] = [];
  const read = (column: string, folder: string, required: boolean): void => {
    const raw = table.get(row, column).trim();
    if (raw === "") {
      ages.push({ folder, days: 0, raw, empty: true });
      return;
    }
    const days = parseLocaleNumber(raw);
    if (days === undefined || days < 0) {
      if (!required) return;
      throw new IngestError(
        "BAD_LOG_AGE",
        `${label}: ${folder} = "${raw}" is not a number of days (expected e.g. 12.5, 12,5, 1,234.5 or 1.234,5)`,
        label,
      );
    }
    ages.push({ folder, days, raw, empty: false });
  };
  for (const folder of LOG_FOLDERS) read(folder, folder, true);
  const known = new Set<string>(LOG_FOLDERS.map((f) => f.toLowerCase()));
  const extra = table.header.filter((h) => !known.has(h.toLowerCase()));
  for (const h of extra) {
    if (table.get(row, h).trim() !== "") read(h, h, false);
  }
  const min = Math.min(...ages.map((a) => a.days));
  return { table, ages, min, extra };
}

/** A CSV hit report: Test-ProxyLogon writes it only with at least one row. */
function hitTable(text: string, label: string, required: readonly string[]): CsvTable {
  const table = parsePowerShellCsv(text, label, required);
  if (table.rows.length === 0) {
    throw new IngestError(
      "MALFORMED_REPORT",
      `${label}: a header and no row; Test-ProxyLogon.ps1 writes this file only for hits, so it looks truncated`,
      label,
    );
  }
  return table;
}

/** A Set-Content list (one path per line); empty lists cannot come from the script. */
export function parsePathList(text: string, label: string): string[] {
  const lines = splitLines(text.startsWith("\uFEFF") ? text.slice(1) : text)
    .map((l) => l.trim())
    .filter((l) => l !== "");
  if (lines.length === 0) {
    throw new IngestError("MALFORMED_REPORT", `${label}: empty; Test-ProxyLogon.ps1 writes this file only for hits, so it looks truncated`, label);
  }
  // The script captures download paths with their single quotes ('C:\…\x.aspx').
  return lines.map((l) => (/^'.*'$/.test(l) ? l.slice(1, -1) : l));
}

export function parseOther(text: string, label: string): SuspiciousFile[] {
  const table = hitTable(text, label, OTHER_COLUMNS);
  return table.rows.map((r) => ({
    type: table.get(r, "Type").trim() || "(no type)",
    path: table.get(r, "Path").trim(),
    lastWrite: table.get(r, "LastWrite").trim(),
  }));
}

function httpProxyLine(t: CsvTable, r: readonly string[]): string {
  const v = (c: string): string => t.get(r, c).trim();
  const parts = [v("DateTime"), v("ClientIPAddress") && `from ${v("ClientIPAddress")}`, v("UrlStem"), `AnchorMailbox=${v("AnchorMailbox")}`];
  if (v("HttpStatus")) parts.push(`HTTP ${v("HttpStatus")}`);
  return parts.filter((p) => p !== "").join(" ");
}

function eventLine(t: CsvTable, r: readonly string[]): string {
  const lines = splitLines(t.get(r, "Message"))
    .map((l) => l.trim())
    .filter((l) => l !== "");
  const line = lines.find((l) => /InvalidCastException/i.test(l)) ?? lines[0] ?? "";
  return `${t.get(r, "TimeCreated").trim()} ${line}`.trim();
}

function examples(lines: readonly string[]): string[] {
  return lines.slice(0, MAX_EXAMPLES).map((l) => (l.length > MAX_EXAMPLE_CHARS ? `${l.slice(0, MAX_EXAMPLE_CHARS - 1)}…` : l));
}

function baseName(rel: string): string {
  const i = rel.lastIndexOf("/");
  return i < 0 ? rel : rel.slice(i + 1);
}
