import { parsePowerShellCsv } from "../../cli/ingest/csv";
import { parseEomt, eomtScanKindFor } from "../../cli/ingest/eomt";
import { IngestError } from "../../cli/ingest/errors";
import { canonicalOrder } from "../../cli/ingest/evidence";
import { parseLocaleNumber } from "../../cli/ingest/localeNumber";
import { decisiveRun, parseMsertLog, wallClockMs } from "../../cli/ingest/msert";
import { validateBuild } from "../../cli/ingest/options";
import { decodeText } from "../../cli/ingest/readText";
import { logsSinceDate } from "../../cli/ingest/record";
import { matchTplFileName, namesHost, parseLogAgeDays, parsePathList } from "../../cli/ingest/testProxyLogon";

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof IngestError ? e.code : `not an IngestError: ${String(e)}`;
  }
  return undefined;
}

describe("parseLocaleNumber (N1 in any culture)", () => {
  test.each<[string, number | undefined]>([
    ["12.5", 12.5], // en-US, invariant
    ["12,5", 12.5], // de-DE, fr-FR
    ["1,234.5", 1234.5], // en-US grouping
    ["1.234,5", 1234.5], // de-DE grouping
    ["1 234,5", 1234.5], // plain space
    ["1\u00a0234,5", 1234.5], // fr-FR before .NET 5 (no-break space)
    ["1\u202f234,5", 1234.5], // fr-FR narrow no-break space
    ["1?234,5", 1234.5], // a non-ASCII group separator through Windows PowerShell 5.1's ASCII Export-Csv
    ["1'234.5", 1234.5], // de-CH
    ["1\u2019234.5", 1234.5], // de-CH typographic apostrophe
    ["1,234,567.8", 1234567.8],
    ["1.234.567,8", 1234567.8],
    ["0.0", 0],
    ["0,0", 0],
    ["98", 98],
    [" 3.1 ", 3.1],
    ["1234.567", 1234.567], // cannot be a thousands group (first group of 4 digits)
    ["0,125", 0.125],
    ["-1.0", -1], // parsed; the caller rejects negative ages
    ["1,234", undefined], // ambiguous: N1 always has one decimal
    ["1.234", undefined],
    ["", undefined],
    ["n/a", undefined],
    ["12.", undefined],
    [".5", undefined],
    ["1.2.3", undefined],
    ["1.234.5", undefined],
    ["12 5", undefined],
    ["1.234 567,8", undefined], // mixed group separators
    ["1,2345.6", undefined], // bad group size
    ["12,5,3", undefined],
    ["1e3", undefined],
  ])("%p → %p", (raw, expected) => {
    expect(parseLocaleNumber(raw)).toBe(expected);
  });
});

describe("decodeText", () => {
  const text = '"Oabgen","Ecp"\r\n"12,5","ä"\r\n';
  test.each<[string, Buffer, string]>([
    ["utf-8", Buffer.from(text, "utf8"), "utf-8"],
    ["utf-8 (BOM)", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]), "utf-8 (BOM)"],
    ["utf-16le (BOM)", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]), "utf-16le (BOM)"],
    ["utf-16be (BOM)", Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, "utf16le").swap16()]), "utf-16be (BOM)"],
    ["utf-16le without BOM", Buffer.from(text, "utf16le"), "utf-16le"],
    ["utf-16be without BOM", Buffer.from(text, "utf16le").swap16(), "utf-16be"],
    ["windows-1252 (ANSI Set-Content)", Buffer.from(text, "latin1"), "windows-1252"],
  ])("%s", (_name, bytes, encoding) => {
    const decoded = decodeText(bytes, "f.csv");
    expect(decoded.text).toBe(text);
    expect(decoded.encoding).toBe(encoding);
  });

  test("ASCII", () => {
    expect(decodeText(Buffer.from("abc\r\n", "latin1"), "f").encoding).toBe("ascii");
  });

  test.each<[string, Buffer]>([
    ["binary with NULs", Buffer.from([0x4d, 0x5a, 0x00, 0x90, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00])],
    ["odd-length UTF-16", Buffer.from([0xff, 0xfe, 0x41, 0x00, 0x42])],
    ["invalid UTF-8 after a BOM", Buffer.from([0xef, 0xbb, 0xbf, 0xc3, 0x28])],
    ["lone UTF-16 surrogate", Buffer.from([0xff, 0xfe, 0x00, 0xd8, 0x41, 0x00])],
    ["control characters", Buffer.from("\u0001\u0002\u0003\u0004abc", "latin1")],
  ])("rejects %s, naming the file", (_name, bytes) => {
    expect(() => decodeText(bytes, "dir/f.log")).toThrow(/^dir\/f\.log: cannot decode/);
    expect(codeOf(() => decodeText(bytes, "dir/f.log"))).toBe("UNDECODABLE_FILE");
  });
});

