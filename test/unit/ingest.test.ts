import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ingestAssessment, IngestError, IngestResult } from "../../cli/ingest";
import type { IngestErrorCode } from "../../cli/ingest";

const FIXTURES = path.join(__dirname, "..", "fixtures", "ingest");
const fixture = (name: string): string => path.join(FIXTURES, name);

const ALL_CHECKS = "CVE-2021-26855,CVE-2021-26857,CVE-2021-26858,CVE-2021-27065,webshell-scan,msert-full-scan";
const NO_FULL_SCAN = "CVE-2021-26855,CVE-2021-26857,CVE-2021-26858,CVE-2021-27065,webshell-scan";
const BUILD = "15.2.792.10";
const APRIL_9 = "2021-04-09T15:20:00Z";
const NOW = new Date("2021-05-01T00:00:00Z");

function ingest(name: string, extra: Partial<Parameters<typeof ingestAssessment>[0]> = {}): Promise<IngestResult> {
  return ingestAssessment({ host: "exch01", from: fixture(name), exchangeBuild: BUILD, completedAt: APRIL_9, now: NOW, ...extra });
}

async function expectIngestError(p: Promise<unknown>, code: IngestErrorCode, ...mentions: string[]): Promise<IngestError> {
  let caught: unknown;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(IngestError);
  const err = caught as IngestError;
  expect(err.code).toBe(code);
  for (const m of mentions) expect(err.message).toContain(m);
  return err;
}

const tmpDirs: string[] = [];
function tmpDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "ingest-test-"));
  tmpDirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

/** Copies a fixture folder; `reverse` creates the files in reverse order. */
function copyFixture(name: string, reverse = false): string {
  const dest = tmpDir();
  const names = fs.readdirSync(fixture(name)).sort();
  for (const n of reverse ? names.reverse() : names) fs.copyFileSync(path.join(fixture(name), n), path.join(dest, n));
  return dest;
}

const MSERT_FULL_CLEAN = [
  "Microsoft Safety Scanner v1.333, (build 1.333.1100.0)",
  "Started On Fri Apr 09 09:12:40 2021",
  "Full Scan Results:",
  "Results Summary:",
  "No infection found.",
  "Microsoft Safety Scanner Finished On Fri Apr 09 15:02:11 2021",
  "Return code: 0 (0x0)",
].join("\r\n");

