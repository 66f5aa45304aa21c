/**
 * Every command's exit code, in process through `main(argv, io, runStack, packDir)`: 0 clean, 1 a violation, 2 bad
 * input (the user's to fix, and the message says what and where), 3 an internal error (ours: the program or the pack
 * failed), which says it is a bug and shows its stack only with --debug. A failing program is injected as `runStack`; a
 * failing pack is a real pack (test/fixtures/packs/dies-mid-analysis) that dies on the first resource it is asked
 * about.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { RunStack } from "../../cli/io";
import { readStackExport } from "../../cli/audit/stackExport";
import { armResources, resourceGraphRows, writeResourceGraphPages } from "../support/resourceGraph";
import { copyStack, removeCopies } from "../support/hostStacks";
import { STACKS_DIR } from "../../stacks/config/stackFile";
import { ROOT, runInProcess as run } from "./runCli";

// Every case starts a pack, or runs a program and starts a pack.
jest.setTimeout(120_000);

const DYING_PACK = path.join(ROOT, "test", "fixtures", "packs", "dies-mid-analysis");
const EXAMPLE_EXPORT = path.join(ROOT, "examples", "example.export.json");
const EXAMPLE_CONFIG = path.join(ROOT, "stacks", "policy-config", "example.json");
const KNOWN_BAD = ["--stacks-dir", "test/fixtures/stacks", "--policy-pack-config", "test/fixtures/stacks/known-bad.policy-config.json"];

/** A program that fails the way a bug in it would: not a config the program refused, an error of its own. */
const failingProgram: RunStack = async () => {
  throw new TypeError("Cannot read properties of undefined (reading 'ipConfigurations')");
};

const INTERNAL = /^exchange-guard: internal error: .+ \(this is a bug; run again with --debug for the stack\)\n$/;
const STACK_LINE = /^\s+at /m;

let tmp: string;
let pages: string[];

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "exg-exit-"));
  const exported = readStackExport(fs.readFileSync(EXAMPLE_EXPORT, "utf8"), EXAMPLE_EXPORT);
  pages = writeResourceGraphPages(tmp, "example", resourceGraphRows(armResources(exported.analyzeStack)));
});

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
  removeCopies();
});

function writeTmp(name: string, text: string): string {
  const f = path.join(tmp, name);
  fs.writeFileSync(f, text);
  return f;
}

describe("check", () => {
  it("0 when no mandatory policy is violated", async () => {
    expect((await run(["check", "--quiet"])).code).toBe(0);
  });

  it("1 on a mandatory violation", async () => {
    expect((await run(["check", "--stack", "bad-unpatched-build", ...KNOWN_BAD, "--quiet"])).code).toBe(1);
  });

  it("2 on an unknown stack and on a usage error, naming what", async () => {
    const unknown = await run(["check", "--stack", "nope", "--quiet"]);
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringMatching(/^exchange-guard: no stack "nope"/)]);
    const usage = await run(["check", "--no-such-option"]);
    expect([usage.code, usage.stderr]).toEqual([2, expect.stringMatching(/unknown option '--no-such-option'/)]);
  });

  it("3 when the stack's program fails: said to be a bug, the stack only with --debug", async () => {
    const r = await run(["check", "--quiet"], { runStack: failingProgram });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(INTERNAL);
    expect(r.stderr).toContain("Cannot read properties of undefined (reading 'ipConfigurations')");
    expect(r.stderr).not.toMatch(STACK_LINE);
    const debug = await run(["check", "--quiet", "--debug"], { runStack: failingProgram });
    expect(debug.code).toBe(3);
    expect(debug.stderr).toMatch(/^exchange-guard: internal error: .+ \(this is a bug; its stack follows\)\nTypeError: Cannot read/);
    expect(debug.stderr).toMatch(STACK_LINE);
  });

  it("3 when the policy pack dies, naming the pack and its exit", async () => {
    // Without the bundled policy config, which names policies the dying pack does not have.
    const r = await run(["check", "--stacks-dir", "stacks", "--quiet"], { packDir: DYING_PACK });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(INTERNAL);
    expect(r.stderr).toMatch(/the policy pack in .*dies-mid-analysis exited \(70\)/);
  });
});

describe("audit", () => {
  it("0 on the bundled example export", async () => {
    expect((await run(["audit", "--quiet"])).code).toBe(0);
  });

  it("1 when the export holds no Exchange host", async () => {
    const noHost = writeTmp("no-host.json", JSON.stringify({ deployment: { resources: [] } }));
    expect((await run(["audit", noHost, "--quiet"])).code).toBe(1);
  });

  it("2 on a file that is not a stack export, naming it", async () => {
    const f = writeTmp("not-an-export.json", JSON.stringify({ hello: "world" }));
    const r = await run(["audit", f, "--quiet"]);
    expect([r.code, r.stderr]).toEqual([2, `exchange-guard: ${f} is not a \`pulumi stack export\` file: deployment.resources is missing\n`]);
  });

  it("3 when the policy pack dies", async () => {
    const r = await run(["audit", EXAMPLE_EXPORT, "--quiet"], { packDir: DYING_PACK });
    expect([r.code, r.stderr]).toEqual([3, expect.stringMatching(INTERNAL)]);
  });
});