describe("parsePowerShellCsv", () => {
  test("skips the #TYPE line of Windows PowerShell 5.1 and keeps quoted commas, quotes and line breaks", () => {
    const t = parsePowerShellCsv(
      '#TYPE Selected.System.Diagnostics.Eventing.Reader.EventLogRecord\r\n"TimeCreated","MachineName","Message"\r\n"3/2/2021 11:32:41 PM","EXCH01","a, ""b""\r\nc"\r\n',
      "x.csv",
    );
    expect(t.typeLine).toBe("#TYPE Selected.System.Diagnostics.Eventing.Reader.EventLogRecord");
    expect(t.header).toEqual(["TimeCreated", "MachineName", "Message"]);
    expect(t.rows).toHaveLength(1);
    expect(t.get(t.rows[0], "message")).toBe('a, "b"\r\nc');
  });

  test("PowerShell 6+ output has no #TYPE line", () => {
    const t = parsePowerShellCsv('"A","B"\n"1","2"\n', "x.csv");
    expect(t.typeLine).toBeUndefined();
    expect(t.get(t.rows[0], "B")).toBe("2");
  });

  test.each<[string, string]>([
    ["", "no header row"],
    ["#TYPE X\r\n", "no header row"],
    ['"A","B"\r\n"1"\r\n', "not a valid CSV"],
    ['"A","a"\r\n"1","2"\r\n', "appears twice"],
    ['"A",""\r\n"1","2"\r\n', "empty column name"],
  ])("rejects %p", (text, why) => {
    expect(() => parsePowerShellCsv(text, "x.csv")).toThrow(why);
    expect(codeOf(() => parsePowerShellCsv(text, "x.csv"))).toBe("MALFORMED_CSV");
  });
});

describe("Test-ProxyLogon file names", () => {
  test.each<[string, string, string]>([
    ["EXCH01-LogAgeDays.csv", "EXCH01", "logAgeDays"],
    ["exch01-logagedays.CSV", "exch01", "logAgeDays"],
    ["EX-MBX-02-Cve-2021-26855.csv", "EX-MBX-02", "cve26855"],
    ["EXCH01-Cve-2021-26858-DownloadPaths.log", "EXCH01", "cve26858DownloadPaths"],
    ["EXCH01-Cve-2021-26858.log", "EXCH01", "cve26858"],
    ["EXCH01-Cve-2021-27065-ResetVDir.csv", "EXCH01", "cve27065ResetVDir"],
    ["EXCH01-Cve-2021-27065.log", "EXCH01", "cve27065"],
    ["EXCH01-other.csv", "EXCH01", "other"],
    ["EXCH01-Cve-2021-26857.csv", "EXCH01", "cve26857"],
  ])("%s", (name, computer, kind) => {
    expect(matchTplFileName(name)).toEqual({ computer, kind });
  });

  test.each([["-LogAgeDays.csv"], ["msert.log"], ["LogAgeDays.csv"], ["EXCH01-Cve-2021-26855.log"]])("%s is not a report", (name) => {
    expect(matchTplFileName(name)).toBeUndefined();
  });

  test.each<[string, string, boolean]>([
    ["EXCH01", "exch01", true],
    ["EXCH01", "exch01.contoso.local", true],
    ["EXCHANGE-SERVER", "exchange-server-01.contoso.local", true], // NetBIOS names stop at 15 characters
    ["EXCH01", "exch02", false],
    ["EXCH", "exch01", false],
  ])("computer %s names host %s: %p", (computer, host, expected) => {
    expect(namesHost(computer, host)).toBe(expected);
  });

  test("download paths lose the single quotes the script captured", () => {
    expect(parsePathList("'C:\\a b\\x.aspx'\r\n\r\nC:\\y.aspx\r\n", "p.log")).toEqual(["C:\\a b\\x.aspx", "C:\\y.aspx"]);
  });

  test("LogAgeDays.csv: the script's own column names, the minimum, empty folders", () => {
    const header =
      '"Oabgen","Ecp","AutodProxy","EasProxy","EcpProxy","EwsProxy","MapiProxy","OabProxy","OwaProxy","OwaCalendarProxy","PowershellProxy","RpcHttpProxy","Future"';
    const parsed = parseLogAgeDays(
      `${header}\r\n"1.234,5","125,3","98,7","","12,5","98,9","99,1","98,8","99,2","98,6","99,0","98,9","7,5"\r\n`,
      "l.csv",
    );
    expect(parsed.ages.find((a) => a.folder === "OabGen")?.days).toBe(1234.5);
    expect(parsed.ages.find((a) => a.folder === "EasProxy")).toMatchObject({ days: 0, empty: true });
    expect(parsed.min).toBe(0);
    expect(parsed.extra).toEqual(["Future"]);
    expect(parsed.ages.find((a) => a.folder === "Future")?.days).toBe(7.5);
  });

  test("LogAgeDays.csv: a negative age is rejected", () => {
    const header =
      '"Oabgen","Ecp","AutodProxy","EasProxy","EcpProxy","EwsProxy","MapiProxy","OabProxy","OwaProxy","OwaCalendarProxy","PowershellProxy","RpcHttpProxy"';
    expect(codeOf(() => parseLogAgeDays(`${header}\r\n"-1.0","1.0","1.0","1.0","1.0","1.0","1.0","1.0","1.0","1.0","1.0","1.0"\r\n`, "l.csv"))).toBe(
      "BAD_LOG_AGE",
    );
  });
});