describe("ingestAssessment: fixtures", () => {
  test("clean-ps51: Windows PowerShell 5.1 (#TYPE, ASCII), LogAgeDays only, clean MSERT full scan", async () => {
    const { record, summary } = await ingest("clean-ps51", { generation: 1 });
    expect(record).toEqual({
      host: "exch01",
      generation: 1,
      additionalData: {
        assessmentKind: "exchange-compromise",
        verdict: "clean",
        completedAt: APRIL_9,
        exchangeBuild: BUILD,
        checks: ALL_CHECKS,
        logsSince: "2020-12-31", // 15:20 − 98.7 days (OwaCalendarProxy) = 2020-12-31T22:32Z
        evidenceSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        tool: "Test-ProxyLogon.ps1; MSERT 1.333.1100.0 (full)",
      },
    });
    for (const v of Object.values(record.additionalData)) expect(typeof v).toBe("string");
    expect(summary.join("\n")).toContain("Windows PowerShell 5.1");
    expect(summary.join("\n")).toContain("98.7 day(s) old (OwaCalendarProxy)");
    expect(summary[summary.length - 1]).toMatch(/^Verdict: clean/);
  });

  test("clean-ps7: no #TYPE, UTF-8, en-US grouping, hyphenated computer; EOMT.log vouches for the full scan", async () => {
    const { record, summary } = await ingest("clean-ps7", { host: "ex-mbx-02", completedAt: "2021-04-12T08:00:00Z" });
    expect(record.additionalData).toMatchObject({
      verdict: "clean",
      checks: ALL_CHECKS,
      logsSince: "2021-01-01", // 08:00 − 101.3 days
      tool: "Test-ProxyLogon.ps1; MSERT 1.333.1367.0 (full); EOMT.ps1",
    });
    expect(record.generation).toBeUndefined();
    expect("generation" in record).toBe(false);
    const text = summary.join("\n");
    expect(text).toContain("PowerShell 6+");
    expect(text).toContain("EOMT.log announced a full scan");
    expect(text).toContain("run successful");
  });

  test("clean-ps7 without EOMT.log: the clean msert.log does not state its kind, so no msert-full-scan", async () => {
    const dir = copyFixture("clean-ps7");
    fs.rmSync(path.join(dir, "EOMT.log"));
    const { record, summary } = await ingestAssessment({
      host: "ex-mbx-02",
      from: dir,
      exchangeBuild: BUILD,
      completedAt: "2021-04-12T08:00:00Z",
      now: NOW,
    });
    expect(record.additionalData.checks).toBe(NO_FULL_SCAN);
    expect(record.additionalData.tool).toBe("Test-ProxyLogon.ps1; MSERT 1.333.1367.0 (scan kind not stated); EOMT.ps1");
    expect(summary.join("\n")).toContain("msert-full-scan is not recorded");
  });

  test("cve-26855-hit: SSRF hits and suspicious files make it compromised", async () => {
    const { record, summary } = await ingest("cve-26855-hit");
    expect(record.additionalData).toMatchObject({
      verdict: "compromised",
      checks: ALL_CHECKS,
      logsSince: "2020-12-31",
      tool: "Test-ProxyLogon.ps1; MSERT 1.333.1100.0 (full)",
    });
    const text = summary.join("\n");
    expect(text).toContain("CVE-2021-26855: 2 hit(s) in EXCH01-Cve-2021-26855.csv");
    expect(text).toContain("AnchorMailbox=ServerInfo~a]@EXCH01.contoso.local:444/ecp/proxyLogon.ecp#");
    expect(text).toContain("LsassDump: C:\\Windows\\Temp\\lsass.dmp");
    expect(text).toMatch(/Verdict: COMPROMISED: .*CVE-2021-26855: 2 hit\(s\).*2 suspicious file\(s\) \(LsassDump, SuspiciousArchive\)/);
  });

  test("cve-26857-hit: Unified Messaging InvalidCastException events (multi-line messages)", async () => {
    const { record, summary } = await ingest("cve-26857-hit");
    expect(record.additionalData).toMatchObject({ verdict: "compromised", checks: ALL_CHECKS, logsSince: "2020-12-31" });
    const text = summary.join("\n");
    expect(text).toContain("CVE-2021-26857: 2 hit(s) in EXCH01-Cve-2021-26857.csv");
    expect(text).toContain("3/2/2021 11:32:41 PM Exception: System.InvalidCastException: Unable to cast object");
  });

  test("cve-26858-hit: OAB download paths outside ClientAccess\\OAB", async () => {
    const { record, summary } = await ingest("cve-26858-hit");
    expect(record.additionalData).toMatchObject({ verdict: "compromised", checks: ALL_CHECKS });
    const text = summary.join("\n");
    expect(text).toContain("CVE-2021-26858: 2 hit(s) in EXCH01-Cve-2021-26858-DownloadPaths.log, EXCH01-Cve-2021-26858.log");
    expect(text).toContain("download path C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\web.aspx");
  });

  test("cve-27065-hit: Reset*VirtualDirectory through ECP and a scripted Set-*VirtualDirectory", async () => {
    const { record, summary } = await ingest("cve-27065-hit");
    expect(record.additionalData).toMatchObject({ verdict: "compromised", checks: ALL_CHECKS });
    const text = summary.join("\n");
    expect(text).toContain("CVE-2021-27065: 2 hit(s) in EXCH01-Cve-2021-27065-ResetVDir.csv, EXCH01-Cve-2021-27065.log");
    expect(text).toContain("schema=ResetOABVirtualDirectory#");
    expect(text).toContain("ECP log with Set-*VirtualDirectory C:\\Program Files");
  });

  test("webshell-msert: MSERT full scan detects China Chopper and Exmann", async () => {
    const { record, summary } = await ingest("webshell-msert");
    expect(record.additionalData).toMatchObject({
      verdict: "compromised",
      checks: ALL_CHECKS,
      tool: "Test-ProxyLogon.ps1; MSERT 1.333.1100.0 (full)",
    });
    const text = summary.join("\n");
    expect(text).toContain("2 threat(s) detected: Backdoor:ASP/Chopper.F!dha, Exploit:Script/Exmann.A!dha");
    expect(text).toContain("return code 7: 2 detection(s)");
  });

  test("logs-too-short: about three days of logs give a recent logsSince and a warning", async () => {
    const { record, summary } = await ingest("logs-too-short");
    expect(record.additionalData).toMatchObject({ verdict: "clean", checks: ALL_CHECKS, logsSince: "2021-04-06" }); // − 2.9 days (EcpProxy)
    expect(summary.join("\n")).toContain("logs reach back only to 2021-04-06, not to 2021-01-01");
  });

  test("utf16-german-locale: UTF-16LE with BOM and de-DE numbers (12,5; 1.234,5)", async () => {
    const { record, summary } = await ingest("utf16-german-locale", { host: "exchde01" });
    expect(record.additionalData).toMatchObject({ verdict: "clean", checks: ALL_CHECKS, logsSince: "2021-03-28" }); // − 12.5 days
    expect(summary.join("\n")).toContain("12.5 day(s) old (EcpProxy)");
  });

  test("quick-scan-only: an MSERT quick scan never counts as msert-full-scan", async () => {
    const { record, summary } = await ingest("quick-scan-only");
    expect(record.additionalData).toMatchObject({
      verdict: "clean",
      checks: NO_FULL_SCAN,
      tool: "Test-ProxyLogon.ps1; MSERT 1.333.1100.0 (quick); EOMT.ps1",
    });
    expect(record.additionalData.checks).not.toContain("msert-full-scan");
    expect(summary.join("\n")).toContain("CISA ED 21-02 requires one");
  });

  test("msert-old-detection: a detection in msert.old.log (UTF-16LE) outweighs a later clean full scan", async () => {
    const { record, summary } = await ingest("msert-old-detection");
    expect(record.additionalData.verdict).toBe("compromised");
    expect(summary.join("\n")).toContain("MSERT earlier run (msert.old.log): 1 threat(s) detected: Backdoor:ASP/Chopper.F!dha");
  });

  test("eomt-detected: EOMT.log's 'Threats detected!' outweighs a later clean full scan", async () => {
    const { record, summary } = await ingest("eomt-detected");
    expect(record.additionalData.verdict).toBe("compromised");
    expect(record.additionalData.tool).toBe("Test-ProxyLogon.ps1; MSERT 1.333.1100.0 (full); EOMT.ps1");
    const text = summary.join("\n");
    expect(text).toContain("server was vulnerable; mitigation applied");
    expect(text).toContain("Verdict: COMPROMISED: EOMT (EOMTSummary.txt, EOMT.log): 1 line(s) report threats detected");
    expect(text).toContain("Info: Threats detected! Please review");
  });

  test("missing-logage: error naming the missing LogAgeDays.csv", async () => {
    const err = await expectIngestError(ingest("missing-logage"), "LOG_AGE_MISSING", "EXCH01-LogAgeDays.csv", "EXCH01-Cve-2021-26855.csv");
    expect(err.file).toBe("EXCH01-LogAgeDays.csv");
  });

  test("no-msert: error saying MSERT (a full scan) is required", async () => {
    await expectIngestError(
      ingest("no-msert"),
      "MSERT_LOG_MISSING",
      fixture("no-msert"),
      "msert.log",
      "MSERT is required",
      "CISA ED 21-02",
      "full scan",
    );
  });
});