describe("audit --azure", () => {
  it("0 on the example's live estate", async () => {
    expect((await run(["audit", "--azure", ...pages, "--policy-pack-config", EXAMPLE_CONFIG, "--quiet"])).code).toBe(0);
  });

  it("1 when the live estate fails the gate (judged as of a day its assessments are stale)", async () => {
    const config = JSON.parse(fs.readFileSync(EXAMPLE_CONFIG, "utf8")) as Record<string, Record<string, unknown>>;
    const gateHome = "exchange-remediated-requires-assessment";
    const later = writeTmp("later.json", JSON.stringify({ ...config, [gateHome]: { ...config[gateHome], asOf: "2027-06-01T00:00:00Z" } }));
    expect((await run(["audit", "--azure", ...pages, "--policy-pack-config", later, "--quiet"])).code).toBe(1);
  });

  it("2 on a file that is not Resource Graph output, naming it", async () => {
    const f = writeTmp("not-graph.json", "[1, 2, 3]");
    const r = await run(["audit", "--azure", f, "--quiet"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^exchange-guard: .*${path.basename(f)}`));
  });

  it("3 when the policy pack dies", async () => {
    const r = await run(["audit", "--azure", ...pages, "--quiet"], { packDir: DYING_PACK });
    expect([r.code, r.stderr]).toEqual([3, expect.stringMatching(INTERNAL)]);
  });
});

describe("ingest", () => {
  it("0 when the record is written", async () => {
    const r = await run(["ingest", "--host", "exch01", "--from", "test/fixtures/ingest/webshell-msert", "--build", "15.2.1748.53"]);
    expect(r.code).toBe(0);
  });

  it("2 on input it cannot use and on a missing option, naming what", async () => {
    const missing = await run(["ingest", "--host", "exch01", "--from", "test/fixtures/ingest/no-msert", "--build", "15.2.1748.53"]);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringMatching(/^exchange-guard: ingest: .*no msert\.log/)]);
    const usage = await run(["ingest", "--from", "x"]);
    expect([usage.code, usage.stderr]).toEqual([2, expect.stringMatching(/required option '--host <name>' not specified/)]);
  });
});

describe("explain", () => {
  it("0 once explained", async () => {
    expect((await run(["explain", "ex02", "--stack", "incident-2-compromised", "--quiet"])).code).toBe(0);
  });

  it("2 on an unknown host, listing the hosts", async () => {
    const r = await run(["explain", "nope", "--stack", "incident-2-compromised", "--quiet"]);
    expect([r.code, r.stderr]).toEqual([2, expect.stringMatching(/^exchange-guard: no host "nope" in .*\nhosts: /)]);
  });

  it("3 when the stack's program fails, and when the pack dies", async () => {
    const program = await run(["explain", "ex02", "--stack", "incident-2-compromised", "--quiet"], { runStack: failingProgram });
    expect([program.code, program.stderr]).toEqual([3, expect.stringMatching(INTERNAL)]);
    const pack = await run(["explain", "ex02", "--export", EXAMPLE_EXPORT, "--quiet"], { packDir: DYING_PACK });
    expect([pack.code, pack.stderr]).toEqual([3, expect.stringMatching(INTERNAL)]);
  });
});

describe("host", () => {
  it("0 when done, 1 when remediate is refused by the offline check, 2 on an unknown host or an unsafe transition", async () => {
    const s = copyStack("incident-3-rebuild");
    expect((await s.run("status")).code).toBe(0);
    // ex02's new generation has no record yet: the gate refuses it.
    const refused = await s.run("remediate", "ex02");
    expect([refused.code, refused.stderr]).toEqual([1, expect.stringMatching(/remediate refused by the offline check/)]);
    const unknown = await s.run("isolate", "nope");
    expect([unknown.code, unknown.stderr]).toEqual([2, expect.stringMatching(/^exchange-guard: .*nope/)]);
    const usage = await run(["host", "isolate"]);
    expect([usage.code, usage.stderr]).toEqual([
      2,
      expect.stringMatching(/error: (missing required argument 'host'|required option '--stack <name>' not specified)/),
    ]);
  });

  it("3 when remediate's offline check fails inside: the program, or the pack; the stack file untouched", async () => {
    const s = copyStack("incident-3-rebuild");
    // ex02's new generation assessed clean: the program accepts the edit, so the pack is asked.
    expect((await s.run("record", "ex02", path.join(STACKS_DIR, "records", "incident", "ex02-g2-2026-11-19.json"))).code).toBe(0);
    const before = s.text();
    const args = ["host", "remediate", "ex02", "--stack", s.stack, "--stacks-dir", s.dir];
    const program = await run(args, { runStack: failingProgram });
    expect([program.code, program.stderr]).toEqual([3, expect.stringMatching(INTERNAL)]);
    const pack = await run(args, { packDir: DYING_PACK });
    expect([pack.code, pack.stderr]).toEqual([3, expect.stringMatching(INTERNAL)]);
    expect(s.text()).toBe(before);
  });
});

describe("help", () => {
  it.each(["check", "audit", "ingest", "explain", "host"])("help %s states every exit code, the internal error's included", async (command) => {
    const r = await run(["help", command]);
    expect(r.code).toBe(0);
    const help = r.stdout.replace(/\s+/g, " ");
    expect(help).toMatch(/Exit codes: 0 .*2 .*, 3 an internal error/);
  });

  it("the program's help names the four codes and --debug", async () => {
    const r = await run(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "Exit codes: 0 clean, 1 a mandatory violation, 2 bad input (the message says what and where), 3 an internal error (a bug).",
    );
    expect(r.stdout).toMatch(/--debug\s+on an internal error \(exit 3\), print its stack/);
  });
});