// A published msert.log (third-party script documentation, build 1.405.445.0).
const PUBLISHED_QUICK_SCAN = `---------------------------------------------------------------------------------------
Microsoft Safety Scanner v1.405, (build 1.405.445.0)
Started On Thu Feb 22 13:33:34 2024

Engine: 1.1.24010.10
Signatures: 1.405.445.0
MpGear: 1.1.16330.1
Run Mode: Scan Run in Quiet Mode

Quick Scan Results:
-------------------
Threat Detected: Virus:DOS/EICAR_Test_File, not removed.
    Action: NoAction, Result: 0x00000000
        file://C:\\Windows\\system32\\eicarcom2.zip->eicar_com.zip->eicar.com
            SigSeq: 0x00000555DC2DDDB0

Results Summary:
----------------
Found Virus:DOS/EICAR_Test_File, not removed.
Successfully Submitted MAPS Report
Successfully Submitted Heartbeat Report
Microsoft Safety Scanner Finished On Thu Feb 22 13:35:58 2024


Return code: 7 (0x7)
`;

describe("parseMsertLog", () => {
  test("a published quick scan with a detection", () => {
    const log = parseMsertLog(PUBLISHED_QUICK_SCAN);
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0]).toMatchObject({
      version: "1.405.445.0",
      kind: "quick",
      startedOn: "Thu Feb 22 13:33:34 2024",
      finishedOn: "Thu Feb 22 13:35:58 2024",
      returnCode: 7,
      finished: true,
      noInfectionFound: false,
    });
    expect(log.detections.map((d) => d.name)).toEqual(["Virus:DOS/EICAR_Test_File"]);
  });

  test("kind markers are tolerant; two kinds in one run conflict; none is unknown", () => {
    const run = (body: string): string =>
      parseMsertLog(`Microsoft Safety Scanner v1.333, (build 1.333.1.0)\n${body}\nReturn code: 0 (0x0)`).runs[0].kind;
    expect(run("   FULL SCAN RESULTS:")).toBe("full");
    expect(run("Scan Type: Full")).toBe("full");
    expect(run("Custom Scan Results:")).toBe("custom");
    expect(run("Quick Scan Results:\nScan Type: Full")).toBe("conflicting");
    expect(run("Results Summary:\nNo infection found.")).toBe("unknown");
  });

  test("several runs: detections of every run count; the last finished full scan decides", () => {
    const full = PUBLISHED_QUICK_SCAN.replace("Quick Scan Results:", "Full Scan Results:")
      .replace(/Threat Detected.*\n/, "")
      .replace(/Found .*\n/, "No infection found.\n")
      .replace("Return code: 7 (0x7)", "Return code: 0 (0x0)");
    const quickLater = PUBLISHED_QUICK_SCAN.replace("1.405.445.0)", "1.405.999.0)");
    const log = parseMsertLog(`${full}${quickLater}`);
    expect(log.runs.map((r) => r.kind)).toEqual(["full", "quick"]);
    expect(log.detections).toHaveLength(1);
    expect(decisiveRun(log)?.kind).toBe("full");
    expect(decisiveRun(parseMsertLog(quickLater))?.version).toBe("1.405.999.0");
  });

  test("a stray 'Threat Detected' line outside any run still counts", () => {
    expect(parseMsertLog("Threat Detected: Backdoor:ASP/Chopper.F!dha, removed.").detections.map((d) => d.name)).toEqual([
      "Backdoor:ASP/Chopper.F!dha",
    ]);
  });

  test("wall-clock start time", () => {
    expect(wallClockMs("Fri Apr 09 09:12:40 2021")).toBe(Date.UTC(2021, 3, 9, 9, 12, 40));
    expect(wallClockMs("Freitag 9. April")).toBeUndefined();
  });
});