describe("evidenceSha256", () => {
  /** The canonical bundle, computed independently of the implementation. */
  function canonicalHash(dir: string): string {
    const h = createHash("sha256");
    const names = fs.readdirSync(dir).sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0));
    for (const n of names) {
      const bytes = fs.readFileSync(path.join(dir, n));
      h.update(`${n}\0${bytes.length}\0`);
      h.update(bytes);
    }
    return h.digest("hex");
  }

  test("is SHA-256 over path NUL length NUL bytes, sorted by lower-cased path", async () => {
    const { record } = await ingest("cve-26855-hit");
    expect(record.additionalData.evidenceSha256).toBe(canonicalHash(fixture("cve-26855-hit")));
  });

  test("same inputs copied in another order with other mtimes give the same hash", async () => {
    const original = await ingest("clean-ps7", { host: "ex-mbx-02", completedAt: "2021-04-12T08:00:00Z" });
    const dir = copyFixture("clean-ps7", true);
    fs.readdirSync(dir).forEach((n, i) => fs.utimesSync(path.join(dir, n), new Date(2021, 3, 1 + i), new Date(2021, 3, 20 - i)));
    const copy = await ingestAssessment({ host: "ex-mbx-02", from: dir, exchangeBuild: BUILD, completedAt: "2021-04-12T08:00:00Z", now: NOW });
    expect(copy.record.additionalData.evidenceSha256).toBe(original.record.additionalData.evidenceSha256);
  });

  test("one changed byte changes the hash", async () => {
    const dir = copyFixture("clean-ps51");
    const file = path.join(dir, "msert.log");
    const bytes = fs.readFileSync(file);
    const i = bytes.indexOf("Heartbeat");
    bytes[i] = "h".charCodeAt(0);
    fs.writeFileSync(file, bytes);
    const original = await ingest("clean-ps51");
    const changed = await ingestAssessment({ host: "exch01", from: dir, exchangeBuild: BUILD, completedAt: APRIL_9, now: NOW });
    expect(changed.record.additionalData.verdict).toBe("clean");
    expect(changed.record.additionalData.evidenceSha256).not.toBe(original.record.additionalData.evidenceSha256);
  });

  test("an extra file (anywhere under the folder) is part of the bundle", async () => {
    const dir = copyFixture("clean-ps51");
    fs.mkdirSync(path.join(dir, "CollectedLogFiles"));
    fs.writeFileSync(path.join(dir, "CollectedLogFiles", "notes.txt"), "x");
    const original = await ingest("clean-ps51");
    const more = await ingestAssessment({ host: "exch01", from: dir, exchangeBuild: BUILD, completedAt: APRIL_9, now: NOW });
    expect(more.record.additionalData.evidenceSha256).not.toBe(original.record.additionalData.evidenceSha256);
    expect(more.summary[0]).toContain("3 file(s)");
  });
});

