/**
 * The built binary as a pipeline runs it: `node dist/cli/main.js` with real streams and exit codes. Few on purpose
 * (each pays a Node start and a policy-pack process); everything else about the CLI runs in process in cli.test.ts,
 * and the first test here proves the two give the same answer.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runInProcess, runSpawned } from "./runCli";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "exg-bin-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Timings differ from run to run; nothing else may. */
const steady = (text: string) => text.replace(/"(startMs|analyzeMs|analyzeStackMs)": \d+/g, '"$1": 0');

describe("exchange-guard, spawned", () => {
  it("the default check of the bundled example: exit 0, a plain report; a check in process gives the same JSON", async () => {
    const r = await runSpawned([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^HOST\s+STATE\s+NEWEST ASSESSMENT\s+INTERNET EXPOSURE\s+VERDICT/m);
    expect(r.stdout).toContain("0 mandatory and 0 advisory violation(s).");
    expect(r.stdout).not.toContain("\u001b[");
    expect(r.stderr).toMatch(/^exchange-guard: running the program of stack example offline/);
    const args = ["check", "--stack", "incident-2-compromised", "--json", "--quiet"];
    const [bin, inProcess] = [await runSpawned(args), await runInProcess(args)];
    expect(bin.code).toBe(inProcess.code);
    expect(steady(bin.stdout)).toBe(steady(inProcess.stdout));
  });

  it("a known-bad stack exits 1 and writes its SARIF file", async () => {
    const sarif = path.join(tmp, "bad.sarif");
    const r = await runSpawned([
      "check",
      "--stack",
      "bad-unpatched-build",
      "--stacks-dir",
      "test/fixtures/stacks",
      "--policy-pack-config",
      "test/fixtures/stacks/known-bad.policy-config.json",
      "--sarif",
      sarif,
      "--quiet",
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/exchange-build-patched: host ex\d+/);
    expect(JSON.parse(fs.readFileSync(sarif, "utf8")).runs[0].results.length).toBeGreaterThan(0);
  });

  it("bad input exits 2 with the message on stderr; --version exits 0", async () => {
    const unknown = await runSpawned(["frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^exchange-guard: unknown command 'frobnicate'/);
    const missing = await runSpawned(["audit", path.join(tmp, "missing.json")]);
    expect(missing).toMatchObject({ code: 2, stdout: "" });
    expect(missing.stderr).toMatch(/^exchange-guard: cannot read /);
    const version = await runSpawned(["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("ingest writes the record to stdout and its summary to stderr, as in process", async () => {
    const args = ["ingest", "--host", "exch01", "--from", "test/fixtures/ingest/clean-ps51", "--build", "15.2.792.10", "--utc-offset", "+02:00"];
    const [bin, inProcess] = [await runSpawned(args), await runInProcess(args)];
    expect(bin.code).toBe(0);
    expect(bin.stdout).toBe(inProcess.stdout);
    expect(bin.stderr).toBe(inProcess.stderr);
    expect(bin.stderr).toMatch(/^ {2}\S/);
  });
});