describe("parseEomt", () => {
  const summary = (failed: boolean): string =>
    [
      "Microsoft Safety Scanner and CVE-2021-26855 mitigation summary",
      "Message: Microsoft attempted to mitigate and protect your Exchange server from CVE-2021-26855 and clear malicious files.",
      `For more information on these vulnerabilities please visit https://aka.ms/Exchangevulns.${failed ? " This attempt was unsuccessful." : ""}`,
      '        Microsoft Safety Scanner log can be found at "C:\\Windows\\debug\\msert.log" and "C:\\Windows\\debug\\msert.old.log" If any threats were detected, please review the guidance here: https://go.microsoft.com/fwlink/?linkid=2157359',
    ].join("\r\n");

  test("the summary's standard sentence 'If any threats were detected' is no detection", () => {
    const r = parseEomt({ text: summary(false), label: "EOMTSummary.txt" }, undefined);
    expect(r).toMatchObject({ attempt: "successful", remediation: true, detections: [] });
  });

  test("an unsuccessful run", () => {
    expect(parseEomt({ text: summary(true), label: "EOMTSummary.txt" }, undefined).attempt).toBe("unsuccessful");
  });

  test("EOMT.log messages", () => {
    const log = [
      "2021-03-16 09:58:41 Info: EXCH01 is vulnerable: applying mitigation",
      "2021-03-16 09:59:30 Info: Mitigation complete on EXCH01 :: Default Web Site",
      "2021-03-16 10:02:08 Info: Running Microsoft Safety Scanner - Mode: Full Scan (No Remediation) on EXCH01",
      '2021-03-16 18:11:44 Info: Threats detected! Please review "C:\\Windows\\debug\\msert.log" as soon as possible.',
      "2021-03-16 18:11:44 Notice: Cannot check version info. Version currently running is 21.03.16.1525. Continuing",
    ].join("\r\n");
    const r = parseEomt(undefined, { text: log, label: "EOMT.log" });
    expect(r).toMatchObject({ vulnerable: true, mitigation: "applied", msertResult: "threats detected", version: "21.03.16.1525" });
    expect(r.detections).toHaveLength(1);
    expect(eomtScanKindFor(r, Date.UTC(2021, 2, 16, 10, 2, 20))).toBe("full");
    expect(eomtScanKindFor(r, Date.UTC(2021, 2, 16, 10, 30, 0))).toBeUndefined(); // too long after the announcement
    expect(eomtScanKindFor(r, Date.UTC(2021, 2, 16, 9, 0, 0))).toBeUndefined(); // before it
  });

  test("'not vulnerable' and a rollback", () => {
    const r = parseEomt(undefined, {
      text: "2021-03-16 09:58:41 Info: EXCH01 is not vulnerable: mitigation not needed\r\n2021-03-17 09:00:00 Info: Rollback of mitigation complete on EXCH01",
      label: "EOMT.log",
    });
    expect(r).toMatchObject({ vulnerable: false, mitigation: "rolled back" });
  });
});

describe("small pieces", () => {
  test.each<[string, number, string]>([
    ["2021-04-09T15:20:00Z", 98.7, "2020-12-31"],
    ["2021-04-09T15:20:00Z", 0, "2021-04-09"],
    ["2021-04-09T00:00:00Z", 0.1, "2021-04-08"], // floors to the day
    ["2021-03-01T12:00:00Z", 0.5, "2021-03-01"],
  ])("logsSince of %s minus %p days is %s", (at, days, expected) => {
    expect(logsSinceDate(new Date(at), days)).toBe(expected);
  });

  test("canonical order: lower-cased path, then exact path, never locale-aware", () => {
    const files = ["b.log", "A.csv", "a.csv", "Z/x", "ä.txt", "_x"].map((rel) => ({ rel }));
    // "_" (0x5F) sorts before letters; "ä" (U+00E4) after them, whatever the machine's locale.
    expect(canonicalOrder(files).map((f) => f.rel)).toEqual(["_x", "A.csv", "a.csv", "b.log", "Z/x", "ä.txt"]);
  });

  test.each([
    ["15.2.792.10", "15.2.792.10"],
    ["15.02.0792.010", "15.2.792.10"],
    [" 15.1.2176.9 ", "15.1.2176.9"],
  ])("build %p → %p", (raw, short) => {
    expect(validateBuild(raw)).toBe(short);
  });
});