describe("completedAt: the tools' own timestamps, never file times", () => {
  test("defaults to the decisive MSERT run's finish time, read as the earliest instant a zone-less local time can be", async () => {
    const dir = copyFixture("clean-ps51");
    // File times say "today": a copy of an old scan must not become a fresh assessment.
    fs.utimesSync(path.join(dir, "msert.log"), new Date("2021-04-30T12:00:00Z"), new Date("2021-04-30T12:00:00Z"));
    const { record, summary } = await ingestAssessment({ host: "exch01", from: dir, exchangeBuild: BUILD, now: NOW });
    expect(record.additionalData.completedAt).toBe("2021-04-09T01:02:11Z"); // Fri Apr 09 15:02:11 2021 at UTC+14
    expect(summary.join("\n")).toContain("msert.log: Finished On Fri Apr 09 15:02:11 2021");
    expect(summary.join("\n")).toContain("--utc-offset");
  });

  test("with the server's --utc-offset the finish time is exact", async () => {
    const { record } = await ingest("clean-ps51", { completedAt: undefined, utcOffset: "+02:00" });
    expect(record.additionalData.completedAt).toBe("2021-04-09T13:02:11Z");
  });

  test("reads the time from a UTF-16LE msert.log", async () => {
    const { record } = await ingest("utf16-german-locale", { host: "exchde01", completedAt: undefined, utcOffset: "Z" });
    expect(record.additionalData.completedAt).toBe("2021-04-09T15:02:11Z");
  });

  test("a clean record is dated by its full scan, not by a later EOMT line", async () => {
    const { record } = await ingest("clean-ps7", { host: "ex-mbx-02", completedAt: undefined, utcOffset: "+00:00" });
    expect(record.additionalData.completedAt).toBe("2021-04-12T07:41:09Z");
  });

  test("file times in the future are ignored", async () => {
    const dir = copyFixture("clean-ps51");
    fs.utimesSync(path.join(dir, "msert.log"), new Date("2030-01-01T00:00:00Z"), new Date("2030-01-01T00:00:00Z"));
    const { record } = await ingestAssessment({ host: "exch01", from: dir, exchangeBuild: BUILD, now: NOW, utcOffset: "+00:00" });
    expect(record.additionalData.completedAt).toBe("2021-04-09T15:02:11Z");
  });

  test("an explicit completedAt later than the newest tool timestamp is refused", async () => {
    await expectIngestError(
      ingest("clean-ps51", { completedAt: "2021-04-09T15:20:00Z", utcOffset: "+00:00" }),
      "BAD_DATE",
      "later than the newest tool timestamp",
      "Finished On Fri Apr 09 15:02:11 2021",
    );
    // Zone unknown: the latest instant the local time can be is at UTC−12.
    await expectIngestError(ingest("clean-ps51", { completedAt: "2021-04-10T03:10:00Z" }), "BAD_DATE", "later than the newest tool timestamp");
    const { record } = await ingest("clean-ps51", { completedAt: "2021-04-09T12:00:00Z", utcOffset: "+00:00" });
    expect(record.additionalData.completedAt).toBe("2021-04-09T12:00:00Z");
  });

  test("a clean MSERT run that states no time cannot be dated", async () => {
    const dir = copyFixture("clean-ps51");
    fs.writeFileSync(path.join(dir, "msert.log"), MSERT_FULL_CLEAN.replace(/^.*(Started|Finished) On.*$/gm, ""));
    await expectIngestError(ingestAssessment({ host: "exch01", from: dir, exchangeBuild: BUILD, now: NOW }), "NO_TOOL_TIMESTAMP", "--completed-at");
  });

  test.each([["+15:00"], ["02:00"], ["+2"], ["CET"]])("rejects --utc-offset %s", async (bad) => {
    await expectIngestError(ingest("clean-ps51", { utcOffset: bad }), "BAD_DATE", bad);
  });

  test("an offset is converted to UTC", async () => {
    const { record } = await ingest("clean-ps51", { completedAt: "2021-04-09T17:20:00+02:00" });
    expect(record.additionalData.completedAt).toBe(APRIL_9);
  });

  test.each([["2021-04-09"], ["2021-02-30T10:00:00Z"], ["2021-04-09T15:20:00"], ["yesterday"], ["2021-04-09T25:00:00Z"]])(
    "rejects %s",
    async (bad) => {
      await expectIngestError(ingest("clean-ps51", { completedAt: bad }), "BAD_DATE", bad);
    },
  );

  test("rejects a completedAt in the future", async () => {
    await expectIngestError(ingest("clean-ps51", { completedAt: "2021-05-02T00:00:00Z" }), "BAD_DATE", "in the future");
  });
});

describe("evidence is bound to its host", () => {
  test("another server's reports are refused, saying whose they are and what to do", async () => {
    const err = await expectIngestError(ingest("clean-ps51", { host: "ex99" }), "HOST_MISMATCH", "EXCH01", "ex99", "EXCH01-LogAgeDays.csv");
    expect(err.message).toMatch(/--host exch01/);
  });

  test.each([["EXCH01"], ["exch01"], ["exch01.contoso.local"], ["Exch01.Contoso.Local"]])("host %s matches computer EXCH01", async (host) => {
    const { record } = await ingest("clean-ps51", { host });
    expect(record.host).toBe(host);
  });

  test("NetBIOS names stop at 15 characters", async () => {
    const dir = tmpDir();
    fs.copyFileSync(path.join(fixture("clean-ps51"), "msert.log"), path.join(dir, "msert.log"));
    fs.copyFileSync(path.join(fixture("clean-ps51"), "EXCH01-LogAgeDays.csv"), path.join(dir, "EXCHANGE-SERVER-LogAgeDays.csv"));
    await ingestAssessment({ host: "exchange-server-01.contoso.local", from: dir, exchangeBuild: BUILD, completedAt: APRIL_9, now: NOW });
  });

  test("several servers' reports mixed in one folder are refused, even for one of them", async () => {
    for (const host of ["EXCH01", "exch02.contoso.local", "exch03"]) {
      await expectIngestError(ingest("multi-computer", { host }), "MIXED_HOSTS", "EXCH01", "EXCH02", "a folder of its own");
    }
  });

  test("a server name inside a report counts (other.csv ComputerName)", async () => {
    const dir = copyFixture("cve-26855-hit");
    const other = path.join(dir, "EXCH01-other.csv");
    fs.writeFileSync(other, fs.readFileSync(other, "latin1").replace(/"EXCH01"/g, '"EXCH07"'), "latin1");
    await expectIngestError(
      ingestAssessment({ host: "exch01", from: dir, exchangeBuild: BUILD, completedAt: APRIL_9, now: NOW }),
      "MIXED_HOSTS",
      "EXCH07",
      "EXCH01-other.csv (ComputerName)",
    );
  });

  test("the FQDN in the 26857 events' MachineName is the same server", async () => {
    const { record } = await ingest("cve-26857-hit");
    expect(record.additionalData.verdict).toBe("compromised");
  });

  test("EOMT.log run on another computer is refused", async () => {
    const dir = copyFixture("eomt-detected");
    const log = path.join(dir, "EOMT.log");
    const text = fs
      .readFileSync(log)
      .subarray(2)
      .toString("utf16le")
      .replace(/EXCH01/g, "EXCH09");
    fs.writeFileSync(log, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]));
    await expectIngestError(
      ingestAssessment({ host: "exch01", from: dir, exchangeBuild: BUILD, completedAt: APRIL_9, now: NOW }),
      "MIXED_HOSTS",
      "EXCH09",
      "EOMT.log",
    );
  });
});

describe("a compromise needs no second tool", () => {
  test("Test-ProxyLogon hits without msert.log give a compromised record dated by the newest hit", async () => {
    const dir = copyFixture("cve-26855-hit");
    fs.rmSync(path.join(dir, "msert.log"));
    const { record, summary } = await ingestAssessment({ host: "exch01", from: dir, exchangeBuild: BUILD, now: NOW });
    expect(record.additionalData).toMatchObject({
      verdict: "compromised",
      completedAt: "2021-03-03T04:52:07Z",
      tool: "Test-ProxyLogon.ps1",
      checks: NO_FULL_SCAN,
    });
    expect(summary.join("\n")).toContain("no msert.log");
  });

  test("hits without msert.log and without any timestamp need --completed-at", async () => {
    const dir = copyFixture("cve-26858-hit");
    fs.rmSync(path.join(dir, "msert.log"));
    await expectIngestError(ingestAssessment({ host: "exch01", from: dir, exchangeBuild: BUILD, now: NOW }), "NO_TOOL_TIMESTAMP", "--completed-at");
    const { record } = await ingestAssessment({ host: "exch01", from: dir, exchangeBuild: BUILD, completedAt: APRIL_9, now: NOW });
    expect(record.additionalData.verdict).toBe("compromised");
  });
});

describe("options", () => {
  test.each([["15.2.792"], ["14.3.513.0"], ["15.2.792.10.1"], ["v15.2.792.10"], [""]])("rejects exchangeBuild %p", async (bad) => {
    await expectIngestError(ingest("clean-ps51", { exchangeBuild: bad }), "BAD_BUILD", "15.x.y.z");
  });

  test("accepts the long build form and records the short one", async () => {
    const { record } = await ingest("clean-ps51", { exchangeBuild: "15.02.0792.010" });
    expect(record.additionalData.exchangeBuild).toBe("15.2.792.10");
  });

  test.each([[""], ["  "], ["exch 01"]])("rejects host %p", async (bad) => {
    await expectIngestError(ingest("clean-ps51", { host: bad }), "BAD_HOST", "host");
  });

  test.each([[-1], [1.5], [Number.NaN]])("rejects generation %p", async (bad) => {
    await expectIngestError(ingest("clean-ps51", { generation: bad }), "BAD_GENERATION", "generation");
  });
});

describe("bad input folders and files", () => {
  test("missing folder", async () => {
    const missing = path.join(tmpDir(), "nope");
    await expectIngestError(ingest("x", { from: missing }), "INPUT_NOT_FOUND", missing);
  });

  test("a file instead of a folder", async () => {
    const file = path.join(fixture("clean-ps51"), "msert.log");
    await expectIngestError(ingest("x", { from: file }), "INPUT_NOT_FOLDER", file);
  });

  test("no Test-ProxyLogon output", async () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, "msert.log"), MSERT_FULL_CLEAN);
    await expectIngestError(ingest("x", { from: dir }), "NO_TEST_PROXYLOGON_OUTPUT", dir, "LogAgeDays.csv");
  });

  test("empty folder", async () => {
    const dir = tmpDir();
    await expectIngestError(ingest("x", { from: dir }), "NO_TEST_PROXYLOGON_OUTPUT", dir);
  });

  test("malformed CSV (unterminated quote)", async () => {
    const dir = copyFixture("clean-ps51");
    fs.appendFileSync(path.join(dir, "EXCH01-LogAgeDays.csv"), '"1.0,"2.0\r\n');
    await expectIngestError(ingest("x", { from: dir }), "MALFORMED_CSV", "EXCH01-LogAgeDays.csv");
  });

  test("CSV missing a required column", async () => {
    const dir = copyFixture("clean-ps51");
    fs.writeFileSync(path.join(dir, "EXCH01-LogAgeDays.csv"), '"Oabgen","Ecp"\r\n"1.0","2.0"\r\n');
    await expectIngestError(ingest("x", { from: dir }), "MALFORMED_CSV", "EXCH01-LogAgeDays.csv", "missing columns", "RpcHttpProxy");
  });

  test("CSV with only a #TYPE line", async () => {
    const dir = copyFixture("clean-ps51");
    fs.writeFileSync(path.join(dir, "EXCH01-LogAgeDays.csv"), "#TYPE System.Management.Automation.PSCustomObject\r\n");
    await expectIngestError(ingest("x", { from: dir }), "MALFORMED_CSV", "EXCH01-LogAgeDays.csv", "no header row");
  });

  test("LogAgeDays.csv with two rows", async () => {
    const dir = copyFixture("clean-ps51");
    const file = path.join(dir, "EXCH01-LogAgeDays.csv");
    const text = fs.readFileSync(file, "latin1");
    fs.writeFileSync(file, text + text.split("\r\n")[2] + "\r\n");
    await expectIngestError(ingest("x", { from: dir }), "MALFORMED_REPORT", "EXCH01-LogAgeDays.csv", "found 2");
  });

  test("a log age that is no number", async () => {
    const dir = copyFixture("clean-ps51");
    const file = path.join(dir, "EXCH01-LogAgeDays.csv");
    fs.writeFileSync(file, fs.readFileSync(file, "latin1").replace('"98.7"', '"n/a"'));
    await expectIngestError(ingest("x", { from: dir }), "BAD_LOG_AGE", "EXCH01-LogAgeDays.csv", "OwaCalendarProxy", "n/a");
  });

  test("an empty log age (no log in that folder) counts as no coverage", async () => {
    const dir = copyFixture("clean-ps51");
    const file = path.join(dir, "EXCH01-LogAgeDays.csv");
    fs.writeFileSync(file, fs.readFileSync(file, "latin1").replace('"98.7"', '""'));
    const { record, summary } = await ingest("x", { from: dir });
    expect(record.additionalData.logsSince).toBe("2021-04-09");
    expect(summary.join("\n")).toContain("no log at all in OwaCalendarProxy");
  });

  test("an empty hit list", async () => {
    const dir = copyFixture("clean-ps51");
    fs.writeFileSync(path.join(dir, "EXCH01-Cve-2021-26858.log"), "\r\n");
    await expectIngestError(ingest("x", { from: dir }), "MALFORMED_REPORT", "EXCH01-Cve-2021-26858.log", "truncated");
  });

  test("a hit CSV with a header and no row", async () => {
    const dir = copyFixture("clean-ps51");
    fs.writeFileSync(path.join(dir, "exch01-cve-2021-26855.CSV"), '"DateTime","AnchorMailbox"\r\n');
    await expectIngestError(ingest("x", { from: dir }), "MALFORMED_REPORT", "exch01-cve-2021-26855.CSV");
  });

  test("file names match case-insensitively", async () => {
    const dir = tmpDir();
    fs.copyFileSync(path.join(fixture("cve-26855-hit"), "EXCH01-LogAgeDays.csv"), path.join(dir, "exch01-logagedays.CSV"));
    fs.copyFileSync(path.join(fixture("cve-26855-hit"), "EXCH01-Cve-2021-26855.csv"), path.join(dir, "EXCH01-CVE-2021-26855.csv"));
    fs.copyFileSync(path.join(fixture("cve-26855-hit"), "msert.log"), path.join(dir, "MSERT.LOG"));
    const { record } = await ingest("x", { from: dir });
    expect(record.additionalData.verdict).toBe("compromised");
  });

  test("undecodable msert.log (binary)", async () => {
    const dir = copyFixture("clean-ps51");
    fs.writeFileSync(
      path.join(dir, "msert.log"),
      Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00]),
    );
    await expectIngestError(ingest("x", { from: dir }), "UNDECODABLE_FILE", "msert.log");
  });

  test("truncated UTF-16 (odd byte count)", async () => {
    const dir = copyFixture("utf16-german-locale");
    const file = path.join(dir, "EXCHDE01-LogAgeDays.csv");
    fs.writeFileSync(file, fs.readFileSync(file).subarray(0, 101));
    await expectIngestError(ingest("x", { from: dir, host: "exchde01" }), "UNDECODABLE_FILE", "EXCHDE01-LogAgeDays.csv", "truncated");
  });

  test("msert.log without any run", async () => {
    const dir = copyFixture("clean-ps51");
    fs.writeFileSync(path.join(dir, "msert.log"), "scan finished\r\n");
    await expectIngestError(ingest("x", { from: dir }), "MSERT_LOG_UNRECOGNIZED", "msert.log");
  });

  test("an MSERT run that never finished", async () => {
    const dir = copyFixture("clean-ps51");
    fs.writeFileSync(path.join(dir, "msert.log"), MSERT_FULL_CLEAN.split("\r\n").slice(0, 3).join("\r\n"));
    await expectIngestError(ingest("x", { from: dir }), "MSERT_SCAN_INCOMPLETE", "msert.log", "never finished");
  });

  test("an unfinished MSERT run does not hide Test-ProxyLogon hits", async () => {
    const dir = copyFixture("cve-26855-hit");
    fs.writeFileSync(path.join(dir, "msert.log"), MSERT_FULL_CLEAN.split("\r\n").slice(0, 3).join("\r\n"));
    const { record, summary } = await ingest("x", { from: dir });
    expect(record.additionalData.verdict).toBe("compromised");
    // webshell-scan from Test-ProxyLogon's suspicious-file check; an unfinished full scan is no msert-full-scan.
    expect(record.additionalData.checks).toBe(NO_FULL_SCAN);
    expect(summary.join("\n")).toContain("never finished");
  });

  test("a non-zero MSERT return code without a named threat is not clean", async () => {
    const dir = copyFixture("clean-ps51");
    fs.writeFileSync(
      path.join(dir, "msert.log"),
      MSERT_FULL_CLEAN.replace("Return code: 0 (0x0)", "Return code: 2 (0x2)").replace("No infection found.", ""),
    );
    await expectIngestError(ingest("x", { from: dir }), "MSERT_SCAN_FAILED", "msert.log", "code 2");
  });

  test("a failed MSERT full scan is no msert-full-scan, even when Test-ProxyLogon's hits decide the verdict", async () => {
    const dir = copyFixture("cve-26855-hit");
    fs.writeFileSync(
      path.join(dir, "msert.log"),
      MSERT_FULL_CLEAN.replace("Return code: 0 (0x0)", "Return code: 2 (0x2)").replace("No infection found.", ""),
    );
    const { record, summary } = await ingest("x", { from: dir });
    expect(record.additionalData.verdict).toBe("compromised");
    expect(record.additionalData.checks).toBe(NO_FULL_SCAN);
    expect(summary.join("\n")).toContain("code 2");
  });

  test("two msert.log files", async () => {
    const dir = copyFixture("clean-ps51");
    fs.mkdirSync(path.join(dir, "older"));
    fs.copyFileSync(path.join(dir, "msert.log"), path.join(dir, "older", "msert.log"));
    await expectIngestError(ingest("x", { from: dir }), "DUPLICATE_REPORT", "msert.log", "older/msert.log");
  });

  test("two LogAgeDays.csv of one computer", async () => {
    const dir = copyFixture("clean-ps51");
    fs.mkdirSync(path.join(dir, "run2"));
    fs.copyFileSync(path.join(dir, "EXCH01-LogAgeDays.csv"), path.join(dir, "run2", "EXCH01-LogAgeDays.csv"));
    await expectIngestError(ingest("x", { from: dir }), "DUPLICATE_REPORT", "run2/EXCH01-LogAgeDays.csv");
  });

  test("a symbolic link in the evidence folder", async () => {
    const dir = copyFixture("clean-ps51");
    fs.symlinkSync(path.join(dir, "msert.log"), path.join(dir, "link.log"));
    await expectIngestError(ingest("x", { from: dir }), "UNSUPPORTED_ENTRY", "link.log");
  });
});
